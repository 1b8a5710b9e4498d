package plexgo_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/internal/testutil"
	"github.com/plexkit/plexgo/models/components"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/models/sdkerrors"
	"github.com/plexkit/plexgo/plextest"
)

// Every operation, decoded from JSON and from XML, against the fake.

func TestGetTransientToken(t *testing.T) {
	t.Parallel()
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			s := newClient(t, fake, alice(t, fake).AuthToken, f.opt(t))
			res, err := s.Authentication.GetTransientToken(ctx(t), operations.GetTransientTokenQueryParamTypeDelegation, operations.ScopeAll)
			if err != nil {
				t.Fatalf("GetTransientToken: %v", err)
			}
			wantContentType(t, f, res.ContentType)
			if res.StatusCode != http.StatusOK {
				t.Errorf("status %d", res.StatusCode)
			}
			tok := res.GetToken()
			if !strings.HasPrefix(tok, "transient-") {
				t.Fatalf("transient token missing or malformed (len %d)", len(tok))
			}
			if got := fake.CountRequests(http.MethodPost, "/security/token"); got != 1 {
				t.Errorf("POST /security/token sent %d times", got)
			}
			// The transient token works on the server as a token of its own.
			info, err := s.Server.GetServerInfo(ctx(t), operations.WithToken(tok))
			if err != nil {
				t.Fatalf("GetServerInfo with the transient token: %v", err)
			}
			if info.MediaContainer.MachineIdentifier == "" {
				t.Error("server info without machine identifier")
			}
			// And it is never printed.
			testutil.NoSecret(t, "%v of the container", fmtAll(res.MediaContainer), tok)
		})
	}
}

func TestGetSourceConnectionInformation(t *testing.T) {
	t.Parallel()
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			srv := fake.Servers()[0]
			s := newClient(t, fake, alice(t, fake).AuthToken, f.opt(t))
			res, err := s.Authentication.GetSourceConnectionInformation(ctx(t), "server://"+srv.MachineIdentifier)
			if err != nil {
				t.Fatalf("GetSourceConnectionInformation: %v", err)
			}
			wantContentType(t, f, res.ContentType)
			d := res.GetDevice()
			if d == nil {
				t.Fatal("no device")
			}
			if d.ClientIdentifier != srv.MachineIdentifier || d.Name != srv.Name {
				t.Errorf("device %s/%s, want %s/%s", d.Name, d.ClientIdentifier, srv.Name, srv.MachineIdentifier)
			}
			if d.AccessToken == "" {
				t.Error("device without access token")
			}
			if len(d.Connections) != len(srv.Connections) {
				t.Fatalf("%d connections, want %d", len(d.Connections), len(srv.Connections))
			}
			var local, relay int
			for _, c := range d.Connections {
				if c.URI == "" || c.Port == 0 || c.Protocol == "" {
					t.Errorf("incomplete connection %+v", c)
				}
				if c.Local {
					local++
				}
				if c.Relay {
					relay++
				}
			}
			if local != 1 || relay != 1 {
				t.Errorf("local=%d relay=%d, want 1 and 1", local, relay)
			}
			testutil.NoSecret(t, "%v of the device", fmtAll(d, *d, res.MediaContainer), d.AccessToken)
			if got := fake.CountRequests(http.MethodGet, "/security/resources"); got != 1 {
				t.Errorf("GET /security/resources sent %d times", got)
			}
		})
	}
}

func TestGetTokenDetails(t *testing.T) {
	t.Parallel()
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			a := alice(t, fake)
			s := newClient(t, fake, a.AuthToken, f.opt(t))
			res, err := s.Authentication.GetTokenDetails(ctx(t))
			if err != nil {
				t.Fatalf("GetTokenDetails: %v", err)
			}
			wantContentType(t, f, res.ContentType)
			u := res.UserPlexAccount
			if u == nil {
				t.Fatal("no account")
			}
			if u.ID != a.ID || u.UUID != a.UUID || u.Username != a.Username || u.Email != a.Email {
				t.Errorf("account %d/%s/%s/%s, want %d/%s/%s/%s", u.ID, u.UUID, u.Username, u.Email, a.ID, a.UUID, a.Username, a.Email)
			}
			if u.AuthToken != a.AuthToken {
				t.Error("authToken does not round-trip")
			}
			if !u.PlexPass() || !u.Home || !u.HomeAdmin || u.TwoFactorEnabled {
				t.Errorf("flags: plexpass=%v home=%v admin=%v 2fa=%v", u.PlexPass(), u.Home, u.HomeAdmin, u.TwoFactorEnabled)
			}
			if u.JoinedTime().IsZero() || u.RememberExpiresTime().IsZero() {
				t.Error("time fields not decoded")
			}
			if u.Subscription == nil || len(u.Subscription.Features) == 0 {
				t.Fatal("subscription features not decoded")
			}
			if !u.HasFeature(components.FeatureWebhooks) {
				t.Error("webhooks feature missing")
			}
			// The fake always lists a feature no SDK knows: it must be kept.
			if !u.HasFeature("plextest-unreleased-feature") {
				t.Error("unknown feature name dropped")
			}
			if len(u.Roles) == 0 || len(u.Entitlements) == 0 || len(u.Subscriptions) == 0 || len(u.Services) == 0 {
				t.Errorf("lists not decoded: roles=%d entitlements=%d subscriptions=%d services=%d",
					len(u.Roles), len(u.Entitlements), len(u.Subscriptions), len(u.Services))
			}
			testutil.NoSecret(t, "%v of the account", fmtAll(u, *u), a.AuthToken)
		})
	}
}

func TestPostUsersSignInData(t *testing.T) {
	t.Parallel()
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			s := newClient(t, fake, "", f.opt(t))
			res, err := s.Authentication.PostUsersSignInData(ctx(t), nil, &operations.PostUsersSignInDataRequestBody{
				Login:      plextest.DefaultLogin,
				Password:   plextest.DefaultPassword,
				RememberMe: plexgo.Bool(true),
			})
			if err != nil {
				t.Fatalf("PostUsersSignInData: %v", err)
			}
			wantContentType(t, f, res.ContentType)
			if res.StatusCode != http.StatusCreated {
				t.Errorf("status %d, want 201", res.StatusCode)
			}
			u := res.UserPlexAccount
			if u == nil || u.AuthToken == "" || u.Username != plextest.DefaultUsername {
				t.Fatalf("sign-in returned %v", u)
			}
			if f.name == "JSON" && len(u.PastSubscriptions) == 0 {
				t.Error("pastSubscriptions not decoded")
			}
			if f.name == "XML" && len(u.PastSubscriptions) == 0 {
				t.Error("pastSubscriptions not decoded from XML")
			}
			// The token works.
			s2 := newClient(t, fake, u.AuthToken)
			if _, err := s2.Authentication.GetTokenDetails(ctx(t)); err != nil {
				t.Fatalf("token from sign-in rejected: %v", err)
			}
			reqs := requestsTo(fake, http.MethodPost, "/api/v2/users/signin")
			if len(reqs) != 1 {
				t.Fatalf("%d sign-in requests", len(reqs))
			}
			r := reqs[0]
			if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
				t.Errorf("sign-in Content-Type %q", ct)
			}
			if r.Form.Get("login") != plextest.DefaultLogin || r.Form.Get("password") == "" || r.Form.Get("rememberMe") != "true" {
				t.Errorf("sign-in form %v", r.Form)
			}
			if r.Form.Has("verificationCode") {
				t.Error("verificationCode sent without a code")
			}
			if r.Header.Get("X-Plex-Token") != "" {
				t.Error("sign-in carried a token")
			}
		})
	}
}

func TestPostUsersSignInDataTwoFactor(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	s := newClient(t, fake, "")
	res, err := s.Authentication.PostUsersSignInData(ctx(t), plexgo.String("per-call-client"), &operations.PostUsersSignInDataRequestBody{
		Login:            plextest.TwoFactorLogin,
		Password:         plextest.TwoFactorPassword,
		VerificationCode: plexgo.String(plextest.TwoFactorCode),
	})
	if err != nil {
		t.Fatalf("sign-in with code: %v", err)
	}
	if !res.UserPlexAccount.TwoFactorEnabled {
		t.Error("twoFactorEnabled not decoded")
	}
	r := requestsTo(fake, http.MethodPost, "/api/v2/users/signin")[0]
	if r.Form.Get("verificationCode") == "" || r.Form.Get("rememberMe") != "false" {
		t.Errorf("form %v", r.Form)
	}
	if got := r.Header.Get("X-Plex-Client-Identifier"); got != "per-call-client" {
		t.Errorf("client identifier %q, want the per-call one", got)
	}
}

func TestPingAndSignOut(t *testing.T) {
	t.Parallel()
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			tok, err := fake.IssueToken(plextest.DefaultLogin, testClientID)
			if err != nil {
				t.Fatal(err)
			}
			s := newClient(t, fake, tok, f.opt(t))
			ping, err := s.Authentication.Ping(ctx(t))
			if err != nil {
				t.Fatalf("Ping: %v", err)
			}
			if ping.StatusCode != http.StatusOK {
				t.Errorf("ping status %d", ping.StatusCode)
			}
			out, err := s.Authentication.SignOut(ctx(t))
			if err != nil {
				t.Fatalf("SignOut: %v", err)
			}
			if out.StatusCode != http.StatusNoContent {
				t.Errorf("sign-out status %d, want 204", out.StatusCode)
			}
			if got := fake.CountRequests(http.MethodDelete, "/api/v2/users/signout"); got != 1 {
				t.Errorf("%d sign-out requests", got)
			}
			// The token is gone now.
			_, err = s.Authentication.Ping(ctx(t))
			if !isUnauthorized(err) {
				t.Fatalf("Ping after sign-out: %v, want unauthorized", err)
			}
		})
	}
}

func TestPinFlow(t *testing.T) {
	t.Parallel()
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			a := alice(t, fake)
			device := newClient(t, fake, "", f.opt(t))
			for _, strong := range []bool{false, true} {
				created, err := device.Plex.CreatePin(ctx(t), operations.CreatePinRequest{Strong: strong})
				if err != nil {
					t.Fatalf("CreatePin(strong=%v): %v", strong, err)
				}
				wantContentType(t, f, created.ContentType)
				pin := created.Pin
				if pin.ID == 0 || pin.Code == "" || pin.Approved() || pin.ExpiresAt.IsZero() || pin.ClientIdentifier != testClientID {
					t.Fatalf("new PIN %+v", pin)
				}
				if strong && len(pin.Code) <= 4 || !strong && len(pin.Code) != 4 {
					t.Errorf("strong=%v code length %d", strong, len(pin.Code))
				}
				if pin.Location == nil || pin.Location.Country == "" {
					t.Error("PIN location not decoded")
				}
				got, err := device.Plex.GetPin(ctx(t), pin.ID)
				if err != nil {
					t.Fatalf("GetPin: %v", err)
				}
				if got.Pin.Approved() {
					t.Fatal("PIN approved before linking")
				}
				// The user links the PIN with their own client.
				user := newClient(t, fake, a.AuthToken, f.opt(t))
				if _, err := user.Plex.LinkPin(ctx(t), pin.Code); err != nil {
					t.Fatalf("LinkPin: %v", err)
				}
				got, err = device.Plex.GetPin(ctx(t), pin.ID)
				if err != nil {
					t.Fatalf("GetPin after link: %v", err)
				}
				if !got.Pin.Approved() {
					t.Fatal("PIN not approved after LinkPin")
				}
				tok := *got.Pin.AuthToken
				testutil.NoSecret(t, "%v of the PIN", fmtAll(got.Pin, *got.Pin), tok)
				me, err := newClient(t, fake, tok).Authentication.GetTokenDetails(ctx(t))
				if err != nil {
					t.Fatalf("PIN token rejected: %v", err)
				}
				if me.UserPlexAccount.ID != a.ID {
					t.Errorf("PIN token belongs to %d, want %d", me.UserPlexAccount.ID, a.ID)
				}
			}
			strong := requestsTo(fake, http.MethodPost, "/api/v2/pins")
			if len(strong) != 2 || strong[0].Query.Has("strong") || strong[1].Query.Get("strong") != "true" {
				t.Errorf("CreatePin queries: %v", strong)
			}
		})
	}
}

func TestGetResources(t *testing.T) {
	t.Parallel()
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			srv := fake.Servers()[0]
			s := newClient(t, fake, alice(t, fake).AuthToken, f.opt(t))
			for _, req := range []operations.GetResourcesRequest{{}, {IncludeHTTPS: true, IncludeRelay: true, IncludeIPv6: true}} {
				res, err := s.Plex.GetResources(ctx(t), req)
				if err != nil {
					t.Fatalf("GetResources(%+v): %v", req, err)
				}
				wantContentType(t, f, res.ContentType)
				var server *operations.Resource
				var players int
				for i := range res.Resources {
					r := &res.Resources[i]
					if r.ClientIdentifier == srv.MachineIdentifier {
						server = r
					}
					if r.HasProvides("player") {
						players++
					}
				}
				if server == nil {
					t.Fatalf("server %s missing from %d resources", srv.MachineIdentifier, len(res.Resources))
				}
				if !server.Owned || !server.HasProvides("server") || server.AccessToken != srv.AccessToken || server.LastSeenAt.IsZero() {
					t.Errorf("server resource %v owned=%v lastSeen=%v", server, server.Owned, server.LastSeenAt)
				}
				wantConns := 2 // local and remote; relay only when asked
				if req.IncludeRelay {
					wantConns = 3
				}
				if len(server.Connections) != wantConns {
					t.Errorf("%d connections, want %d", len(server.Connections), wantConns)
				}
				if players != 1 {
					t.Errorf("%d players", players)
				}
				testutil.NoSecret(t, "%v of the resource", fmtAll(server, *server, res.Resources), server.AccessToken)
			}
			reqs := requestsTo(fake, http.MethodGet, "/api/v2/resources")
			if len(reqs) != 2 {
				t.Fatalf("%d resources requests", len(reqs))
			}
			for i, want := range []string{"0", "1"} {
				q := reqs[i].Query
				if q.Get("includeHttps") != want || q.Get("includeRelay") != want || q.Get("includeIPv6") != want {
					t.Errorf("request %d query %v", i, q)
				}
			}
		})
	}
}

func TestHomeUsersAndSwitch(t *testing.T) {
	t.Parallel()
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			s := newClient(t, fake, alice(t, fake).AuthToken, f.opt(t))
			res, err := s.Plex.GetHomeUsers(ctx(t))
			if err != nil {
				t.Fatalf("GetHomeUsers: %v", err)
			}
			wantContentType(t, f, res.ContentType)
			h := res.Home
			if h == nil || h.Name == "" || len(h.Users) < 2 {
				t.Fatalf("home %+v", h)
			}
			var admin, protected, open *operations.HomeUser
			for i := range h.Users {
				u := &h.Users[i]
				switch {
				case u.Admin:
					admin = u
				case u.Protected:
					protected = u
				default:
					open = u
				}
			}
			if admin == nil || protected == nil || open == nil {
				t.Fatalf("home users admin=%v protected=%v other=%v", admin, protected, open)
			}
			// An unprotected user needs no PIN.
			sw, err := s.Plex.SwitchHomeUser(ctx(t), open.UUID, nil)
			if err != nil {
				t.Fatalf("SwitchHomeUser(%s): %v", open.Username, err)
			}
			if sw.UserPlexAccount == nil || sw.UserPlexAccount.UUID != open.UUID || sw.UserPlexAccount.AuthToken == "" {
				t.Fatalf("switched to %v", sw.UserPlexAccount)
			}
			// A protected one needs the PIN, by id as well as by UUID.
			sw, err = s.Plex.SwitchHomeUser(ctx(t), itoa(protected.ID), plexgo.String(plextest.HomeUserPIN))
			if err != nil {
				t.Fatalf("SwitchHomeUser(protected): %v", err)
			}
			if sw.UserPlexAccount.ID != protected.ID {
				t.Errorf("switched to %d, want %d", sw.UserPlexAccount.ID, protected.ID)
			}
			// The user's token sees the same Home.
			home2, err := newClient(t, fake, sw.UserPlexAccount.AuthToken).Plex.GetHomeUsers(ctx(t))
			if err != nil || home2.Home.ID != h.ID {
				t.Fatalf("home of switched user: %v (%v)", home2, err)
			}
			if _, err := s.Plex.SwitchHomeUser(ctx(t), "", nil); err == nil {
				t.Error("empty user accepted")
			}
		})
	}
}

func TestServerIdentityAndInfo(t *testing.T) {
	t.Parallel()
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			srv := fake.Servers()[0]
			// Identity needs no token.
			anon := newClient(t, fake, "", f.opt(t))
			id, err := anon.Server.GetIdentity(ctx(t))
			if err != nil {
				t.Fatalf("GetIdentity: %v", err)
			}
			wantContentType(t, f, id.ContentType)
			if id.MediaContainer.MachineIdentifier != srv.MachineIdentifier || !id.MediaContainer.Claimed || id.MediaContainer.Version != plextest.PMSVersion {
				t.Errorf("identity %+v", id.MediaContainer)
			}
			if r := requestsTo(fake, http.MethodGet, "/identity"); r[0].Header.Get("X-Plex-Token") != "" {
				t.Error("identity request carried a token")
			}
			s := newClient(t, fake, alice(t, fake).AuthToken, f.opt(t))
			info, err := s.Server.GetServerInfo(ctx(t))
			if err != nil {
				t.Fatalf("GetServerInfo: %v", err)
			}
			wantContentType(t, f, info.ContentType)
			mc := info.MediaContainer
			if mc.MachineIdentifier != srv.MachineIdentifier || mc.FriendlyName != srv.Name || !mc.MyPlex || mc.MyPlexUsername == "" ||
				!mc.Claimed || mc.Version != plextest.PMSVersion || mc.Size == 0 {
				t.Errorf("server info %+v", mc)
			}
			if !strings.Contains(mc.OwnerFeatures, "webhooks") {
				t.Errorf("owner features %q", mc.OwnerFeatures)
			}
		})
	}
}

func TestDeviceKeyAndNonce(t *testing.T) {
	t.Parallel()
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			s := newClient(t, fake, alice(t, fake).AuthToken, f.opt(t))
			n1, err := s.Authentication.GetNonce(ctx(t))
			if err != nil {
				t.Fatalf("GetNonce: %v", err)
			}
			wantContentType(t, f, n1.ContentType)
			n2, err := s.Authentication.GetNonce(ctx(t))
			if err != nil {
				t.Fatalf("GetNonce: %v", err)
			}
			if n1.Nonce == "" || n1.Nonce == n2.Nonce {
				t.Errorf("nonces not fresh")
			}
			keys, err := s.Authentication.GetPublicKeys(ctx(t))
			if err != nil {
				t.Fatalf("GetPublicKeys: %v", err)
			}
			if len(keys.Keys) == 0 || keys.Keys[0].Kty != "OKP" || keys.Keys[0].Crv != "Ed25519" || keys.Keys[0].X == "" || keys.Keys[0].Kid == "" {
				t.Errorf("keys %+v", keys.Keys)
			}
			jwk := testJWK(t)
			if _, err := s.Authentication.RegisterDeviceKey(ctx(t), jwk); err != nil {
				t.Fatalf("RegisterDeviceKey: %v", err)
			}
			r := requestsTo(fake, http.MethodPost, "/api/v2/auth/jwk")
			if len(r) != 1 || !strings.HasPrefix(r[0].Header.Get("Content-Type"), "application/json") || r[0].Header.Get("X-Plex-Token") == "" {
				t.Fatalf("jwk requests %v", r)
			}
			// The same key from another device is refused.
			other := newClient(t, fake, alice(t, fake).AuthToken, f.opt(t), plexgo.WithXPlexClientIdentifier("other-device"))
			if _, err := other.Authentication.RegisterDeviceKey(ctx(t), jwk); !isUnprocessable(err) {
				t.Errorf("second registration: %v, want unprocessable", err)
			}
			// A key plex.tv cannot parse is a 400.
			_, err = s.Authentication.RegisterDeviceKey(ctx(t), operations.JWK{Kty: "RSA"})
			var apiErr *sdkerrors.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || apiErr.Attempts != 1 {
				t.Errorf("bad key: %v", err)
			}
		})
	}
}

// Path values are escaped once: a user id with a space or a slash reaches
// plex.tv as that id, not as a longer path or a double-escaped one.
func TestPathEscaping(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	s := newClient(t, fake, alice(t, fake).AuthToken)
	_, err := s.Plex.SwitchHomeUser(ctx(t), "no such/user", nil)
	if !errors.Is(err, sdkerrors.ErrNotFound) {
		t.Fatalf("got %v, want not found", err)
	}
	if got := requestsTo(fake, http.MethodPost, "/api/v2/home/users/no such/user/switch"); len(got) != 1 {
		t.Errorf("escaped user id not received as sent: %v", fake.Requests())
	}
	if _, err := s.Plex.SwitchHomeUser(ctx(t), "..", nil); err == nil {
		t.Error("dot-dot user id accepted")
	}
}

// JWT device operations, lightly: routing, bodies, retry class and error
// mapping (their depth is covered with package auth's JWT flow).
func TestDeviceJWTOperations(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	s := newClient(t, fake, "")
	jwk := testJWK(t)
	created, err := s.Plex.CreatePin(ctx(t), operations.CreatePinRequest{Strong: true, JWK: &jwk})
	if err != nil {
		t.Fatalf("CreatePin with a JWK: %v", err)
	}
	r := requestsTo(fake, http.MethodPost, "/api/v2/pins")
	if len(r) != 1 || !strings.HasPrefix(r[0].Header.Get("Content-Type"), "application/json") || r[0].Form.Get("strong") != "true" || r[0].Form.Get("jwk") == "" {
		t.Fatalf("JWK PIN request %v", r)
	}
	if _, err := s.Plex.GetPinWithDeviceJWT(ctx(t), created.Pin.ID, ""); err == nil {
		t.Error("empty device JWT accepted")
	}
	// An unsigned JWT is refused; the query carries it, the log masks it.
	_, err = s.Plex.GetPinWithDeviceJWT(ctx(t), created.Pin.ID, "e30.e30.sig")
	if err != nil && !errors.Is(err, sdkerrors.ErrUnprocessable) && !errors.Is(err, sdkerrors.ErrUnauthorized) {
		t.Errorf("pending PIN with a bad device JWT: %v", err)
	}
	pinReqs := requestsTo(fake, http.MethodGet, "/api/v2/pins/"+itoa(created.Pin.ID))
	if len(pinReqs) != 1 || pinReqs[0].Query.Get("deviceJWT") != "REDACTED" {
		t.Errorf("device JWT query: %v", pinReqs)
	}

	_, err = s.Authentication.ExchangeDeviceJWT(ctx(t), "e30.e30.sig")
	if !errors.Is(err, sdkerrors.ErrUnprocessable) && !errors.Is(err, sdkerrors.ErrUnauthorized) {
		t.Errorf("exchange with a bad JWT: %v", err)
	}
	fake.InjectFault("POST /api/v2/auth/token", plextest.Fault{Statuses: []int{503, 503}})
	_, err = s.Authentication.ExchangeDeviceJWT(ctx(t), "e30.e30.sig")
	if !errors.Is(err, sdkerrors.ErrServer) {
		t.Errorf("exchange on 503: %v", err)
	}
	if got := fake.CountRequests(http.MethodPost, "/api/v2/auth/token"); got != 2 {
		t.Errorf("%d exchange requests, want 2 (one per call: the nonce is single use)", got)
	}
}

// The default HTTP client keeps the token on a redirect within the origin
// and refuses to carry it to another host (it used to follow without the
// token; issue 10 point 1 made that a refusal).
func TestRedirectDropsToken(t *testing.T) {
	t.Parallel()
	seen := make(chan string, 4)
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- "other:" + r.Header.Get("X-Plex-Token")
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(other.Close)
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r.URL.Path + ":" + r.Header.Get("X-Plex-Token")
		switch r.URL.Path {
		case "/api/v2/ping":
			http.Redirect(w, r, "/moved", http.StatusFound)
		case "/moved":
			http.Redirect(w, r, other.URL+"/elsewhere", http.StatusFound)
		}
	}))
	t.Cleanup(origin.Close)
	s := plexgo.New(plexgo.WithPlexTVURL(origin.URL), plexgo.WithSecurity("redirect-token"))
	if _, err := s.Authentication.Ping(ctx(t)); !errors.Is(err, sdkerrors.ErrRedirectRefused) {
		t.Fatalf("got %v, want ErrRedirectRefused", err)
	}
	close(seen)
	var got []string
	for v := range seen {
		got = append(got, v)
	}
	want := []string{"/api/v2/ping:redirect-token", "/moved:redirect-token"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Error("token sent across hosts, or lost on the same host")
	}
}
