package plexgo_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/internal/testutil"
	"github.com/plexkit/plexgo/models/sdkerrors"
	"github.com/plexkit/plexgo/plextest"
	"github.com/plexkit/plexgo/retry"
)

// recorder is a hostile "other origin": it counts the requests it gets and
// whether any carried a credential (never printed).
type recorder struct {
	*httptest.Server
	requests, credentials atomic.Int32
}

func newRecorder(t *testing.T, secrets ...string) *recorder {
	t.Helper()
	rec := &recorder{}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.requests.Add(1)
		_ = r.ParseForm()
		all := r.Header.Get("X-Plex-Token") + " " + r.Form.Encode()
		for _, s := range secrets {
			if s != "" && strings.Contains(all, s) {
				rec.credentials.Add(1)
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":1,"authToken":"stolen-session"}`))
	}))
	t.Cleanup(rec.Close)
	return rec
}

// redirector answers every request with a redirect of the given status to
// to (an absolute URL, or a path on this server).
func redirector(t *testing.T, status int, to func(r *http.Request) string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", to(r))
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// A 307/308 answer to sign-in must not replay the form (password, 2FA
// code) to another origin, a port of the same host included.
func TestRedirectSignInBodyStaysOnOrigin(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect, http.StatusFound} {
		const code = "424242"
		other := newRecorder(t, plextest.DefaultPassword, code)
		origin := redirector(t, status, func(r *http.Request) string { return other.URL + r.URL.Path })
		s := plexgo.New(plexgo.WithPlexTVURL(origin.URL), plexgo.WithXPlexClientIdentifier(testClientID))
		body := signInBody()
		body.VerificationCode = plexgo.String(code)
		_, err := s.Authentication.PostUsersSignInData(ctx(t), nil, body)
		if !errors.Is(err, sdkerrors.ErrRedirectRefused) || errors.Is(err, sdkerrors.ErrUnexpectedContent) {
			t.Errorf("%d: got %v, want ErrRedirectRefused", status, err)
		}
		var re *sdkerrors.RedirectError
		if !errors.As(err, &re) || re.From != origin.URL || re.To != other.URL || re.StatusCode != status {
			t.Errorf("%d: redirect error %+v", status, re)
		}
		if other.requests.Load() != 0 || other.credentials.Load() != 0 {
			t.Errorf("%d: the other origin got %d requests (%d with credentials)", status, other.requests.Load(), other.credentials.Load())
		}
		if err != nil {
			testutil.NoSecret(t, "error", err.Error(), plextest.DefaultPassword, code)
		}
	}
}

// A token goes neither to another origin nor from https to http, also
// with a caller's own *http.Client, whose CheckRedirect still runs.
func TestRedirectTokenStaysOnOrigin(t *testing.T) {
	t.Parallel()
	const tok = "redirect-guard-token"
	plain := newRecorder(t, tok)
	secure := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v2/ping":
			http.Redirect(w, r, "/api/v2/moved", http.StatusMovedPermanently)
		default:
			http.Redirect(w, r, plain.URL+"/api/v2/ping", http.StatusFound)
		}
	}))
	t.Cleanup(secure.Close)
	var own atomic.Int32
	hc := secure.Client() // no CheckRedirect of its own yet: the policy must still apply
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { own.Add(1); return nil }
	s := plexgo.New(plexgo.WithPlexTVURL(secure.URL), plexgo.WithSecurity(tok), plexgo.WithClient(hc),
		plexgo.WithRetryConfig(retry.None()))
	_, err := s.Authentication.Ping(ctx(t))
	var re *sdkerrors.RedirectError
	if !errors.Is(err, sdkerrors.ErrRedirectRefused) || !errors.As(err, &re) || !strings.Contains(re.Reason, "plain http") {
		t.Fatalf("got %v, want ErrRedirectRefused (plain http)", err)
	}
	if plain.requests.Load() != 0 {
		t.Errorf("the http origin got %d requests", plain.requests.Load())
	}
	if own.Load() != 1 {
		t.Errorf("the client's own CheckRedirect ran %d times, want 1 (the same-origin hop)", own.Load())
	}
	if hc.CheckRedirect == nil || own.Load() != 1 {
		t.Error("the caller's client was changed")
	}
}

// Requests without token or body may follow a redirect anywhere.
func TestRedirectWithoutCredentialsFollowed(t *testing.T) {
	t.Parallel()
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"nonce":"n-1"}`))
	}))
	t.Cleanup(target.Close)
	origin := redirector(t, http.StatusFound, func(r *http.Request) string { return target.URL + r.URL.Path })
	s := plexgo.New(plexgo.WithPlexTVURL(origin.URL))
	res, err := s.Authentication.GetNonce(ctx(t))
	if err != nil || res.Nonce != "n-1" {
		t.Fatalf("GetNonce through a redirect: %v", err)
	}
}

// A redirect loop ends with ErrTooManyRedirects, not ErrUnexpectedContent.
func TestRedirectLoop(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, r.URL.Path, http.StatusFound)
	}))
	t.Cleanup(origin.Close)
	s := plexgo.New(plexgo.WithPlexTVURL(origin.URL), plexgo.WithSecurity("loop-token"), plexgo.WithRetryConfig(fastRetry()))
	_, err := s.Authentication.Ping(ctx(t))
	if !errors.Is(err, sdkerrors.ErrTooManyRedirects) || errors.Is(err, sdkerrors.ErrUnexpectedContent) ||
		errors.Is(err, sdkerrors.ErrRedirectRefused) || !strings.Contains(err.Error(), "loop") {
		t.Fatalf("got %v, want ErrTooManyRedirects (loop)", err)
	}
	if n := hits.Load(); n != sdkerrors.MaxRedirects {
		t.Errorf("%d requests, want %d (one chain, not retried)", n, sdkerrors.MaxRedirects)
	}
}

// followAll is an HTTPClient that is not an *http.Client and follows every
// redirect: plexgo cannot stop it, but refuses the foreign answer.
type followAll struct{ c *http.Client }

func (f followAll) Do(r *http.Request) (*http.Response, error) { return f.c.Do(r) }

func TestRedirectOtherHTTPClientAnswerRefused(t *testing.T) {
	t.Parallel()
	other := newRecorder(t)
	origin := redirector(t, http.StatusFound, func(r *http.Request) string { return other.URL + r.URL.Path })
	s := plexgo.New(plexgo.WithPlexTVURL(origin.URL), plexgo.WithSecurity("followed-token"),
		plexgo.WithClient(followAll{&http.Client{}}))
	res, err := s.Plex.GetPin(ctx(t), 1)
	if err != nil || res.Pin.ID != 1 {
		t.Fatalf("a redirect without credentials: %v", err)
	}
	_, err = s.Authentication.GetTokenDetails(ctx(t))
	if !errors.Is(err, sdkerrors.ErrRedirectRefused) {
		t.Fatalf("got %v, want ErrRedirectRefused", err)
	}
}
