package servers_test

import (
	"context"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/plextest"
	"github.com/plexkit/plexgo/servers"
)

const testClientID = "servers-test-client"

// sent is one request seen by the recording transport. Token holds the
// X-Plex-Token header value; tests compare it and never print it.
type sent struct {
	Host, Path string
	Token      string
}

// recorder is an http.RoundTripper that records every request (and can
// force an Accept header, to make plex.tv and the PMS answer XML).
type recorder struct {
	base   *http.Transport
	accept string

	mu   sync.Mutex
	reqs []sent
}

// newRecorder returns a recorder with its own transport, whose idle
// connections are closed when the test ends (before the fake shuts down).
func newRecorder(t testing.TB, accept string) *recorder {
	r := &recorder{base: &http.Transport{}, accept: accept}
	t.Cleanup(r.base.CloseIdleConnections)
	return r
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if r.accept != "" {
		req = req.Clone(req.Context())
		req.Header.Set("Accept", r.accept)
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, sent{Host: req.URL.Host, Path: req.URL.Path, Token: req.Header.Get("X-Plex-Token")})
	r.mu.Unlock()
	return r.base.RoundTrip(req)
}

func (r *recorder) sent() []sent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sent(nil), r.reqs...)
}

func (r *recorder) client() *http.Client {
	return &http.Client{Transport: r, Timeout: 30 * time.Second}
}

// clientOptions are the SDK options shared by the caller's SDK and the
// per-server client (everything but the token).
func clientOptions(fake *plextest.Server, rec *recorder) []plexgo.SDKOption {
	opts := []plexgo.SDKOption{
		plexgo.WithPlexTVURL(fake.PlexTVURL),
		plexgo.WithServerURL(fake.PMSURL),
		plexgo.WithXPlexClientIdentifier(testClientID),
		plexgo.WithProduct("servers-test"),
	}
	if rec != nil {
		opts = append(opts, plexgo.WithClient(rec.client()))
	}
	return opts
}

// newSDK returns a client of the fake with this token; a nil rec gets a
// fresh recorder.
func newSDK(t testing.TB, fake *plextest.Server, rec *recorder, token string) *plexgo.PlexAPI {
	if rec == nil {
		rec = newRecorder(t, "")
	}
	return plexgo.New(append(clientOptions(fake, rec), plexgo.WithSecurity(token))...)
}

func account(t testing.TB, fake *plextest.Server, login string) plextest.Account {
	t.Helper()
	a, ok := fake.Account(login)
	if !ok {
		t.Fatalf("plextest has no account %q", login)
	}
	return a
}

func hostOf(t testing.TB, uri string) string {
	t.Helper()
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatalf("bad URI in test setup: %v", err)
	}
	return u.Host
}

// findServer discovers the server with this machine identifier.
func findServer(t testing.TB, sdk *plexgo.PlexAPI, machineID string) servers.Server {
	t.Helper()
	list, err := servers.Discover(context.Background(), sdk, servers.Filter{MachineIdentifier: machineID})
	if err != nil {
		t.Fatalf("Discover: %v", err)
	}
	if len(list) != 1 {
		t.Fatalf("Discover(%s) = %d servers, want 1", machineID, len(list))
	}
	return list[0]
}

// candidateFor returns the candidate with this URI.
func candidateFor(t testing.TB, cands []servers.Candidate, uri string) servers.Candidate {
	t.Helper()
	for _, c := range cands {
		if c.Connection.URI == uri {
			return c
		}
	}
	t.Fatalf("no candidate %s", uri)
	return servers.Candidate{}
}

// waitGoroutines waits (bounded) until the goroutine count is back to at
// most base, and fails the test otherwise. It closes rec's idle
// connections on every round: a dial cancelled mid-way may still land in
// the transport's pool (with its read and write goroutines) a moment later.
func waitGoroutines(t testing.TB, base int, rec *recorder) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		rec.base.CloseIdleConnections()
		n := runtime.NumGoroutine()
		if n <= base {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("goroutine leak: %d goroutines, want at most %d\n%s", n, base, buf)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// noSecret fails if s contains any of the secrets; it never prints them.
func noSecret(t testing.TB, what, s string, secrets ...string) {
	t.Helper()
	for _, sec := range secrets {
		if sec != "" && strings.Contains(s, sec) {
			t.Errorf("%s: token leaked", what)
		}
	}
}

// noProbeGoroutines fails if a goroutine started by Connect is still
// running: Connect must wait for all of its probes before it returns.
func noProbeGoroutines(t testing.TB) {
	t.Helper()
	buf := make([]byte, 4<<20)
	buf = buf[:runtime.Stack(buf, true)]
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "plexgo/servers.probe(") || strings.Contains(g, "plexgo/servers.Connect.func") {
			t.Fatalf("a probe goroutine outlived Connect:\n%s", g)
		}
	}
}
