package plextest

import (
	"net/http"
	"strconv"
)

// homeOfLocked returns the Home admin and members of a's Home (a Home of
// one for an account in no Home).
func (s *Server) homeOfLocked(a *account) (*account, []*account) {
	if !a.home() {
		return a, []*account{a}
	}
	admin := a
	if ad := s.byID[a.homeAdminID]; ad != nil {
		admin = ad
	}
	return admin, s.homeMembersLocked(admin.id)
}

// homeV2 serves GET /api/v2/home: the caller's Plex Home (home-200.json).
func (s *Server) homeV2(q tvReq) {
	c, ok := s.user(q)
	if !ok {
		return
	}
	s.mu.Lock()
	admin, _ := s.homeOfLocked(c.acct)
	s.mu.Unlock()
	q.ok(http.StatusOK, "home", obj{
		{"id", admin.id + 5000000}, {"name", homeName(admin)}, {"guestUserID", nil},
		{"guestUserUUID", nil}, {"guestEnabled", false}, {"subscription", admin.plexPass},
	})
}

// homeUsersV1 serves GET /api/home/users: the members of the caller's
// Home (XML only).
func (s *Server) homeUsersV1(q tvReq) {
	q = q.v1()
	c, ok := s.user(q)
	if !ok {
		return
	}
	s.mu.Lock()
	_, members := s.homeOfLocked(c.acct)
	users := make([]any, 0, len(members))
	for _, m := range members {
		users = append(users, obj{
			{"id", m.id}, {"uuid", m.uuid}, {"admin", flag(m.isHomeAdmin())}, {"guest", 0},
			{"restricted", flag(m.restricted)}, {"protected", flag(m.protected)}, {"home", flag(m.home())},
			{"hasPassword", flag(m.password != "")}, {"title", m.username}, {"username", m.username},
			{"email", m.email}, {"thumb", s.avatar(m)},
		})
	}
	s.mu.Unlock()
	mc := s.myPlexContainer(len(users))
	mc.del("totalSize")
	mc = append(mc, kv{"User", users})
	q.ok(http.StatusOK, "MediaContainer", mc)
}

// msgHomePINRequired is the message of the v1 Home switch for a missing or
// wrong PIN.
const msgHomePINRequired = "A valid PIN is required"

// homeSwitchV1 serves POST /api/home/users/{id}/switch[?pin=]: XML
// <user … authenticationToken="…"> for the Home member; 403 code 1041 for a
// protected member without the right PIN.
func (s *Server) homeSwitchV1(q tvReq) {
	q = q.v1()
	c, ok := s.user(q)
	if !ok {
		return
	}
	cid := plexParam(q.r, "X-Plex-Client-Identifier")
	if err := q.r.ParseForm(); err != nil {
		q.fail(http.StatusBadRequest, codeBadRequest, "Malformed request body")
		return
	}
	target := q.r.PathValue("id")
	s.mu.Lock()
	var t *account
	for _, a := range s.accounts {
		if strconv.FormatInt(a.id, 10) == target || a.uuid == target {
			t = a
		}
	}
	if t == nil || !c.acct.home() || t.homeAdminID != c.acct.homeAdminID {
		s.mu.Unlock()
		q.fail(http.StatusNotFound, codeGeneric, "Not Found")
		return
	}
	if t.protected && q.r.Form.Get("pin") != t.pin {
		s.mu.Unlock()
		q.fail(http.StatusForbidden, codeInvalidHomePIN, msgHomePINRequired)
		return
	}
	token := s.issueLegacyLocked(t, cid)
	s.noteDeviceLocked(t, cid, q.r)
	u := s.userObjLocked(t, token, false)
	s.mu.Unlock()
	u.set("authenticationToken", token)
	q.ok(http.StatusCreated, "user", u)
}
