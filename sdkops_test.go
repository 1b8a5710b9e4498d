package plexgo_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/internal/testutil"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/models/sdkerrors"
)

// fixtureRoute answers one method and path with testdata/sdkops/<base>.json
// or .xml (by Accept), with status (200 when 0).
type fixtureRoute struct {
	method, path, base string
	status             int
}

// exampleServer is an httptest server standing in for plex.tv and a PMS,
// serving the example bodies of testdata/sdkops and logging the requests.
type exampleServer struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []*http.Request
	// fail503 answers the next n requests of "METHOD /path" with 503.
	fail503 map[string]int
}

// fixtureRoutes are the answers the new operations read: every endpoint of
// issue 12 the SDK calls.
var fixtureRoutes = []fixtureRoute{
	{"GET", "/api/users", "users-200", 0},
	{"GET", "/api/v2/friends", "friends-200", 0},
	{"GET", "/api/servers/abc123/shared_servers", "shared-servers-200", 0},
	{"GET", "/api/servers/abc123/shared_servers/77", "shared-server-200", 0},
	{"GET", "/api/v2/home", "home-200", 0},
	{"GET", "/api/home/users", "home-users-v1-200", 0},
	{"POST", "/api/home/users/1003/switch", "switch-v1-201", http.StatusCreated},
	{"POST", "/api/home/users/1004/switch", "switch-v1-403", http.StatusForbidden},
	{"GET", "/devices.xml", "devices-200", 0},
	{"DELETE", "/devices/9002.xml", "", 0},
	{"GET", "/api/claim/token.json", "claim-token-200", 0},
	{"GET", "/api/v2/ping", "ping-200", 0},
	{"GET", "/myplex/account", "myplex-account-200", 0},
	{"POST", "/myplex/claim", "claim-200", 0},
	{"DELETE", "/myplex/account", "", 0},
	{"GET", "/accounts", "accounts-200", 0},
	{"GET", "/devices", "system-devices-200", 0},
	{"GET", "/library/sections", "library-sections-200", 0},
}

func newExampleServer(t *testing.T) *exampleServer {
	t.Helper()
	fs := &exampleServer{fail503: map[string]int{}}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		fs.reqs = append(fs.reqs, r.Clone(context.Background()))
		key := r.Method + " " + r.URL.Path
		failing := fs.fail503[key] > 0
		if failing {
			fs.fail503[key]--
		}
		fs.mu.Unlock()
		if failing {
			http.Error(w, `{"errors":[{"code":2000,"message":"busy"}]}`, http.StatusServiceUnavailable)
			return
		}
		if r.Header.Get("X-Plex-Token") != "fixture-token" {
			http.Error(w, `{"errors":[{"code":1001,"message":"User could not be authenticated"}]}`, http.StatusUnauthorized)
			return
		}
		for _, rt := range fixtureRoutes {
			if rt.method != r.Method || rt.path != r.URL.Path {
				continue
			}
			status := rt.status
			if status == 0 {
				status = http.StatusOK
			}
			if rt.base == "" {
				w.WriteHeader(status)
				return
			}
			ext, ct := ".xml", "application/xml"
			if r.Header.Get("Accept") == "application/json" {
				ext, ct = ".json", "application/json"
			}
			data, err := os.ReadFile("testdata/sdkops/" + rt.base + ext)
			if err != nil { // only one encoding exists: serve it
				ext, ct = ".json", "application/json"
				if data, err = os.ReadFile("testdata/sdkops/" + rt.base + ext); err != nil {
					ext, ct = ".xml", "application/xml"
					data, err = os.ReadFile("testdata/sdkops/" + rt.base + ext)
				}
			}
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Type", ct+"; charset=utf-8")
			w.WriteHeader(status)
			_, _ = w.Write(data)
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(fs.Close)
	return fs
}

// requests returns the logged requests for method and path.
func (fs *exampleServer) requests(method, path string) []*http.Request {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	var out []*http.Request
	for _, r := range fs.reqs {
		if r.Method == method && r.URL.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// client returns an SDK client for fs (plex.tv and PMS) in format f.
func (fs *exampleServer) client(t *testing.T, f format, opts ...plexgo.SDKOption) *plexgo.PlexAPI {
	t.Helper()
	return newClientAt(t, fs.URL, fs.URL, "fixture-token", append([]plexgo.SDKOption{f.opt(t)}, opts...)...)
}

// fixtureSecrets are the secrets in testdata/sdkops.
var fixtureSecrets = []string{"share-token-bob-1234", "share-token-pending-5678", "home-token-kid-9999",
	"device-token-server-1111", "device-token-web-2222", "claim-abcdEFGH1234wxyz", "Z5v-PrNASDFpsaCi3CPK7",
	"server-token-after-claim-7777", "fixture-token"}

// sdkopsCase is one new operation with the checks of its decoded answer.
type sdkopsCase struct {
	name, method, path string
	call               func(ctx context.Context, s *plexgo.PlexAPI, opts ...operations.Option) (any, error)
	check              func(t *testing.T, res any)
}

func sdkopsCases() []sdkopsCase {
	return []sdkopsCase{
		{"GetUsers", "GET", "/api/users", func(c context.Context, s *plexgo.PlexAPI, o ...operations.Option) (any, error) {
			return s.Plex.GetUsers(c, o...)
		},
			func(t *testing.T, res any) {
				u := res.(*operations.GetUsersResponse).Users
				if len(u) < 1 || u[0].ID != 22526914 || u[0].Username != "zgfuc7krcqfimrmb9lsl5j" || !u[0].Home || u[0].Restricted || !u[0].Protected ||
					!u[0].AllowSync || u[0].AllowCameraUpload || u[0].Email != "zgfuc7krcqfimrmb9lsl5j@protonmail.com" || u[0].Title != "Plex User" {
					t.Fatalf("users %+v", u)
				}
				sv := u[0].Servers
				if len(sv) != 1 || sv[0].ID != 907759180 || sv[0].ServerID != 9999999 || sv[0].MachineIdentifier != "fbb8aa6be6e0c997c6268bc2b4431c8807f70a3" ||
					sv[0].Name != "ConnectedUserFlix" || sv[0].LastSeenAt != 1556281940 || sv[0].NumLibraries != 16 || !sv[0].AllLibraries || !sv[0].Owned || sv[0].Pending {
					t.Errorf("servers %+v", sv)
				}
			}},
		{"GetFriends", "GET", "/api/v2/friends", func(c context.Context, s *plexgo.PlexAPI, o ...operations.Option) (any, error) {
			return s.Plex.GetFriends(c, o...)
		},
			func(t *testing.T, res any) {
				f := res.(*operations.GetFriendsResponse).Friends
				if len(f) != 2 || f[0].ID != 5001 || f[0].Username != "bob" || f[0].FriendlyName != nil || f[0].Status != operations.FriendStatusAccepted ||
					!f[0].Status.IsKnown() || len(f[0].SharedServers) != 1 || f[0].SharedServers[0].MachineIdentifier != "abc123" {
					t.Fatalf("friends %+v", f)
				}
				if f[1].FriendlyName == nil || *f[1].FriendlyName != "Carol" || !f[1].Home || !f[1].Restricted || f[1].Status != "pending_received" || f[1].Status.IsKnown() {
					t.Errorf("second friend %+v (unknown status must be kept)", f[1])
				}
			}},
		{"GetSharedServers", "GET", "/api/servers/abc123/shared_servers", func(c context.Context, s *plexgo.PlexAPI, o ...operations.Option) (any, error) {
			return s.Plex.GetSharedServers(c, "abc123", o...)
		}, func(t *testing.T, res any) {
			ss := res.(*operations.GetSharedServersResponse).SharedServers
			if len(ss) != 2 {
				t.Fatalf("%d shares", len(ss))
			}
			checkBobShare(t, ss[0])
			p := ss[1]
			if p.ID != 78 || p.UserID != 33 || !p.Pending || p.AcceptedAt != 0 || p.InvitedAt != 1700000200 || !p.AllLibraries || len(p.Sections) != 0 ||
				p.AccessToken != "share-token-pending-5678" {
				t.Errorf("pending share %v", p)
			}
		}},
		{"GetSharedServer", "GET", "/api/servers/abc123/shared_servers/77", func(c context.Context, s *plexgo.PlexAPI, o ...operations.Option) (any, error) {
			return s.Plex.GetSharedServer(c, "abc123", 77, o...)
		}, func(t *testing.T, res any) { checkBobShare(t, *res.(*operations.GetSharedServerResponse).SharedServer) }},
		{"GetHome", "GET", "/api/v2/home", func(c context.Context, s *plexgo.PlexAPI, o ...operations.Option) (any, error) {
			return s.Plex.GetHome(c, o...)
		},
			func(t *testing.T, res any) {
				h := res.(*operations.GetHomeResponse).Home
				if h.ID != 1841489 || h.Name != "Blindkitty38's home" || h.GuestUserID != 58815432 || h.GuestUserUUID != "f3df4e01bfca0787" || h.GuestEnabled || !h.Subscription {
					t.Errorf("home %+v", h)
				}
			}},
		{"GetHomeUsersV1", "GET", "/api/home/users", func(c context.Context, s *plexgo.PlexAPI, o ...operations.Option) (any, error) {
			return s.Plex.GetHomeUsersV1(c, o...)
		},
			func(t *testing.T, res any) {
				u := res.(*operations.GetHomeUsersV1Response).Users
				if len(u) != 2 || u[0].ID != 1001 || !u[0].Admin || !u[0].HasPassword || u[0].Protected || u[1].ID != 1003 || !u[1].Protected ||
					!u[1].Restricted || u[1].Admin || u[1].HasPassword || u[1].UUID != "cccc3333" || u[1].Title != "kid" {
					t.Errorf("home users %+v", u)
				}
			}},
		{"SwitchHomeUserV1", "POST", "/api/home/users/1003/switch", func(c context.Context, s *plexgo.PlexAPI, o ...operations.Option) (any, error) {
			return s.Plex.SwitchHomeUserV1(c, 1003, plexgo.String("4321"), o...)
		}, func(t *testing.T, res any) {
			r := res.(*operations.SwitchHomeUserV1Response)
			if r.StatusCode != http.StatusCreated || r.GetToken() != "home-token-kid-9999" || r.User.ID != 1003 || !r.User.Restricted || !r.User.Protected || r.User.UUID != "cccc3333" {
				t.Errorf("switched %v (status %d)", r.User, r.StatusCode)
			}
		}},
		{"GetDevices", "GET", "/devices.xml", func(c context.Context, s *plexgo.PlexAPI, o ...operations.Option) (any, error) {
			return s.Plex.GetDevices(c, o...)
		},
			func(t *testing.T, res any) {
				d := res.(*operations.GetDevicesResponse).Devices
				if len(d) != 2 || d[0].ID != 9001 || !d[0].HasProvides("server") || d[0].Token != "device-token-server-1111" || len(d[0].Connections) != 2 ||
					d[0].Connections[1].URI != "https://203-0-113-7.abc123.plex.direct:32400" || d[0].LastSeenAt != 1700003600 || d[0].CreatedTime().Unix() != 1700000000 {
					t.Fatalf("devices %v", d)
				}
				if d[1].ID != 9002 || d[1].ClientIdentifier != "web-client-1" || !d[1].HasProvides("player") || d[1].LastSeenAt != 0 || !d[1].LastSeenTime().IsZero() ||
					d[1].ScreenDensity != "2" || d[1].ScreenResolution != "1920x1080" || d[1].Product != "Plex Web" {
					t.Errorf("second device %v", d[1])
				}
			}},
		{"DeleteDevice", "DELETE", "/devices/9002.xml", func(c context.Context, s *plexgo.PlexAPI, o ...operations.Option) (any, error) {
			return s.Plex.DeleteDevice(c, 9002, o...)
		},
			func(t *testing.T, res any) {
				if r := res.(*operations.DeleteDeviceResponse); r.StatusCode != http.StatusOK {
					t.Errorf("status %d", r.StatusCode)
				}
			}},
		{"GetClaimToken", "GET", "/api/claim/token.json", func(c context.Context, s *plexgo.PlexAPI, o ...operations.Option) (any, error) {
			return s.Plex.GetClaimToken(c, o...)
		},
			func(t *testing.T, res any) {
				if tok := res.(*operations.GetClaimTokenResponse).GetToken(); tok != "claim-abcdEFGH1234wxyz" {
					t.Errorf("claim token of %d bytes", len(tok))
				}
			}},
		{"Ping", "GET", "/api/v2/ping", func(c context.Context, s *plexgo.PlexAPI, o ...operations.Option) (any, error) {
			return s.Plex.Ping(c, o...)
		},
			func(t *testing.T, res any) {
				if !res.(*operations.PlexPingResponse).Pong {
					t.Error("pong false")
				}
			}},
		{"GetMyPlexAccount", "GET", "/myplex/account", func(c context.Context, s *plexgo.PlexAPI, o ...operations.Option) (any, error) {
			return s.Server.GetMyPlexAccount(c, o...)
		},
			func(t *testing.T, res any) {
				a := res.(*operations.GetMyPlexAccountResponse).MyPlex
				if a.AuthToken != "Z5v-PrNASDFpsaCi3CPK7" || a.Username != "example.email@mail.com" || a.MappingState != operations.MyPlexMappingStateMapped ||
					!a.SignedIn() || a.PublicPort != 32400 || a.PrivateAddress != "10.10.10.47" || !a.SubscriptionActive || a.SubscriptionState != "Active" ||
					!strings.Contains(a.SubscriptionFeatures, "webhooks") {
					t.Errorf("myplex account %v", a)
				}
			}},
		{"ClaimServer", "POST", "/myplex/claim", func(c context.Context, s *plexgo.PlexAPI, o ...operations.Option) (any, error) {
			return s.Server.ClaimServer(c, "claim-abcdEFGH1234wxyz", o...)
		}, func(t *testing.T, res any) {
			a := res.(*operations.ClaimServerResponse).MyPlex
			if a == nil || a.AuthToken != "server-token-after-claim-7777" || !a.SignedIn() || a.MappingState.IsKnown() || a.PrivatePort != 32400 || a.SubscriptionActive {
				t.Errorf("claimed account %v", a)
			}
		}},
		{"UnclaimServer", "DELETE", "/myplex/account", func(c context.Context, s *plexgo.PlexAPI, o ...operations.Option) (any, error) {
			return s.Server.UnclaimServer(c, o...)
		},
			func(t *testing.T, res any) {
				if r := res.(*operations.UnclaimServerResponse); r.StatusCode != http.StatusOK {
					t.Errorf("status %d", r.StatusCode)
				}
			}},
		{"GetAccounts", "GET", "/accounts", func(c context.Context, s *plexgo.PlexAPI, o ...operations.Option) (any, error) {
			return s.Server.GetAccounts(c, o...)
		},
			func(t *testing.T, res any) {
				a := res.(*operations.GetAccountsResponse).Accounts
				if len(a) != 3 || a[1].ID != 1 || a[1].Name != "alice" || a[1].Key != "/accounts/1" || !a[1].AutoSelectAudio || a[2].AutoSelectAudio ||
					a[2].SubtitleMode != 2 || a[2].DefaultAudioLanguage != "de" || a[0].DefaultSubtitleLanguage != "en" {
					t.Errorf("accounts %+v", a)
				}
			}},
		{"GetSystemDevices", "GET", "/devices", func(c context.Context, s *plexgo.PlexAPI, o ...operations.Option) (any, error) {
			return s.Server.GetSystemDevices(c, o...)
		},
			func(t *testing.T, res any) {
				d := res.(*operations.GetSystemDevicesResponse).Devices
				if len(d) != 2 || d[0].ID != 1 || d[0].Platform != "iOS" || d[1].ClientIdentifier != "web-client-1" || d[1].CreatedAt != 1700001000 {
					t.Errorf("system devices %+v", d)
				}
			}},
		{"GetLibrarySections", "GET", "/library/sections", func(c context.Context, s *plexgo.PlexAPI, o ...operations.Option) (any, error) {
			return s.Server.GetLibrarySections(c, o...)
		},
			func(t *testing.T, res any) {
				l := res.(*operations.GetLibrarySectionsResponse).Sections
				if len(l) != 2 || l[0].Key != "1" || l[0].Type != operations.LibrarySectionTypeMovie || !l[0].AllowSync || l[0].Refreshing || l[0].Hidden ||
					len(l[0].Locations) != 1 || l[0].Locations[0].Path != "/data/movies" || l[1].Key != "2" || !l[1].Refreshing || len(l[1].Locations) != 2 ||
					l[1].Type != operations.LibrarySectionTypeShow || l[1].ScannedAt != 1700000001 || l[0].Agent != "tv.plex.agents.movie" {
					t.Errorf("sections %+v", l)
				}
			}},
	}
}

func checkBobShare(t *testing.T, s operations.SharedServer) {
	t.Helper()
	if s.ID != 77 || s.UserID != 5001 || s.Username != "bob" || s.Email != "bob@example.com" || s.Name != "plextest" ||
		s.AccessToken != "share-token-bob-1234" || s.AcceptedAt != 1700000100 || s.InvitedAt != 1700000000 || s.Pending || s.Owned || s.AllLibraries {
		t.Errorf("bob's share %v", s)
	}
	if len(s.Sections) != 2 || s.Sections[0].ID != 301 || s.Sections[0].Key != "1" || !s.Sections[0].Shared || s.Sections[0].Type != "movie" ||
		s.Sections[1].Key != "2" || s.Sections[1].Shared || s.Sections[1].Title != "TV Shows" {
		t.Errorf("bob's sections %+v", s.Sections)
	}
}

// Every new operation decodes its JSON and its XML answer, sends its
// request with the method, path and token header it declares, and prints
// and logs its answer without the secrets in it.
func TestNewOperationsBothEncodings(t *testing.T) {
	t.Parallel()
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			fs := newExampleServer(t)
			logs := &testutil.SyncBuffer{}
			s := fs.client(t, f, plexgo.WithLogger(slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
			var printed strings.Builder
			for _, tc := range sdkopsCases() {
				res, err := tc.call(ctx(t), s)
				if err != nil {
					t.Fatalf("%s: %v", tc.name, err)
				}
				tc.check(t, res)
				rs := fs.requests(tc.method, tc.path)
				if len(rs) != 1 {
					t.Fatalf("%s: %d requests to %s %s", tc.name, len(rs), tc.method, tc.path)
				}
				if rs[0].Header.Get("X-Plex-Token") != "fixture-token" || rs[0].Header.Get("X-Plex-Client-Identifier") != testClientID {
					t.Errorf("%s: request without the token or client identifier header", tc.name)
				}
				printed.WriteString(printAndLog(res))
			}
			testutil.NoSecret(t, "printed and logged answers", printed.String(), fixtureSecrets...)
			testutil.NoSecret(t, "debug log", logs.String(), fixtureSecrets...)
			if !strings.Contains(printed.String(), "REDACTED") {
				t.Error("no redacted secret in the printed answers")
			}
		})
	}
}

// printAndLog returns res and the values it points to printed with every
// revealing fmt verb and logged through slog's text and JSON handlers.
// (A bare slice given to a JSON handler is marshalled in its wire form,
// tokens included, like any encoding/json output: log the response, or
// the elements, which redact themselves.)
func printAndLog(res any) string {
	logged := []any{res}
	var slices []any
	switch r := res.(type) {
	case *operations.GetSharedServersResponse:
		logged = append(logged, *r)
		slices = append(slices, r.SharedServers)
		for _, v := range r.SharedServers {
			logged = append(logged, v, &v)
		}
	case *operations.GetSharedServerResponse:
		logged = append(logged, r.SharedServer, *r.SharedServer, *r)
	case *operations.SwitchHomeUserV1Response:
		logged = append(logged, r.User, *r.User, *r)
	case *operations.GetDevicesResponse:
		logged = append(logged, *r)
		slices = append(slices, r.Devices)
		for _, v := range r.Devices {
			logged = append(logged, v, &v)
		}
	case *operations.GetClaimTokenResponse:
		logged = append(logged, r.ClaimToken, *r.ClaimToken, *r)
	case *operations.GetMyPlexAccountResponse:
		logged = append(logged, r.MyPlex, *r.MyPlex, *r)
	case *operations.ClaimServerResponse:
		logged = append(logged, r.MyPlex, *r.MyPlex, *r)
	}
	var b strings.Builder
	b.WriteString(fmtAll(append(logged, slices...)...))
	for _, h := range []slog.Handler{slog.NewTextHandler(&b, nil), slog.NewJSONHandler(&b, nil)} {
		l := slog.New(h)
		for _, v := range logged {
			l.Info("answer", "value", v)
		}
	}
	return b.String()
}

// A PIN-protected Home user without the right PIN: the v1 switch fails
// with the typed 403 that matches ErrInvalidPIN, in both encodings, and is
// sent once (never retried); the PIN travels only as the pin parameter.
func TestSwitchHomeUserV1InvalidPIN(t *testing.T) {
	t.Parallel()
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			fs := newExampleServer(t)
			s := fs.client(t, f)
			_, err := s.Plex.SwitchHomeUserV1(ctx(t), 1004, plexgo.String("qz42"))
			var typed *sdkerrors.SwitchHomeUserV1Forbidden
			if !errors.As(err, &typed) || !errors.Is(err, sdkerrors.ErrInvalidPIN) || !errors.Is(err, sdkerrors.ErrForbidden) || errors.Is(err, sdkerrors.ErrUnauthorized) {
				t.Fatalf("error %T %v", err, err)
			}
			if typed.StatusCode != http.StatusForbidden || !typed.HasCode(sdkerrors.CodeInvalidPIN) || typed.Message != "A valid PIN is required" || typed.Op != "switchHomeUserV1" {
				t.Errorf("typed error %+v", typed.APIError)
			}
			testutil.NoSecret(t, "error", err.Error()+fmtAll(err), "qz42", "fixture-token")
			rs := fs.requests(http.MethodPost, "/api/home/users/1004/switch")
			if len(rs) != 1 || rs[0].URL.Query().Get("pin") != "qz42" {
				t.Errorf("%d requests, pin parameter present: %v", len(rs), len(rs) == 1 && rs[0].URL.Query().Has("pin"))
			}
			// Without a PIN, no pin parameter at all.
			if _, err := s.Plex.SwitchHomeUserV1(ctx(t), 1003, nil); err != nil {
				t.Fatal(err)
			}
			if rs := fs.requests(http.MethodPost, "/api/home/users/1003/switch"); len(rs) != 1 || rs[0].URL.Query().Has("pin") {
				t.Errorf("switch without PIN sent %v", rs[0].URL.Query())
			}
		})
	}
}

// ClaimServer sends the claim token as the token parameter the server
// reads, alongside (not instead of) the X-Plex-Token header.
func TestClaimServerRequest(t *testing.T) {
	t.Parallel()
	fs := newExampleServer(t)
	s := fs.client(t, formats[0])
	if _, err := s.Server.ClaimServer(ctx(t), "claim-abcdEFGH1234wxyz"); err != nil {
		t.Fatal(err)
	}
	r := fs.requests(http.MethodPost, "/myplex/claim")[0]
	if r.URL.Query().Get("token") != "claim-abcdEFGH1234wxyz" || r.Header.Get("X-Plex-Token") != "fixture-token" || len(r.URL.Query()) != 1 {
		t.Errorf("claim request query keys %d, token parameter set: %v", len(r.URL.Query()), r.URL.Query().Has("token"))
	}
	if _, err := s.Server.ClaimServer(ctx(t), ""); err == nil || !strings.Contains(err.Error(), "empty claim token") {
		t.Errorf("empty claim token: %v", err)
	}
	for _, err := range []error{
		second(s.Plex.GetSharedServers(ctx(t), "")),
		second(s.Plex.GetSharedServer(ctx(t), "", 1)),
	} {
		if err == nil || !strings.Contains(err.Error(), "empty machine identifier") {
			t.Errorf("empty machine identifier: %v", err)
		}
	}
}

// A share id that the answer does not contain is an unexpected answer, not
// a nil share.
func TestGetSharedServerMissing(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		_, _ = w.Write([]byte(`<MediaContainer size="0"/>`))
	}))
	t.Cleanup(srv.Close)
	s := plexgo.New(plexgo.WithPlexTVURL(srv.URL), plexgo.WithSecurity("fixture-token"))
	res, err := s.Plex.GetSharedServer(ctx(t), "abc123", 5)
	if !errors.Is(err, sdkerrors.ErrUnexpectedContent) || res != nil {
		t.Errorf("missing share: %v %v", res, err)
	}
}

func second(_ any, err error) error { return err }

// Idempotent new operations are retried through two 503s; the v1 switch
// and the claim (single-use PIN attempt and claim token) are sent once.
func TestNewOperationsRetries(t *testing.T) {
	t.Parallel()
	fs := newExampleServer(t)
	s := fs.client(t, formats[0])
	for _, tc := range sdkopsCases() {
		fs.mu.Lock()
		fs.fail503[tc.method+" "+tc.path] = 2
		fs.mu.Unlock()
		before := len(fs.requests(tc.method, tc.path))
		res, err := tc.call(ctx(t), s)
		sent := len(fs.requests(tc.method, tc.path)) - before
		once := tc.name == "SwitchHomeUserV1" || tc.name == "ClaimServer"
		switch {
		case once:
			if !errors.Is(err, sdkerrors.ErrServer) || sent != 1 {
				t.Errorf("%s: %d requests, error %v; want one request and the 503", tc.name, sent, err)
			}
		case err != nil || sent != 3:
			t.Errorf("%s: %d requests, error %v; want 3 and success", tc.name, sent, err)
		default:
			tc.check(t, res)
		}
		fs.mu.Lock()
		fs.fail503[tc.method+" "+tc.path] = 0
		fs.mu.Unlock()
	}
}

// A refused token: every new operation fails with ErrUnauthorized and an
// error that shows neither the token nor the claim token or PIN it sent.
func TestNewOperationsBadToken(t *testing.T) {
	t.Parallel()
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			fs := newExampleServer(t)
			const bad = "bad-token-sdkops-31337"
			s := fs.client(t, f, plexgo.WithSecurity(bad))
			for _, tc := range sdkopsCases() {
				_, err := tc.call(ctx(t), s)
				if !errors.Is(err, sdkerrors.ErrUnauthorized) {
					t.Errorf("%s: %v", tc.name, err)
					continue
				}
				testutil.NoSecret(t, tc.name+" error", err.Error()+fmtAll(err), bad, "claim-abcdEFGH1234wxyz")
			}
		})
	}
}

// One client, every new operation from many goroutines at once, with
// per-call tokens mixed in. Run with -race.
func TestNewOperationsConcurrent(t *testing.T) {
	t.Parallel()
	fs := newExampleServer(t)
	s := fs.client(t, formats[0], plexgo.WithSecurity("wrong-token"))
	cases := sdkopsCases()
	var wg sync.WaitGroup
	for w := range 60 {
		wg.Go(func() {
			tc := cases[w%len(cases)]
			// The per-call token wins over the client's; without it the
			// client's (refused) token goes out. Neither leaks into the
			// other goroutines' calls.
			if w%3 == 0 {
				if _, err := tc.call(ctx(t), s); !errors.Is(err, sdkerrors.ErrUnauthorized) {
					t.Errorf("worker %d %s with the client's token: %v", w, tc.name, err)
				}
				return
			}
			res, err := tc.call(ctx(t), s, operations.WithToken("fixture-token"))
			if err != nil {
				t.Errorf("worker %d %s: %v", w, tc.name, err)
				return
			}
			tc.check(t, res)
		})
	}
	wg.Wait()
}
