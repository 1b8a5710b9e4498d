package main

import (
	"bufio"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/plexkit/plexgo/internal/testutil"
	"github.com/plexkit/plexgo/plextest"
)

// app is one running instance of the example.
type app struct {
	url    string
	stderr *testutil.SyncBuffer
}

// start runs the example in process with args and returns its URL from the
// startup line. It stops when the test ends.
func start(t *testing.T, env map[string]string, args ...string) *app {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	a := &app{stderr: &testutil.SyncBuffer{}}
	done := make(chan error, 1)
	go func() {
		err := run(ctx, args, pw, a.stderr, func(k string) string { return env[k] })
		pw.CloseWithError(io.EOF)
		done <- err
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("no startup line: %v (run: %v)\nstderr: %s", err, <-done, a.stderr.String())
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	var startup map[string]any
	if err := json.Unmarshal([]byte(line), &startup); err != nil || len(startup) != 1 {
		t.Fatalf("startup line %q: %v", line, err)
	}
	a.url, _ = startup["url"].(string)
	if !strings.HasPrefix(a.url, "http://127.0.0.1:") {
		t.Fatalf("url %q", a.url)
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	return a
}

func browser(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func get(t *testing.T, c *http.Client, u string) (int, string, http.Header) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Header
}

// signIn runs the same-tab flow, approving the PIN on the fake as login.
func signIn(t *testing.T, fake *plextest.Server, c *http.Client, a *app, login string) int {
	t.Helper()
	code, _, hdr := get(t, c, a.url+"/auth/plex/login?return_to=/")
	if code != http.StatusSeeOther {
		t.Fatalf("login: %d", code)
	}
	u, _ := url.Parse(hdr.Get("Location"))
	frag, _ := url.ParseQuery(strings.TrimPrefix(u.Fragment, "?"))
	acct, _ := fake.Account(login)
	if err := fake.ApprovePIN(frag.Get("code"), acct.AuthToken); err != nil {
		t.Fatal(err)
	}
	status, _, _ := get(t, c, frag.Get("forwardUrl"))
	return status
}

func TestExampleSignInAndMe(t *testing.T) {
	fake := plextest.NewServer(t)
	server := fake.Servers()[0].MachineIdentifier
	key := strings.Repeat("ab", 32)
	a := start(t, nil, "-addr", "127.0.0.1:0", "-plextv", fake.PlexTVURL, "-auth-app", fake.PlexTVURL+"/auth", "-server", server, "-session-key", key)
	c := browser(t)
	code, body, _ := get(t, c, a.url+"/me")
	if code != http.StatusUnauthorized || !strings.Contains(body, `"not signed in"`) {
		t.Fatalf("/me signed out: %d %q", code, body)
	}
	if code, body, _ := get(t, c, a.url+"/"); code != 200 || !strings.Contains(body, `id="signin"`) || !strings.Contains(body, "Sign in with Plex") {
		t.Fatalf("/: %d %q", code, body)
	}
	if st := signIn(t, fake, c, a, plextest.TwoFactorLogin); st != http.StatusSeeOther {
		t.Fatalf("callback: %d", st)
	}
	code, body, _ = get(t, c, a.url+"/me")
	var me map[string]any
	if err := json.Unmarshal([]byte(body), &me); code != 200 || err != nil || me["username"] != "bob" {
		t.Fatalf("/me: %d %q", code, body)
	}
	bob, _ := fake.Account(plextest.TwoFactorLogin)
	tok, _ := fake.IssueToken(plextest.TwoFactorLogin, "")
	testutil.NoSecret(t, "/me", body, bob.AuthToken, tok)
	if _, body, _ := get(t, c, a.url+"/"); !strings.Contains(body, `id="username">bob<`) {
		t.Fatalf("/ signed in: %q", body)
	}

	// A second instance with the same key shares the session.
	b := start(t, nil, "-addr", "127.0.0.1:0", "-plextv", fake.PlexTVURL, "-auth-app", fake.PlexTVURL+"/auth", "-server", server, "-session-key", key)
	if code, body, _ := get(t, c, b.url+"/me"); code != 200 || !strings.Contains(body, `"username":"bob"`) {
		t.Fatalf("second instance /me: %d %q", code, body)
	}
	// One with another key does not.
	other := start(t, nil, "-addr", "127.0.0.1:0", "-plextv", fake.PlexTVURL, "-session-key", hex.EncodeToString(make([]byte, 32)))
	if code, _, _ := get(t, c, other.url+"/me"); code != http.StatusUnauthorized {
		t.Fatalf("other key /me: %d", code)
	}
	testutil.NoSecret(t, "log", a.stderr.String(), bob.AuthToken)
}

// A managed Home user has no username on plex.tv: the page names it by
// its title.
func TestExampleManagedHomeUser(t *testing.T) {
	fake := plextest.NewServer(t)
	server := fake.Servers()[0].MachineIdentifier
	a := start(t, nil, "-addr", "127.0.0.1:0", "-plextv", fake.PlexTVURL, "-auth-app", fake.PlexTVURL+"/auth", "-server", server,
		"-session-key", strings.Repeat("cd", 32))
	c := browser(t)
	if st := signIn(t, fake, c, a, "kid"); st != http.StatusSeeOther {
		t.Fatalf("callback: %d", st)
	}
	code, body, _ := get(t, c, a.url+"/me")
	var me map[string]any
	if err := json.Unmarshal([]byte(body), &me); code != 200 || err != nil || me["username"] != "" || me["title"] != "kid" {
		t.Fatalf("/me: %d %q", code, body)
	}
	if _, body, _ := get(t, c, a.url+"/"); !strings.Contains(body, `id="username">kid<`) || !strings.Contains(body, "managed") {
		t.Fatalf("/ signed in: %q", body)
	}
}

func TestExampleDeniesOutsider(t *testing.T) {
	fake := plextest.NewServer(t)
	a := start(t, nil, "-addr", "127.0.0.1:0", "-plextv", fake.PlexTVURL, "-auth-app", fake.PlexTVURL+"/auth", "-server", fake.Servers()[0].MachineIdentifier)
	c := browser(t)
	if st := signIn(t, fake, c, a, plextest.OutsiderLogin); st != http.StatusForbidden {
		t.Fatalf("outsider: %d", st)
	}
	if code, _, _ := get(t, c, a.url+"/me"); code != http.StatusUnauthorized {
		t.Fatalf("outsider /me: %d", code)
	}
}

func TestExampleFakeMode(t *testing.T) {
	a := start(t, nil, "-fake", "-addr", "127.0.0.1:0", "-server", "plextest")
	if code, body, _ := get(t, browser(t), a.url+"/"); code != 200 || !strings.Contains(body, "Sign in with Plex") {
		t.Fatalf("/: %d %q", code, body)
	}
	if code, _, _ := get(t, browser(t), a.url+"/nope"); code != http.StatusNotFound {
		t.Fatalf("/nope: %d", code)
	}
	if s := a.stderr.String(); !strings.Contains(s, "account alice") || !strings.Contains(s, "machine identifier") {
		t.Fatalf("fake mode did not print its accounts:\n%s", s)
	}
	// -server plextest named the fake's server: the log shows its machine identifier.
	if s := a.stderr.String(); strings.Contains(s, "server=plextest") || !strings.Contains(s, "server=") {
		t.Fatalf("-server plextest was not resolved:\n%s", s)
	}
}

func TestExampleBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-session-key", "zz"}, {"-session-key", "abcd"}, {"-nope"}, {"extra"}, {"-plextv", "ftp://x", "-addr", "127.0.0.1:0"}} {
		var out, errb strings.Builder
		// The deadline only stops a run that wrongly started serving.
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		err := run(ctx, args, &out, &errb, func(string) string { return "" })
		cancel()
		if _, ok := err.(usageError); !ok {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
		if out.Len() != 0 {
			t.Errorf("%v printed %q on stdout", args, out.String())
		}
	}
}

// -h prints the usage and exits 0, like every flag-package program; usage
// errors exit 2, others 1, each with one "weblogin:" line.
func TestExampleExitCodes(t *testing.T) {
	var errb strings.Builder
	err := run(t.Context(), []string{"-h"}, io.Discard, &errb, func(string) string { return "" })
	if code := exitCode(err, &errb); code != 0 || !strings.Contains(errb.String(), "-session-key") || strings.Contains(errb.String(), "weblogin: flag") {
		t.Fatalf("-h: exit %d, stderr %q", code, errb.String())
	}
	for _, tc := range []struct {
		err  error
		code int
	}{{nil, 0}, {usageError{errors.New("bad flag")}, 2}, {errors.New("listen: refused"), 1}} {
		var b strings.Builder
		if code := exitCode(tc.err, &b); code != tc.code || (tc.err != nil) != strings.HasPrefix(b.String(), "weblogin: ") {
			t.Errorf("exitCode(%v) = %d, stderr %q", tc.err, code, b.String())
		}
	}
}
