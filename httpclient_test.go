package plexgo_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/models/components"
)

const hcToken = "hc-SECRET-token-1234"

// hcHost is a server that records, per path, whether a request carried
// the token (never the token itself) and the client identifier.
type hcHost struct {
	*httptest.Server
	mu       sync.Mutex
	tokens   map[string]bool
	clientID map[string]string
}

func newHCHost(t *testing.T, handle func(w http.ResponseWriter, r *http.Request) bool) *hcHost {
	h := &hcHost{tokens: map[string]bool{}, clientID: map[string]string{}}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.tokens[r.URL.Path] = r.Header.Get("X-Plex-Token") != "" || strings.Contains(r.URL.RawQuery, hcToken)
		h.clientID[r.URL.Path] = r.Header.Get("X-Plex-Client-Identifier")
		h.mu.Unlock()
		if handle == nil || !handle(w, r) {
			_, _ = io.WriteString(w, "ok")
		}
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hcHost) saw(path string) (seen, token bool, clientID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	token, seen = h.tokens[path]
	return seen, token, h.clientID[path]
}

func hcGet(t *testing.T, c *http.Client, url string, hdr ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	_ = res.Body.Close()
	return res
}

func TestHTTPClientTokenOnlyToOwnOrigins(t *testing.T) {
	other := newHCHost(t, func(w http.ResponseWriter, r *http.Request) bool {
		return false
	})
	var plexURL string
	plex := newHCHost(t, func(w http.ResponseWriter, r *http.Request) bool {
		switch r.URL.Path {
		case "/to-other":
			http.Redirect(w, r, other.URL+"/landed", http.StatusFound)
		case "/same":
			http.Redirect(w, r, plexURL+"/same-landed", http.StatusFound)
		case "/to-other-307":
			http.Redirect(w, r, other.URL+"/posted", http.StatusTemporaryRedirect)
		default:
			return false
		}
		return true
	})
	plexURL = plex.URL
	// other bounces back to plex: the way back gets no token either.
	bouncer := newHCHost(t, func(w http.ResponseWriter, r *http.Request) bool {
		http.Redirect(w, r, plexURL+"/after-bounce", http.StatusFound)
		return true
	})
	pms := newHCHost(t, nil)
	sdk := plexgo.New(plexgo.WithPlexTVURL(plex.URL), plexgo.WithServerURL(pms.URL),
		plexgo.WithXPlexClientIdentifier("hc-client"), plexgo.WithProduct("hc-test"), plexgo.WithSecurity(hcToken))
	c := sdk.HTTPClient()

	hcGet(t, c, plex.URL+"/direct")
	hcGet(t, c, pms.URL+"/library/sections")
	hcGet(t, c, other.URL+"/absolute")
	hcGet(t, c, plex.URL+"/to-other")
	hcGet(t, c, plex.URL+"/same")
	hcGet(t, c, bouncer.URL+"/bounce")
	hcGet(t, c, plex.URL+"/to-other", "X-Plex-Token", hcToken) // the caller's own token header
	for _, tc := range []struct {
		h           *hcHost
		path        string
		wantToken   bool
		description string
	}{
		{plex, "/direct", true, "plex.tv"},
		{pms, "/library/sections", true, "the SDK's server"},
		{other, "/absolute", false, "an absolute URL to another host"},
		{plex, "/to-other", true, "plex.tv before the redirect"},
		{other, "/landed", false, "a redirect to another origin"},
		{plex, "/same-landed", true, "a redirect within plex.tv"},
		{plex, "/after-bounce", false, "plex.tv after a detour through another origin"},
	} {
		seen, tok, id := tc.h.saw(tc.path)
		if !seen {
			t.Errorf("%s: no request", tc.description)
			continue
		}
		if tok != tc.wantToken {
			t.Errorf("%s: token sent = %v, want %v", tc.description, tok, tc.wantToken)
		}
		if id != "hc-client" {
			t.Errorf("%s: X-Plex-Client-Identifier = %q, want the SDK's", tc.description, id)
		}
	}

	// A 307 that would replay a body to another origin is not followed.
	req, _ := http.NewRequest(http.MethodPost, plex.URL+"/to-other-307", strings.NewReader("password=hunter2"))
	res, err := c.Do(req)
	if err == nil {
		_ = res.Body.Close()
		t.Error("a 307 with a body to another origin was followed")
	} else if strings.Contains(err.Error(), hcToken) {
		t.Error("the error holds the token")
	}
	if seen, _, _ := other.saw("/posted"); seen {
		t.Error("the body reached another origin")
	}
}

func TestHTTPClientSecuritySourceAndCustomClient(t *testing.T) {
	h := newHCHost(t, nil)
	calls := 0
	sdk := plexgo.New(plexgo.WithPlexTVURL(h.URL), plexgo.WithXPlexClientIdentifier("hc2"),
		plexgo.WithSecuritySource(func(context.Context) (components.Security, error) {
			calls++
			tok := hcToken
			return components.Security{AccessToken: &tok}, nil
		}))
	hcGet(t, sdk.HTTPClient(), h.URL+"/src")
	if _, tok, _ := h.saw("/src"); !tok || calls != 1 {
		t.Errorf("security source: token sent %v, %d calls", tok, calls)
	}
	// A caller's header wins over the SDK's identity header.
	hcGet(t, sdk.HTTPClient(), h.URL+"/own", "X-Plex-Client-Identifier", "mine")
	if _, _, id := h.saw("/own"); id != "mine" {
		t.Errorf("caller's header replaced: %q", id)
	}
	// A zero PlexAPI fails instead of panicking.
	if _, err := (&plexgo.PlexAPI{}).HTTPClient().Get(h.URL + "/zero"); err == nil {
		t.Error("zero PlexAPI: no error")
	}
	var nilSDK *plexgo.PlexAPI
	if _, err := nilSDK.HTTPClient().Get(h.URL + "/nil"); err == nil {
		t.Error("nil PlexAPI: no error")
	}
}
