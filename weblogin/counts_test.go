package weblogin

import (
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
