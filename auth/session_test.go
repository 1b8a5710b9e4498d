package auth_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/models/components"
	"github.com/plexkit/plexgo/plextest"
)

const sessionClientID = "session-client"

// sessionEnv is a fake plex.tv, a client for it, a store and a password
// Login that counts its calls.
type sessionEnv struct {
	fake   *plextest.Server
	clock  *plextest.FakeClock
	sdk    *plexgo.PlexAPI
	store  auth.TokenStore
	logins atomic.Int32
}

func newSessionEnv(t *testing.T) *sessionEnv {
	t.Helper()
	clock := plextest.NewFakeClock(jwtEpoch)
	fake := plextest.NewServer(t, plextest.WithClock(clock))
	return &sessionEnv{fake: fake, clock: clock, sdk: flowSDK(fake, sessionClientID), store: auth.NewFileStore(t.TempDir(), auth.FileStoreOptions{})}
}

func (e *sessionEnv) login(ctx context.Context) (*auth.LoginResult, error) {
	e.logins.Add(1)
	return auth.LoginWithPassword(ctx, e.sdk, auth.PasswordOptions{Login: plextest.DefaultLogin, Password: plextest.DefaultPassword})
}

func (e *sessionEnv) session(opts auth.SessionOptions) *auth.Session {
	if opts.Login == nil {
		opts.Login = e.login
	}
	if opts.Now == nil {
		opts.Now = e.clock.Now
	}
	return auth.NewSession(e.sdk, e.store, "bot", opts)
}

func (e *sessionEnv) validations() int { return e.fake.CountRequests(http.MethodGet, "/api/v2/user") }

func TestSessionLogsInWhenEmptyAndSaves(t *testing.T) {
	t.Parallel()
	e := newSessionEnv(t)
	s := e.session(auth.SessionOptions{})
	ctx := flowCtx(t)
	tok, err := s.Token(ctx)
	if err != nil || tok == "" {
		t.Fatalf("Token: %v", err)
	}
	if n := e.logins.Load(); n != 1 {
		t.Errorf("%d logins, want 1", n)
	}
	c, err := e.store.Load(ctx, "bot")
	if err != nil {
		t.Fatalf("the login was not saved: %v", err)
	}
	if c.Token != tok || c.ClientIdentifier != sessionClientID || c.PlexTVURL != e.fake.PlexTVURL || c.Username != plextest.DefaultUsername {
		t.Errorf("saved %v, want the token with the SDK's client identifier and plex.tv URL", c)
	}
	// Reused, not validated again within ValidateEvery.
	before := e.validations()
	for range 3 {
		if again, err := s.Token(ctx); err != nil || again != tok {
			t.Fatalf("Token again: %v (same token: %v)", err, again == tok)
		}
	}
	if n := e.validations() - before; n != 0 {
		t.Errorf("%d validations of a fresh login, want 0", n)
	}
}

func TestSessionReusesAcrossInstances(t *testing.T) {
	t.Parallel()
	e := newSessionEnv(t)
	ctx := flowCtx(t)
	first, err := e.session(auth.SessionOptions{}).Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	before := e.validations()
	s2 := e.session(auth.SessionOptions{})
	tok, err := s2.Token(ctx)
	if err != nil || tok != first {
		t.Fatalf("second instance: %v (same token: %v)", err, tok == first)
	}
	if n := e.logins.Load(); n != 1 {
		t.Errorf("%d logins, want 1 (the second instance reuses the stored one)", n)
	}
	if n := e.validations() - before; n != 1 {
		t.Errorf("%d validations by the second instance, want 1 (when first used)", n)
	}
	// Validated again only once ValidateEvery has passed.
	if _, err := s2.Token(ctx); err != nil {
		t.Fatal(err)
	}
	if n := e.validations() - before; n != 1 {
		t.Errorf("%d validations, want still 1", n)
	}
	e.clock.Advance(auth.DefaultValidateEvery)
	if _, err := s2.Token(ctx); err != nil {
		t.Fatal(err)
	}
	if n := e.validations() - before; n != 2 {
		t.Errorf("%d validations after ValidateEvery, want 2", n)
	}
}

func TestSessionRejectRelogs(t *testing.T) {
	t.Parallel()
	e := newSessionEnv(t)
	s := e.session(auth.SessionOptions{})
	ctx := flowCtx(t)
	tok, err := s.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.Reject("not-the-current-token")
	if again, _ := s.Token(ctx); again != tok || e.logins.Load() != 1 {
		t.Fatal("rejecting another token changed the login")
	}
	// Many callers reject the token they saw a 401 with: one new login.
	for range 5 {
		s.Reject(tok)
	}
	next, err := s.Token(ctx)
	if err != nil {
		t.Fatalf("Token after Reject: %v", err)
	}
	if n := e.logins.Load(); n != 2 {
		t.Errorf("%d logins, want 2", n)
	}
	if next != tok { // plex.tv may hand the device its token again
		s.Reject(tok) // stale: ignored
		if again, _ := s.Token(ctx); again != next || e.logins.Load() != 2 {
			t.Error("a stale Reject caused another login")
		}
	}
	if c, _ := e.store.Load(ctx, "bot"); c.Token != next {
		t.Error("the new login was not saved")
	}
}

func TestSessionOneLoginForConcurrentCallers(t *testing.T) {
	t.Parallel()
	e := newSessionEnv(t)
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	s := e.session(auth.SessionOptions{Login: func(ctx context.Context) (*auth.LoginResult, error) {
		select {
		case entered <- struct{}{}:
		default:
		}
		<-release
		return e.login(ctx)
	}})
	ctx := flowCtx(t)
	const n = 20
	toks := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { toks[i], errs[i] = s.Token(ctx) })
	}
	<-entered
	close(release)
	wg.Wait()
	for i := range n {
		if errs[i] != nil || toks[i] == "" || toks[i] != toks[0] {
			t.Fatalf("caller %d: %v (same token: %v)", i, errs[i], toks[i] == toks[0])
		}
	}
	if got := e.logins.Load(); got != 1 {
		t.Errorf("%d logins for %d concurrent callers, want 1", got, n)
	}
	// A failed login is reported to every waiter, and the next call tries
	// again.
	failing := e.session(auth.SessionOptions{Login: func(context.Context) (*auth.LoginResult, error) {
		return nil, errors.New("the user closed the browser")
	}})
	_ = e.store.Delete(ctx, "bot")
	for range 2 {
		if _, err := failing.Token(ctx); err == nil {
			t.Error("a failed login gave a token")
		}
	}
}

func TestSessionKeepsTokenOnNetworkErrors(t *testing.T) {
	t.Parallel()
	e := newSessionEnv(t)
	ctx := flowCtx(t)
	tok, err := e.session(auth.SessionOptions{}).Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	invalid := make(chan error, 4)
	s := e.session(auth.SessionOptions{OnInvalid: func(profile string, err error) { invalid <- err }})
	// plex.tv down (5xx, then a reset connection): unknown is not invalid.
	e.fake.InjectFault("GET /api/v2/user", plextest.Fault{Statuses: []int{503, 503, 503, 503}})
	if got, err := s.Token(ctx); err != nil || got != tok {
		t.Fatalf("Token with plex.tv failing: %v (kept: %v)", err, got == tok)
	}
	e.fake.ClearFaults()
	e.fake.InjectFault("GET /api/v2/user", plextest.Fault{Reset: true, Times: 4})
	e.clock.Advance(auth.DefaultValidateEvery)
	if got, err := s.Token(ctx); err != nil || got != tok {
		t.Fatalf("Token with plex.tv unreachable: %v (kept: %v)", err, got == tok)
	}
	if n := e.logins.Load(); n != 1 {
		t.Errorf("%d logins, want 1: network errors must not log in again", n)
	}
	e.fake.ClearFaults()
	// plex.tv says 401 (revoked): OnInvalid, then a new login.
	e.fake.RevokeToken(tok)
	e.clock.Advance(auth.DefaultValidateEvery)
	next, err := s.Token(ctx)
	if err != nil || next == tok {
		t.Fatalf("Token after revocation: %v (same token: %v)", err, next == tok)
	}
	select {
	case err := <-invalid:
		if !errors.Is(err, auth.ErrTokenRejected) {
			t.Errorf("OnInvalid: %v, want ErrTokenRejected", err)
		}
		jwtNoSecret(t, "OnInvalid", err.Error(), tok)
	case <-time.After(10 * time.Second):
		t.Error("OnInvalid was not called")
	}
	if n := e.logins.Load(); n != 2 {
		t.Errorf("%d logins, want 2", n)
	}
}

// Security plugs into the SDK, also when the session's own client uses it.
func TestSessionSecuritySource(t *testing.T) {
	t.Parallel()
	e := newSessionEnv(t)
	var s *auth.Session
	client := e.sdk.With(plexgo.WithSecuritySource(func(ctx context.Context) (components.Security, error) { return s.Security(ctx) }))
	e.sdk = client // Login and validation go through the client that uses the session
	s = auth.NewSession(client, e.store, "bot", auth.SessionOptions{Login: e.login, Now: e.clock.Now})
	ctx := flowCtx(t)
	res, err := client.Authentication.GetTokenDetails(ctx)
	if err != nil {
		t.Fatalf("GetTokenDetails through the session: %v", err)
	}
	if res.UserPlexAccount == nil || res.UserPlexAccount.Username != plextest.DefaultUsername {
		t.Errorf("account = %v", res.UserPlexAccount)
	}
	if n := e.logins.Load(); n != 1 {
		t.Errorf("%d logins, want 1", n)
	}
}

func TestSessionKeepAlive(t *testing.T) {
	t.Parallel()
	e := newSessionEnv(t)
	invalid := make(chan error, 4)
	s := e.session(auth.SessionOptions{KeepAlive: 5 * time.Millisecond, OnInvalid: func(_ string, err error) { invalid <- err }})
	defer s.Close()
	ctx := flowCtx(t)
	tok, err := s.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for e.fake.CountRequests(http.MethodGet, "/api/v2/ping") == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if e.fake.CountRequests(http.MethodGet, "/api/v2/ping") == 0 {
		t.Fatal("no keep-alive ping")
	}
	e.fake.RevokeToken(tok)
	select {
	case err := <-invalid:
		if !errors.Is(err, auth.ErrTokenRejected) {
			t.Errorf("OnInvalid: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the revoked token was not reported")
	}
	next, err := s.Token(ctx)
	if err != nil || next == tok {
		t.Fatalf("Token after the keep-alive saw a revocation: %v (same: %v)", err, next == tok)
	}
	if err := s.Close(); err != nil {
		t.Error(err)
	}
	_ = s.Close() // twice is fine
}

// A JWT profile refreshes through its JWT source, without logging in.
func TestSessionJWTProfile(t *testing.T) {
	e := jwtSetup(t)
	ctx := t.Context()
	tok, claims := e.exchange(t, nil)
	store := auth.NewMemoryStore()
	c := auth.NewJWTCredentials(tok, claims, e.key, jwtTestClientID)
	c.PlexTVURL = e.fake.PlexTVURL
	if err := store.Save(ctx, "jwt", c); err != nil {
		t.Fatal(err)
	}
	s := auth.NewSession(e.sdk, store, "jwt", auth.SessionOptions{
		Now: e.clock.Now,
		Login: func(context.Context) (*auth.LoginResult, error) {
			t.Error("Login called for a JWT profile that can refresh")
			return nil, errors.New("no")
		},
	})
	got, err := s.Token(ctx)
	if err != nil || got != tok {
		t.Fatalf("Token: %v (stored JWT: %v)", err, got == tok)
	}
	e.clock.Advance(claims.ExpiresAt.Sub(e.clock.Now()) + time.Hour)
	fresh, err := s.Token(ctx)
	if err != nil || fresh == tok || fresh == "" {
		t.Fatalf("Token after expiry: %v (new: %v)", err, fresh != tok)
	}
	if saved, _ := store.Load(ctx, "jwt"); saved.Token != fresh {
		t.Error("the refreshed JWT was not saved")
	}
	// Reject refreshes the JWT first.
	s.Reject(fresh)
	again, err := s.Token(ctx)
	if err != nil || again == fresh {
		t.Fatalf("Token after Reject: %v (new: %v)", err, again != fresh)
	}
}

func TestSessionBadConfig(t *testing.T) {
	e := newSessionEnv(t)
	for name, s := range map[string]*auth.Session{
		"nil sdk":     auth.NewSession(nil, e.store, "", auth.SessionOptions{Login: e.login}),
		"nil store":   auth.NewSession(e.sdk, nil, "", auth.SessionOptions{Login: e.login}),
		"no login":    auth.NewSession(e.sdk, e.store, "", auth.SessionOptions{}),
		"bad profile": auth.NewSession(e.sdk, e.store, "../x", auth.SessionOptions{Login: e.login}),
		"keepalive":   auth.NewSession(e.sdk, e.store, "", auth.SessionOptions{Login: e.login, KeepAlive: -1}),
	} {
		if _, err := s.Token(t.Context()); err == nil {
			t.Errorf("%s: Token succeeded", name)
		}
	}
	var nilSession *auth.Session
	if _, err := nilSession.Token(t.Context()); err == nil {
		t.Error("nil session: Token succeeded")
	}
	nilSession.Reject("x")
	_ = nilSession.Close()
}
