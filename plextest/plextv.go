package plextest

import (
	"encoding/json"
	"math"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// plex.tv error codes used by the fake.
const (
	codeGeneric         = 0 // HTTP-level errors whose Plex code is unknown (413, 422, 498, injected statuses)
	codeBadRequest      = 1000
	codeUnauthenticated = 1001
	codeNotFound        = 1002
	codeRateLimited     = 1003
	codePINNotFound     = 1020
	codeBadTOTP         = 1028
	codeNeedTOTP        = 1029
	codeLockedOut       = 1031
	codeInvalidHomePIN  = 1041
)

const (
	msgNoClientID  = "X-Plex-Client-Identifier is missing"
	msgUnauth      = "User could not be authenticated"
	msgNotFound    = "The requested resource or endpoint could not be found"
	msgRateLimited = "API rate limit exceeded"
	msgPINGone     = "Code not found or expired"
	msgLockedOut   = "User could not be authenticated. This IP appears to be having trouble signing in to an account (detected repeated failures)"
	msgHomePIN     = "A valid PIN is required to perform this action"
)

// wantsJSON reports whether plex.tv answers JSON: only when Accept is
// exactly one media type, application/json (parameters allowed). A list
// such as "application/json, */*" or no Accept header gets XML, as on the
// real service.
func wantsJSON(r *http.Request) bool {
	vals := r.Header.Values("Accept")
	if len(vals) != 1 || strings.Contains(vals[0], ",") {
		return false
	}
	mt, _, err := mime.ParseMediaType(vals[0])
	return err == nil && mt == "application/json"
}

// plexParam reads an X-Plex-* value from the header or, failing that, the
// query string.
func plexParam(r *http.Request, name string) string {
	if v := strings.TrimSpace(r.Header.Get(name)); v != "" {
		return v
	}
	return strings.TrimSpace(r.URL.Query().Get(name))
}

func writeTV(w http.ResponseWriter, jsonFmt bool, status int, root string, v any) {
	var b []byte
	if jsonFmt {
		var err error
		b, err = json.Marshal(v)
		if err != nil {
			writeTVError(w, true, http.StatusInternalServerError, codeGeneric, "Internal Server Error")
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	} else {
		b = renderXML(root, v)
		w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeTVError(w http.ResponseWriter, jsonFmt bool, status, code int, msg string) {
	var b []byte
	if jsonFmt {
		b, _ = json.Marshal(obj{{"errors", []any{obj{{"code", code}, {"message", msg}, {"status", status}}}}})
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	} else {
		b = []byte(xmlHeader + `<errors><error code="` + strconv.Itoa(code) + `" message="` + xmlAttrEscape(msg) +
			`" status="` + strconv.Itoa(status) + `"/></errors>` + "\n")
		w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// tvReq bundles what a plex.tv handler needs.
type tvReq struct {
	w    http.ResponseWriter
	r    *http.Request
	json bool
}

func (q tvReq) ok(status int, root string, v any) { writeTV(q.w, q.json, status, root, v) }
func (q tvReq) fail(status, code int, msg string) { writeTVError(q.w, q.json, status, code, msg) }
func (q tvReq) noContent()                        { q.w.WriteHeader(http.StatusNoContent) }

// clientID returns the X-Plex-Client-Identifier or answers 400 code 1000.
func (q tvReq) clientID() (string, bool) {
	cid := plexParam(q.r, "X-Plex-Client-Identifier")
	if cid == "" {
		q.fail(http.StatusBadRequest, codeBadRequest, msgNoClientID)
		return "", false
	}
	return cid, true
}

// caller is an authenticated plex.tv caller.
type caller struct {
	acct     *account
	token    string
	clientID string // the device the token was issued to
	jwtID    string // set for Plex JWTs
}

// authLocked resolves a plex.tv token: legacy tokens and Plex JWTs. It
// returns the HTTP status, error code and message on failure.
func (s *Server) authLocked(token string) (caller, int, int, string) {
	if token == "" {
		return caller{}, http.StatusUnauthorized, codeUnauthenticated, msgUnauth
	}
	if rec, ok := s.tokens[token]; ok {
		if a := s.byID[rec.acct]; a != nil {
			return caller{acct: a, token: token, clientID: rec.client}, 0, 0, ""
		}
	}
	if strings.Count(token, ".") == 2 {
		return s.verifyPlexJWTLocked(token)
	}
	return caller{}, http.StatusUnauthorized, codeUnauthenticated, msgUnauth
}

// user authenticates the request (client id + X-Plex-Token). On failure it
// has already answered.
func (s *Server) user(q tvReq) (caller, bool) {
	if _, ok := q.clientID(); !ok {
		return caller{}, false
	}
	s.mu.Lock()
	c, status, code, msg := s.authLocked(plexParam(q.r, "X-Plex-Token"))
	s.mu.Unlock()
	if status != 0 {
		q.fail(status, code, msg)
		return caller{}, false
	}
	return c, true
}

// ---- sign-in ----

type lockState struct {
	fails int
	until time.Time
	last  time.Time // last failure
}

// allowLocked applies a sliding-window rate limit; on refusal it returns
// the Retry-After seconds.
func (s *Server) allowLocked(key string, now time.Time) (int, bool) {
	n, per := s.cfg.rateN, s.cfg.ratePer
	if n <= 0 || per <= 0 {
		return 0, true
	}
	ts := s.rate[key]
	cutoff := now.Add(-per)
	i := 0
	for i < len(ts) && !ts[i].After(cutoff) {
		i++
	}
	ts = ts[i:]
	if len(ts) >= n {
		s.rate[key] = ts
		secs := int(math.Ceil(ts[0].Add(per).Sub(now).Seconds()))
		if secs < 1 {
			secs = 1
		}
		return secs, false
	}
	s.rate[key] = append(ts, now)
	return 0, true
}

// remoteIP is the address sign-in lock-outs and rate limits are keyed by,
// as on the real service ("This IP appears to be having trouble signing
// in").
func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) lockedOutLocked(ip string, now time.Time) bool {
	ls := s.lockouts[ip]
	return ls != nil && now.Before(ls.until)
}

func (s *Server) signInFailedLocked(ip string, now time.Time) {
	ls := s.lockouts[ip]
	if ls == nil {
		ls = &lockState{}
		s.lockouts[ip] = ls
	}
	if !ls.until.IsZero() && !now.Before(ls.until) {
		ls.until = time.Time{}
	}
	ls.fails++
	ls.last = now
	if s.cfg.lockoutMax > 0 && ls.fails >= s.cfg.lockoutMax {
		ls.until = now.Add(s.cfg.lockoutCool)
		ls.fails = 0
	}
}

// signIn serves POST /api/v2/users/signin (form body) and, when legacy is
// set, POST /users/sign_in.{json,xml} (HTTP Basic credentials).
func (s *Server) signIn(q tvReq, legacy bool) {
	cid, ok := q.clientID()
	if !ok {
		return
	}
	var login, password, code string
	if legacy {
		login, password, _ = q.r.BasicAuth()
	} else {
		if err := q.r.ParseForm(); err != nil {
			q.fail(http.StatusBadRequest, codeBadRequest, "Malformed request body")
			return
		}
		login = strings.TrimSpace(q.r.Form.Get("login"))
		password = q.r.Form.Get("password")
		code = strings.TrimSpace(q.r.Form.Get("verificationCode"))
	}
	now := s.now()
	ip := remoteIP(q.r)
	s.mu.Lock()
	if retry, ok := s.allowLocked("signin\x00"+ip, now); !ok {
		s.mu.Unlock()
		q.w.Header().Set("Retry-After", strconv.Itoa(retry))
		q.fail(http.StatusTooManyRequests, codeRateLimited, msgRateLimited)
		return
	}
	if s.lockedOutLocked(ip, now) {
		s.mu.Unlock()
		q.fail(http.StatusUnauthorized, codeLockedOut, msgLockedOut)
		return
	}
	a := s.findAccountLocked(login)
	fail := func(code int, msg string) {
		s.signInFailedLocked(ip, now)
		s.mu.Unlock()
		q.fail(http.StatusUnauthorized, code, msg)
	}
	switch {
	case login == "" || password == "" || a == nil || a.password == "":
		fail(codeUnauthenticated, msgUnauth)
		return
	case a.twoFactor && password == a.password && code == "":
		s.mu.Unlock()
		q.fail(http.StatusUnauthorized, codeNeedTOTP, "Please enter the verification code")
		return
	case a.twoFactor && password == a.password && code != a.code:
		fail(codeBadTOTP, "Invalid verification code")
		return
	case a.twoFactor && password == a.password:
		// code matches
	case a.twoFactor && code == "" && password == a.password+a.code:
		// Plex's workaround for clients without 2FA support: code appended to the password
	case password != a.password:
		fail(codeUnauthenticated, msgUnauth)
		return
	}
	delete(s.lockouts, ip)
	token := s.issueLegacyLocked(a, cid)
	s.noteDeviceLocked(a, cid, q.r)
	u := s.userObjLocked(a, token, true)
	s.mu.Unlock()
	if legacy {
		if q.json {
			u.set("authentication_token", token)
			q.ok(http.StatusCreated, "user", obj{{"user", u}})
		} else {
			u.set("authenticationToken", token)
			q.ok(http.StatusCreated, "user", u)
		}
		return
	}
	q.ok(http.StatusCreated, "user", u)
}

func (s *Server) getUser(q tvReq) {
	c, ok := s.user(q)
	if !ok {
		return
	}
	s.mu.Lock()
	u := s.userObjLocked(c.acct, c.token, false)
	s.mu.Unlock()
	q.ok(http.StatusOK, "user", u)
}

// ping serves GET /api/v2/ping: JSON {"pong":true}; in XML the result is
// the element's text, <pong>1</pong>, which is what clients read.
func (s *Server) ping(q tvReq) {
	if _, ok := s.user(q); !ok {
		return
	}
	if q.json {
		q.ok(http.StatusOK, "pong", obj{{"pong", true}})
		return
	}
	b := []byte(xmlHeader + "<pong>1</pong>\n")
	q.w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	q.w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	q.w.WriteHeader(http.StatusOK)
	_, _ = q.w.Write(b)
}

func (s *Server) signOut(q tvReq) {
	c, ok := s.user(q)
	if !ok {
		return
	}
	s.mu.Lock()
	if c.jwtID != "" {
		if rec := s.jwts[c.jwtID]; rec != nil {
			rec.revoked = true
		}
	} else {
		s.dropLegacyLocked(c.token)
	}
	s.mu.Unlock()
	q.noContent()
}

// ---- Plex Home ----

func (s *Server) homeMembersLocked(adminID int64) []*account {
	return where(s.accounts, func(a *account) bool { return a.homeAdminID == adminID && adminID != 0 })
}

// homeUserObj is a as GET /api/v2/home/users lists it: a managed user has
// "username":null and "email":null, as a captured answer shows.
func (s *Server) homeUserObj(a *account) obj {
	var email, username any
	if a.email != "" {
		email = a.email
	}
	if !a.managed() {
		username = a.username
	}
	return obj{
		{"id", a.id}, {"uuid", a.uuid}, {"title", a.title()}, {"username", username},
		{"email", email}, {"friendlyName", a.title()},
		{"thumb", "https://plex.tv/users/" + a.uuid + "/avatar?c=" + strconv.FormatInt(a.joinedAt, 10)},
		{"hasPassword", a.password != ""}, {"restricted", a.restricted}, {"protected", a.protected},
		{"admin", a.isHomeAdmin()}, {"guest", false}, {"home", a.home()},
	}
}

// homeUsers serves GET /api/v2/home/users: the caller's Home (a Home of
// one for accounts not in a Home).
func (s *Server) homeUsers(q tvReq) {
	admin, users, ok := s.homeList(q, s.homeUserObj)
	if ok {
		q.ok(http.StatusOK, "home", append(homeObj(admin), kv{"users", users}))
	}
}

// homeSwitch serves POST /api/v2/home/users/{uuid or id}/switch?pin=NNNN.
func (s *Server) homeSwitch(q tvReq, target string) {
	if u, _, ok := s.switchHomeUser(q, target); ok {
		q.ok(http.StatusCreated, "user", u)
	}
}

// switchHomeUser serves the shared part of the v1 and v2 Home switch: the
// caller must be in the Home of target (its id or UUID), the PIN form
// value must match a protected target's (else 403 code 1041), and the
// target gets a legacy token for the caller's client. On false the error
// is answered.
func (s *Server) switchHomeUser(q tvReq, target string) (obj, string, bool) {
	c, ok := s.user(q)
	if !ok {
		return nil, "", false
	}
	cid := plexParam(q.r, "X-Plex-Client-Identifier")
	if err := q.r.ParseForm(); err != nil {
		q.fail(http.StatusBadRequest, codeBadRequest, "Malformed request body")
		return nil, "", false
	}
	s.mu.Lock()
	var t *account
	for _, a := range s.accounts {
		if a.uuid == target || strconv.FormatInt(a.id, 10) == target {
			t = a
			break
		}
	}
	status := 0
	switch {
	case t == nil || !c.acct.home() || t.homeAdminID != c.acct.homeAdminID:
		status = http.StatusNotFound
	case t.protected && q.r.Form.Get("pin") != t.pin:
		status = http.StatusForbidden
	}
	if status != 0 {
		s.mu.Unlock()
		if status == http.StatusNotFound {
			q.fail(status, codeNotFound, msgNotFound)
		} else {
			q.fail(status, codeInvalidHomePIN, msgHomePIN)
		}
		return nil, "", false
	}
	token := s.issueLegacyLocked(t, cid)
	s.noteDeviceLocked(t, cid, q.r)
	u := s.userObjLocked(t, token, false)
	s.mu.Unlock()
	return u, token, true
}

// ---- /api/v2/resources ----

// resources serves GET /api/v2/resources: the servers the caller can use,
// each with the token the caller uses on it.
func (s *Server) resources(q tvReq) {
	c, ok := s.user(q)
	if !ok {
		return
	}
	qv := q.r.URL.Query()
	https, relay, ipv6 := parseBool(qv.Get("includeHttps")), parseBool(qv.Get("includeRelay")), parseBool(qv.Get("includeIPv6"))
	now := s.now().UTC().Format(time.RFC3339)
	s.mu.Lock()
	var out []any
	for _, srv := range s.servers {
		tok := s.ensureServerTokenLocked(srv, c.acct.id)
		if tok == "" {
			continue
		}
		owner := s.byID[srv.owner]
		d := cloneObj(s.seeds.serverDevice)
		owned := srv.owner == c.acct.id
		var ownerID, sourceTitle any
		if !owned && owner != nil {
			ownerID, sourceTitle = owner.id, owner.username
		}
		conns := []any{}
		hasRelay := false
		for _, pc := range srv.conns {
			cn := pc.conn
			if (cn.Protocol == "https" && !https) || (cn.Relay && !relay) || (cn.IPv6 && !ipv6) {
				continue
			}
			hasRelay = hasRelay || cn.Relay
			conns = append(conns, obj{{"protocol", cn.Protocol}, {"address", cn.Address}, {"port", cn.Port},
				{"uri", cn.URI}, {"local", cn.Local}, {"relay", cn.Relay}, {"IPv6", cn.IPv6}})
		}
		d.set("name", srv.name)
		d.set("product", "Plex Media Server")
		d.set("productVersion", PMSVersion)
		d.set("clientIdentifier", srv.machineID)
		d.set("lastSeenAt", now)
		d.set("provides", "server")
		d.set("ownerId", ownerID)
		d.set("sourceTitle", sourceTitle)
		d.set("publicAddress", "127.0.0.1")
		d.set("accessToken", tok)
		d.set("owned", owned)
		d.set("home", !owned && c.acct.home() && c.acct.homeAdminID == srv.owner)
		d.set("relay", hasRelay)
		d.set("presence", true)
		d.set("httpsRequired", false)
		d.set("publicAddressMatches", true)
		d.set("connections", conns)
		out = append(out, d)
	}
	player := cloneObj(s.seeds.playerDevice)
	player.set("name", c.acct.username+"'s Player")
	player.set("clientIdentifier", c.acct.playerID)
	player.set("provides", "client,player")
	player.set("lastSeenAt", now)
	player.set("publicAddress", "127.0.0.1")
	player.set("accessToken", s.issueLegacyLocked(c.acct, c.acct.playerID))
	player.set("connections", []any{})
	out = append(out, player)
	s.mu.Unlock()
	q.ok(http.StatusOK, "resources", out)
}
