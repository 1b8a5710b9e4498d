package servers_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/models/sdkerrors"
	"github.com/plexkit/plexgo/plextest"
	"github.com/plexkit/plexgo/servers"
)

// connectDefault connects login to the fake's default server.
func connectDefault(t *testing.T, fake *plextest.Server, rec *recorder, login string) (*plexgo.PlexAPI, *servers.ConnectResult) {
	t.Helper()
	if rec == nil {
		rec = newRecorder(t, "")
	}
	acct := account(t, fake, login)
	sdk := newSDK(t, fake, rec, acct.AuthToken)
	srv := findServer(t, sdk, fake.Servers()[0].MachineIdentifier)
	opts := servers.DefaultConnectOptions()
	opts.ClientOptions = clientOptions(fake, rec)
	res, err := servers.Connect(context.Background(), sdk, srv, opts)
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	return sdk, res
}

func TestTransientTokenAndSourceInfo(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	rec := newRecorder(t, "")
	sdk, conn := connectDefault(t, fake, rec, plextest.DefaultLogin)
	alice := account(t, fake, plextest.DefaultLogin)
	ctx := context.Background()
	def := fake.Servers()[0]

	tok, err := servers.TransientToken(ctx, sdk, conn)
	if err != nil {
		t.Fatalf("TransientToken: %v", err)
	}
	if tok == "" || tok == conn.Server.AccessToken || tok == alice.AuthToken {
		t.Fatal("TransientToken returned an empty or non-transient token")
	}
	// The request went to the chosen URI with the server's token.
	var calls int
	for _, r := range rec.sent() {
		if r.Path == "/security/token" {
			calls++
			if r.Host != hostOf(t, conn.URI) || r.Token != conn.Server.AccessToken {
				t.Error("transient token request: wrong host or token")
			}
		}
	}
	if calls != 1 {
		t.Errorf("%d transient token requests, want 1", calls)
	}
	// The transient token works on the server.
	if _, err := sdk.Server.GetServerInfo(ctx, operations.WithServerURL(conn.URI), operations.WithToken(tok)); err != nil {
		t.Errorf("the transient token does not work: %v", err)
	}

	// It also unlocks source information, as an admin token does.
	dev, err := servers.SourceInfo(ctx, sdk, conn, servers.SourceForServer(def.MachineIdentifier))
	if err != nil {
		t.Fatalf("SourceInfo: %v", err)
	}
	if dev.ClientIdentifier != def.MachineIdentifier || dev.AccessToken == "" || len(dev.Connections) != len(def.Connections) {
		t.Errorf("SourceInfo = %v with %d connections", dev, len(dev.Connections))
	}
	noSecret(t, "device", fmt.Sprint(dev), dev.AccessToken)
	// nil sdk: the result's own client is used.
	if _, err := servers.SourceInfo(ctx, nil, conn, servers.SourceForServer(def.MachineIdentifier)); err != nil {
		t.Errorf("SourceInfo with the result's client: %v", err)
	}
	if _, err := servers.SourceInfo(ctx, sdk, conn, " "); err == nil {
		t.Error("empty source: want an error")
	}
	_, err = servers.SourceInfo(ctx, sdk, conn, "server://0000000000000000000000000000000000000000")
	if !errors.Is(err, sdkerrors.ErrNotFound) {
		t.Errorf("unknown source: err = %v, want ErrNotFound", err)
	}

	// The server forgets transient tokens when it restarts.
	fake.RestartPMS()
	_, err = sdk.Server.GetServerInfo(ctx, operations.WithServerURL(conn.URI), operations.WithToken(tok))
	if !errors.Is(err, sdkerrors.ErrUnauthorized) {
		t.Errorf("transient token after restart: err = %v, want ErrUnauthorized", err)
	}
	noSecret(t, "error", fmt.Sprint(err), tok)
}

func TestSourceInfoNeedsAdmin(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk, conn := connectDefault(t, fake, nil, plextest.TwoFactorLogin)
	if !conn.Server.Shared {
		t.Fatalf("bob's view of the default server: %v, want shared", conn.Server)
	}
	ctx := context.Background()
	_, err := servers.SourceInfo(ctx, sdk, conn, servers.SourceForServer(conn.Server.MachineIdentifier))
	if !errors.Is(err, sdkerrors.ErrForbidden) {
		t.Errorf("shared user: err = %v, want ErrForbidden", err)
	}
	noSecret(t, "error", fmt.Sprint(err), conn.Server.AccessToken)
	// A shared user may still get a transient token of its own access.
	if _, err := servers.TransientToken(ctx, sdk, conn); err != nil {
		t.Errorf("TransientToken as a shared user: %v", err)
	}
}

func TestTransientTokenInvalidInput(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	if _, err := servers.TransientToken(ctx, nil, nil); err == nil {
		t.Error("nil connection: want an error")
	}
	noToken := &servers.ConnectResult{URI: "http://127.0.0.1:1", Server: servers.Server{Name: "x"}}
	if _, err := servers.TransientToken(ctx, plexgo.New(), noToken); err == nil {
		t.Error("no access token: want an error")
	}
	noClient := &servers.ConnectResult{URI: "http://127.0.0.1:1", Server: servers.Server{AccessToken: "secret-token-value"}}
	_, err := servers.TransientToken(ctx, nil, noClient)
	if err == nil {
		t.Error("no SDK and no client: want an error")
	}
	noSecret(t, "error", fmt.Sprint(err), "secret-token-value")
}

func TestShareURL(t *testing.T) {
	t.Parallel()
	const tok = "transient-0123456789"
	tests := []struct {
		base, path, want string
	}{
		{"http://10.0.0.5:32400", "/library/parts/1/file.mkv", "http://10.0.0.5:32400/library/parts/1/file.mkv?X-Plex-Token=" + tok},
		{"http://10.0.0.5:32400/", "library/metadata/7", "http://10.0.0.5:32400/library/metadata/7?X-Plex-Token=" + tok},
		{"https://host.plex.direct:32400", "/photo/:/transcode?width=100&url=%2Fa%20b", "https://host.plex.direct:32400/photo/:/transcode?X-Plex-Token=" + tok + "&url=%2Fa+b&width=100"},
		{"http://h:1/prefix", "/x?X-Plex-Token=old", "http://h:1/prefix/x?X-Plex-Token=" + tok},
		{"http://h:1", "", "http://h:1/?X-Plex-Token=" + tok},
	}
	for _, tc := range tests {
		got, err := servers.ShareURL(tc.base, tc.path, tok)
		if err != nil {
			t.Errorf("ShareURL(%q, %q): %v", tc.base, tc.path, err)
			continue
		}
		if got != tc.want {
			t.Errorf("ShareURL(%q, %q) = %q, want %q", tc.base, tc.path, got, tc.want)
		}
	}
	bad := []struct{ base, path, token string }{
		{"http://h:1", "/x", ""},
		{"ftp://h:1", "/x", tok},
		{"/relative", "/x", tok},
		{"http://user:pw@h:1", "/x", tok},
		{"http://h:1", "http://evil.example/steal", tok},
		{"http://h:1", "//evil.example/steal", tok},
		{"http://h:1", "%zz", tok},
	}
	for _, tc := range bad {
		_, err := servers.ShareURL(tc.base, tc.path, tc.token)
		if err == nil {
			t.Errorf("ShareURL(%q, %q): want an error", tc.base, tc.path)
			continue
		}
		noSecret(t, "error", err.Error(), tok)
	}
}

// A share URL works as is: the server reads the token from the query.
func TestShareURLWorksAgainstServer(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk, conn := connectDefault(t, fake, nil, plextest.DefaultLogin)
	ctx := context.Background()
	tok, err := servers.TransientToken(ctx, sdk, conn)
	if err != nil {
		t.Fatalf("TransientToken: %v", err)
	}
	link, err := servers.ShareURL(conn.URI, "/", tok)
	if err != nil {
		t.Fatalf("ShareURL: %v", err)
	}
	u, err := url.Parse(link)
	if err != nil || u.Query().Get(servers.TokenQueryParam) != tok {
		t.Fatal("the share URL does not carry the token")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET share URL: %v", strings.ReplaceAll(err.Error(), tok, "REDACTED"))
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET share URL: status %d", resp.StatusCode)
	}
}

func FuzzShareURL(f *testing.F) {
	f.Add("http://10.0.0.5:32400", "/library/parts/1/file.mkv?download=1")
	f.Add("https://h.plex.direct:32400/base/", "x/y#frag")
	f.Add("http://h:1", "//evil/x")
	f.Add("http://[::1]:32400", "/%zz")
	f.Add("ftp://h", "http://x")
	const tok = "fuzz-token-Zq9"
	f.Fuzz(func(t *testing.T, base, path string) {
		got, err := servers.ShareURL(base, path, tok)
		if err != nil {
			noSecret(t, "error", err.Error(), tok)
			return
		}
		u, perr := url.Parse(got)
		if perr != nil {
			t.Fatalf("ShareURL returned an unparseable URL: %v", perr)
		}
		b, _ := url.Parse(base)
		if u.Scheme != b.Scheme || u.Host != b.Host {
			t.Fatalf("the token would go to %s://%s, not the base %s://%s", u.Scheme, u.Host, b.Scheme, b.Host)
		}
		if u.Query().Get(servers.TokenQueryParam) != tok {
			t.Fatal("the URL does not carry the token")
		}
	})
}
