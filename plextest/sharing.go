package plextest

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// share is a server shared with an account: a friend's accepted share or
// a Home member's access.
type share struct {
	id       int64 // plex.tv's shared_server id
	acct     int64
	token    string // the account's access token on the server
	home     bool   // a Home member of the owner, not a friend's share
	all      bool   // all libraries
	sections []int  // section keys shared when !all
	invited  time.Time
}

// libSection is a PMS library section.
type libSection struct {
	key     int
	title   string
	kind    string // movie, show, artist
	agent   string
	scanner string
	uuid    string
	path    string
	created time.Time
}

func defaultSections(now time.Time) []*libSection {
	t := now.Add(-300 * 24 * time.Hour)
	return []*libSection{
		{key: 1, title: "Movies", kind: "movie", agent: "tv.plex.agents.movie", scanner: "Plex Movie", uuid: randUUID(), path: "/data/movies", created: t},
		{key: 2, title: "TV Shows", kind: "show", agent: "tv.plex.agents.series", scanner: "Plex TV Series", uuid: randUUID(), path: "/data/tv", created: t},
		{key: 3, title: "Music", kind: "artist", agent: "tv.plex.agents.music", scanner: "Plex Music", uuid: randUUID(), path: "/data/music", created: t},
	}
}

// shareLocked shares srv with a (keys nil: all libraries) and returns the
// share; an existing share is returned unchanged.
func (s *Server) shareLocked(srv *pmsServer, a *account, keys []int) *share {
	if sh := srv.shared[a.id]; sh != nil {
		return sh
	}
	sh := &share{id: s.nextShareID, acct: a.id, token: randToken(), invited: s.now()}
	s.nextShareID++
	for _, k := range keys {
		for _, sec := range srv.sections {
			if sec.key == k && !slices.Contains(sh.sections, k) {
				sh.sections = append(sh.sections, k)
			}
		}
	}
	sh.all = len(sh.sections) == 0 || len(sh.sections) == len(srv.sections)
	if sh.all {
		sh.sections = nil
	}
	srv.shared[a.id] = sh
	return sh
}

// sharesSection reports whether sh gives access to section key.
func (sh *share) sharesSection(key int) bool {
	return sh.all || slices.Contains(sh.sections, key)
}

func (sh *share) numLibraries(srv *pmsServer) int {
	if sh.all {
		return len(srv.sections)
	}
	return len(sh.sections)
}

// ownerLocked authenticates q and, on true, returns with s.mu held the
// caller and the servers it owns; on false the error is answered and s.mu
// is not held.
func (s *Server) ownerLocked(q tvReq) (caller, []*pmsServer, bool) {
	c, ok := s.user(q)
	if !ok {
		return c, nil, false
	}
	s.mu.Lock()
	return c, s.ownedServersLocked(c.acct.id), true
}

// ownedServersLocked returns the servers account id owns.
func (s *Server) ownedServersLocked(id int64) []*pmsServer {
	return where(s.servers, func(srv *pmsServer) bool { return srv.owner == id && id != 0 })
}

func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}

// myPlexContainer is the MediaContainer of plex.tv's v1 answers.
func (s *Server) myPlexContainer(size int) obj {
	return obj{{"friendlyName", "myPlex"}, {"identifier", "com.plexapp.plugins.myplex"},
		{"machineIdentifier", s.tvMachineID}, {"totalSize", size}, {"size", size}}
}

func (s *Server) avatar(a *account) string {
	return "https://plex.tv/users/" + a.uuid + "/avatar?c=" + strconv.FormatInt(a.joinedAt, 10)
}

// usersV1 serves GET /api/users and /api/users/: the caller's friends and
// Home members, each with the caller's servers they can use (XML only).
func (s *Server) usersV1(q tvReq) {
	c, owned, ok := s.ownerLocked(q)
	if !ok {
		return
	}
	if c.acct.isHomeAdmin() {
		for _, m := range s.homeMembersLocked(c.acct.id) {
			for _, srv := range owned {
				s.ensureServerTokenLocked(srv, m.id) // Home members can use every server of the admin
			}
		}
	}
	var users []any
	for _, a := range s.accounts {
		if a.id == c.acct.id {
			continue
		}
		entry := func(pending int) func(*pmsServer, *share) obj {
			return func(srv *pmsServer, sh *share) obj {
				return obj{
					{"id", sh.id}, {"serverId", srv.tvID}, {"machineIdentifier", srv.machineID}, {"name", srv.name},
					{"lastSeenAt", s.now().Unix()}, {"numLibraries", sh.numLibraries(srv)}, {"allLibraries", flag(sh.all)},
					{"owned", 0}, {"pending", pending}, {"home", flag(sh.home)},
				}
			}
		}
		servers := sharesOf(owned, a, true, entry(0))
		for _, srv := range owned {
			if inv := srv.invited[a.id]; inv != nil {
				servers = append(servers, entry(1)(srv, inv))
			}
		}
		inHome := c.acct.home() && a.homeAdminID == c.acct.homeAdminID
		if len(servers) == 0 && !inHome {
			continue
		}
		users = append(users, s.userV1Obj(a, inHome, servers))
	}
	s.mu.Unlock()
	mc := s.myPlexContainer(len(users))
	mc = append(mc, kv{"User", users})
	q.ok(http.StatusOK, "MediaContainer", mc)
}

// sharesOf lists what entry makes of each server of owned shared with a,
// in order (nil when none); a Home member's access counts only with home.
func sharesOf(owned []*pmsServer, a *account, home bool, entry func(*pmsServer, *share) obj) []any {
	var out []any
	for _, srv := range owned {
		if sh := srv.shared[a.id]; sh != nil && (home || !sh.home) {
			out = append(out, entry(srv, sh))
		}
	}
	return out
}

// userV1Obj is a as GET /api/users lists it. A managed user's <User> has
// a title but no username or email attribute at all, as a captured answer
// shows (clients must not expect them).
func (s *Server) userV1Obj(a *account, inHome bool, servers []any) obj {
	u := obj{{"id", a.id}, {"title", a.title()}}
	if !a.managed() {
		u = append(u, kv{"username", a.username}, kv{"email", a.email}, kv{"recommendationsPlaylistId", ""})
	}
	u = append(u, obj{
		{"thumb", s.avatar(a)}, {"protected", flag(a.protected)},
		{"home", flag(inHome)}, {"allowTuners", 0}, {"allowSync", 1}, {"allowCameraUpload", 0},
		{"allowChannels", 0}, {"allowSubtitleAdmin", 0}, {"filterAll", ""}, {"filterMovies", ""},
		{"filterMusic", ""}, {"filterPhotos", ""}, {"filterTelevision", ""}, {"restricted", flag(a.restricted)},
	}...)
	if len(servers) > 0 {
		u = append(u, kv{"Server", servers})
	}
	return u
}

// friends serves GET /api/v2/friends: the caller's friends (accounts the
// caller shares a server with) and, for a Home admin, the Home's managed
// users, JSON or XML. A managed user is listed with "home":true,
// "username":null, "email":null and its title as friendlyName, with the
// admin's servers it can use, as plex-api.rs's captured-and-sanitized
// friends answers show; a friend has "friendlyName":null.
func (s *Server) friends(q tvReq) {
	c, owned, ok := s.ownerLocked(q)
	if !ok {
		return
	}
	out := []any{}
	for _, a := range s.accounts {
		if a.id == c.acct.id {
			continue
		}
		managed := a.managed() && c.acct.isHomeAdmin() && a.homeAdminID == c.acct.id
		if managed {
			for _, srv := range owned {
				s.ensureServerTokenLocked(srv, a.id) // Home members can use every server of the admin
			}
		}
		sharedServers := sharesOf(owned, a, managed, func(srv *pmsServer, sh *share) obj {
			return obj{
				{"id", sh.id}, {"machineIdentifier", srv.machineID}, {"name", srv.name},
				{"allLibraries", sh.all}, {"numLibraries", sh.numLibraries(srv)},
				{"invitedAt", sh.invited.UTC().Format(time.RFC3339)}, {"deletedAt", nil}, {"leftAt", nil},
			}
		})
		if !managed && len(sharedServers) == 0 {
			continue
		}
		if sharedServers == nil {
			sharedServers = []any{}
		}
		var friendly, username, email any
		if managed {
			friendly = a.title()
		} else {
			username, email = a.username, a.email
		}
		out = append(out, obj{
			{"email", email}, {"friendlyName", friendly}, {"home", managed}, {"id", a.id},
			{"restricted", a.restricted}, {"sharedServers", sharedServers}, {"sharedSources", []any{}},
			{"status", "accepted"}, {"thumb", s.avatar(a)}, {"title", a.title()}, {"username", username},
			{"uuid", a.uuid},
		})
	}
	s.mu.Unlock()
	q.ok(http.StatusOK, "friends", out)
}

// ownedServerFor returns the server machineID if the caller owns it; on
// failure it has answered (404 for an unknown server, 403 for another
// account's).
func (s *Server) ownedServerLocked(q tvReq, c caller, machineID string) (*pmsServer, bool) {
	srv := s.findServerLocked(machineID)
	if srv == nil {
		q.fail(http.StatusNotFound, codeNotFound, msgNotFound)
		return nil, false
	}
	if srv.owner != c.acct.id {
		q.fail(http.StatusForbidden, codeGeneric, "Forbidden")
		return nil, false
	}
	return srv, true
}

// sharedServers serves GET /api/servers/{machineIdentifier}/shared_servers
// and …/shared_servers/{id} (XML only, the server's owner only).
func (s *Server) sharedServers(q tvReq) {
	c, ok := s.user(q)
	if !ok {
		return
	}
	idStr := q.r.PathValue("id")
	s.mu.Lock()
	defer s.mu.Unlock()
	srv, ok := s.ownedServerLocked(q, c, q.r.PathValue("machineIdentifier"))
	if !ok {
		return
	}
	var list []any
	for _, a := range s.accounts {
		sh := srv.shared[a.id]
		if sh == nil || sh.home || (idStr != "" && strconv.FormatInt(sh.id, 10) != idStr) {
			continue
		}
		list = append(list, s.sharedServerObj(srv, sh, a))
	}
	if idStr != "" && len(list) == 0 {
		q.fail(http.StatusNotFound, codeNotFound, msgNotFound)
		return
	}
	mc := obj{{"friendlyName", "myPlex"}, {"identifier", "com.plexapp.plugins.myplex"},
		{"machineIdentifier", srv.machineID}, {"size", len(list)}, {"SharedServer", list}}
	q.ok(http.StatusOK, "MediaContainer", mc)
}

func (s *Server) sharedServerObj(srv *pmsServer, sh *share, a *account) obj {
	var sections []any
	for _, sec := range srv.sections {
		sections = append(sections, obj{
			{"id", srv.tvID*10 + int64(sec.key)}, {"key", sec.key}, {"title", sec.title},
			{"type", sec.kind}, {"shared", flag(sh.sharesSection(sec.key))},
		})
	}
	return obj{
		{"id", sh.id}, {"username", a.username}, {"email", a.email}, {"userID", a.id},
		{"accessToken", sh.token}, {"name", srv.name}, {"acceptedAt", sh.invited.Unix()},
		{"invitedAt", sh.invited.Unix()}, {"allowSync", 1}, {"allowCameraUpload", 0}, {"allowChannels", 0},
		{"allowTuners", 0}, {"allowSubtitleAdmin", 0}, {"owned", 0}, {"allLibraries", flag(sh.all)},
		{"filterAll", ""}, {"filterMovies", ""}, {"filterMusic", ""}, {"filterPhotos", ""},
		{"filterTelevision", ""}, {"Section", sections},
	}
}

// InviteFriend shares the server machineIdentifier ("" for the default
// one) with the account login (e-mail or username) as an invitation the
// account has not accepted yet: the owner's GET /api/users lists the
// server for it with pending="1", and nothing else changes (the account
// sees no such server in its resources, the PMS does not let it in, and
// /api/v2/friends and …/shared_servers do not list it; the fake has no way
// to accept). It fails for an unknown account or server, an unclaimed
// server, its owner, or an account the server is already shared with.
func (s *Server) InviteFriend(login, machineIdentifier string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.findAccountLocked(login)
	if a == nil {
		return fmt.Errorf("plextest: no account %q", login)
	}
	srv := s.servers[0]
	if machineIdentifier != "" {
		srv = s.findServerLocked(machineIdentifier)
	}
	switch {
	case srv == nil:
		return fmt.Errorf("plextest: no server %q", machineIdentifier)
	case srv.owner == 0 || srv.owner == a.id:
		return errors.New("plextest: the server is unclaimed or the account owns it")
	case srv.shared[a.id] != nil || srv.invited[a.id] != nil:
		return errors.New("plextest: the server is already shared with the account")
	}
	if srv.invited == nil {
		srv.invited = map[int64]*share{}
	}
	srv.invited[a.id] = &share{id: s.nextShareID, acct: a.id, all: true, invited: s.now()}
	s.nextShareID++
	return nil
}
