package plextest

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
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
	admin, _, ok := s.homeList(q, func(*account) obj { return nil })
	if ok {
		q.ok(http.StatusOK, "home", homeObj(admin))
	}
}

// homeList authenticates q and returns the Admin of the caller's Home and
// each member (the caller alone outside a Home) as entry makes it; on
// false the error is answered.
func (s *Server) homeList(q tvReq, entry func(*account) obj) (*account, []any, bool) {
	c, ok := s.user(q)
	if !ok {
		return nil, nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	admin, members := s.homeOfLocked(c.acct)
	return admin, mapped(members, func(m *account) any { return entry(m) }), true
}

// homeObj is the Home of admin as GET /api/v2/home describes it
// (home-200.json): real plex.tv names the Home's guest user even while
// guest access is off, so the fake derives a stable one from the admin.
func homeObj(admin *account) obj {
	return obj{
		{"id", admin.id + 5000000}, {"name", homeName(admin)}, {"guestUserID", guestUserID(admin)},
		{"guestUserUUID", guestUUID(admin)}, {"guestEnabled", false}, {"subscription", admin.plexPass},
	}
}

// guestUserID is the account id of admin's Home guest user.
func guestUserID(admin *account) int64 { return admin.id + 6000000 }

// guestUUID is the 16 hex digit UUID of admin's Home guest user.
func guestUUID(admin *account) string {
	sum := sha256.Sum256([]byte("plextest guest " + admin.uuid))
	return hex.EncodeToString(sum[:8])
}

// homeUsersV1 serves GET /api/home/users: the members of the caller's
// Home (XML only), in a MediaContainer that also names the Home's guest
// user (guestUserID), as captured answers do. A managed user has
// username="" and email="" beside its title, as captured answers show.
func (s *Server) homeUsersV1(q tvReq) {
	admin, users, ok := s.homeList(q, func(m *account) obj {
		return obj{
			{"id", m.id}, {"uuid", m.uuid}, {"admin", flag(m.isHomeAdmin())}, {"guest", 0},
			{"restricted", flag(m.restricted)}, {"protected", flag(m.protected)}, {"home", flag(m.home())},
			{"hasPassword", flag(m.password != "")}, {"title", m.title()}, {"username", m.wireUsername()},
			{"email", m.email}, {"thumb", s.avatar(m)},
		}
	})
	if !ok {
		return
	}
	mc := s.myPlexContainer(len(users))
	mc = append(mc, kv{"guestUserID", guestUserID(admin)}, kv{"User", users})
	q.ok(http.StatusOK, "MediaContainer", mc)
}

// homeSwitchV1 serves POST /api/home/users/{id}/switch[?pin=]: XML
// <user … authenticationToken="…"> for the Home member; 403 code 1041 for a
// protected member without the right PIN.
func (s *Server) homeSwitchV1(q tvReq) {
	u, token, ok := s.switchHomeUser(q, q.r.PathValue("id"))
	if ok {
		u.set("authenticationToken", token)
		q.ok(http.StatusCreated, "user", u)
	}
}
