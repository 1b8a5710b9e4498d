package plexgo_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/models/components"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/plextest"
)

// op is one SDK call, for tests that run every operation.
type op struct {
	name string
	// auth: the call carries the token.
	auth bool
	call func(ctx context.Context, s *plexgo.PlexAPI) error
}

// allOps returns every operation of the SDK, set up to succeed against
// fake with alice's token (those that need state create it themselves).
func allOps(fake *plextest.Server) []op {
	srv := fake.Servers()[0]
	first := func(_ any, err error) error { return err }
	var jwtMu sync.Mutex
	ops := []op{
		{"GetTransientToken", true, func(c context.Context, s *plexgo.PlexAPI) error {
			return first(s.Authentication.GetTransientToken(c, operations.GetTransientTokenQueryParamTypeDelegation, operations.ScopeAll))
		}},
		{"GetSourceConnectionInformation", true, func(c context.Context, s *plexgo.PlexAPI) error {
			return first(s.Authentication.GetSourceConnectionInformation(c, "server://"+srv.MachineIdentifier))
		}},
		{"GetTokenDetails", true, func(c context.Context, s *plexgo.PlexAPI) error {
			return first(s.Authentication.GetTokenDetails(c))
		}},
		{"PostUsersSignInData", false, func(c context.Context, s *plexgo.PlexAPI) error {
			return first(s.Authentication.PostUsersSignInData(c, nil, signInBody()))
		}},
		{"Authentication.Ping", true, func(c context.Context, s *plexgo.PlexAPI) error { return first(s.Authentication.Ping(c)) }},
		{"GetNonce", false, func(c context.Context, s *plexgo.PlexAPI) error { return first(s.Authentication.GetNonce(c)) }},
		{"GetPublicKeys", false, func(c context.Context, s *plexgo.PlexAPI) error { return first(s.Authentication.GetPublicKeys(c)) }},
		{"CreatePin+GetPin", false, func(c context.Context, s *plexgo.PlexAPI) error {
			p, err := s.Plex.CreatePin(c, operations.CreatePinRequest{Strong: true})
			if err != nil {
				return err
			}
			return first(s.Plex.GetPin(c, p.Pin.ID))
		}},
		{"LinkPin", true, func(c context.Context, s *plexgo.PlexAPI) error {
			// A PIN of another device, linked with our token.
			other := plexgo.New(plexgo.WithPlexTVURL(fake.PlexTVURL), plexgo.WithXPlexClientIdentifier("linked-device"))
			p, err := other.Plex.CreatePin(c, operations.CreatePinRequest{})
			if err != nil {
				return err
			}
			return first(s.Plex.LinkPin(c, p.Pin.Code))
		}},
		{"GetResources", true, func(c context.Context, s *plexgo.PlexAPI) error {
			return first(s.Plex.GetResources(c, operations.GetResourcesRequest{IncludeHTTPS: true, IncludeRelay: true}))
		}},
		{"GetHomeUsers+SwitchHomeUser", true, func(c context.Context, s *plexgo.PlexAPI) error {
			h, err := s.Plex.GetHomeUsers(c)
			if err != nil {
				return err
			}
			for _, u := range h.Home.Users {
				if u.Protected {
					return first(s.Plex.SwitchHomeUser(c, u.UUID, plexgo.String(plextest.HomeUserPIN)))
				}
			}
			return nil
		}},
		{"RegisterDeviceKey+GetNonce+ExchangeDeviceJWT", true, func(c context.Context, s *plexgo.PlexAPI) error {
			// plex.tv keeps one key per device: concurrent runs with the
			// same client identifier would replace each other's key.
			jwtMu.Lock()
			defer jwtMu.Unlock()
			key, err := auth.NewDeviceKey()
			if err != nil {
				return err
			}
			if _, err := s.Authentication.RegisterDeviceKey(c, key.PublicJWK()); err != nil {
				return err
			}
			n, err := s.Authentication.GetNonce(c)
			if err != nil {
				return err
			}
			jwt, err := key.SignDeviceJWT(testClientID, n.Nonce, time.Now())
			if err != nil {
				return err
			}
			return first(s.Authentication.ExchangeDeviceJWT(c, jwt))
		}},
		{"CreatePin+GetPinWithDeviceJWT", false, func(c context.Context, s *plexgo.PlexAPI) error {
			jwtMu.Lock() // a PIN with a JWK registers the device key too
			defer jwtMu.Unlock()
			key, err := auth.NewDeviceKey()
			if err != nil {
				return err
			}
			jwk := key.PublicJWK()
			p, err := s.Plex.CreatePin(c, operations.CreatePinRequest{Strong: true, JWK: &jwk})
			if err != nil {
				return err
			}
			jwt, err := key.SignDeviceJWT(testClientID, "", time.Now())
			if err != nil {
				return err
			}
			return first(s.Plex.GetPinWithDeviceJWT(c, p.Pin.ID, jwt))
		}},
		{"GetIdentity", false, func(c context.Context, s *plexgo.PlexAPI) error { return first(s.Server.GetIdentity(c)) }},
		{"GetServerInfo", true, func(c context.Context, s *plexgo.PlexAPI) error { return first(s.Server.GetServerInfo(c)) }},
	}
	return append(ops, sdkopsOps(fake)...)
}

// sdkopsOps are the operations of issue 12, set up like allOps: each
// succeeds against fake with alice's token, and those that change state
// undo it or work on state of their own (a device made for the call, a
// server of their own to unclaim and claim again).
func sdkopsOps(fake *plextest.Server) []op {
	srv := fake.Servers()[0]
	first := func(_ any, err error) error { return err }
	claimable := claimableServer(fake)
	var devices atomic.Int64
	return []op{
		{"Plex.Ping", true, func(c context.Context, s *plexgo.PlexAPI) error {
			res, err := s.Plex.Ping(c)
			if err == nil && !res.Pong {
				err = errors.New("pong false for a valid token")
			}
			return err
		}},
		{"GetUsers+GetSharedServers+GetSharedServer", true, func(c context.Context, s *plexgo.PlexAPI) error {
			users, err := s.Plex.GetUsers(c)
			if err != nil {
				return err
			}
			if _, err := s.Plex.GetSharedServers(c, srv.MachineIdentifier); err != nil {
				return err
			}
			for _, u := range users.Users {
				for _, sv := range u.Servers {
					if sv.MachineIdentifier == srv.MachineIdentifier && u.Username == "bob" {
						return first(s.Plex.GetSharedServer(c, srv.MachineIdentifier, sv.ID))
					}
				}
			}
			return errors.New("no share of the default server for bob")
		}},
		{"GetFriends", true, func(c context.Context, s *plexgo.PlexAPI) error { return first(s.Plex.GetFriends(c)) }},
		{"GetHome", true, func(c context.Context, s *plexgo.PlexAPI) error { return first(s.Plex.GetHome(c)) }},
		{"GetHomeUsersV1+SwitchHomeUserV1", true, func(c context.Context, s *plexgo.PlexAPI) error {
			h, err := s.Plex.GetHomeUsersV1(c)
			if err != nil {
				return err
			}
			for _, u := range h.Users {
				if u.Protected {
					return first(s.Plex.SwitchHomeUserV1(c, u.ID, plexgo.String(plextest.HomeUserPIN)))
				}
			}
			return errors.New("no protected Home user")
		}},
		{"GetDevices+DeleteDevice", true, func(c context.Context, s *plexgo.PlexAPI) error {
			// A device of alice's made for this call, then removed.
			client := "sdkops-device-" + itoa(devices.Add(1))
			if _, err := fake.IssueToken(plextest.DefaultLogin, client); err != nil {
				return err
			}
			list, err := s.Plex.GetDevices(c)
			if err != nil {
				return err
			}
			for _, d := range list.Devices {
				if d.ClientIdentifier == client {
					return first(s.Plex.DeleteDevice(c, d.ID))
				}
			}
			return errors.New("the new device is not listed")
		}},
		{"GetMyPlexAccount", true, func(c context.Context, s *plexgo.PlexAPI) error { return first(s.Server.GetMyPlexAccount(c)) }},
		{"GetClaimToken", true, func(c context.Context, s *plexgo.PlexAPI) error { return first(s.Plex.GetClaimToken(c)) }},
		{"UnclaimServer+ClaimServer", true, func(c context.Context, s *plexgo.PlexAPI) error {
			// On a server of its own (see claimableServer): unclaimed, and
			// claimed again by alice with a fresh claim token. The token
			// comes from the fake's plex.tv directly, so that every request
			// the recorders of TestOperationHosts see is on the PMS.
			at := operations.WithServerURL(claimURL(c, claimable.URL))
			if _, err := s.Server.UnclaimServer(c, at); err != nil {
				return err
			}
			tok, err := s.Plex.GetClaimToken(c, operations.WithServerURL(fake.PlexTVURL))
			if err != nil {
				return err
			}
			res, err := s.Server.ClaimServer(c, tok.GetToken(), at)
			if err == nil && !res.MyPlex.SignedIn() {
				err = errors.New("claimed server not signed in")
			}
			return err
		}},
		{"GetAccounts", true, func(c context.Context, s *plexgo.PlexAPI) error { return first(s.Server.GetAccounts(c)) }},
		{"GetSystemDevices", true, func(c context.Context, s *plexgo.PlexAPI) error { return first(s.Server.GetSystemDevices(c)) }},
		{"GetLibrarySections", true, func(c context.Context, s *plexgo.PlexAPI) error { return first(s.Server.GetLibrarySections(c)) }},
	}
}

// claimURLKey is the context key under which a test routes the claim
// operation's server through a proxy (TestOperationHosts).
type claimURLKey struct{}

// claimURL returns the URL the context routes the claim operation to, or
// def.
func claimURL(ctx context.Context, def string) string {
	if u, ok := ctx.Value(claimURLKey{}).(string); ok {
		return u
	}
	return def
}

// claimableServer returns alice's server "sdkops-claim" of fake, adding it
// on first use (ClaimServer drops a server's shares, so the claim
// operations never touch the default server).
func claimableServer(fake *plextest.Server) plextest.ServerInfo {
	for _, s := range fake.Servers() {
		if s.Name == "sdkops-claim" {
			return s
		}
	}
	return fake.AddServer(plextest.ServerSpec{Name: "sdkops-claim"})
}

// Every request carries the identity headers and Accept: application/json;
// the token travels only in the X-Plex-Token header.
func TestRequestHeaders(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	tok := alice(t, fake).AuthToken
	s := newClient(t, fake, tok,
		plexgo.WithProduct("plexgo tests"),
		plexgo.WithVersion("9.9.9"),
		plexgo.WithPlatform("TestOS"),
		plexgo.WithPlatformVersion("1.0"),
		plexgo.WithDevice("Test Rig"),
		plexgo.WithDeviceName("Wohnzimmer-Gerät"),
		plexgo.WithModel("T-1000"),
	)
	for _, o := range allOps(fake) {
		if err := o.call(ctx(t), s); err != nil {
			t.Fatalf("%s: %v", o.name, err)
		}
	}
	if _, err := s.Authentication.SignOut(ctx(t)); err != nil {
		t.Fatalf("SignOut: %v", err)
	}

	want := map[string]string{
		"X-Plex-Client-Identifier": testClientID,
		"X-Plex-Product":           "plexgo tests",
		"X-Plex-Version":           "9.9.9",
		"X-Plex-Platform":          "TestOS",
		"X-Plex-Platform-Version":  "1.0",
		"X-Plex-Device":            "Test Rig",
		"X-Plex-Device-Name":       "Wohnzimmer-Gerät",
		"X-Plex-Model":             "T-1000",
		"Accept":                   "application/json",
	}
	reqs := fake.Requests()
	var withToken int
	for _, r := range reqs {
		if r.Method == http.MethodPost && r.Path == "/api/v2/pins" && r.Header.Get("X-Plex-Client-Identifier") == "linked-device" {
			continue // the helper device of the LinkPin case
		}
		where := r.Method + " " + r.Path
		for k, v := range want {
			if got := r.Header.Values(k); len(got) != 1 || got[0] != v {
				t.Errorf("%s: %s = %q, want exactly %q", where, k, got, v)
			}
		}
		if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "plexgo/") {
			t.Errorf("%s: User-Agent %q", where, ua)
		}
		for k := range r.Query {
			if strings.EqualFold(k, "X-Plex-Token") {
				t.Errorf("%s: token in the URL query", where)
			}
		}
		if _, ok := r.Header["X-Plex-Token"]; ok {
			withToken++
		}
	}
	// Authenticated operations carry the header; anonymous ones do not.
	for _, path := range []string{"/api/v2/user", "/security/token", "/security/resources", "/", "/api/v2/resources", "/api/v2/home/users", "/api/v2/pins/link", "/api/v2/ping", "/api/v2/users/signout",
		// issue 12 (sdkops)
		"/api/users", "/api/v2/friends", "/api/servers/" + fake.Servers()[0].MachineIdentifier + "/shared_servers", "/api/v2/home", "/api/home/users",
		"/devices.xml", "/api/claim/token.json", "/myplex/account", "/myplex/claim", "/accounts", "/devices", "/library/sections"} {
		rs := requestsAt(reqs, path)
		if len(rs) == 0 {
			t.Errorf("no request to %s", path)
		}
		for _, r := range rs {
			if r.Header.Get("X-Plex-Token") != "REDACTED" {
				t.Errorf("%s %s: no X-Plex-Token header", r.Method, path)
			}
		}
	}
	for _, path := range []string{"/api/v2/users/signin", "/api/v2/auth/nonce", "/api/v2/auth/keys", "/identity", "/api/v2/pins"} {
		for _, r := range requestsAt(reqs, path) {
			if _, ok := r.Header["X-Plex-Token"]; ok {
				t.Errorf("%s %s: anonymous operation sent a token", r.Method, path)
			}
		}
	}
	if withToken == 0 {
		t.Error("no request carried a token")
	}
}

func requestsAt(reqs []plextest.Request, path string) []plextest.Request {
	var out []plextest.Request
	for _, r := range reqs {
		if r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// Defaults: product plexgo, this module's version, a platform, and no
// client identifier unless one is configured.
func TestDefaultHeaders(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	s := plexgo.New(plexgo.WithPlexTVURL(fake.PlexTVURL), plexgo.WithClient(httpClient(t, nil)))
	_, _ = s.Authentication.GetNonce(ctx(t))
	r := requestsTo(fake, http.MethodGet, "/api/v2/auth/nonce")[0]
	if r.Header.Get("X-Plex-Product") != "plexgo" || r.Header.Get("X-Plex-Version") != plexgo.Version || r.Header.Get("X-Plex-Platform") == "" {
		t.Errorf("default headers %v", r.Header)
	}
	if _, ok := r.Header["X-Plex-Client-Identifier"]; ok {
		t.Error("client identifier sent without one configured")
	}
}

// A per-call token replaces the configured one; the security source is
// asked on every request.
func TestTokenSources(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	a := alice(t, fake)
	bob, _ := fake.Account(plextest.TwoFactorLogin)

	s := newClient(t, fake, a.AuthToken)
	res, err := s.Authentication.GetTokenDetails(ctx(t), operations.WithToken(bob.AuthToken))
	if err != nil || res.UserPlexAccount.ID != bob.ID {
		t.Fatalf("per-call token: %v %v", res, err)
	}
	if _, err := s.Authentication.GetTokenDetails(ctx(t), operations.WithToken("")); err == nil || !strings.Contains(err.Error(), "WithToken") {
		t.Errorf("empty per-call token: %v", err)
	}

	var asked int
	tokens := []string{a.AuthToken, bob.AuthToken}
	src := newClient(t, fake, "", plexgo.WithSecuritySource(func(context.Context) (components.Security, error) {
		tok := tokens[asked%2]
		asked++
		return components.Security{AccessToken: &tok}, nil
	}))
	for i, want := range []int64{a.ID, bob.ID, a.ID} {
		res, err := src.Authentication.GetTokenDetails(ctx(t))
		if err != nil || res.UserPlexAccount.ID != want {
			t.Fatalf("call %d: %v %v", i, res, err)
		}
	}
	// Anonymous operations do not ask.
	before := asked
	if _, err := src.Server.GetIdentity(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if asked != before {
		t.Error("security source asked for an anonymous operation")
	}
}
