package auth_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/internal/testutil"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/models/sdkerrors"
	"github.com/plexkit/plexgo/plextest"
)

// pinAsker returns an askPIN that answers pin and counts its calls.
func pinAsker(pin string, calls *int) func(context.Context, operations.HomeUser) (string, error) {
	return func(_ context.Context, _ operations.HomeUser) (string, error) {
		*calls++
		return pin, nil
	}
}

func switchPath(uuid string) string { return "/api/v2/home/users/" + uuid + "/switch" }

// acceptTransport forces an Accept header, to make plex.tv answer XML.
type acceptTransport struct {
	base   http.RoundTripper
	accept string
}

func (a acceptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("Accept", a.accept)
	return a.base.RoundTrip(req)
}

// homeSDK returns a client of the fake with this token; a non-empty
// accept is sent as the Accept header of every request.
func homeSDK(t testing.TB, fake *plextest.Server, accept, token string) *plexgo.PlexAPI {
	base := &http.Transport{}
	t.Cleanup(base.CloseIdleConnections)
	var rt http.RoundTripper = base
	if accept != "" {
		rt = acceptTransport{base: base, accept: accept}
	}
	return plexgo.New(
		plexgo.WithPlexTVURL(fake.PlexTVURL),
		plexgo.WithXPlexClientIdentifier("auth-home-test-client"),
		plexgo.WithClient(&http.Client{Transport: rt, Timeout: 30 * time.Second}),
		plexgo.WithSecurity(token),
	)
}

func TestHomeUsers(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	alice := flowAccount(t, fake, plextest.DefaultLogin)
	ctx := context.Background()
	for _, accept := range []string{"", "application/xml"} {
		sdk := homeSDK(t, fake, accept, alice.AuthToken)
		users, err := auth.HomeUsers(ctx, sdk)
		if err != nil {
			t.Fatalf("HomeUsers (Accept %q): %v", accept, err)
		}
		var titles []string
		for _, u := range users {
			titles = append(titles, u.Title)
			if u.UUID == "" || u.ID == 0 {
				t.Errorf("user %q has no UUID or id", u.Title)
			}
			if u.Protected != (u.Title == "teen") || u.Admin != (u.Title == plextest.DefaultUsername) {
				t.Errorf("user %+v: wrong flags", u)
			}
		}
		if !slices.Equal(titles, []string{"alice", "kid", "teen"}) {
			t.Errorf("Accept %q: users = %q", accept, titles)
		}
	}
	if _, err := auth.HomeUsers(ctx, nil); err == nil {
		t.Error("nil SDK: want an error")
	}
	if _, _, err := auth.SwitchHomeUser(ctx, &plexgo.PlexAPI{}, "kid", nil); err == nil {
		t.Error("zero SDK: want an error")
	}
}

func TestSwitchHomeUser(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	alice := flowAccount(t, fake, plextest.DefaultLogin)
	kid := flowAccount(t, fake, "kid")
	teen := flowAccount(t, fake, "teen")
	sdk := homeSDK(t, fake, "", alice.AuthToken)
	ctx := context.Background()

	t.Run("unprotected user, no PIN asked", func(t *testing.T) {
		var asked int
		tok, acct, err := auth.SwitchHomeUser(ctx, sdk, "KID", pinAsker("0000", &asked))
		if err != nil {
			t.Fatalf("SwitchHomeUser: %v", err)
		}
		if asked != 0 {
			t.Errorf("askPIN called %d times for an unprotected user", asked)
		}
		// "KID" matched kid's title: a managed user has no username on
		// plex.tv, and the switch answers it with an empty one.
		if tok == "" || tok == alice.AuthToken || acct.AuthToken != tok || acct.Title != "kid" || acct.Username != "" || !acct.Restricted {
			t.Errorf("switched account = %v (title %q)", acct, acct.Title)
		}
		// The token is kid's.
		who, err := homeSDK(t, fake, "", tok).Authentication.GetTokenDetails(ctx)
		if err != nil || who.UserPlexAccount.ID != kid.ID {
			t.Errorf("GetTokenDetails with the switched token = %v, %v", who, err)
		}
		testutil.NoSecret(t, "account", fmt.Sprintf("%v %+v", acct, *acct), tok)
	})

	t.Run("protected user, right PIN", func(t *testing.T) {
		var asked int
		tok, acct, err := auth.SwitchHomeUser(ctx, sdk, teen.UUID, pinAsker(plextest.HomeUserPIN, &asked))
		if err != nil {
			t.Fatalf("SwitchHomeUser: %v", err)
		}
		if asked != 1 || tok == "" || acct.ID != teen.ID {
			t.Errorf("asked %d times, account %v", asked, acct)
		}
	})

	t.Run("protected user, wrong PIN", func(t *testing.T) {
		before := fake.CountRequests("POST", switchPath(teen.UUID))
		var asked int
		_, _, err := auth.SwitchHomeUser(ctx, sdk, strconv.FormatInt(teen.ID, 10), pinAsker("9876", &asked))
		if !errors.Is(err, sdkerrors.ErrInvalidPIN) || !errors.Is(err, sdkerrors.ErrForbidden) {
			t.Fatalf("err = %v, want ErrInvalidPIN and ErrForbidden", err)
		}
		if n := fake.CountRequests("POST", switchPath(teen.UUID)) - before; n != 1 {
			t.Errorf("%d switch requests, want exactly 1 (a wrong PIN is never retried)", n)
		}
		testutil.NoSecret(t, "error", err.Error(), "9876", alice.AuthToken)
	})

	t.Run("protected user, no askPIN", func(t *testing.T) {
		before := fake.CountRequests("POST", switchPath(teen.UUID))
		_, _, err := auth.SwitchHomeUser(ctx, sdk, "teen", nil)
		if !errors.Is(err, auth.ErrHomePINRequired) {
			t.Errorf("err = %v, want ErrPINRequired", err)
		}
		if fake.CountRequests("POST", switchPath(teen.UUID)) != before {
			t.Error("a switch was sent without a PIN")
		}
	})

	t.Run("askPIN fails", func(t *testing.T) {
		cancelled := errors.New("user pressed Ctrl-C")
		_, _, err := auth.SwitchHomeUser(ctx, sdk, "teen", func(context.Context, operations.HomeUser) (string, error) {
			return "", cancelled
		})
		if !errors.Is(err, cancelled) {
			t.Errorf("err = %v, want the askPIN error", err)
		}
	})

	t.Run("unknown user", func(t *testing.T) {
		_, _, err := auth.SwitchHomeUser(ctx, sdk, "mallory", nil)
		if !errors.Is(err, auth.ErrHomeUserNotFound) {
			t.Errorf("err = %v, want ErrHomeUserNotFound", err)
		}
		// The managed users' usernames are empty: an empty or blank name
		// must not pick one of them.
		kidBefore := fake.CountRequests("POST", switchPath(kid.UUID))
		for _, blank := range []string{"", "  "} {
			if _, _, err := auth.SwitchHomeUser(ctx, sdk, blank, nil); err == nil {
				t.Errorf("user %q: want an error", blank)
			}
		}
		if fake.CountRequests("POST", switchPath(kid.UUID)) != kidBefore {
			t.Error("a blank user name switched to kid")
		}
	})

	t.Run("XML answers", func(t *testing.T) {
		xsdk := homeSDK(t, fake, "application/xml", alice.AuthToken)
		tok, acct, err := auth.SwitchHomeUser(ctx, xsdk, "teen", pinAsker(plextest.HomeUserPIN, new(int)))
		if err != nil {
			t.Fatalf("SwitchHomeUser (XML): %v", err)
		}
		if tok == "" || acct.ID != teen.ID || acct.Title != "teen" || acct.Username != "" {
			t.Errorf("XML switched account = %v (title %q)", acct, acct.Title)
		}
	})
}

func TestSwitchHomeUserNotInHome(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	bob := flowAccount(t, fake, plextest.TwoFactorLogin)
	sdk := homeSDK(t, fake, "", bob.AuthToken)
	// Bob is alone in his "Home": kid is not his to switch to.
	_, _, err := auth.SwitchHomeUser(context.Background(), sdk, "kid", nil)
	if !errors.Is(err, auth.ErrHomeUserNotFound) {
		t.Errorf("err = %v, want ErrHomeUserNotFound", err)
	}
}
