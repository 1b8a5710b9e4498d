package weblogin

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plexkit/plexgo/plextest"
)

func defaultServer(t *testing.T, fake *plextest.Server) string {
	t.Helper()
	for _, s := range fake.Servers() {
		if s.OwnerLogin == plextest.DefaultLogin {
			return s.MachineIdentifier
		}
	}
	t.Fatal("no default server")
	return ""
}

// addOutsider returns the seeded account with access to no server.
func addOutsider(e *env) string {
	e.t.Helper()
	if a, ok := e.fake.Account(plextest.OutsiderLogin); !ok || !a.Outsider {
		e.t.Fatal("plextest has no outsider account")
	}
	return plextest.OutsiderLogin
}

// newPolicyEnv is newEnv whose policy is built from the fake's default
// server.
func newPolicyEnv(t *testing.T, policy func(servers ...string) Policy, opts ...Option) (*env, string) {
	t.Helper()
	e := newEnv(t)
	server := defaultServer(t, e.fake)
	h, err := New(testSDK(e.fake), testClientID, append([]Option{
		WithKeys(e.key), WithProduct("weblogin test"), WithAuthAppURL(e.fake.PlexTVURL + "/auth"),
		WithClock(e.clock.Now), WithSleep(e.h.cfg.sleep), WithLogger(slogTo(e.logs)), WithPolicy(policy(server)),
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	e.h = h
	e.app.Config.Handler = appMux(h)
	return e, server
}

func TestPolicyUserSide(t *testing.T) {
	cases := []struct {
		name   string
		policy func(...string) Policy
		login  string
		ok     bool
		roles  string
	}{
		{"members: owner", MembersOf, plextest.DefaultLogin, true, "owner"},
		{"members: friend", MembersOf, plextest.TwoFactorLogin, true, "friend"},
		{"members: outsider", MembersOf, "outsider", false, ""},
		{"owner only: friend", OwnerOf, plextest.TwoFactorLogin, false, ""},
		{"owner only: owner", OwnerOf, plextest.DefaultLogin, true, "owner"},
		{"friends: friend", FriendsOf, plextest.TwoFactorLogin, true, "friend"},
		{"home: friend", HomeOf, plextest.TwoFactorLogin, false, ""},
		{"members: managed Home user", MembersOf, "kid", true, "home,managed"},
		{"home: managed Home user", HomeOf, "kid", true, "home,managed"},
		{"friends: managed Home user", FriendsOf, "kid", false, ""},
		{"any: outsider", func(...string) Policy { return AnyAccount() }, "outsider", true, ""},
		{"unknown server", func(...string) Policy { return MembersOf("no-such-server") }, plextest.DefaultLogin, false, ""},
		{"several servers", func(s ...string) Policy { return MembersOf(append([]string{"no-such-server"}, s...)...) }, plextest.TwoFactorLogin, true, "friend"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var denied []*Denial
			var mu sync.Mutex
			e, _ := newPolicyEnv(t, c.policy, WithOnDeny(func(_ context.Context, _ User, d *Denial) {
				mu.Lock()
				denied = append(denied, d)
				mu.Unlock()
			}))
			login := c.login
			if login == "outsider" {
				login = addOutsider(e)
			}
			r := e.signIn(e.c, login, "/private")
			if !c.ok {
				if r.code != http.StatusForbidden || !strings.Contains(r.body, "Access denied") {
					t.Fatalf("denied sign-in: %d %q", r.code, r.body)
				}
				if sessionCookie(e.c, e.app.URL, "plex_session") != "" {
					t.Fatal("a refused account got a session")
				}
				if len(denied) != 1 {
					t.Fatalf("OnDeny called %d times", len(denied))
				}
				return
			}
			if r.code != http.StatusSeeOther {
				t.Fatalf("sign-in: %d %q", r.code, r.body)
			}
			p := e.get("/private")
			if p.code != 200 || !strings.HasSuffix(p.body, " "+c.roles) {
				t.Fatalf("/private: %d %q, want roles %q", p.code, p.body, c.roles)
			}
		})
	}
}

// A managed Home user has no username on plex.tv, only a title: it signs
// in with its ids and title and the home and managed roles, keeps them
// when the session is checked again, and is named by its title in logs.
func TestPolicyManagedHomeUser(t *testing.T) {
	e, server := newPolicyEnv(t, MembersOf, WithKeepToken()) // re-validation uses the token
	kid, _ := e.fake.Account("kid")
	var mu sync.Mutex
	var got User
	mux := http.NewServeMux()
	mux.Handle(e.h.Prefix()+"/", e.h)
	mux.Handle("/who", e.h.RequireSignIn(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, _ := Account(r.Context())
		mu.Lock()
		got = u
		mu.Unlock()
	})))
	e.app.Config.Handler = mux
	if r := e.signIn(e.c, "kid", "/who"); r.code != http.StatusSeeOther {
		t.Fatalf("sign-in: %d %q", r.code, r.body)
	}
	check := func(when string) {
		t.Helper()
		if r := e.get("/who"); r.code != http.StatusOK {
			t.Fatalf("%s: /who %d %q", when, r.code, r.body)
		}
		mu.Lock()
		u := got
		mu.Unlock()
		if u.ID != kid.ID || u.UUID != kid.UUID || u.Title != "kid" || u.Username != "" ||
			!u.HasRole(RoleHome) || !u.HasRole(RoleManaged) || !slices.Contains(u.Servers, server) {
			t.Fatalf("%s: account %+v", when, u)
		}
		if s := u.String(); !strings.Contains(s, `Title:"kid"`) {
			t.Fatalf("%s: String %s", when, s)
		}
	}
	check("after sign-in")
	e.clock.Advance(DefaultRevalidateEvery + time.Second)
	e.fake.ResetRequests()
	check("after re-validation")
	if n := e.fake.CountRequests("GET", "/api/v2/user"); n != 1 {
		t.Fatalf("%d token checks on re-validation, want 1", n)
	}
}

func TestPolicyAllowFunc(t *testing.T) {
	var seen []Membership
	e, server := newPolicyEnv(t, func(s ...string) Policy {
		return Policy{Servers: s, Allow: func(_ context.Context, u User, m []Membership) error {
			seen = m
			if u.Username == "bob" {
				return errors.New("no bobs")
			}
			return nil
		}}
	})
	if r := e.signIn(e.c, plextest.TwoFactorLogin, "/"); r.code != http.StatusForbidden || !strings.Contains(r.body, "not allowed") {
		t.Fatalf("bob: %d %q", r.code, r.body)
	}
	if len(seen) != 1 || seen[0].MachineIdentifier != server || seen[0].Role != RoleFriend || seen[0].Source != "resources" {
		t.Fatalf("memberships given to Allow: %+v", seen)
	}
	if r := e.signIn(newBrowser(t), plextest.DefaultLogin, "/"); r.code != http.StatusSeeOther {
		t.Fatalf("alice: %d %q", r.code, r.body)
	}
}

// stubOwner is an owner-side source under the test's control.
type stubOwner struct {
	mu       sync.Mutex
	data     *ownerData
	err      error
	owned    []string
	loads    int
	ownedErr error
}

func (s *stubOwner) load(context.Context) (*ownerData, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loads++
	return s.data, s.err
}

func (s *stubOwner) ownedServers(context.Context) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.owned, s.ownedErr
}

func (e *env) withStubOwner(server string, st *stubOwner) {
	e.h.owner = &ownerView{src: st, servers: []string{server}, ttl: DefaultOwnerCacheTTL, now: e.clock.Now}
}

func TestPolicyOwnerSideAndFallback(t *testing.T) {
	e, server := newPolicyEnv(t, MembersOf)
	alice, _ := e.fake.Account(plextest.DefaultLogin)
	bob, _ := e.fake.Account(plextest.TwoFactorLogin)
	carolLogin := addOutsider(e)
	carol, _ := e.fake.Account(carolLogin)
	st := &stubOwner{owned: []string{server}, data: &ownerData{ownerID: alice.ID, users: map[int64]ownerUser{
		bob.ID:   {servers: map[string]bool{server: false}},
		carol.ID: {servers: map[string]bool{server: true}}, // invited, not accepted
	}}}
	e.withStubOwner(server, st)

	// Owner data decides a member: no resources request.
	e.fake.ResetRequests()
	if r := e.signIn(newBrowser(t), plextest.TwoFactorLogin, "/"); r.code != http.StatusSeeOther {
		t.Fatalf("bob: %d %q", r.code, r.body)
	}
	if n := e.fake.CountRequests("GET", "/api/v2/resources"); n != 0 {
		t.Fatalf("%d resources requests with owner data", n)
	}
	// A pending share: the user side is asked too, then the reason is named.
	var got *Denial
	e.h.cfg.onDeny = func(_ context.Context, _ User, d *Denial) { got = d }
	if r := e.signIn(newBrowser(t), carolLogin, "/"); r.code != http.StatusForbidden || !strings.Contains(r.body, "pending") {
		t.Fatalf("carol: %d %q", r.code, r.body)
	}
	if got == nil || got.Reason != ReasonSharePending || got.Server != server {
		t.Fatalf("denial %+v", got)
	}

	// The owner side errors (e.g. 410): the user side decides.
	st.mu.Lock()
	st.err, st.data = errors.New("410 Gone"), nil
	st.mu.Unlock()
	e.clock.Advance(DefaultOwnerCacheTTL)
	if r := e.signIn(newBrowser(t), plextest.TwoFactorLogin, "/"); r.code != http.StatusSeeOther {
		t.Fatalf("bob with the owner side down: %d %q", r.code, r.body)
	}
	if !strings.Contains(e.logs.String(), "owner-side membership check failed") {
		t.Fatal("the fallback was not logged")
	}
	// Both sides fail: an error page, no session.
	e.fake.InjectFault("GET /api/v2/resources", plextest.Fault{Statuses: []int{503, 503, 503}})
	c := newBrowser(t)
	if r := e.signIn(c, plextest.TwoFactorLogin, "/"); r.code != http.StatusBadGateway {
		t.Fatalf("both sides down: %d %q", r.code, r.body)
	}
	if sessionCookie(c, e.app.URL, "plex_session") != "" {
		t.Fatal("session set with both checks down")
	}
}

func TestPolicyServerUnknown(t *testing.T) {
	e, server := newPolicyEnv(t, MembersOf)
	alice, _ := e.fake.Account(plextest.DefaultLogin)
	e.withStubOwner(server, &stubOwner{owned: []string{"another"}, data: &ownerData{ownerID: alice.ID + 1000}})
	var got *Denial
	e.h.cfg.onDeny = func(_ context.Context, _ User, d *Denial) { got = d }
	login := addOutsider(e)
	if r := e.signIn(e.c, login, "/"); r.code != http.StatusForbidden || !strings.Contains(r.body, "not set up correctly") {
		t.Fatalf("unknown server: %d %q", r.code, r.body)
	}
	if got == nil || got.Reason != ReasonServerUnknown {
		t.Fatalf("denial %+v", got)
	}
}

func TestPolicyOwnerCacheWarm(t *testing.T) {
	e, server := newPolicyEnv(t, MembersOf)
	alice, _ := e.fake.Account(plextest.DefaultLogin)
	bob, _ := e.fake.Account(plextest.TwoFactorLogin)
	st := &stubOwner{owned: []string{server}, data: &ownerData{ownerID: alice.ID, users: map[int64]ownerUser{
		bob.ID: {servers: map[string]bool{server: false}},
	}}}
	e.withStubOwner(server, st)
	for range 3 {
		if r := e.signIn(newBrowser(t), plextest.TwoFactorLogin, "/"); r.code != http.StatusSeeOther {
			t.Fatalf("bob: %d", r.code)
		}
	}
	if st.loads != 1 {
		t.Fatalf("owner data loaded %d times within its TTL", st.loads)
	}
	e.clock.Advance(DefaultOwnerCacheTTL)
	e.signIn(newBrowser(t), plextest.TwoFactorLogin, "/")
	if st.loads != 2 {
		t.Fatalf("owner data loaded %d times after its TTL", st.loads)
	}
}

// A share that is still pending on the fake itself (plextest.InviteFriend,
// no stub): the owner's /api/users says pending, the invitee's resources
// do not list the server, and the denial names the pending share.
func TestPolicyPendingShareOnFake(t *testing.T) {
	e, server := newPolicyEnv(t, MembersOf)
	if err := e.fake.InviteFriend(addOutsider(e), server); err != nil {
		t.Fatal(err)
	}
	alice, _ := e.fake.Account(plextest.DefaultLogin)
	e.rehandleOwner(alice.AuthToken)
	var got *Denial
	e.h.cfg.onDeny = func(_ context.Context, _ User, d *Denial) { got = d }
	c := newBrowser(t)
	if r := e.signIn(c, plextest.OutsiderLogin, "/"); r.code != http.StatusForbidden || !strings.Contains(r.body, "pending") {
		t.Fatalf("invitee: %d %q", r.code, r.body)
	}
	if got == nil || got.Reason != ReasonSharePending || got.Server != server {
		t.Fatalf("denial %+v", got)
	}
	if sessionCookie(c, e.app.URL, "plex_session") != "" {
		t.Fatal("a session for a pending share")
	}
}
