package plextest

import (
	"net/http"
	"time"
)

// sysDevice is a client a PMS has seen (GET /devices on the PMS).
type sysDevice struct {
	id       int
	name     string
	platform string
	client   string
	created  time.Time
}

// notePMSClientLocked records the client of an authenticated PMS request.
func (s *Server) notePMSClientLocked(srv *pmsServer, r *http.Request) {
	cid := plexParam(r, "X-Plex-Client-Identifier")
	if cid == "" {
		return
	}
	for _, d := range srv.sysDevs {
		if d.client == cid {
			return
		}
	}
	srv.sysDevs = append(srv.sysDevs, &sysDevice{
		id: len(srv.sysDevs) + 1, name: plexParam(r, "X-Plex-Device-Name"),
		platform: plexParam(r, "X-Plex-Platform"), client: cid, created: s.now(),
	})
}
