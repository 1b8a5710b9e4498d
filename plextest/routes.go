package plextest

import (
	"net/http"
	"path"
	"strings"
)

// tvRoute is one plex.tv endpoint: a net/http ServeMux pattern
// ("METHOD /path", Go 1.22 syntax) and its handler. The package
// documentation lists the same patterns; a test keeps them in step.
type tvRoute struct {
	pattern string
	handle  func(q tvReq)
}

// tvRoutes lists every plex.tv (and clients.plex.tv) endpoint of the fake.
func (s *Server) tvRoutes() []tvRoute {
	return []tvRoute{
		{"POST /users/sign_in.json", func(q tvReq) { q.json = true; s.signIn(q, true) }},
		{"POST /users/sign_in.xml", func(q tvReq) { q.json = false; s.signIn(q, true) }},
		{"POST /api/v2/users/signin", func(q tvReq) { s.signIn(q, false) }},
		{"GET /api/v2/user", s.getUser},
		{"GET /api/v2/ping", s.ping},
		{"DELETE /api/v2/users/signout", s.signOut},
		{"POST /api/v2/pins", s.createPIN},
		{"PUT /api/v2/pins/link", s.linkPIN},
		{"PUT /api/v2/pins/link.json", s.linkPIN},
		{"GET /api/v2/pins/{id}", func(q tvReq) { s.checkPIN(q, q.r.PathValue("id")) }},
		{"GET /api/v2/resources", s.resources},
		{"GET /api/v2/home/users", s.homeUsers},
		{"POST /api/v2/home/users/{id}/switch", func(q tvReq) { s.homeSwitch(q, q.r.PathValue("id")) }},
		{"POST /api/v2/auth/jwk", s.registerJWK},
		{"GET /api/v2/auth/nonce", s.nonce},
		{"POST /api/v2/auth/token", s.exchangeJWT},
		{"GET /api/v2/auth/keys", s.publicKeys},
		{"GET /api/v2/home", s.homeV2},
		{"GET /api/v2/friends", s.friends},
		{"GET /api/users", v1(s.usersV1)},
		{"GET /api/users/{$}", v1(s.usersV1)},
		{"GET /api/servers/{machineIdentifier}/shared_servers", v1(s.sharedServers)},
		{"GET /api/servers/{machineIdentifier}/shared_servers/{id}", v1(s.sharedServers)},
		{"GET /api/home/users", v1(s.homeUsersV1)},
		{"POST /api/home/users/{id}/switch", v1(s.homeSwitchV1)},
		{"GET /api/claim/token.json", s.claimToken},
		{"GET /devices.xml", v1(s.devicesXML)},
		{"DELETE /devices/{id}", v1(s.deleteDevice)},
		{"GET /auth", s.authApp},
		{"GET /auth/{$}", s.authApp},
		{"POST /auth/approve", s.authApprove},
	}
}

// v1 marks a handler of the v1 API (/api/…, /devices…): real plex.tv
// answers those in XML whatever the Accept header says.
func v1(h func(q tvReq)) func(q tvReq) {
	return func(q tvReq) {
		q.json = false
		h(q)
	}
}

// muxFor builds a ServeMux from patterns and handlers, with notFound for
// every request no pattern matches (whatever its method). The returned
// handler never lets the mux answer by itself: requests the mux would
// redirect (unclean paths) or refuse ("OPTIONS *") get notFound too.
func muxFor(routes map[string]http.Handler, notFound http.Handler) (*http.ServeMux, http.Handler) {
	mux := http.NewServeMux()
	registered := map[string]bool{"/": true}
	for p, h := range routes {
		mux.Handle(p, h)
		registered[p] = true
	}
	mux.Handle("/", notFound)
	return mux, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The mux would redirect unclean paths and refuse "*" by itself;
		// for a redirect it reports the target path, not a pattern.
		if !isCleanPath(r.URL.Path) {
			notFound.ServeHTTP(w, r)
			return
		}
		if _, pat := mux.Handler(r); !registered[pat] {
			notFound.ServeHTTP(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// tvMux routes plex.tv requests; unknown paths and methods get 404 with a
// plex.tv error body (code 1002).
func (s *Server) tvMux() (*http.ServeMux, http.Handler) {
	routes := map[string]http.Handler{}
	for _, rt := range s.tvRoutes() {
		h := rt.handle
		routes[rt.pattern] = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h(tvReq{w: w, r: r, json: wantsJSON(r)})
		})
	}
	return muxFor(routes, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeTVError(w, wantsJSON(r), http.StatusNotFound, codeNotFound, msgNotFound)
	}))
}

func (s *Server) plexTVHandler() http.Handler {
	mux, h := s.tvMux()
	if s.tvServeMux == nil {
		s.tvServeMux = mux
	}
	api := s.wrap("plextv", h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, ControlPrefix) {
			s.control(w, r)
			return
		}
		api.ServeHTTP(w, r)
	})
}

// pmsReq bundles what a PMS handler needs: the request, the server and
// what the caller's token grants on it.
type pmsReq struct {
	w   http.ResponseWriter
	r   *http.Request
	srv *pmsServer
	acc access
}

// pmsRoute is one PMS endpoint. A pattern without a method matches every
// method. Routes marked open need no token.
type pmsRoute struct {
	pattern string
	open    bool
	handle  func(q pmsReq)
}

// pmsRoutes lists every endpoint of a fake PMS.
func (s *Server) pmsRoutes() []pmsRoute {
	return []pmsRoute{
		{"/identity", true, nil}, // answered by pmsHandler (it knows the connection)
		{"/{$}", false, func(q pmsReq) { s.pmsRoot(q.w, q.r, q.srv) }},
		{"/security/token", false, func(q pmsReq) { s.transientToken(q.w, q.r, q.srv, q.acc) }},
		{"/security/resources", false, func(q pmsReq) { s.securityResources(q.w, q.r, q.acc) }},
		{"GET /myplex/account", false, adminOnly(s.myPlexAccount)},
		{"DELETE /myplex/account", false, adminOnly(s.myPlexUnclaim)},
		{"POST /myplex/claim", false, adminOnly(s.myPlexClaim)},
		{"GET /accounts", false, adminOnly(s.systemAccounts)},
		{"GET /accounts/{id}", false, adminOnly(s.systemAccounts)},
		{"GET /devices", false, adminOnly(s.systemDevices)},
		{"GET /devices/{id}", false, adminOnly(s.systemDevices)},
		{"GET /library/sections", false, s.librarySections},
	}
}

// adminOnly guards a PMS endpoint only the server's admin may use: 403
// with an HTML body for any other token.
func adminOnly(h func(q pmsReq)) func(q pmsReq) {
	return func(q pmsReq) {
		if !q.acc.admin {
			writeHTML(q.w, http.StatusForbidden)
			return
		}
		h(q)
	}
}

// isCleanPath reports whether p is an absolute path that ServeMux would
// not redirect: no empty, "." or ".." segments.
func isCleanPath(p string) bool {
	if !strings.HasPrefix(p, "/") {
		return false
	}
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	return c == p
}
