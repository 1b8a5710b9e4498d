package plextest

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// devRec is a device of an account on plex.tv (its "Authorized Devices"):
// every client identifier that signed in, had a PIN linked, switched Home
// user or exchanged a JWT.
type devRec struct {
	id       int64
	acct     int64
	client   string
	name     string
	product  string
	version  string
	platform string
	platVer  string
	device   string
	model    string
	vendor   string
	provides string
	created  time.Time
	lastSeen time.Time
}

// noteDeviceLocked records (or refreshes) the device (a, clientID); r,
// when not nil, supplies the X-Plex-* description of the device.
func (s *Server) noteDeviceLocked(a *account, clientID string, r *http.Request) *devRec {
	k := devKey{a.id, clientID}
	d := s.devs[k]
	now := s.now()
	if d == nil {
		d = &devRec{id: s.nextDevID, acct: a.id, client: clientID, created: now}
		s.nextDevID++
		s.devs[k] = d
		if r == nil {
			s.describeSeededLocked(a, d)
		}
	}
	d.lastSeen = now
	if r != nil {
		d.describe(deviceDesc(r), false)
	}
	return d
}

// deviceHeaders are the X-Plex-* parameters that describe a device.
var deviceHeaders = [...]string{
	"X-Plex-Device-Name", "X-Plex-Product", "X-Plex-Version", "X-Plex-Platform", "X-Plex-Platform-Version",
	"X-Plex-Device", "X-Plex-Model", "X-Plex-Device-Vendor", "X-Plex-Provides",
}

// deviceDesc returns the non-empty device parameters of r (headers, or
// the query string), keyed by header name.
func deviceDesc(r *http.Request) map[string]string {
	desc := map[string]string{}
	for _, h := range deviceHeaders {
		if v := plexParam(r, h); v != "" {
			desc[h] = v
		}
	}
	return desc
}

// describe sets d's description from desc; with onlyEmpty it fills only
// the fields nothing described yet.
func (d *devRec) describe(desc map[string]string, onlyEmpty bool) {
	for h, dst := range map[string]*string{
		"X-Plex-Device-Name": &d.name, "X-Plex-Product": &d.product, "X-Plex-Version": &d.version,
		"X-Plex-Platform": &d.platform, "X-Plex-Platform-Version": &d.platVer, "X-Plex-Device": &d.device,
		"X-Plex-Model": &d.model, "X-Plex-Device-Vendor": &d.vendor, "X-Plex-Provides": &d.provides,
	} {
		if v := desc[h]; v != "" && (!onlyEmpty || *dst == "") {
			*dst = v
		}
	}
}

// SeedDeviceName is the device name of the seed tokens' device (client
// identifier SeedClientID) in GET /devices.xml.
const SeedDeviceName = "plextest seed"

// describeSeededLocked names a device no request created: the seed
// tokens' device, or the account's player (the one GET /api/v2/resources
// lists) described like the player of the seed resources. Any other
// device (IssueToken with another client identifier) stays unnamed.
func (s *Server) describeSeededLocked(a *account, d *devRec) {
	switch d.client {
	case SeedClientID:
		d.name, d.product, d.platform, d.device = SeedDeviceName, "plextest", "Go", "plextest"
	case a.playerID:
		p := s.seeds.playerDevice
		str := func(k string) string { v, _ := p.get(k).(string); return v }
		d.name = a.username + "'s Player"
		d.product, d.version, d.device = str("product"), str("productVersion"), str("device")
		d.platform, d.platVer = str("platform"), str("platformVersion")
		d.provides = "client,player"
	}
}

// devicesXML serves GET /devices.xml: the caller's devices, and the servers
// it owns (XML only).
func (s *Server) devicesXML(q tvReq) {
	c, owned, ok := s.ownerLocked(q)
	if !ok {
		return
	}
	var list []any
	for _, d := range s.devicesOfLocked(c.acct.id) {
		list = append(list, s.deviceObjLocked(d))
	}
	for _, srv := range owned {
		list = append(list, s.serverDeviceObjLocked(srv))
	}
	s.mu.Unlock()
	q.ok(http.StatusOK, "MediaContainer", obj{{"publicAddress", "127.0.0.1"}, {"size", len(list)}, {"Device", list}})
}

// devicesOfLocked returns the devices of account id, oldest first.
func (s *Server) devicesOfLocked(id int64) []*devRec {
	var out []*devRec
	for _, d := range s.devs {
		if d.acct == id {
			out = append(out, d)
		}
	}
	for i := 1; i < len(out); i++ { // few entries: insertion sort by id
		for j := i; j > 0 && out[j].id < out[j-1].id; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// deviceObjLocked is d's Device entry in GET /devices.xml. provides is what
// the device sent as X-Plex-Provides, empty when it sent none, as in
// captured answers (Plex Web, Sonarr and Radarr entries with provides="").
func (s *Server) deviceObjLocked(d *devRec) obj {
	return obj{
		{"name", d.name}, {"publicAddress", "127.0.0.1"}, {"product", d.product}, {"productVersion", d.version},
		{"platform", d.platform}, {"platformVersion", d.platVer}, {"device", d.device}, {"model", d.model},
		{"vendor", d.vendor}, {"provides", d.provides}, {"clientIdentifier", d.client}, {"version", d.version},
		{"id", d.id}, {"token", s.devTokens[devKey{d.acct, d.client}]}, {"createdAt", d.created.Unix()},
		{"lastSeenAt", d.lastSeen.Unix()}, {"screenResolution", ""}, {"screenDensity", ""},
	}
}

func (s *Server) serverDeviceObjLocked(srv *pmsServer) obj {
	conns := []any{}
	for _, c := range srv.conns {
		conns = append(conns, obj{{"uri", c.conn.URI}})
	}
	return obj{
		{"name", srv.name}, {"publicAddress", "127.0.0.1"}, {"product", "Plex Media Server"},
		{"productVersion", PMSVersion}, {"platform", "Linux"}, {"platformVersion", "6.1.0"}, {"device", "PC"},
		{"model", "x86_64"}, {"vendor", ""}, {"provides", "server"}, {"clientIdentifier", srv.machineID},
		{"version", PMSVersion}, {"id", srv.tvID}, {"token", srv.adminTok}, {"createdAt", srv.created.Unix()},
		{"lastSeenAt", s.now().Unix()}, {"screenResolution", ""}, {"screenDensity", ""}, {"Connection", conns},
	}
}

// deleteDevice serves DELETE /devices/{id}.xml: the caller's device is
// removed and its tokens revoked (legacy token, Plex JWTs, the link of its
// JWT device key). A server's device entry cannot be removed here (404).
func (s *Server) deleteDevice(q tvReq) {
	c, ok := s.user(q)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(strings.TrimSuffix(q.r.PathValue("id"), ".xml"), 10, 64)
	s.mu.Lock()
	var d *devRec
	for _, cand := range s.devs {
		if err == nil && cand.id == id && cand.acct == c.acct.id {
			d = cand
		}
	}
	if d == nil {
		s.mu.Unlock()
		q.fail(http.StatusNotFound, codeNotFound, msgNotFound)
		return
	}
	s.revokeDeviceLocked(d.acct, d.client)
	s.mu.Unlock()
	q.ok(http.StatusOK, "MediaContainer", obj{{"size", 0}})
}

// revokeDeviceLocked signs the device (acct, client) out everywhere.
func (s *Server) revokeDeviceLocked(acct int64, client string) {
	k := devKey{acct, client}
	if t, ok := s.devTokens[k]; ok {
		s.dropLegacyLocked(t)
	}
	for _, j := range s.jwts {
		if j.acct == acct && j.client == client {
			j.revoked = true
		}
	}
	if dk := s.devices[client]; dk != nil && dk.acct == acct {
		dk.acct = 0
	}
	delete(s.devs, k)
}
