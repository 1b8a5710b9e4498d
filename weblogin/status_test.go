package weblogin

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/plexkit/plexgo/plextest"
)

func (e *env) status(c *http.Client) statusBody {
	e.t.Helper()
	r := e.do(c, http.MethodGet, e.app.URL+"/auth/plex/status", nil)
	var b statusBody
	if err := json.Unmarshal([]byte(r.body), &b); err != nil {
		e.t.Fatalf("status: %d %q", r.code, r.body)
	}
	if !strings.HasPrefix(r.hdr.Get("Content-Type"), "application/json") {
		e.t.Fatalf("status content type %q", r.hdr.Get("Content-Type"))
	}
	return b
}

func TestPopupStatus(t *testing.T) {
	e := newEnv(t)
	if s := e.status(e.c); s.Status != StatusExpired {
		t.Fatalf("no sign-in: %+v", s)
	}
	code, forward := e.login(e.c, "?popup=1&return_to=/private")
	if forward != e.app.URL+"/auth/plex/callback?popup=1" {
		t.Fatalf("popup forwardUrl %q", forward)
	}
	pin := e.stateOf(e.c).PIN
	route := pinRoute(pin)
	if s := e.status(e.c); s.Status != StatusPending {
		t.Fatalf("before approval: %+v", s)
	}
	// However often the page polls, plex.tv is asked at most once a second.
	for range 10 {
		if s := e.status(e.c); s.Status != StatusPending {
			t.Fatalf("polling: %+v", s)
		}
	}
	if n := e.fake.CountRequests("GET", strings.TrimPrefix(route, "GET ")); n != 1 {
		t.Fatalf("%d PIN checks within one second, want 1", n)
	}
	e.clock.Advance(MinCheckInterval)
	e.status(e.c)
	if n := e.fake.CountRequests("GET", strings.TrimPrefix(route, "GET ")); n != 2 {
		t.Fatalf("%d PIN checks after a second, want 2", n)
	}
	e.approve(code, plextest.TwoFactorLogin)
	// Approved, but not yet re-checked: still pending.
	if s := e.status(e.c); s.Status != StatusPending {
		t.Fatalf("right after approval: %+v", s)
	}
	e.clock.Advance(MinCheckInterval)
	s := e.status(e.c)
	if s.Status != StatusSignedIn || s.User == nil || s.User.Username != "bob" {
		t.Fatalf("after approval: %+v", s)
	}
	// The popup's forward page only closes itself; it finishes nothing.
	if r := e.do(newBrowser(t), http.MethodGet, forward, nil); r.code != 200 || !strings.Contains(r.body, "window.close()") {
		t.Fatalf("popup page: %d %q", r.code, r.body)
	}
	if r := e.get("/private"); r.code != 200 || r.body != "hello bob " {
		t.Fatalf("/private after popup sign-in: %d %q", r.code, r.body)
	}
	if s := e.status(e.c); s.Status != StatusSignedIn {
		t.Fatalf("status when signed in: %+v", s)
	}
}

func TestPopupStatusDeniedAndExpired(t *testing.T) {
	e, _ := newPolicyEnv(t, MembersOf)
	code, _ := e.login(e.c, "?popup=1")
	e.approve(code, addOutsider(e))
	s := e.status(e.c)
	if s.Status != StatusDenied || s.Reason != string(ReasonNotMember) || s.Message == "" {
		t.Fatalf("outsider: %+v", s)
	}
	if sessionCookie(e.c, e.app.URL, "plex_session") != "" {
		t.Fatal("denied account got a session")
	}

	c := newBrowser(t)
	e.login(c, "?popup=1")
	if err := e.fake.ExpirePIN(e.stateOf(c).PIN); err != nil {
		t.Fatal(err)
	}
	if s := e.status(c); s.Status != StatusExpired {
		t.Fatalf("expired PIN: %+v", s)
	}
}

// A re-authentication started by a signed-in user must be approved by the
// same account.
func TestPINApprovedByAnotherAccount(t *testing.T) {
	e := newEnv(t)
	if r := e.signIn(e.c, plextest.DefaultLogin, "/"); r.code != http.StatusSeeOther {
		t.Fatalf("first sign-in: %d", r.code)
	}
	code, forward := e.login(e.c, "?reauth=1&return_to=/private")
	e.approve(code, plextest.TwoFactorLogin)
	before := sessionCookie(e.c, e.app.URL, "plex_session")
	r := e.do(e.c, http.MethodGet, forward, nil)
	if r.code != http.StatusForbidden || !strings.Contains(r.body, "different Plex account") {
		t.Fatalf("re-auth by another account: %d %q", r.code, r.body)
	}
	if sessionCookie(e.c, e.app.URL, "plex_session") != before {
		t.Fatal("the session changed")
	}
	if p := e.get("/private"); p.body != "hello alice " {
		t.Fatalf("still alice? %q", p.body)
	}
}
