package plextest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/plexkit/plexgo/internal/deadport"
)

// PMSVersion is the version string the fake Plex Media Servers report.
const PMSVersion = "1.41.3.9314-a0bfb8370"

// TransientTokenLifetime is how long a PMS transient token is valid.
const TransientTokenLifetime = 48 * time.Hour

// ServerInfo describes a fake Plex Media Server.
type ServerInfo struct {
	Name              string       `json:"name"`
	MachineIdentifier string       `json:"machineIdentifier"`
	AccessToken       string       `json:"accessToken"` // the server's admin token (what its owner gets in /resources)
	URL               string       `json:"url"`         // URI of the first connection
	Owned             bool         `json:"owned"`       // owned by DefaultLogin
	OwnerLogin        string       `json:"owner"`
	Connections       []Connection `json:"connections"`
}

// Connection is one way to reach a server, as listed by /api/v2/resources.
type Connection struct {
	Protocol string `json:"protocol"`
	Address  string `json:"address"`
	Port     int    `json:"port"`
	URI      string `json:"uri"`
	Local    bool   `json:"local"`
	Relay    bool   `json:"relay"`
	IPv6     bool   `json:"IPv6"`
}

// ServerSpec describes a server to add with AddServer.
type ServerSpec struct {
	Name       string
	OwnerLogin string   // default DefaultLogin
	SharedWith []string // logins or usernames that get a per-user access token
	// SharedSections are the library section keys shared with SharedWith
	// (every server has the sections 1 Movies, 2 TV Shows, 3 Music); none
	// means all libraries.
	SharedSections []int
	// Connections each get their own loopback listener serving this PMS.
	// Default: one local http connection.
	Connections []ConnSpec
}

// ConnSpec describes one connection of a server added with AddServer.
type ConnSpec struct {
	Local, Relay, IPv6 bool
	// Protocol is "http" (default) or "https". An https connection serves
	// TLS with a certificate for 127.0.0.1/::1/localhost signed by a
	// throw-away CA; trust it with Server.CertPool.
	Protocol string
	// Latency is a delay before every response (see SetConnLatency).
	Latency time.Duration
	// Dead: the address refuses connections (a port that was listened on
	// and closed again).
	Dead bool
	// BlackHole: the listener accepts connections but never answers, until
	// the client gives up or Close.
	BlackHole bool
	// WrongMachine: the connection answers as a different server (another
	// machineIdentifier in /identity, and it rejects this server's tokens).
	WrongMachine bool
}

type pmsServer struct {
	name      string
	machineID string
	adminTok  string
	owner     int64            // 0 while the server is unclaimed
	tvID      int64            // plex.tv's id of the server (serverId in /api/users)
	shared    map[int64]*share // account id → share (friends and Home members)
	invited   map[int64]*share // account id → pending invitation (see InviteFriend)
	sections  []*libSection    // library sections, by key
	sysDevs   []*sysDevice     // clients seen by this server (GET /devices)
	created   time.Time
	transient map[string]*transientTok
	conns     []*pmsConn
}

type transientTok struct {
	acct    int64
	admin   bool
	expires time.Time
}

type pmsConn struct {
	spec    ConnSpec
	conn    Connection
	latency time.Duration
	wrongID string
	mux     *http.ServeMux // the connection's router (read by tests)
}

// access is what a token grants on a PMS.
type access struct {
	acct  int64
	admin bool
}

func (s *Server) findServerLocked(machineID string) *pmsServer {
	for _, srv := range s.servers {
		if srv.machineID == machineID {
			return srv
		}
	}
	return nil
}

// AddServer starts a new fake PMS (each connection its own loopback
// listener) owned by spec.OwnerLogin and shared with spec.SharedWith. A
// connection whose listener cannot be created is logged and left dead.
func (s *Server) AddServer(spec ServerSpec) ServerInfo {
	info, err := s.addServer(spec, "")
	if err != nil {
		s.cfg.logger.Error("plextest: AddServer", "err", err)
	}
	return info
}

func (s *Server) addServer(spec ServerSpec, firstAddr string) (ServerInfo, error) {
	if spec.OwnerLogin == "" {
		spec.OwnerLogin = DefaultLogin
	}
	if len(spec.Connections) == 0 {
		spec.Connections = []ConnSpec{{Local: true}}
	}
	s.mu.Lock()
	owner := s.findAccountLocked(spec.OwnerLogin)
	if owner == nil {
		s.mu.Unlock()
		return ServerInfo{}, fmt.Errorf("plextest: no account %q", spec.OwnerLogin)
	}
	if spec.Name == "" {
		spec.Name = fmt.Sprintf("plextest-%d", len(s.servers)+1)
	}
	srv := &pmsServer{
		name: spec.Name, machineID: randHex(40), adminTok: randToken(), owner: owner.id,
		tvID: s.nextServerID, shared: map[int64]*share{}, transient: map[string]*transientTok{},
		sections: defaultSections(s.now()), created: s.now(),
	}
	s.nextServerID++
	for _, l := range spec.SharedWith {
		if a := s.findAccountLocked(l); a != nil && a.id != owner.id {
			s.shareLocked(srv, a, spec.SharedSections)
		}
	}
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return ServerInfo{}, fmt.Errorf("plextest: server closed")
	}

	var firstErr error
	conns := make([]*pmsConn, 0, len(spec.Connections))
	for i, cs := range spec.Connections {
		addr := ""
		if i == 0 {
			addr = firstAddr
		}
		c, err := s.startConn(srv, cs, addr)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		conns = append(conns, c)
	}
	s.mu.Lock()
	srv.conns = conns
	s.servers = append(s.servers, srv)
	info := s.serverInfoLocked(srv)
	s.mu.Unlock()
	return info, firstErr
}

func (s *Server) serverInfoLocked(srv *pmsServer) ServerInfo {
	info := ServerInfo{Name: srv.name, MachineIdentifier: srv.machineID, AccessToken: srv.adminTok}
	if o := s.byID[srv.owner]; o != nil {
		info.OwnerLogin = o.login()
		info.Owned = o.email == DefaultLogin
	}
	for _, c := range srv.conns {
		info.Connections = append(info.Connections, c.conn)
	}
	if len(info.Connections) > 0 {
		info.URL = info.Connections[0].URI
	}
	return info
}

// Servers returns every fake PMS, the default one first.
func (s *Server) Servers() []ServerInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	return mapped(s.servers, s.serverInfoLocked)
}

// SetConnLatency changes, at run time, the delay before every response of
// connection index of the server machineID.
func (s *Server) SetConnLatency(machineID string, index int, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if srv := s.findServerLocked(machineID); srv != nil && index >= 0 && index < len(srv.conns) {
		srv.conns[index].latency = d
	}
}

// RestartPMS simulates a restart of every fake PMS: all transient tokens
// are dropped.
func (s *Server) RestartPMS() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, srv := range s.servers {
		srv.transient = map[string]*transientTok{}
	}
}

// CertPool returns a pool trusting the certificates of https connections
// (nil until an https connection exists).
func (s *Server) CertPool() *x509.CertPool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.certPool
}

func (s *Server) tlsConfig() (*tls.Config, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tlsCert == nil {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, err
		}
		serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
		tmpl := &x509.Certificate{
			SerialNumber:          serial,
			Subject:               pkix.Name{CommonName: "plextest"},
			NotBefore:             time.Now().Add(-time.Hour),
			NotAfter:              time.Now().Add(10 * 365 * 24 * time.Hour),
			KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
			ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
			BasicConstraintsValid: true,
			IsCA:                  true,
			IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
			DNSNames:              []string{"localhost"},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			return nil, err
		}
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, err
		}
		s.tlsCert = &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}
		s.certPool = x509.NewCertPool()
		s.certPool.AddCert(cert)
	}
	return &tls.Config{Certificates: []tls.Certificate{*s.tlsCert}, MinVersion: tls.VersionTLS12}, nil
}

// startDeadConn gives c an address that refuses connections and that no
// other listener can be given while the fake runs (on Unix; see
// internal/deadport).
func (s *Server) startDeadConn(c *pmsConn, proto, addr string) error {
	bound, release, err := deadport.Reserve(addr)
	if err != nil && c.spec.IPv6 {
		bound, release, err = deadport.Reserve("127.0.0.1:0")
	}
	if err != nil {
		c.conn.Address, c.conn.Port = "127.0.0.1", 1
		c.conn.URI = proto + "://127.0.0.1:1"
		return fmt.Errorf("plextest: dead connection: %w", err)
	}
	c.conn.Address, c.conn.Port = bound.IP.String(), bound.Port
	c.conn.URI = proto + "://" + bound.String()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		release()
		return nil
	}
	s.reserved = append(s.reserved, release)
	return nil
}

// startConn creates the listener of one connection.
func (s *Server) startConn(srv *pmsServer, cs ConnSpec, addr string) (*pmsConn, error) {
	proto := strings.ToLower(cs.Protocol)
	if proto != "https" {
		proto = "http"
	}
	c := &pmsConn{spec: cs, latency: cs.Latency}
	if cs.WrongMachine {
		c.wrongID = randHex(40)
	}
	c.conn = Connection{Protocol: proto, Local: cs.Local, Relay: cs.Relay, IPv6: cs.IPv6}
	if addr == "" {
		addr = "127.0.0.1:0"
		if cs.IPv6 {
			addr = "[::1]:0"
		}
	}
	if cs.Dead {
		return c, s.startDeadConn(c, proto, addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil && cs.IPv6 {
		s.cfg.logger.Warn("plextest: no IPv6 loopback, using 127.0.0.1 for an IPv6 connection", "err", err)
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		c.conn.Address, c.conn.Port = "127.0.0.1", 1
		c.conn.URI = proto + "://127.0.0.1:1"
		return c, fmt.Errorf("plextest: listen PMS connection: %w", err)
	}
	tcp, _ := ln.Addr().(*net.TCPAddr)
	if tcp != nil {
		c.conn.Address = tcp.IP.String()
		c.conn.Port = tcp.Port
	}
	c.conn.URI = proto + "://" + ln.Addr().String()
	switch {
	case cs.BlackHole:
		h := &blackHole{ln: ln, conns: map[net.Conn]struct{}{}}
		s.mu.Lock()
		closed := s.closed
		if !closed {
			s.holes = append(s.holes, h)
			s.wg.Add(1)
		}
		s.mu.Unlock()
		if closed {
			_ = ln.Close()
			return c, nil
		}
		go func() {
			defer s.wg.Done()
			h.run()
		}()
		return c, nil
	}
	if proto == "https" {
		cfg, err := s.tlsConfig()
		if err != nil {
			_ = ln.Close()
			return c, err
		}
		ln = tls.NewListener(ln, cfg)
	}
	h := s.wrap("pms", s.pmsHandler(srv, c))
	hs := s.newHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		d := c.latency
		s.mu.Unlock()
		if !s.sleep(r.Context(), d) {
			return
		}
		h.ServeHTTP(w, r)
	}))
	s.serve(hs, ln)
	return c, nil
}

// blackHole accepts connections and never answers.
type blackHole struct {
	ln    net.Listener
	mu    sync.Mutex
	conns map[net.Conn]struct{}
	done  bool
	wg    sync.WaitGroup
}

func (h *blackHole) run() {
	for {
		c, err := h.ln.Accept()
		if err != nil {
			h.wg.Wait()
			return
		}
		h.mu.Lock()
		if h.done {
			h.mu.Unlock()
			_ = c.Close()
			continue
		}
		h.conns[c] = struct{}{}
		h.wg.Add(1)
		h.mu.Unlock()
		go func() {
			defer h.wg.Done()
			buf := make([]byte, 4096)
			for {
				if _, err := c.Read(buf); err != nil {
					break
				}
			}
			_ = c.Close()
			h.mu.Lock()
			delete(h.conns, c)
			h.mu.Unlock()
		}()
	}
}

func (h *blackHole) close() {
	_ = h.ln.Close()
	h.mu.Lock()
	h.done = true
	for c := range h.conns {
		_ = c.Close()
	}
	h.mu.Unlock()
}

// ---- PMS HTTP API ----

func itoa(i int) string { return strconv.Itoa(i) }

// pmsWantsJSON: a PMS answers JSON when Accept mentions application/json.
func pmsWantsJSON(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept") {
		if strings.Contains(strings.ToLower(v), "application/json") {
			return true
		}
	}
	return false
}

func writePMS(w http.ResponseWriter, r *http.Request, mc obj) {
	var b []byte
	if pmsWantsJSON(r) {
		b, _ = json.Marshal(obj{{"MediaContainer", mc}})
		w.Header().Set("Content-Type", "application/json")
	} else {
		b = renderXML("MediaContainer", mc)
		w.Header().Set("Content-Type", "text/xml;charset=utf-8")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

// pmsAuthLocked resolves a token presented to srv: the admin token, a
// per-user shared token, a transient token of this server, or a plex.tv
// legacy token of the owner or of a user the server is shared with. Plex
// JWTs are not accepted.
func (s *Server) pmsAuthLocked(srv *pmsServer, tok string) (access, bool) {
	if tok == "" && srv.owner != 0 {
		return access{}, false
	}
	if tok == srv.adminTok && srv.owner != 0 {
		return access{acct: srv.owner, admin: true}, true
	}
	if srv.owner == 0 {
		// An unclaimed server, like a real one on its local network,
		// lets anyone in as its admin.
		return access{admin: true}, true
	}
	for id, sh := range srv.shared {
		if sh.token == tok {
			return access{acct: id}, true
		}
	}
	if tt := srv.transient[tok]; tt != nil {
		if s.now().Before(tt.expires) {
			return access{acct: tt.acct, admin: tt.admin}, true
		}
		delete(srv.transient, tok)
		return access{}, false
	}
	if rec := s.tokens[tok]; rec != nil {
		if rec.acct == srv.owner {
			return access{acct: srv.owner, admin: true}, true
		}
		if _, ok := srv.shared[rec.acct]; ok {
			return access{acct: rec.acct}, true
		}
	}
	return access{}, false
}

func (s *Server) pmsHandler(srv *pmsServer, c *pmsConn) http.Handler {
	// authed runs h for a caller whose token this server accepts, else
	// answers 401 (a WrongMachine connection accepts none).
	authed := func(h func(q pmsReq)) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			tok := plexParam(r, "X-Plex-Token")
			s.mu.Lock()
			acc, ok := s.pmsAuthLocked(srv, tok)
			if ok && c.wrongID == "" {
				s.notePMSClientLocked(srv, r)
			}
			s.mu.Unlock()
			if !ok || c.wrongID != "" {
				writeHTML(w, http.StatusUnauthorized)
				return
			}
			h(pmsReq{w: w, r: r, srv: srv, acc: acc})
		})
	}
	routes := map[string]http.Handler{}
	for _, rt := range s.pmsRoutes() {
		switch {
		case rt.pattern == "/identity":
			routes[rt.pattern] = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.pmsIdentity(w, r, srv, c) })
		case rt.open:
			h := rt.handle
			routes[rt.pattern] = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				h(pmsReq{w: w, r: r, srv: srv})
			})
		default:
			routes[rt.pattern] = authed(rt.handle)
		}
	}
	mux, h := muxFor(routes, authed(func(q pmsReq) { writeHTML(q.w, http.StatusNotFound) }))
	if c.mux == nil {
		c.mux = mux
	}
	return h
}

// pmsIdentity serves GET /identity (no token needed).
func (s *Server) pmsIdentity(w http.ResponseWriter, r *http.Request, srv *pmsServer, c *pmsConn) {
	machineID := srv.machineID
	if c.wrongID != "" {
		machineID = c.wrongID
	}
	s.mu.Lock()
	claimed := srv.owner != 0
	s.mu.Unlock()
	writePMS(w, r, obj{{"size", 0}, {"claimed", claimed}, {"machineIdentifier", machineID}, {"version", PMSVersion}})
}

func (s *Server) pmsRoot(w http.ResponseWriter, r *http.Request, srv *pmsServer) {
	s.mu.Lock()
	owner := s.byID[srv.owner]
	var feats []string
	username := ""
	if owner != nil {
		feats = anyStrings(s.subscriptionObjLocked(owner).get("features"))
		username = owner.login()
	}
	s.mu.Unlock()
	dirs := rootDirectories()
	mapping, signin := "mapped", "ok"
	if owner == nil {
		mapping, signin = "unknown", "none"
	}
	writePMS(w, r, obj{
		{"size", len(dirs)}, {"claimed", owner != nil}, {"machineIdentifier", srv.machineID}, {"friendlyName", srv.name},
		{"version", PMSVersion}, {"platform", "Linux"}, {"platformVersion", "6.1.0"},
		{"myPlex", owner != nil}, {"myPlexMappingState", mapping}, {"myPlexSigninState", signin},
		{"myPlexSubscription", owner != nil && owner.plexPass}, {"myPlexUsername", username},
		{"ownerFeatures", strings.Join(feats, ",")}, {"transcoderActiveVideoSessions", 0},
		{"Directory", dirs},
	})
}

// transientToken serves /security/token?type=delegation&scope=all (any
// method).
func (s *Server) transientToken(w http.ResponseWriter, r *http.Request, srv *pmsServer, acc access) {
	q := r.URL.Query()
	if q.Get("type") != "delegation" || q.Get("scope") != "all" {
		writeHTML(w, http.StatusBadRequest)
		return
	}
	tok := "transient-" + randUUID()
	s.mu.Lock()
	srv.transient[tok] = &transientTok{acct: acc.acct, admin: acc.admin, expires: s.now().Add(TransientTokenLifetime)}
	s.mu.Unlock()
	writePMS(w, r, obj{{"size", 0}, {"token", tok}})
}

// securityResources serves /security/resources?source=server://<id>.
func (s *Server) securityResources(w http.ResponseWriter, r *http.Request, acc access) {
	if !acc.admin {
		writeHTML(w, http.StatusForbidden)
		return
	}
	src := r.URL.Query().Get("source")
	scheme, rest, ok := strings.Cut(src, "://")
	if !ok || (scheme != "server" && scheme != "provider") || rest == "" {
		writeHTML(w, http.StatusBadRequest)
		return
	}
	if scheme == "provider" {
		writeHTML(w, http.StatusNotFound)
		return
	}
	mid, _, _ := strings.Cut(rest, "/")
	s.mu.Lock()
	target := s.findServerLocked(mid)
	var tok string
	if target != nil {
		tok = s.ensureServerTokenLocked(target, acc.acct)
	}
	var conns []any
	if target != nil {
		for _, c := range target.conns {
			conns = append(conns, obj{{"protocol", c.conn.Protocol}, {"address", c.conn.Address}, {"port", c.conn.Port},
				{"uri", c.conn.URI}, {"local", c.conn.Local}, {"relay", c.conn.Relay}})
		}
	}
	s.mu.Unlock()
	if target == nil || tok == "" {
		writeHTML(w, http.StatusNotFound)
		return
	}
	writePMS(w, r, obj{{"size", 1}, {"Device", obj{
		{"name", target.name}, {"clientIdentifier", target.machineID}, {"accessToken", tok}, {"Connection", conns},
	}}})
}

// ensureServerTokenLocked returns the token account acct uses on srv: the
// admin token for the owner, the per-user token for users it is shared with,
// else "". For a member of the owner's Plex Home it creates that member's
// share (and token) on first use, hence the name: it may write.
func (s *Server) ensureServerTokenLocked(srv *pmsServer, acct int64) string {
	if acct == srv.owner && acct != 0 {
		return srv.adminTok
	}
	if sh, ok := srv.shared[acct]; ok {
		return sh.token
	}
	if a := s.byID[acct]; a != nil && a.home() && a.homeAdminID == srv.owner && srv.owner != 0 {
		sh := s.shareLocked(srv, a, nil)
		sh.home = true
		return sh.token
	}
	return ""
}
