package weblogin

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/plexkit/plexgo/internal/testutil"
	"github.com/plexkit/plexgo/plextest"
)

func TestSameTabSignIn(t *testing.T) {
	e := newEnv(t)
	if r := e.get("/private"); r.code != http.StatusSeeOther || r.loc != "/auth/plex/login?return_to=%2Fprivate" {
		t.Fatalf("signed out /private: %d %q", r.code, r.loc)
	}
	code, forward := e.login(e.c, "?return_to=/private%3Fx%3D1")
	if code == "" {
		t.Fatal("no PIN code in the auth app URL")
	}
	if want := e.app.URL + "/auth/plex/callback"; forward != want {
		t.Fatalf("forwardUrl %q, want %q", forward, want)
	}
	if strings.Contains(forward, code) {
		t.Fatal("the forward URL carries the PIN code")
	}
	e.approve(code, plextest.DefaultLogin)
	r := e.do(e.c, http.MethodGet, forward, nil)
	if r.code != http.StatusSeeOther || r.loc != "/private?x=1" {
		t.Fatalf("callback: %d %q %q", r.code, r.loc, r.body)
	}
	if sessionCookie(e.c, e.app.URL, "plex_session") == "" {
		t.Fatal("no session cookie")
	}
	if r := e.get("/private"); r.code != 200 || r.body != "hello alice " {
		t.Fatalf("signed in /private: %d %q", r.code, r.body)
	}
	tok, _ := e.fake.IssueToken(plextest.DefaultLogin, testClientID)
	testutil.NoSecret(t, "logs", e.logs.String(), code, tok)
}

func TestCookieAttributes(t *testing.T) {
	e := newEnv(t)
	r := e.do(e.c, http.MethodGet, e.app.URL+"/auth/plex/login", nil)
	ck := findSetCookie(t, r.hdr, "plex_signin")
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/auth/plex" || ck.MaxAge <= 0 || ck.Secure {
		t.Fatalf("state cookie attributes: %+v", ck)
	}
	code, forward := codeFromLocation(t, r.loc)
	e.approve(code, plextest.DefaultLogin)
	r = e.do(e.c, http.MethodGet, forward, nil)
	ck = findSetCookie(t, r.hdr, "plex_session")
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.MaxAge <= 0 {
		t.Fatalf("session cookie attributes: %+v", ck)
	}
	if cl := findSetCookie(t, r.hdr, "plex_signin"); cl.MaxAge >= 0 {
		t.Fatalf("state cookie not cleared: %+v", cl)
	}

	// Secure when configured (or over TLS).
	s := newEnv(t, WithSecureCookies(true))
	r = s.do(s.c, http.MethodGet, s.app.URL+"/auth/plex/login", nil)
	if ck := findSetCookie(t, r.hdr, "plex_signin"); !ck.Secure {
		t.Fatal("state cookie not Secure with WithSecureCookies(true)")
	}
}

func findSetCookie(t *testing.T, h http.Header, name string) *http.Cookie {
	t.Helper()
	for _, line := range h.Values("Set-Cookie") {
		ck, err := http.ParseSetCookie(line)
		if err == nil && ck.Name == name {
			return ck
		}
	}
	t.Fatalf("no Set-Cookie %s in %q", name, h.Values("Set-Cookie"))
	return nil
}

func codeFromLocation(t *testing.T, loc string) (string, string) {
	t.Helper()
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	q, err := url.ParseQuery(strings.TrimPrefix(u.Fragment, "?"))
	if err != nil {
		t.Fatal(err)
	}
	return q.Get("code"), q.Get("forwardUrl")
}

// Login CSRF: the callback takes the PIN id only from the browser's own
// state cookie. A PIN an attacker approved, named in the URL, is ignored;
// the victim without a state cookie gets no session.
func TestCallbackIgnoresPINInURL(t *testing.T) {
	e := newEnv(t)
	attacker := newBrowser(t)
	code, forward := e.login(attacker, "")
	e.approve(code, plextest.TwoFactorLogin)
	// The attacker's own PIN id: the first (and only) PIN made so far.
	victim := newBrowser(t)
	for _, q := range []string{"", "?pin=1", "?id=1&code=" + url.QueryEscape(code), "?pinID=1"} {
		r := e.do(victim, http.MethodGet, forward+q, nil)
		if r.code != http.StatusBadRequest || !strings.Contains(r.body, "Start again") {
			t.Fatalf("victim callback %q: %d %q", q, r.code, r.body)
		}
		if sessionCookie(victim, e.app.URL, "plex_session") != "" {
			t.Fatal("victim got a session")
		}
	}
	// The attacker's state cookie in the victim's browser is the only way,
	// and the attacker cannot set it cross-site (HttpOnly, host-only).
}

func TestCallbackUnapprovedAndExpired(t *testing.T) {
	e := newEnv(t)
	_, forward := e.login(e.c, "?return_to=/x")
	before := e.plexTVRequests()
	r := e.do(e.c, http.MethodGet, forward, nil)
	if r.code != http.StatusUnauthorized || !strings.Contains(r.body, "not approved") || !strings.Contains(r.body, `href="/auth/plex/login?return_to=%2Fx"`) {
		t.Fatalf("unapproved callback: %d %q", r.code, r.body)
	}
	// A bounded re-check: callbackChecks polls, no more.
	if n := e.plexTVRequests() - before; n != 3 {
		t.Fatalf("%d plex.tv requests for an unapproved PIN, want 3", n)
	}
	if sessionCookie(e.c, e.app.URL, "plex_session") != "" {
		t.Fatal("session set")
	}

	code, forward := e.login(e.c, "")
	e.clock.Advance(DefaultStateTTL + 1)
	e.approve2(code)
	r = e.do(e.c, http.MethodGet, forward, nil)
	if r.code != http.StatusBadRequest || !strings.Contains(r.body, "took too long") {
		t.Fatalf("expired state: %d %q", r.code, r.body)
	}

	// The PIN expires on plex.tv while the state is still valid.
	e.login(e.c, "")
	st := e.stateOf(e.c)
	if err := e.fake.ExpirePIN(st.PIN); err != nil {
		t.Fatal(err)
	}
	r = e.do(e.c, http.MethodGet, e.app.URL+"/auth/plex/callback", nil)
	if r.code != http.StatusUnauthorized || !strings.Contains(r.body, "expired") {
		t.Fatalf("expired PIN: %d %q", r.code, r.body)
	}
}

// approve2 approves a PIN if plex.tv still knows it (it may have expired).
func (e *env) approve2(code string) {
	a, _ := e.fake.Account(plextest.DefaultLogin)
	_ = e.fake.ApprovePIN(code, a.AuthToken)
}

// stateOf opens the browser's state cookie (tests only).
func (e *env) stateOf(c *http.Client) state {
	e.t.Helper()
	u, _ := url.Parse(e.app.URL + "/auth/plex/callback")
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "plex_signin" {
			var st state
			if err := e.h.openJSON(purposeState, ck.Value, &st); err != nil {
				e.t.Fatal(err)
			}
			return st
		}
	}
	e.t.Fatal("no state cookie")
	return state{}
}

func TestCallbackLagRecheck(t *testing.T) {
	e := newEnv(t)
	code, forward := e.login(e.c, "")
	e.approve(code, plextest.DefaultLogin)
	// plex.tv lags: the first poll fails, the re-check succeeds.
	e.fake.InjectFault(pinRoute(e.stateOf(e.c).PIN), plextest.Fault{Statuses: []int{503, 503}})
	before := e.plexTVRequests()
	r := e.do(e.c, http.MethodGet, forward, nil)
	if r.code != http.StatusSeeOther {
		t.Fatalf("callback after a lag: %d %q", r.code, r.body)
	}
	// Two failed checks, the third approved, then the account.
	if n := e.plexTVRequests() - before; n != 4 {
		t.Fatalf("%d plex.tv requests, want 4", n)
	}
}

func pinRoute(id int64) string { return "GET /api/v2/pins/" + strconv.FormatInt(id, 10) }

func TestPlexDownDuringCallback(t *testing.T) {
	for _, route := range []string{"pin", "GET /api/v2/user"} {
		t.Run(route, func(t *testing.T) {
			e := newEnv(t)
			code, forward := e.login(e.c, "")
			e.approve(code, plextest.DefaultLogin)
			if route == "pin" {
				route = pinRoute(e.stateOf(e.c).PIN)
			}
			e.fake.InjectFault(route, plextest.Fault{Statuses: []int{503, 503, 503, 503, 503, 503}})
			r := e.do(e.c, http.MethodGet, forward, nil)
			if r.code != http.StatusBadGateway || !strings.Contains(r.body, "not reachable") {
				t.Fatalf("plex.tv down: %d %q", r.code, r.body)
			}
			if sessionCookie(e.c, e.app.URL, "plex_session") != "" {
				t.Fatal("session set while plex.tv was down")
			}
			// Nothing half-written: once plex.tv is back, the same callback works.
			e.fake.ClearFaults()
			e.clock.Advance(2 * MinCheckInterval)
			if r := e.do(e.c, http.MethodGet, forward, nil); r.code != http.StatusSeeOther {
				t.Fatalf("retry after plex.tv came back: %d %q", r.code, r.body)
			}
		})
	}
}

func TestReplayedStateCookie(t *testing.T) {
	e := newEnv(t)
	code, forward := e.login(e.c, "")
	e.approve(code, plextest.DefaultLogin)
	u, _ := url.Parse(e.app.URL + "/auth/plex/")
	var stateVal string
	for _, ck := range e.c.Jar.Cookies(u) {
		if ck.Name == "plex_signin" {
			stateVal = ck.Value
		}
	}
	if r := e.do(e.c, http.MethodGet, forward, nil); r.code != http.StatusSeeOther {
		t.Fatalf("first callback: %d", r.code)
	}
	// Another browser replays the captured state cookie.
	other := newBrowser(t)
	r := e.do(other, http.MethodGet, forward, map[string]string{"Cookie": "plex_signin=" + stateVal})
	if r.code != http.StatusBadRequest || !strings.Contains(r.body, "already") {
		t.Fatalf("replay: %d %q", r.code, r.body)
	}
	if strings.Contains(strings.Join(r.hdr.Values("Set-Cookie"), ";"), "plex_session=") && !strings.Contains(strings.Join(r.hdr.Values("Set-Cookie"), ";"), "plex_session=;") {
		t.Fatal("replay set a session")
	}
	// The same browser going back to the callback is sent on, with no new session.
	r = e.do(e.c, http.MethodGet, forward, map[string]string{"Cookie": "plex_signin=" + stateVal + "; plex_session=" + sessionCookie(e.c, e.app.URL, "plex_session")})
	if r.code != http.StatusSeeOther || len(r.hdr.Values("Set-Cookie")) != 0 {
		t.Fatalf("back button: %d %q", r.code, r.hdr.Values("Set-Cookie"))
	}
}

func TestBadStateCookies(t *testing.T) {
	e := newEnv(t)
	e.login(e.c, "")
	u, _ := url.Parse(e.app.URL + "/auth/plex/")
	var good string
	for _, ck := range e.c.Jar.Cookies(u) {
		if ck.Name == "plex_signin" {
			good = ck.Value
		}
	}
	other, err := New(testSDK(e.fake), testClientID, WithKeys(newKey(t)))
	if err != nil {
		t.Fatal(err)
	}
	wrongKey, err := other.sealJSON(purposeState, state{PIN: 1, Nonce: "n", Expires: e.clock.Now().Add(DefaultStateTTL).Unix(), ReturnTo: "/"})
	if err != nil {
		t.Fatal(err)
	}
	asSession, _ := e.h.sealJSON(purposeSession, state{PIN: 1, Nonce: "n", Expires: e.clock.Now().Add(DefaultStateTTL).Unix()})
	tampered := []byte(good)
	tampered[len(tampered)/2] ^= 1
	if tampered[len(tampered)/2] == '-'+1 || tampered[len(tampered)/2] == '_'+1 {
		tampered[len(tampered)/2] = 'A'
	}
	cases := map[string]string{
		"tampered":      string(tampered),
		"truncated":     good[:len(good)-3],
		"oversized":     strings.Repeat("A", 5000),
		"not base64":    "%%%***",
		"empty payload": "AQ",
		"wrong key":     wrongKey,
		"other purpose": asSession,
	}
	for name, val := range cases {
		t.Run(name, func(t *testing.T) {
			c := newBrowser(t)
			r := e.do(c, http.MethodGet, e.app.URL+"/auth/plex/callback", map[string]string{"Cookie": "plex_signin=" + val})
			if r.code != http.StatusBadRequest {
				t.Fatalf("status %d, body %q", r.code, r.body)
			}
			if strings.Contains(strings.Join(r.hdr.Values("Set-Cookie"), ";"), "plex_session=") {
				t.Fatal("a session cookie was set")
			}
			s := e.do(c, http.MethodGet, e.app.URL+"/auth/plex/status", map[string]string{"Cookie": "plex_signin=" + val})
			var body statusBody
			if err := json.Unmarshal([]byte(s.body), &body); err != nil || body.Status != StatusExpired {
				t.Fatalf("status endpoint: %d %q", s.code, s.body)
			}
		})
	}
}

func TestReturnTo(t *testing.T) {
	good := []string{"/", "/a", "/a/b?c=d#e", "/a%2Fb", "/a//b"}
	bad := []string{"", "a", "http://evil.example/", "https:evil.example", "//evil.example", "///evil.example",
		"/\\evil.example", "\\\\evil.example", "/a\\b", "javascript:alert(1)", "/a\nb", "/a\rb", "/a\x00", "/\t/evil",
		"/a\x7f", "/%2F/evil.example", "/%2Fevil.example", "/%5Cevil.example", strings.Repeat("/a", 2000), "data:text/html,x", " /a"}
	for _, p := range good {
		if got := safeReturnTo(p); got != p {
			t.Errorf("safeReturnTo(%q) = %q, want it kept", p, got)
		}
	}
	for _, p := range bad {
		if got := safeReturnTo(p); got != "/" {
			t.Errorf("safeReturnTo(%q) = %q, want /", p, got)
		}
	}
	// End to end: a bad return_to lands on "/".
	e := newEnv(t)
	r := e.signIn(e.c, plextest.DefaultLogin, "//evil.example/x")
	if r.code != http.StatusSeeOther || r.loc != "/" {
		t.Fatalf("callback with //host return_to: %d %q", r.code, r.loc)
	}
}

func TestForwardURLHTTPOnly(t *testing.T) {
	for _, bad := range []string{"ftp://app.example", "javascript:alert(1)", "app.example", "https://"} {
		if _, err := New(testSDK(plextest.NewServer(t)), testClientID, WithKeys(newKey(t)), WithPublicURL(bad)); err == nil {
			t.Errorf("WithPublicURL(%q) accepted", bad)
		}
	}
	e := newEnv(t, WithPublicURL("https://app.example/base/"))
	_, forward := e.login(e.c, "")
	if forward != "https://app.example/base/auth/plex/callback" {
		t.Fatalf("forwardUrl %q", forward)
	}
	// A Host header that is not a host is refused, never forwarded to.
	e2 := newEnv(t)
	req, _ := http.NewRequest(http.MethodGet, e2.app.URL+"/auth/plex/login", nil)
	req.Host = "evil.example/x?"
	res, err := e2.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad Host: status %d", res.StatusCode)
	}
}

func TestMethodsAndRoutes(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		method, path string
		code         int
	}{
		{http.MethodGet, "/auth/plex/logout", http.StatusMethodNotAllowed},
		{http.MethodPost, "/auth/plex/login", http.StatusMethodNotAllowed},
		{http.MethodPost, "/auth/plex/callback", http.StatusMethodNotAllowed},
		{http.MethodGet, "/auth/plex/nope", http.StatusNotFound},
	} {
		if r := e.do(e.c, c.method, e.app.URL+c.path, nil); r.code != c.code {
			t.Errorf("%s %s: %d, want %d", c.method, c.path, r.code, c.code)
		}
	}
}

func TestPendingSignInsBounded(t *testing.T) {
	e := newEnv(t)
	exp := e.clock.Now().Add(DefaultStateTTL)
	e.h.pins.mu.Lock()
	for i := range maxPending {
		e.h.pins.m[int64(-1-i)] = &pinEntry{expires: exp}
	}
	e.h.pins.mu.Unlock()
	if r := e.get("/auth/plex/login"); r.code != http.StatusServiceUnavailable {
		t.Fatalf("login with the tracker full: %d", r.code)
	}
	// Once they expire, they are dropped and sign-ins start again.
	e.clock.Advance(DefaultStateTTL + 2*time.Minute)
	if r := e.get("/auth/plex/login"); r.code != http.StatusSeeOther {
		t.Fatalf("login after expiry: %d %q", r.code, r.body)
	}
}
