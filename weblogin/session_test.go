package weblogin

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/plexkit/plexgo/internal/testutil"
	"github.com/plexkit/plexgo/plextest"
)

// rehandle swaps the env's handler for one built with opts (same fake and
// clock), keeping the browser.
func (e *env) rehandle(opts ...Option) {
	e.t.Helper()
	h, err := New(testSDK(e.fake), testClientID, append([]Option{
		WithProduct("weblogin test"), WithAuthAppURL(e.fake.PlexTVURL + "/auth"),
		WithClock(e.clock.Now), WithSleep(e.h.cfg.sleep), WithLogger(slogTo(e.logs)),
	}, opts...)...)
	if err != nil {
		e.t.Fatal(err)
	}
	e.h = h
	e.app.Config.Handler = appMux(h)
}

func TestKeyRotation(t *testing.T) {
	e := newEnv(t)
	old := e.key
	e.signIn(e.c, plextest.DefaultLogin, "/")
	sealedOld := sessionCookie(e.c, e.app.URL, "plex_session")

	// New key first, old key kept: the old cookie still opens.
	next := newKey(t)
	e.rehandle(WithKeys(next, old))
	if r := e.get("/private"); r.code != 200 {
		t.Fatalf("old cookie after rotation: %d %q", r.code, r.body)
	}
	// New cookies are sealed with the new key.
	c2 := newBrowser(t)
	e.signIn(c2, plextest.DefaultLogin, "/")
	if _, err := (&sealer{keys: mustSealer(t, next).keys}).open(purposeSession, sessionCookie(c2, e.app.URL, "plex_session")); err != nil {
		t.Fatalf("new cookie not sealed with the new key: %v", err)
	}
	// Old key dropped: the old cookie no longer opens; the user signs in again.
	e.rehandle(WithKeys(next))
	r := e.do(e.c, http.MethodGet, e.app.URL+"/private", map[string]string{"Cookie": "plex_session=" + sealedOld})
	if r.code != http.StatusSeeOther || !strings.Contains(r.loc, "/auth/plex/login") {
		t.Fatalf("old cookie after the old key was dropped: %d %q", r.code, r.loc)
	}
	if ck := findSetCookie(t, r.hdr, "plex_session"); ck.MaxAge >= 0 {
		t.Fatal("the unreadable cookie was not cleared")
	}
}

func mustSealer(t *testing.T, keys ...[]byte) *sealer {
	t.Helper()
	s, err := newSealer(keys)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSealer(t *testing.T) {
	k := newKey(t)
	s := mustSealer(t, k)
	v, err := s.seal("p", []byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.open("p", v); err != nil || string(got) != "hello" {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := s.open("q", v); !errors.Is(err, errSealedAuth) {
		t.Fatalf("other purpose: %v", err)
	}
	if _, err := mustSealer(t, newKey(t)).open("p", v); !errors.Is(err, errSealedKey) {
		t.Fatalf("other key: %v", err)
	}
	if _, err := s.open("p", strings.Repeat("A", maxCookieBytes+1)); !errors.Is(err, errSealedTooLarge) {
		t.Fatalf("oversized: %v", err)
	}
	if _, err := s.seal("p", make([]byte, maxCookieBytes)); !errors.Is(err, errSealedTooLarge) {
		t.Fatalf("sealing too much: %v", err)
	}
	for _, bad := range []string{"", "A", "AQ", "AgAAAAAA", "!!!!", v[:len(v)-1]} {
		if _, err := s.open("p", bad); err == nil {
			t.Fatalf("opened %q", bad)
		}
	}
	for _, keys := range [][][]byte{nil, {make([]byte, 16)}, {k, make([]byte, 31)}} {
		if _, err := newSealer(keys); err == nil {
			t.Fatalf("newSealer accepted %d keys", len(keys))
		}
	}
	// Two seals of the same value differ (random nonce).
	v2, _ := s.seal("p", []byte("hello"))
	if v == v2 {
		t.Fatal("nonce reused")
	}
}

func TestBadSessionCookies(t *testing.T) {
	e := newEnv(t)
	e.signIn(e.c, plextest.DefaultLogin, "/")
	good := sessionCookie(e.c, e.app.URL, "plex_session")
	stateAsSession, _ := e.h.sealer.seal(purposeState, (&session{ID: 1, Expires: e.clock.Now().Unix() + 3600}).encode())
	noID, _ := e.h.sealSession(&session{Expires: e.clock.Now().Unix() + 3600})
	notJSON, _ := e.h.sealer.seal(purposeSession, []byte("{not json"))
	for name, val := range map[string]string{
		"tampered": good[:20] + flip(good[20]) + good[21:], "oversized": strings.Repeat("x", 6000),
		"garbage": "ñ", "state cookie": stateAsSession, "no id": noID, "not json": notJSON,
	} {
		t.Run(name, func(t *testing.T) {
			c := newBrowser(t)
			page := e.do(c, http.MethodGet, e.app.URL+"/private", map[string]string{"Cookie": "plex_session=" + val, "Accept": "text/html"})
			if page.code != http.StatusSeeOther {
				t.Fatalf("page: %d", page.code)
			}
			api := e.do(c, http.MethodGet, e.app.URL+"/private", map[string]string{"Cookie": "plex_session=" + val, "Accept": "application/json"})
			if api.code != http.StatusUnauthorized || !strings.Contains(api.body, `"not signed in"`) {
				t.Fatalf("api: %d %q", api.code, api.body)
			}
			home := e.do(c, http.MethodGet, e.app.URL+"/", map[string]string{"Cookie": "plex_session=" + val})
			if home.body != "home, signed out" {
				t.Fatalf("home: %q", home.body)
			}
		})
	}
}

func flip(b byte) string {
	if b == 'A' {
		return "B"
	}
	return "A"
}

func TestSessionExpiry(t *testing.T) {
	e := newEnv(t, WithSessionTTL(2*DefaultRevalidateEvery))
	e.signIn(e.c, plextest.DefaultLogin, "/")
	e.clock.Advance(2*DefaultRevalidateEvery - 1)
	if r := e.get("/private"); r.code != 200 {
		t.Fatalf("before expiry: %d", r.code)
	}
	e.clock.Advance(2)
	if r := e.get("/private"); r.code != http.StatusSeeOther {
		t.Fatalf("after expiry: %d", r.code)
	}
}

func TestRequireSignInAPIvsPage(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		method string
		hdr    map[string]string
		api    bool
	}{
		{"GET", map[string]string{"Accept": "text/html,application/xhtml+xml"}, false},
		{"GET", nil, false},
		{"GET", map[string]string{"Accept": "application/json"}, true},
		{"GET", map[string]string{"Sec-Fetch-Mode": "cors", "Accept": "*/*"}, true},
		{"GET", map[string]string{"X-Requested-With": "XMLHttpRequest"}, true},
		{"POST", map[string]string{"Accept": "text/html"}, true},
	} {
		r := e.do(e.c, c.method, e.app.URL+"/private?a=b", c.hdr)
		if c.api {
			if r.code != http.StatusUnauthorized || !strings.HasPrefix(r.hdr.Get("Content-Type"), "application/json") {
				t.Errorf("%s %v: %d %q", c.method, c.hdr, r.code, r.body)
			}
		} else if r.code != http.StatusSeeOther || r.loc != "/auth/plex/login?return_to=%2Fprivate%3Fa%3Db" {
			t.Errorf("%s %v: %d %q", c.method, c.hdr, r.code, r.loc)
		}
	}
}

func TestLogout(t *testing.T) {
	e := newEnv(t)
	e.signIn(e.c, plextest.DefaultLogin, "/")
	logout := e.app.URL + "/auth/plex/logout"
	for name, hdr := range map[string]map[string]string{
		"no origin":    nil,
		"null origin":  {"Origin": "null"},
		"other origin": {"Origin": "https://evil.example"},
		"other port":   {"Origin": "http://127.0.0.1:1"},
		"cross-site":   {"Origin": e.app.URL, "Sec-Fetch-Site": "cross-site"},
	} {
		if r := e.do(e.c, http.MethodPost, logout, hdr); r.code != http.StatusForbidden {
			t.Errorf("%s: %d", name, r.code)
		}
	}
	if r := e.do(e.c, http.MethodGet, logout, nil); r.code != http.StatusMethodNotAllowed || r.hdr.Get("Allow") != "POST" {
		t.Fatalf("GET logout: %d %q", r.code, r.hdr.Get("Allow"))
	}
	if r := e.get("/private"); r.code != 200 {
		t.Fatal("a refused logout signed the user out")
	}
	r := e.do(e.c, http.MethodPost, logout+"?return_to=/bye", map[string]string{"Origin": e.app.URL, "Sec-Fetch-Site": "same-origin"})
	if r.code != http.StatusSeeOther || r.loc != "/bye" {
		t.Fatalf("logout: %d %q", r.code, r.loc)
	}
	if r := e.get("/private"); r.code != http.StatusSeeOther {
		t.Fatal("still signed in after logout")
	}
}

func TestTokenNotKeptByDefault(t *testing.T) {
	var hookToken string
	var mu sync.Mutex
	e := newEnv(t, WithOnSignIn(func(_ context.Context, u User, token string) error {
		mu.Lock()
		hookToken = token
		mu.Unlock()
		return nil
	}))
	e.signIn(e.c, plextest.DefaultLogin, "/")
	tok, err := e.fake.IssueToken(plextest.DefaultLogin, testClientID)
	if err != nil {
		t.Fatal(err)
	}
	if hookToken == "" || hookToken != tok {
		t.Fatal("OnSignIn did not get the account's token for this app")
	}
	raw, err := e.h.sealer.open(purposeSession, sessionCookie(e.c, e.app.URL, "plex_session"))
	if err != nil {
		t.Fatal(err)
	}
	testutil.NoSecret(t, "session cookie", string(raw), tok)
	var s session
	if err := s.decode(raw); err != nil || s.Token != "" || s.Username != "alice" || s.UUID == "" {
		t.Fatalf("session payload: %v %+v", err, s.user())
	}
	testutil.NoSecret(t, "logs", e.logs.String(), tok)
}

func TestOnSignInError(t *testing.T) {
	e := newEnv(t, WithOnSignIn(func(context.Context, User, string) error { return errors.New("db down") }))
	r := e.signIn(e.c, plextest.DefaultLogin, "/")
	if r.code != http.StatusInternalServerError || sessionCookie(e.c, e.app.URL, "plex_session") != "" {
		t.Fatalf("hook error: %d, session %v", r.code, sessionCookie(e.c, e.app.URL, "plex_session") != "")
	}
}

func TestKeepTokenAndRevalidation(t *testing.T) {
	e := newEnv(t, WithKeepToken(), WithRevalidateEvery(DefaultRevalidateEvery))
	var ctxToken string
	var mu sync.Mutex
	e.app.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/token" {
			e.h.RequireSignIn(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				tok, _ := Token(r.Context())
				mu.Lock()
				ctxToken = tok
				mu.Unlock()
			})).ServeHTTP(w, r)
			return
		}
		appMux(e.h).ServeHTTP(w, r)
	})
	e.signIn(e.c, plextest.DefaultLogin, "/")
	tok, _ := e.fake.IssueToken(plextest.DefaultLogin, testClientID)
	e.get("/token")
	if ctxToken != tok {
		t.Fatal("Token(ctx) is not the account's token")
	}
	// Page views before the interval: no plex.tv request.
	e.fake.ResetRequests()
	for range 5 {
		e.clock.Advance(DefaultRevalidateEvery / 10)
		if r := e.get("/private"); r.code != 200 {
			t.Fatalf("page view: %d", r.code)
		}
	}
	if n := e.plexTVRequests(); n != 0 {
		t.Fatalf("%d plex.tv requests for page views", n)
	}
	// plex.tv down at re-validation: the session is kept.
	e.clock.Advance(DefaultRevalidateEvery)
	e.fake.InjectFault("GET /api/v2/user", plextest.Fault{Statuses: []int{503}})
	if r := e.get("/private"); r.code != 200 {
		t.Fatalf("re-validation with plex.tv down: %d", r.code)
	}
	// The token is revoked: the next re-validation ends the session.
	e.fake.RevokeToken(tok)
	e.clock.Advance(revalidateRetry)
	if r := e.get("/private"); r.code != http.StatusSeeOther {
		t.Fatalf("revoked token: %d %q", r.code, r.body)
	}
}

func TestRevalidationOwnerSide(t *testing.T) {
	e, server := newPolicyEnv(t, MembersOf)
	alice, _ := e.fake.Account(plextest.DefaultLogin)
	bob, _ := e.fake.Account(plextest.TwoFactorLogin)
	st := &stubOwner{owned: []string{server}, data: &ownerData{ownerID: alice.ID, users: map[int64]ownerUser{
		bob.ID: {servers: map[string]bool{server: false}},
	}}}
	e.withStubOwner(server, st)
	e.signIn(e.c, plextest.TwoFactorLogin, "/")
	e.clock.Advance(DefaultRevalidateEvery)
	if r := e.get("/private"); r.code != 200 {
		t.Fatalf("still shared: %d", r.code)
	}
	// The share is removed.
	st.mu.Lock()
	st.data = &ownerData{ownerID: alice.ID, users: map[int64]ownerUser{}}
	st.mu.Unlock()
	e.clock.Advance(DefaultRevalidateEvery)
	if r := e.get("/private"); r.code != http.StatusSeeOther {
		t.Fatalf("share removed: %d", r.code)
	}
}

func TestAccountWithoutMiddleware(t *testing.T) {
	if _, ok := Account(context.Background()); ok {
		t.Fatal("Account on a bare context")
	}
	if _, ok := Token(httptest.NewRequest("GET", "/", nil).Context()); ok {
		t.Fatal("Token on a bare context")
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	fake := plextest.NewServer(t)
	sdk := testSDK(fake)
	k := newKey(t)
	for name, c := range map[string]struct {
		clientID string
		opts     []Option
	}{
		"no keys":      {testClientID, nil},
		"short key":    {testClientID, []Option{WithKeys(k[:16])}},
		"no client id": {"", []Option{WithKeys(k)}},
		"bad prefix":   {testClientID, []Option{WithKeys(k), WithPrefix("/")}},
		"bad auth app": {testClientID, []Option{WithKeys(k), WithAuthAppURL("javascript:x")}},
		"zero ttl":     {testClientID, []Option{WithKeys(k), WithSessionTTL(0)}},
		"nil option":   {testClientID, []Option{WithKeys(k), nil}},
		"empty server": {testClientID, []Option{WithKeys(k), WithPolicy(MembersOf(""))}},
		"cookie names": {testClientID, []Option{WithKeys(k), WithCookieNames("a b", "c")}},
		"same names":   {testClientID, []Option{WithKeys(k), WithCookieNames("a", "a")}},
		"nil logger":   {testClientID, []Option{WithKeys(k), WithLogger(nil)}},
	} {
		if _, err := New(sdk, c.clientID, c.opts...); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := New(nil, testClientID, WithKeys(k)); err == nil {
		t.Error("nil SDK accepted")
	}
}

// Without the user's token or an owner view, re-validation cannot check
// membership: the session is kept until it expires (an Allow func alone
// must not end it as "not a member").
func TestRevalidationWithNothingToCheck(t *testing.T) {
	e, _ := newPolicyEnv(t, func(s ...string) Policy {
		return Policy{Servers: s, Allow: func(context.Context, User, []Membership) error { return nil }}
	})
	e.signIn(e.c, plextest.TwoFactorLogin, "/")
	e.fake.ResetRequests()
	e.clock.Advance(DefaultRevalidateEvery)
	if r := e.get("/private"); r.code != 200 {
		t.Fatalf("after the re-validation interval: %d", r.code)
	}
	if n := e.plexTVRequests(); n != 0 {
		t.Fatalf("%d plex.tv requests", n)
	}
}

// Concurrent requests of one due session (a page and its assets) share one
// re-validation.
func TestRevalidationSharedByConcurrentRequests(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	var lookups atomic.Int32
	e := newEnv(t, WithTokenLookup(func(ctx context.Context, u User) (string, error) {
		lookups.Add(1)
		once.Do(func() { close(entered) })
		<-release
		return "", nil
	}))
	e.signIn(e.c, plextest.DefaultLogin, "/")
	e.clock.Advance(DefaultRevalidateEvery)
	cookie := "plex_session=" + sessionCookie(e.c, e.app.URL, "plex_session")
	const n = 8
	codes := make(chan int, n)
	get := func() {
		r := e.do(newBrowser(t), http.MethodGet, e.app.URL+"/private", map[string]string{"Cookie": cookie})
		codes <- r.code
	}
	go get()
	<-entered
	for range n - 1 {
		go get()
	}
	for {
		e.h.revalMu.Lock()
		waiting := 0
		for _, c := range e.h.reval {
			waiting = c.waiters
		}
		e.h.revalMu.Unlock()
		if waiting == n-1 {
			break
		}
		runtime.Gosched()
	}
	close(release)
	for range n {
		if c := <-codes; c != 200 {
			t.Fatalf("request: %d", c)
		}
	}
	if got := lookups.Load(); got != 1 {
		t.Fatalf("%d re-validations for %d concurrent requests, want 1", got, n)
	}
}
