package plextest

import (
	"net/http"
	"strconv"
)

// pmsDirectories are the Directory entries of a PMS root (GET /).
var pmsDirectories = []string{
	"activities", "butler", "channels", "clients", "devices", "diagnostics", "hubs", "library",
	"livetv", "media", "metadata", "neighborhood", "playQueues", "player", "playlists", "resources",
	"search", "server", "servers", "statistics", "system", "transcode", "updater", "user",
}

func rootDirectories() []any {
	out := make([]any, 0, len(pmsDirectories))
	for _, d := range pmsDirectories {
		out = append(out, obj{{"count", 1}, {"key", d}, {"title", d}})
	}
	return out
}

// visibleSectionsLocked returns the sections acc may see: all for an
// admin, the shared ones for a user the server is shared with.
func visibleSectionsLocked(srv *pmsServer, acc access) []*libSection {
	if acc.admin {
		return srv.sections
	}
	sh := srv.shared[acc.acct]
	var out []*libSection
	for _, sec := range srv.sections {
		if sh != nil && sh.sharesSection(sec.key) {
			out = append(out, sec)
		}
	}
	return out
}

func sectionObj(sec *libSection) obj {
	art := "/:/resources/" + sec.kind + "-fanart.jpg"
	return obj{
		{"allowSync", 1}, {"art", art}, {"composite", "/library/sections/" + itoa(sec.key) + "/composite/1"},
		{"filters", 1}, {"refreshing", 0}, {"thumb", "/:/resources/" + sec.kind + ".png"}, {"key", itoa(sec.key)},
		{"type", sec.kind}, {"title", sec.title}, {"agent", sec.agent}, {"scanner", sec.scanner},
		{"language", "en-US"}, {"uuid", sec.uuid}, {"updatedAt", sec.created.Unix()}, {"createdAt", sec.created.Unix()},
		{"scannedAt", sec.created.Unix()}, {"content", 1}, {"directory", 1}, {"contentChangedAt", 1000},
		{"hidden", 0}, {"Location", []any{obj{{"id", sec.key}, {"path", sec.path}}}},
	}
}

// librarySections serves GET /library/sections.
func (s *Server) librarySections(q pmsReq) {
	s.mu.Lock()
	var dirs []any
	for _, sec := range visibleSectionsLocked(q.srv, q.acc) {
		dirs = append(dirs, sectionObj(sec))
	}
	s.mu.Unlock()
	writePMS(q.w, q.r, obj{{"size", len(dirs)}, {"allowSync", 0}, {"title1", "Plex Library"}, {"Directory", dirs}})
}

// systemAccountsLocked lists the PMS's accounts: 0 (the server itself),
// 1 (the owner, as a real PMS numbers it) and every account the server is
// shared with, by plex.tv id.
func (s *Server) systemAccountsLocked(srv *pmsServer) []obj {
	acct := func(id int64, name string) obj {
		return obj{
			{"id", id}, {"key", "/accounts/" + strconv.FormatInt(id, 10)}, {"name", name},
			{"defaultAudioLanguage", "en"}, {"autoSelectAudio", true}, {"defaultSubtitleLanguage", "en"},
			{"subtitleMode", 0}, {"thumb", ""},
		}
	}
	out := []obj{acct(0, "")}
	if o := s.byID[srv.owner]; o != nil {
		out = append(out, acct(1, o.username))
	}
	for _, a := range s.accounts {
		if srv.shared[a.id] != nil {
			out = append(out, acct(a.id, a.username))
		}
	}
	return out
}

// systemAccounts serves GET /accounts and /accounts/{id} (admin only).
func (s *Server) systemAccounts(q pmsReq) {
	s.mu.Lock()
	all := s.systemAccountsLocked(q.srv)
	s.mu.Unlock()
	writeSystemList(q, all, "com.plexapp.system.accounts", "Account")
}

// writeSystemList answers a /accounts or /devices listing: every entry of
// all, or for …/{id} the one with that id (404 when there is none).
func writeSystemList(q pmsReq, all []obj, identifier, elem string) {
	list := pickByID(all, q.r.PathValue("id"))
	if list == nil {
		writeHTML(q.w, http.StatusNotFound)
		return
	}
	writePMS(q.w, q.r, obj{{"size", len(list)}, {"identifier", identifier}, {elem, list}})
}

// systemDevices serves GET /devices and /devices/{id} (admin only): the
// clients that made authenticated requests to this server.
func (s *Server) systemDevices(q pmsReq) {
	s.mu.Lock()
	var all []obj
	for _, d := range q.srv.sysDevs {
		all = append(all, obj{{"id", d.id}, {"name", d.name}, {"platform", d.platform},
			{"clientIdentifier", d.client}, {"createdAt", d.created.Unix()}})
	}
	s.mu.Unlock()
	writeSystemList(q, all, "com.plexapp.system.devices", "Device")
}

// pickByID returns every entry for id "", the entry whose "id" is id, or
// nil when there is none.
func pickByID(all []obj, id string) []any {
	out := []any{}
	for _, o := range all {
		if id == "" || scalarString(o.get("id")) == id {
			out = append(out, o)
		}
	}
	if id != "" && len(out) == 0 {
		return nil
	}
	return out
}
