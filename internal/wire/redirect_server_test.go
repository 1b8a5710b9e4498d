package wire

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/plexkit/plexgo/models/sdkerrors"
)

// Hostile servers on loopback: plex.tv's stand-in answers a sign-in (form
// body with password and code) and a token call with 307 to another
// origin. With the guarded client nothing reaches the other origin; with
// an unguarded one (an HTTPClient plexgo cannot see into) the answer from
// the other origin is refused (issue 10 points 1 and 2).
func TestRedirectHostileServers(t *testing.T) {
	t.Parallel()
	const password, tok = "hostile-password-1", "hostile-token-1"
	var got, leaked atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Add(1)
		_ = r.ParseForm()
		if r.Header.Get("X-Plex-Token") == tok || r.PostForm.Get("password") == password {
			leaked.Add(1)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(other.Close)
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", other.URL+r.URL.Path)
		w.WriteHeader(http.StatusTemporaryRedirect)
	}))
	t.Cleanup(origin.Close)
	calls := map[string]func() *Call{
		"sign-in body": func() *Call {
			return &Call{Op: "signin", Method: http.MethodPost, Host: PlexTV, Path: "api/v2/users/signin",
				Form: url.Values{"login": {"a"}, "password": {password}}}
		},
		"token": func() *Call {
			return &Call{Op: "user", Method: http.MethodGet, Host: PlexTV, Path: "api/v2/user", Auth: WithToken}
		},
	}
	for _, guarded := range []bool{true, false} {
		for name, mk := range calls {
			got.Store(0)
			leaked.Store(0)
			c := stubClient(nil)
			c.PlexTVURL = origin.URL
			c.Security = func(context.Context) (string, error) { return tok, nil }
			c.HTTP = &http.Client{}
			if guarded {
				c.HTTP = GuardRedirects(c.HTTP)
			}
			var out map[string]any
			call := mk()
			call.Out = &out
			_, err := c.Do(t.Context(), call, nil)
			var re *sdkerrors.RedirectError
			if !errors.Is(err, sdkerrors.ErrRedirectRefused) || !errors.As(err, &re) || re.To != other.URL {
				t.Errorf("%s (guarded %v): got %v, want ErrRedirectRefused to %s", name, guarded, err, other.URL)
			}
			if err != nil && (strings.Contains(err.Error(), password) || strings.Contains(err.Error(), tok)) {
				t.Errorf("%s (guarded %v): the error holds a secret", name, guarded)
			}
			if guarded && got.Load() != 0 {
				t.Errorf("%s: the other origin got %d requests (%d with the secret)", name, got.Load(), leaked.Load())
			}
		}
	}
}
