package plexgo_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/plexkit/plexgo"
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
	return []op{
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
		{"Ping", true, func(c context.Context, s *plexgo.PlexAPI) error { return first(s.Authentication.Ping(c)) }},
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
		{"GetIdentity", false, func(c context.Context, s *plexgo.PlexAPI) error { return first(s.Server.GetIdentity(c)) }},
		{"GetServerInfo", true, func(c context.Context, s *plexgo.PlexAPI) error { return first(s.Server.GetServerInfo(c)) }},
		// The operations of issue 12 (sdkops).
		{"Plex.Ping", true, func(c context.Context, s *plexgo.PlexAPI) error {
			res, err := s.Plex.Ping(c)
			if err == nil && !res.Pong {
				err = errors.New("pong false for a valid token")
			}
			return err
		}},
	}
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
	for _, path := range []string{"/api/v2/user", "/security/token", "/security/resources", "/", "/api/v2/resources", "/api/v2/home/users", "/api/v2/pins/link", "/api/v2/ping", "/api/v2/users/signout"} {
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
