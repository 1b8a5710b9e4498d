package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/plexkit/plexgo/internal/testutil"
	"github.com/plexkit/plexgo/plextest"
)

// newChrome starts a headless Chromium with a fresh profile, on a closed
// network.
func newChrome(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(testutil.Chromium(t)),
		chromedp.NoSandbox, // root in containers
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	// The deadline only ends a browser that hangs; nothing is timed.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return browser
}

// tab opens a tab in a fresh browser context (its own cookies).
func tab(t *testing.T, browser context.Context) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	return ctx
}

func pickAndApprove(username string) chromedp.Action[chromedp.Void] {
	sel := chromedp.CSS(`button.account[data-username="` + username + `"]`)
	return chromedp.Steps(
		chromedp.WaitVisible(sel),
		chromedp.Click(sel),
		chromedp.Click(chromedp.ID("approve")),
	)
}

func text(t *testing.T, ctx context.Context, sel chromedp.CSS) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBrowser(t *testing.T) {
	browser := newChrome(t)
	fake := plextest.NewServer(t)
	if fake.AuthAppURL == "" {
		t.Fatal("plextest has no auth app")
	}
	server := fake.Servers()[0].MachineIdentifier
	a := start(t, nil, "-addr", "127.0.0.1:0", "-plextv", fake.PlexTVURL, "-auth-app", fake.AuthAppURL, "-server", server)

	t.Run("same tab", func(t *testing.T) {
		ctx := tab(t, browser)
		err := chromedp.Do(ctx,
			chromedp.Navigate(a.url+"/"),
			chromedp.Click(chromedp.ID("signin")),
			chromedp.WaitVisible(chromedp.ID("approve")),
		)
		if err != nil {
			t.Fatal(err)
		}
		if loc := location(t, ctx); !strings.HasPrefix(loc, fake.AuthAppURL+"#?clientID=") {
			t.Fatalf("not on the auth app: %s", strings.SplitN(loc, "#", 2)[0])
		}
		if err := chromedp.Do(ctx, pickAndApprove("bob"), chromedp.WaitVisible(chromedp.ID("username"))); err != nil {
			t.Fatal(err)
		}
		if who, loc := text(t, ctx, "#username"), location(t, ctx); who != "bob" || loc != a.url+"/" {
			t.Fatalf("landed on %s as %q", loc, who)
		}
		// Sign out with the page's form (a same-origin POST).
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("logout")), chromedp.WaitVisible(chromedp.ID("signin"))); err != nil {
			t.Fatal(err)
		}
		if account := text(t, ctx, "#account"); account != "Not signed in." {
			t.Fatalf("after sign-out: %q", account)
		}
	})

	t.Run("denied account", func(t *testing.T) {
		ctx := tab(t, browser)
		err := chromedp.Do(ctx,
			chromedp.Navigate(a.url+"/"),
			chromedp.Click(chromedp.ID("signin")),
			pickAndApprove(plextest.OutsiderUsername),
			chromedp.WaitVisible(chromedp.ID("title")),
		)
		if err != nil {
			t.Fatal(err)
		}
		if title, msg := text(t, ctx, "#title"), text(t, ctx, "#message"); title != "Access denied" || !strings.Contains(msg, "does not have access") {
			t.Fatalf("denial page: %q %q", title, msg)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(a.url+"/"), chromedp.WaitVisible(chromedp.ID("signin"))); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("popup", func(t *testing.T) {
		ctx := tab(t, browser)
		if err := chromedp.Do(ctx, chromedp.Navigate(a.url+"/"), chromedp.WaitVisible(chromedp.ID("signin-popup"))); err != nil {
			t.Fatal(err)
		}
		opened := chromedp.WaitNewTarget(ctx, func(i *target.Info) bool { return i.Type == "page" })
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("signin-popup"))); err != nil {
			t.Fatal(err)
		}
		var id target.ID
		select {
		case id = <-opened:
		case <-ctx.Done():
			t.Fatal("no popup opened")
		}
		popup, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(id))
		defer cancel()
		if err := chromedp.Do(popup, chromedp.WaitVisible(chromedp.ID("approve")), pickAndApprove("alice")); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("username"))); err != nil {
			t.Fatal(err)
		}
		if who := text(t, ctx, "#username"); who != "alice" {
			t.Fatalf("popup sign-in as %q", who)
		}
	})
}
