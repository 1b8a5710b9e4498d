package plextest

import (
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

// ownedServersLocked returns the servers account id owns.
func (s *Server) ownedServersLocked(id int64) []*pmsServer {
	var out []*pmsServer
	for _, srv := range s.servers {
		if srv.owner == id && id != 0 {
			out = append(out, srv)
		}
	}
	return out
}

// v1 answers an endpoint of the v1 API (/api/…, /devices.xml): real
// plex.tv answers those in XML whatever the Accept header says.
func (q tvReq) v1() tvReq {
	q.json = false
	return q
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
	q = q.v1()
	c, ok := s.user(q)
	if !ok {
		return
	}
	s.mu.Lock()
	owned := s.ownedServersLocked(c.acct.id)
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
		var servers []any
		for _, srv := range owned {
			if sh := srv.shared[a.id]; sh != nil {
				servers = append(servers, obj{
					{"id", sh.id}, {"serverId", srv.tvID}, {"machineIdentifier", srv.machineID}, {"name", srv.name},
					{"lastSeenAt", s.now().Unix()}, {"numLibraries", sh.numLibraries(srv)}, {"allLibraries", flag(sh.all)},
					{"owned", 0}, {"pending", 0}, {"home", flag(sh.home)},
				})
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

func (s *Server) userV1Obj(a *account, inHome bool, servers []any) obj {
	u := obj{
		{"id", a.id}, {"title", a.username}, {"username", a.username}, {"email", a.email},
		{"recommendationsPlaylistId", ""}, {"thumb", s.avatar(a)}, {"protected", flag(a.protected)},
		{"home", flag(inHome)}, {"allowTuners", 0}, {"allowSync", 1}, {"allowCameraUpload", 0},
		{"allowChannels", 0}, {"allowSubtitleAdmin", 0}, {"filterAll", ""}, {"filterMovies", ""},
		{"filterMusic", ""}, {"filterPhotos", ""}, {"filterTelevision", ""}, {"restricted", flag(a.restricted)},
	}
	if a.restricted {
		u.set("username", "") // managed users have no username or e-mail of their own
		u.set("email", "")
	}
	if len(servers) > 0 {
		u = append(u, kv{"Server", servers})
	}
	return u
}

// friends serves GET /api/v2/friends: the caller's friends (accounts the
// caller shares a server with, Home members excluded), JSON or XML.
func (s *Server) friends(q tvReq) {
	c, ok := s.user(q)
	if !ok {
		return
	}
	s.mu.Lock()
	owned := s.ownedServersLocked(c.acct.id)
	out := []any{}
	for _, a := range s.accounts {
		sharedServers := []any{}
		for _, srv := range owned {
			if sh := srv.shared[a.id]; sh != nil && !sh.home {
				sharedServers = append(sharedServers, obj{
					{"id", sh.id}, {"machineIdentifier", srv.machineID}, {"name", srv.name},
					{"allLibraries", sh.all}, {"numLibraries", sh.numLibraries(srv)},
					{"invitedAt", sh.invited.UTC().Format(time.RFC3339)}, {"deletedAt", nil}, {"leftAt", nil},
				})
			}
		}
		if len(sharedServers) == 0 || a.id == c.acct.id {
			continue
		}
		var friendly any
		out = append(out, obj{
			{"email", a.email}, {"friendlyName", friendly}, {"home", false}, {"id", a.id},
			{"restricted", a.restricted}, {"sharedServers", sharedServers}, {"sharedSources", []any{}},
			{"status", "accepted"}, {"thumb", s.avatar(a)}, {"title", a.username}, {"username", a.username},
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
		q.fail(http.StatusNotFound, codeGeneric, "Not Found")
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
	q = q.v1()
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
		q.fail(http.StatusNotFound, codeGeneric, "Not Found")
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
