package weblogin

import (
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/internal/testutil"
	"github.com/plexkit/plexgo/plextest"
	"github.com/plexkit/plexgo/retry"
)

const testClientID = "weblogin-test-app"

// env is one test's world: the fake, an app with the handler mounted,
// a browser-like client, and a clock shared by the fake and the handler.
type env struct {
	t     *testing.T
	fake  *plextest.Server
	clock *plextest.FakeClock
	h     *Handler
	app   *httptest.Server
	c     *http.Client
	key   []byte
	logs  *testutil.SyncBuffer
}

func newKey(t testing.TB) []byte {
	t.Helper()
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	return k
}

func testSDK(fake *plextest.Server) *plexgo.PlexAPI {
	return plexgo.New(
		plexgo.WithPlexTVURL(fake.PlexTVURL),
		plexgo.WithServerURL(fake.PMSURL),
		plexgo.WithXPlexClientIdentifier(testClientID),
		plexgo.WithProduct("weblogin test"),
		plexgo.WithRetryConfig(retry.None()), // the handler re-checks; keep request counts exact
	)
}

// newEnv starts a fake and an app. The app serves the handler under the
// default prefix, "/private" behind RequireSignIn, and "/" behind Sessions.
func newEnv(t *testing.T, opts ...Option) *env {
	t.Helper()
	clock := plextest.NewFakeClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	fake := plextest.NewServer(t, plextest.WithClock(clock))
	e := &env{t: t, fake: fake, clock: clock, key: newKey(t), logs: &testutil.SyncBuffer{}}
	base := []Option{
		WithKeys(e.key), WithProduct("weblogin test"), WithAuthAppURL(fake.PlexTVURL + "/auth"),
		WithClock(clock.Now), WithSleep(func(ctx context.Context, d time.Duration) error { clock.Advance(d); return ctx.Err() }),
		WithLogger(slogTo(e.logs)),
	}
	h, err := New(testSDK(fake), testClientID, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	e.h = h
	e.app = httptest.NewServer(appMux(h))
	t.Cleanup(e.app.Close)
	e.c = newBrowser(t)
	return e
}

func appMux(h *Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle(h.Prefix()+"/", h)
	mux.Handle("/private", h.RequireSignIn(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, ok := Account(r.Context())
		if !ok {
			http.Error(w, "no account in context", 500)
			return
		}
		_, _ = io.WriteString(w, "hello "+u.Username+" "+strings.Join(rolesStrings(u.Roles), ","))
	})))
	mux.Handle("/", h.Sessions(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, ok := Account(r.Context()); ok {
			_, _ = io.WriteString(w, "home of "+u.Username)
			return
		}
		_, _ = io.WriteString(w, "home, signed out")
	})))
	return mux
}

func rolesStrings(rs []Role) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}

// newBrowser is a client with a cookie jar that does not follow redirects.
func newBrowser(t testing.TB) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

type resp struct {
	code int
	loc  string
	body string
	hdr  http.Header
}

func (e *env) do(c *http.Client, method, rawURL string, hdr map[string]string) resp {
	e.t.Helper()
	req, err := http.NewRequest(method, rawURL, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{code: res.StatusCode, loc: res.Header.Get("Location"), body: string(b), hdr: res.Header}
}

func (e *env) get(path string) resp { return e.do(e.c, http.MethodGet, e.app.URL+path, nil) }

// login starts a sign-in and returns the PIN code and the forward URL
// read from the auth app redirect.
func (e *env) login(c *http.Client, query string) (code, forward string) {
	e.t.Helper()
	r := e.do(c, http.MethodGet, e.app.URL+"/auth/plex/login"+query, nil)
	if r.code != http.StatusSeeOther {
		e.t.Fatalf("login: status %d, body %q", r.code, r.body)
	}
	u, err := url.Parse(r.loc)
	if err != nil {
		e.t.Fatal(err)
	}
	if got := u.Scheme + "://" + u.Host + u.Path; got != e.fake.PlexTVURL+"/auth" {
		e.t.Fatalf("login redirects to %s, want the auth app", got)
	}
	frag, err := url.ParseQuery(strings.TrimPrefix(u.Fragment, "?"))
	if err != nil {
		e.t.Fatal(err)
	}
	if frag.Get("clientID") != testClientID {
		e.t.Fatalf("auth app clientID %q, want the app's %q", frag.Get("clientID"), testClientID)
	}
	if frag.Get("context[device][product]") != "weblogin test" {
		e.t.Fatalf("product %q", frag.Get("context[device][product]"))
	}
	return frag.Get("code"), frag.Get("forwardUrl")
}

func (e *env) approve(code, login string) {
	e.t.Helper()
	a, ok := e.fake.Account(login)
	if !ok {
		e.t.Fatalf("no account %s", login)
	}
	if err := e.fake.ApprovePIN(code, a.AuthToken); err != nil {
		e.t.Fatal(err)
	}
}

// signIn runs the whole same-tab flow for login and returns the callback
// response.
func (e *env) signIn(c *http.Client, login, returnTo string) resp {
	e.t.Helper()
	code, forward := e.login(c, "?return_to="+url.QueryEscape(returnTo))
	e.approve(code, login)
	return e.do(c, http.MethodGet, forward, nil)
}

func (e *env) plexTVRequests() int {
	n := 0
	for _, r := range e.fake.Requests() {
		if r.Service == "plextv" {
			n++
		}
	}
	return n
}

func sessionCookie(c *http.Client, appURL, name string) string {
	u, _ := url.Parse(appURL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}
