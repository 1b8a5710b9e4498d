package servers_test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/plextest"
	"github.com/plexkit/plexgo/servers"
)

// spoofer is another machine that copies a server's public machine
// identifier into its GET /identity answer (issue 10.9). It counts the
// requests it gets and whether any carried a token; it never keeps or
// prints the token.
type spoofer struct {
	*httptest.Server
	mu       sync.Mutex
	requests int
	tokens   int
}

func newSpoofer(t *testing.T, machineID string) *spoofer {
	sp := &spoofer{}
	sp.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sp.mu.Lock()
		sp.requests++
		if r.Header.Get("X-Plex-Token") != "" || r.URL.Query().Get("X-Plex-Token") != "" {
			sp.tokens++
		}
		sp.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/identity" {
			fmt.Fprintf(w, `{"MediaContainer":{"size":0,"claimed":true,"machineIdentifier":%q,"version":"1.40.0"}}`, machineID)
			return
		}
		fmt.Fprint(w, `{"MediaContainer":{"size":0}}`)
	}))
	t.Cleanup(sp.Close)
	return sp
}

func (sp *spoofer) counts() (requests, tokens int) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	return sp.requests, sp.tokens
}

// spoofNet is an SDK whose HTTP client trusts the fake's CA and dials the
// made-up LAN and public addresses in routes to loopback listeners, so a
// test can stand in for machines at 192.168.x.y and 203.0.113.z.
func spoofNet(t *testing.T, fake *plextest.Server, token string, routes map[string]string) *plexgo.PlexAPI {
	t.Helper()
	var d net.Dialer
	tr := &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: fake.CertPool()},
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if to, ok := routes[addr]; ok {
				addr = to
			}
			return d.DialContext(ctx, network, addr)
		},
	}
	t.Cleanup(tr.CloseIdleConnections)
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	return plexgo.New(append(clientOptions(fake, nil), plexgo.WithClient(client), plexgo.WithSecurity(token))...)
}

const (
	spoofLAN    = "192.168.77.10:32400"
	spoofPublic = "203.0.113.7:32400"
	realPublic  = "203.0.113.8:32400"
)

func httpConn(addr string, local bool) servers.Connection {
	host, _, _ := net.SplitHostPort(addr)
	return servers.Connection{URI: "http://" + addr, Protocol: "http", Address: host, Port: 32400, Local: local}
}

// The attack: a "local" plain-http address answered by another
// machine with the server's machine identifier, faster than the server's
// real (remote, https) connection. Connect must choose https, and the
// server's token must never reach the spoofer.
func TestConnectSpoofedLocalHTTP(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	info := fake.AddServer(plextest.ServerSpec{Name: "spoofed", Connections: []plextest.ConnSpec{
		{Protocol: "https", Latency: 20 * time.Millisecond},
	}})
	sp := newSpoofer(t, info.MachineIdentifier)
	alice := account(t, fake, plextest.DefaultLogin)
	sdk := spoofNet(t, fake, alice.AuthToken, map[string]string{spoofLAN: hostOf(t, sp.URL)})
	srv := findServer(t, sdk, info.MachineIdentifier)
	srv.Connections = append(srv.Connections, httpConn(spoofLAN, true))

	opts := servers.DefaultConnectOptions()
	opts.InsecureGrace = time.Minute // about the ranking, not the clock
	res, err := servers.Connect(context.Background(), sdk, srv, opts)
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	if res.Connection.Protocol != "https" || res.URI != info.Connections[0].URI {
		t.Fatalf("chose %s (%s), want the server's https connection", res.Connection.Kind(), res.Connection.Protocol)
	}
	if _, err := servers.TransientToken(context.Background(), nil, res); err != nil {
		t.Fatalf("TransientToken: %v", err)
	}
	if _, err := res.Client.Server.GetServerInfo(context.Background()); err != nil {
		t.Fatalf("GetServerInfo through the result's client: %v", err)
	}
	if n, tokens := sp.counts(); n == 0 || tokens != 0 {
		t.Errorf("spoofer got %d requests, %d with a token; want its probe only, and no token", n, tokens)
	}

	// Secure connections required: the spoofer is not even probed.
	sp2 := newSpoofer(t, info.MachineIdentifier)
	sdk2 := spoofNet(t, fake, alice.AuthToken, map[string]string{spoofLAN: hostOf(t, sp2.URL)})
	res, err = servers.Connect(context.Background(), sdk2, srv, servers.ConnectOptions{Secure: servers.SecureRequired})
	if err != nil {
		t.Fatalf("Connect (secure required): %v", err)
	}
	if res.Connection.Protocol != "https" {
		t.Errorf("secure required chose %s", res.Connection.Protocol)
	}
	if c := candidateFor(t, res.Candidates, "http://"+spoofLAN); !c.Skipped || c.Err == nil || !strings.Contains(c.Err.Error(), "required") {
		t.Errorf("plain-http candidate under SecureRequired = %v, want skipped", c)
	}
	if n, _ := sp2.counts(); n != 0 {
		t.Errorf("spoofer got %d requests under SecureRequired, want 0", n)
	}
	only := srv
	only.Connections = []servers.Connection{httpConn(spoofLAN, true)}
	if _, err := servers.Connect(context.Background(), sdk2, only, servers.ConnectOptions{Secure: servers.SecureRequired}); !errors.Is(err, servers.ErrNoConnection) {
		t.Errorf("only plain http, secure required: err = %v, want ErrNoConnection", err)
	}
}

// Plain http to an address that is neither loopback nor private is not
// used, and no token goes there, unless the caller allows it.
func TestConnectPlainHTTPPublic(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	info := fake.AddServer(plextest.ServerSpec{Name: "public", Connections: []plextest.ConnSpec{{}}})
	sp := newSpoofer(t, info.MachineIdentifier)
	alice := account(t, fake, plextest.DefaultLogin)
	sdk := spoofNet(t, fake, alice.AuthToken, map[string]string{
		spoofPublic: hostOf(t, sp.URL),
		realPublic:  hostOf(t, info.Connections[0].URI),
	})
	srv := findServer(t, sdk, info.MachineIdentifier)
	ctx := context.Background()

	// plex.tv may call it local; the address says public.
	spoofed := srv
	spoofed.Connections = []servers.Connection{httpConn(spoofPublic, true)}
	_, err := servers.Connect(ctx, sdk, spoofed, servers.DefaultConnectOptions())
	var ce *servers.ConnectError
	if !errors.Is(err, servers.ErrNoConnection) || !errors.As(err, &ce) || !ce.Candidates[0].Skipped {
		t.Fatalf("public plain http by default: err = %v, want ErrNoConnection with the candidate skipped", err)
	}
	if !strings.Contains(err.Error(), "AllowInsecurePublic") {
		t.Errorf("the error does not say how to allow it:\n%s", err)
	}
	// A hand-built result: the token calls refuse, and send nothing.
	hand := &servers.ConnectResult{Server: spoofed, URI: "http://" + spoofPublic, Connection: spoofed.Connections[0]}
	_, err = servers.TransientToken(ctx, sdk, hand)
	if !errors.Is(err, servers.ErrInsecureConnection) {
		t.Errorf("TransientToken over public plain http: err = %v, want ErrInsecureConnection", err)
	}
	if err != nil {
		noSecret(t, "error", err.Error(), srv.AccessToken, alice.AuthToken)
	}
	if _, err := servers.SourceInfo(ctx, sdk, hand, servers.SourceForServer(srv.MachineIdentifier)); !errors.Is(err, servers.ErrInsecureConnection) {
		t.Errorf("SourceInfo over public plain http: err = %v, want ErrInsecureConnection", err)
	}
	if n, _ := sp.counts(); n != 0 {
		t.Errorf("the public plain-http address got %d requests, want 0", n)
	}

	// Allowed on purpose: the connection is used and the token sent.
	allowed := srv
	allowed.Connections = []servers.Connection{httpConn(realPublic, false)}
	opts := servers.DefaultConnectOptions()
	opts.AllowInsecurePublic = true
	res, err := servers.Connect(ctx, sdk, allowed, opts)
	if err != nil {
		t.Fatalf("Connect with AllowInsecurePublic: %v", err)
	}
	if !res.InsecureAllowed || res.URI != "http://"+realPublic {
		t.Errorf("chose %s (InsecureAllowed %v)", res.URI, res.InsecureAllowed)
	}
	if _, err := servers.TransientToken(ctx, nil, res); err != nil {
		t.Errorf("TransientToken with AllowInsecurePublic: %v", err)
	}
	// Loopback and private plain http stay usable by default.
	private := srv
	private.Connections = []servers.Connection{httpConn(strings.Replace(realPublic, "203.0.113.8", "10.20.30.40", 1), true)}
	sdkPriv := spoofNet(t, fake, alice.AuthToken, map[string]string{"10.20.30.40:32400": hostOf(t, info.Connections[0].URI)})
	res, err = servers.Connect(ctx, sdkPriv, private, servers.DefaultConnectOptions())
	if err != nil {
		t.Fatalf("Connect to a private plain-http address: %v", err)
	}
	if _, err := servers.TransientToken(ctx, nil, res); err != nil {
		t.Errorf("TransientToken to a private plain-http address: %v", err)
	}
}
