package weblogin

import (
	"context"
	"net/http"
	"testing"

	"github.com/plexkit/plexgo/plextest"
)

// countSignIn signs login in with a fresh browser and returns the plex.tv
// requests of the login step and of the callback.
func (e *env) countSignIn(login string) (loginReqs, callbackReqs int) {
	e.t.Helper()
	c := newBrowser(e.t)
	e.fake.ResetRequests()
	code, forward := e.login(c, "")
	loginReqs = e.plexTVRequests()
	e.approve(code, login)
	e.fake.ResetRequests()
	if r := e.do(c, http.MethodGet, forward, nil); r.code != http.StatusSeeOther {
		e.t.Fatalf("callback: %d %q", r.code, r.body)
	}
	return loginReqs, e.plexTVRequests()
}

// The plex.tv requests a sign-in and a page view cost, counted on the fake
// (docs/benchmarks.md quotes these numbers).
func TestPlexTVRequestsPerSignIn(t *testing.T) {
	t.Run("any account", func(t *testing.T) {
		e := newEnv(t)
		l, c := e.countSignIn(plextest.DefaultLogin)
		if l != 1 || c != 2 {
			t.Fatalf("login %d, callback %d plex.tv requests; want 1 (create PIN) and 2 (PIN, account)", l, c)
		}
	})
	t.Run("members, user side only", func(t *testing.T) {
		e, _ := newPolicyEnv(t, MembersOf)
		l, c := e.countSignIn(plextest.TwoFactorLogin)
		if l != 1 || c != 3 {
			t.Fatalf("login %d, callback %d plex.tv requests; want 1 and 3 (PIN, account, resources)", l, c)
		}
	})
	t.Run("page views", func(t *testing.T) {
		e, _ := newPolicyEnv(t, MembersOf)
		e.signIn(e.c, plextest.TwoFactorLogin, "/")
		e.fake.ResetRequests()
		for range 100 {
			if r := e.get("/private"); r.code != 200 {
				t.Fatalf("page view: %d", r.code)
			}
		}
		if n := e.plexTVRequests(); n != 0 {
			t.Fatalf("%d plex.tv requests for 100 page views", n)
		}
	})
}

// With the owner's token: the owner side decides from its cache, so a warm
// sign-in's callback costs the PIN and the account only.
func TestPlexTVRequestsOwnerSide(t *testing.T) {
	alice := func(e *env) string {
		a, _ := e.fake.Account(plextest.DefaultLogin)
		return a.AuthToken
	}
	e, _ := newPolicyEnv(t, MembersOf)
	e.rehandleOwner(alice(e))
	_, cold := e.countSignIn(plextest.TwoFactorLogin)
	if cold != 4 {
		t.Fatalf("cold callback: %d plex.tv requests, want 4 (PIN, account, owner's account, /api/users)", cold)
	}
	if n := e.fake.CountRequests("GET", "/api/v2/resources"); n != 0 {
		t.Fatalf("%d resources requests: the owner side should have decided", n)
	}
	for _, login := range []string{plextest.TwoFactorLogin, plextest.DefaultLogin} {
		if _, warm := e.countSignIn(login); warm != 2 {
			t.Fatalf("warm callback for %s: %d plex.tv requests, want 2 (PIN, account)", login, warm)
		}
	}
	// A warm denial asks the user side too, then names the reason.
	var got *Denial
	e.h.cfg.onDeny = func(_ context.Context, _ User, d *Denial) { got = d }
	c := newBrowser(t)
	code, forward := e.login(c, "")
	e.approve(code, plextest.OutsiderLogin)
	if r := e.do(c, http.MethodGet, forward, nil); r.code != http.StatusForbidden {
		t.Fatalf("outsider: %d", r.code)
	}
	if got == nil || got.Reason != ReasonNotMember {
		t.Fatalf("denial %+v", got)
	}
	// Roles from the owner's view.
	c = newBrowser(t)
	e.signIn(c, plextest.TwoFactorLogin, "/")
	if r := e.do(c, http.MethodGet, e.app.URL+"/private", nil); r.body != "hello bob friend" {
		t.Fatalf("bob: %q", r.body)
	}
}

// rehandleOwner rebuilds the policy handler with the owner's token.
func (e *env) rehandleOwner(ownerToken string) {
	e.t.Helper()
	e.rehandle(WithKeys(e.key), WithPolicy(MembersOf(defaultServer(e.t, e.fake))), WithOwnerToken(ownerToken))
}

// The owner's /api/users answers 410 (as /api/v2/friends did for
// Overseerr): the user's own resources decide.
func TestOwnerSide410FallsBack(t *testing.T) {
	e, _ := newPolicyEnv(t, MembersOf)
	a, _ := e.fake.Account(plextest.DefaultLogin)
	e.rehandleOwner(a.AuthToken)
	e.fake.InjectFault("GET /api/users", plextest.Fault{Statuses: []int{410, 410, 410}})
	if r := e.signIn(e.c, plextest.TwoFactorLogin, "/"); r.code != http.StatusSeeOther {
		t.Fatalf("bob with /api/users gone: %d %q", r.code, r.body)
	}
	if n := e.fake.CountRequests("GET", "/api/v2/resources"); n != 1 {
		t.Fatalf("%d resources requests, want 1 (the fallback)", n)
	}
	if r := e.get("/private"); r.body != "hello bob friend" {
		t.Fatalf("bob: %q", r.body)
	}
}
