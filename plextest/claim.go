package plextest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ClaimTokenLifetime is how long a claim token from
// GET /api/claim/token.json stays valid (it is also single use).
const ClaimTokenLifetime = 4 * time.Minute

type claimRec struct {
	acct    int64
	expires time.Time
}

// claimToken serves GET /api/claim/token.json: {"token":"claim-…"} for
// the caller's account (JSON, as the .json extension says).
func (s *Server) claimToken(q tvReq) {
	q.json = true
	c, ok := s.user(q)
	if !ok {
		return
	}
	tok := "claim-" + randString(alnum, 20)
	s.mu.Lock()
	s.claims[tok] = &claimRec{acct: c.acct.id, expires: s.now().Add(ClaimTokenLifetime)}
	s.mu.Unlock()
	q.ok(http.StatusOK, "", obj{{"token", tok}})
}

// takeClaimLocked consumes a claim token and returns its account.
func (s *Server) takeClaimLocked(tok string) *account {
	rec := s.claims[tok]
	if rec == nil {
		return nil
	}
	delete(s.claims, tok)
	if !s.now().Before(rec.expires) {
		return nil
	}
	return s.byID[rec.acct]
}

// writePMSRoot writes a PMS answer whose root is not a MediaContainer
// (the MyPlex object of /myplex/account).
func writePMSRoot(w http.ResponseWriter, r *http.Request, root string, o obj) {
	var b []byte
	if pmsWantsJSON(r) {
		b, _ = json.Marshal(obj{{root, o}})
		w.Header().Set("Content-Type", "application/json")
	} else {
		b = renderXML(root, o)
		w.Header().Set("Content-Type", "text/xml;charset=utf-8")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

// myPlexObjLocked is the PMS's view of its plex.tv account.
func (s *Server) myPlexObjLocked(srv *pmsServer) obj {
	port := 0
	if len(srv.conns) > 0 {
		port = srv.conns[0].conn.Port
	}
	o := obj{
		{"authToken", ""}, {"username", ""}, {"mappingState", "unknown"}, {"mappingError", ""},
		{"signInState", "none"}, {"publicAddress", "127.0.0.1"}, {"publicPort", port},
		{"privateAddress", "127.0.0.1"}, {"privatePort", port}, {"subscriptionFeatures", ""},
		{"subscriptionActive", false}, {"subscriptionState", "Unknown"},
	}
	owner := s.byID[srv.owner]
	if srv.owner == 0 || owner == nil {
		return o
	}
	sub := s.subscriptionObjLocked(owner)
	state, _ := sub.get("status").(string)
	o.set("authToken", srv.adminTok)
	o.set("username", owner.login())
	o.set("mappingState", "mapped")
	o.set("signInState", "ok")
	o.set("subscriptionFeatures", strings.Join(anyStrings(sub.get("features")), ","))
	o.set("subscriptionActive", owner.plexPass)
	o.set("subscriptionState", state)
	return o
}

// myPlexAccount serves GET /myplex/account (admin only).
func (s *Server) myPlexAccount(q pmsReq) {
	s.mu.Lock()
	o := s.myPlexObjLocked(q.srv)
	s.mu.Unlock()
	writePMSRoot(q.w, q.r, "MyPlex", o)
}

// myPlexClaim serves POST /myplex/claim?token=claim-…: the server becomes
// the token's account's (admin only; an unclaimed server lets anyone in).
func (s *Server) myPlexClaim(q pmsReq) {
	s.mu.Lock()
	a := s.takeClaimLocked(q.r.URL.Query().Get("token"))
	if a == nil {
		s.mu.Unlock()
		writeHTML(q.w, http.StatusBadRequest)
		return
	}
	q.srv.adminTok = randToken()
	s.setOwnerLocked(q, a.id)
}

// myPlexUnclaim serves DELETE /myplex/account: the server signs out of
// plex.tv and has no owner until it is claimed again (admin only).
func (s *Server) myPlexUnclaim(q pmsReq) {
	s.mu.Lock()
	s.setOwnerLocked(q, 0)
}

// setOwnerLocked gives q's server to account owner (0: none), dropping its
// shares and transient tokens, unlocks s.mu and answers the new MyPlex
// state.
func (s *Server) setOwnerLocked(q pmsReq, owner int64) {
	q.srv.owner = owner
	q.srv.shared = map[int64]*share{}
	q.srv.invited = nil
	q.srv.transient = map[string]*transientTok{}
	o := s.myPlexObjLocked(q.srv)
	s.mu.Unlock()
	writePMSRoot(q.w, q.r, "MyPlex", o)
}
