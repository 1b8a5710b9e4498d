package plexgo_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/internal/testutil"
	"github.com/plexkit/plexgo/models/components"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/plextest"
)

// An invalid option never panics: every operation fails with an error that
// names it, and nothing is sent.
func TestInvalidOptions(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		opt  plexgo.SDKOption
	}{
		{"WithServerURL", plexgo.WithServerURL("::")},
		{"WithServerURL", plexgo.WithServerURL("ftp://example.com")},
		{"WithServerURL", plexgo.WithServerURL("")},
		{"WithPlexTVURL", plexgo.WithPlexTVURL("plex.tv")},
		{"WithClientsPlexTVURL", plexgo.WithClientsPlexTVURL("clients.plex.tv")},
		{"WithTimeout", plexgo.WithTimeout(-1)},
		{"WithTimeout", plexgo.WithTimeout(0)},
		{"WithClient", plexgo.WithClient(nil)},
		{"WithClient", plexgo.WithClient((*http.Client)(nil))},
		{"WithSecuritySource", plexgo.WithSecuritySource(nil)},
		{"WithLogger", plexgo.WithLogger(nil)},
		{"WithMaxResponseBytes", plexgo.WithMaxResponseBytes(0)},
		{"WithProtocol", plexgo.WithProtocol("gopher")},
		{"WithIP", plexgo.WithIP("")},
		{"WithIP", plexgo.WithIP("evil.example/path")},
		{"WithPort", plexgo.WithPort("http-alt-not-a-port")},
		{"WithTemplatedServerURL", plexgo.WithTemplatedServerURL("{protocol}://{ip}:{port}", map[string]string{"host": "x"})},
		{"WithTemplatedServerURL", plexgo.WithTemplatedServerURL("https://{full_server_url}", nil)},
	}
	fake := newFake(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := len(fake.Requests())
			s := newClient(t, fake, alice(t, fake).AuthToken, tc.opt)
			for _, o := range allOps(fake) {
				err := o.call(ctx(t), s)
				if err == nil {
					t.Errorf("%s: no error", o.name)
					continue
				}
				if !strings.Contains(err.Error(), tc.name) || !strings.Contains(err.Error(), "invalid configuration") {
					t.Errorf("%s: error %q does not name %s", o.name, err, tc.name)
				}
			}
			// (LinkPin's helper device is a separate, valid client.)
			for _, r := range fake.Requests()[before:] {
				if r.Header.Get("X-Plex-Client-Identifier") == testClientID {
					t.Errorf("request sent despite the invalid option: %s %s", r.Method, r.Path)
				}
			}
		})
	}
}

// Several invalid options are all reported.
func TestInvalidOptionsJoined(t *testing.T) {
	t.Parallel()
	s := plexgo.New(plexgo.WithTimeout(-1), plexgo.WithClient(nil), plexgo.WithServerURL("::"))
	_, err := s.Server.GetIdentity(context.Background())
	for _, name := range []string{"WithTimeout", "WithClient", "WithServerURL"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("error %v does not name %s", err, name)
		}
	}
}

// A nil option is ignored; a zero or nil client fails instead of
// panicking; so does a nil context.
func TestMisuseDoesNotPanic(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	s := newClient(t, fake, "", nil)
	if _, err := s.Server.GetIdentity(ctx(t)); err != nil {
		t.Errorf("nil option: %v", err)
	}
	//lint:ignore SA1012 a nil context is the misuse under test
	if _, err := s.Server.GetIdentity(nil); err == nil || !strings.Contains(err.Error(), "nil context") {
		t.Errorf("nil context: %v", err)
	}

	var zero plexgo.PlexAPI
	if _, err := zero.Authentication.GetTokenDetails(ctx(t)); err == nil || !strings.Contains(err.Error(), "plexgo.New") {
		t.Errorf("zero PlexAPI: %v", err)
	}
	var nilClient *plexgo.PlexAPI
	_ = fmtAll(nilClient, zero, zero.Plex)
	if _, err := (&plexgo.Plex{}).GetHomeUsers(ctx(t)); err == nil {
		t.Error("zero Plex section: no error")
	}
	if _, err := (&plexgo.Server{}).GetIdentity(ctx(t)); err == nil {
		t.Error("zero Server section: no error")
	}
	// A nil request body signs in with nothing and is refused by plex.tv,
	// not by a panic.
	if _, err := s.Authentication.PostUsersSignInData(ctx(t), nil, nil); err == nil {
		t.Error("nil sign-in body: no error")
	}
	// Per-call options: nil is skipped, invalid ones name themselves.
	if _, err := s.Server.GetIdentity(ctx(t), nil); err != nil {
		t.Errorf("nil per-call option: %v", err)
	}
	for name, opt := range map[string]operations.Option{
		"WithServerURL":        operations.WithServerURL("::"),
		"WithOperationTimeout": operations.WithOperationTimeout(-time.Second),
		"WithToken":            operations.WithToken(""),
	} {
		if _, err := s.Server.GetIdentity(ctx(t), opt); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("per-call %s: %v", name, err)
		}
	}
	// A security source that fails stops the call before it is sent.
	failing := newClient(t, fake, "", plexgo.WithSecuritySource(func(context.Context) (components.Security, error) {
		return components.Security{}, errors.New("keyring locked")
	}))
	before := fake.CountRequests(http.MethodGet, "/api/v2/user")
	if _, err := failing.Authentication.GetTokenDetails(ctx(t)); err == nil || !strings.Contains(err.Error(), "keyring locked") {
		t.Errorf("failing security source: %v", err)
	}
	if fake.CountRequests(http.MethodGet, "/api/v2/user") != before {
		t.Error("request sent without a token")
	}
}

// Per-call operations.WithServerURL sends one call elsewhere; the client's
// own settings stay as they were.
func TestPerCallServerURL(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	second := fake.AddServer(plextest.ServerSpec{Name: "second"})
	s := newClient(t, fake, alice(t, fake).AuthToken)

	id, err := s.Server.GetIdentity(ctx(t), operations.WithServerURL(second.URL))
	if err != nil {
		t.Fatal(err)
	}
	if id.MediaContainer.MachineIdentifier != second.MachineIdentifier {
		t.Errorf("per-call URL reached %s, want %s", id.MediaContainer.MachineIdentifier, second.MachineIdentifier)
	}
	// With the server's own access token.
	info, err := s.Server.GetServerInfo(ctx(t), operations.WithServerURL(second.URL), operations.WithToken(second.AccessToken))
	if err != nil || info.MediaContainer.FriendlyName != "second" {
		t.Fatalf("GetServerInfo on the second server: %v %v", info, err)
	}
	id, err = s.Server.GetIdentity(ctx(t))
	if err != nil || id.MediaContainer.MachineIdentifier != fake.Servers()[0].MachineIdentifier {
		t.Fatalf("default server after a per-call override: %v %v", id, err)
	}

	// plex.tv operations take it too, and a base path is kept.
	dead := plexgo.New(plexgo.WithPlexTVURL(testutil.DeadURL(t)), plexgo.WithSecurity(alice(t, fake).AuthToken),
		plexgo.WithXPlexClientIdentifier(testClientID), plexgo.WithRetryConfig(fastRetry()))
	if _, err := dead.Authentication.GetTokenDetails(ctx(t), operations.WithServerURL(fake.PlexTVURL+"/")); err != nil {
		t.Fatalf("plex.tv op with a per-call URL: %v", err)
	}
	if _, err := dead.Authentication.GetTokenDetails(ctx(t), operations.WithServerURL(fake.PlexTVURL+"/prefix")); err == nil {
		t.Error("prefixed base URL ignored")
	}
	if got := fake.CountRequests(http.MethodGet, "/prefix/api/v2/user"); got != 1 {
		t.Errorf("%d requests under the base path", got)
	}
}

// Per-call and client timeouts bound the whole call.
func TestTimeouts(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	fake.InjectFault("GET /identity", plextest.Fault{Latency: time.Minute})
	for name, s := range map[string]struct {
		client *plexgo.PlexAPI
		opts   []operations.Option
	}{
		"WithOperationTimeout": {newClient(t, fake, ""), []operations.Option{operations.WithOperationTimeout(50 * time.Millisecond)}},
		"WithTimeout":          {newClient(t, fake, "", plexgo.WithTimeout(50*time.Millisecond)), nil},
		// The per-call timeout wins over the client's.
		"both": {newClient(t, fake, "", plexgo.WithTimeout(time.Hour)), []operations.Option{operations.WithOperationTimeout(50 * time.Millisecond)}},
	} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			_, err := s.client.Server.GetIdentity(ctx(t), s.opts...)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("got %v, want a deadline error", err)
			}
			// Generous: it catches a timeout that is not applied (a
			// minute), not scheduling noise.
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
	// A timeout that is long enough lets the call through.
	fake.ClearFaults()
	s := newClient(t, fake, "", plexgo.WithTimeout(20*time.Second))
	if _, err := s.Server.GetIdentity(ctx(t), operations.WithOperationTimeout(20*time.Second)); err != nil {
		t.Fatal(err)
	}
}

// A logger that records nothing below Info costs nothing and gets nothing.
func TestLoggerLevels(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	logs := &testutil.SyncBuffer{}
	s := newClient(t, fake, "", plexgo.WithLogger(slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))))
	if _, err := s.Server.GetIdentity(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if logs.String() != "" {
		t.Errorf("info-level logger got %q", logs.String())
	}
}

// Templated server URL options build the PMS URL.
func TestServerURLTemplate(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	host, port, _ := strings.Cut(strings.TrimPrefix(fake.PMSURL, "http://"), ":")
	for name, opts := range map[string][]plexgo.SDKOption{
		"parts":    {plexgo.WithProtocol(plexgo.ServerProtocolHTTP), plexgo.WithIP(host), plexgo.WithPort(port)},
		"template": {plexgo.WithTemplatedServerURL(plexgo.ServerTemplate, map[string]string{"protocol": "http", "ip": host, "port": port})},
	} {
		s := plexgo.New(append(opts, plexgo.WithClient(httpClient(t, nil)))...)
		id, err := s.Server.GetIdentity(ctx(t))
		if err != nil || id.MediaContainer.MachineIdentifier != fake.Servers()[0].MachineIdentifier {
			t.Errorf("%s: %v %v", name, id, err)
		}
	}
}
