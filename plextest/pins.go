package plextest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

type pin struct {
	id         int64
	code       string
	clientID   string
	product    string
	desc       map[string]string // the device parameters of the request that created it
	strong     bool
	created    time.Time
	expires    time.Time
	expired    bool
	approvedBy int64
	jwk        *deviceKey // set for the JWT variant
	plexJWT    string     // Plex JWT issued for a linked JWT PIN
}

func parseBool(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

func isJSONBody(r *http.Request, body []byte) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return strings.HasSuffix(mt, "json") || bytes.HasPrefix(bytes.TrimSpace(body), []byte("{"))
}

func readBody(r *http.Request) []byte {
	if r.Body == nil {
		return nil
	}
	var b bytes.Buffer
	_, _ = b.ReadFrom(r.Body) // already bounded and buffered by wrap
	r.Body = nopBody(b.Bytes())
	return b.Bytes()
}

func (s *Server) pinExpiredLocked(p *pin, now time.Time) bool {
	if p.expired || !now.Before(p.expires) {
		if s.pinCodes[p.code] == p.id {
			delete(s.pinCodes, p.code)
		}
		return true
	}
	return false
}

func (s *Server) pinObjLocked(p *pin, now time.Time, authToken any) obj {
	o := cloneObj(s.seeds.pin)
	left := int64(math.Ceil(p.expires.Sub(now).Seconds()))
	if left < 0 {
		left = 0
	}
	o.set("id", p.id)
	o.set("code", p.code)
	o.set("product", p.product)
	o.set("trusted", false)
	o.set("qr", s.PlexTVURL+"/api/v2/pins/qr/"+p.code)
	o.set("clientIdentifier", p.clientID)
	o.set("expiresIn", left)
	o.set("createdAt", p.created.UTC().Format(time.RFC3339))
	o.set("expiresAt", p.expires.UTC().Format(time.RFC3339))
	o.set("authToken", authToken)
	o.set("newRegistration", nil)
	return o
}

// createPIN serves POST /api/v2/pins[?strong=true], and the JWT variant
// with a JSON body {"jwk":{…},"strong":true}.
func (s *Server) createPIN(q tvReq) {
	cid, ok := q.clientID()
	if !ok {
		return
	}
	strong := parseBool(q.r.URL.Query().Get("strong"))
	body := readBody(q.r)
	if t := bytes.TrimSpace(body); string(t) == `""` || string(t) == "null" {
		body = nil // what clients such as npm plex-oauth send with a JSON Content-Type
	}
	var dk *deviceKey
	if len(bytes.TrimSpace(body)) > 0 && isJSONBody(q.r, body) {
		var in struct {
			JWK    *jwkJSON `json:"jwk"`
			Strong *bool    `json:"strong"`
		}
		if err := json.Unmarshal(body, &in); err != nil {
			q.fail(http.StatusBadRequest, codeBadRequest, "Invalid JSON body")
			return
		}
		if in.Strong != nil {
			strong = *in.Strong
		}
		if in.JWK != nil {
			var err error
			if dk, err = parseJWK(in.JWK); err != nil {
				q.fail(http.StatusBadRequest, codeBadRequest, "Invalid JWK")
				return
			}
		}
	} else {
		if err := q.r.ParseForm(); err != nil {
			q.fail(http.StatusBadRequest, codeBadRequest, "Malformed request body")
			return
		}
		if v := q.r.PostForm.Get("strong"); v != "" {
			strong = parseBool(v)
		}
	}
	now := s.now()
	s.mu.Lock()
	if dk != nil {
		dk.clientID = cid
		if !s.registerDeviceKeyLocked(cid, dk) {
			s.mu.Unlock()
			q.fail(http.StatusUnprocessableEntity, codeGeneric, "Thumbprint Already Taken")
			return
		}
	}
	life := s.cfg.pinNormal
	if strong {
		life = s.cfg.pinStrong
	}
	p := &pin{
		id: s.nextPinID, clientID: cid, product: plexParam(q.r, "X-Plex-Product"), desc: deviceDesc(q.r),
		strong: strong, created: now, expires: now.Add(life), jwk: dk,
	}
	s.nextPinID++
	for {
		if strong {
			p.code = randString(lowerAlnum, 25)
		} else {
			p.code = randString(upperAlnum, 4)
		}
		if id, taken := s.pinCodes[p.code]; !taken || s.pinExpiredLocked(s.pins[id], now) {
			break
		}
	}
	s.pins[p.id] = p
	s.pinCodes[p.code] = p.id
	o := s.pinObjLocked(p, now, nil)
	s.mu.Unlock()
	q.ok(http.StatusCreated, "pin", o)
}

// checkPIN serves GET /api/v2/pins/{id}[?deviceJWT=…].
func (s *Server) checkPIN(q tvReq, idStr string) {
	cid, ok := q.clientID()
	if !ok {
		return
	}
	id, err := strconv.ParseInt(strings.TrimSuffix(idStr, ".json"), 10, 64)
	if err != nil {
		q.fail(http.StatusNotFound, codePINNotFound, msgPINGone)
		return
	}
	deviceJWT := q.r.URL.Query().Get("deviceJWT")
	now := s.now()
	s.mu.Lock()
	p := s.pins[id]
	if p == nil || p.clientID != cid || s.pinExpiredLocked(p, now) {
		s.mu.Unlock()
		q.fail(http.StatusNotFound, codePINNotFound, msgPINGone)
		return
	}
	var token any
	if a := s.byID[p.approvedBy]; a != nil {
		// The device is described by the poll, else by the PIN's creation.
		s.noteDeviceLocked(a, cid, q.r).describe(p.desc, true)
		if p.jwk == nil {
			token = s.issueLegacyLocked(a, cid)
		} else if deviceJWT != "" {
			claims, status, msg := s.verifyDeviceJWTLocked(deviceJWT, p.jwk, cid, false)
			if status != 0 {
				s.mu.Unlock()
				q.fail(status, codeGeneric, msg)
				return
			}
			if p.plexJWT == "" {
				scope, _ := claims["scope"].(string)
				t, err := s.issuePlexJWTLocked(a, cid, p.jwk.kid, scope)
				if err != nil {
					s.mu.Unlock()
					q.fail(http.StatusInternalServerError, codeGeneric, "Internal Server Error")
					return
				}
				p.plexJWT = t
			}
			token = p.plexJWT
		}
	}
	o := s.pinObjLocked(p, now, token)
	s.mu.Unlock()
	q.ok(http.StatusOK, "pin", o)
}

var errPINNotFound = errors.New("plextest: PIN not found or expired")

// pinByCodeLocked finds a PIN by its code (4-character codes are matched
// case-insensitively); nil if there is none.
func (s *Server) pinByCodeLocked(code string) *pin {
	code = strings.TrimSpace(code)
	id, ok := s.pinCodes[code]
	if !ok {
		id, ok = s.pinCodes[strings.ToUpper(code)]
	}
	if !ok {
		return nil
	}
	return s.pins[id]
}

func (s *Server) approveLocked(code string, a *account) error {
	p := s.pinByCodeLocked(code)
	if p == nil || s.pinExpiredLocked(p, s.now()) {
		return errPINNotFound
	}
	p.approvedBy = a.id
	if p.jwk != nil {
		if dk := s.devices[p.clientID]; dk != nil {
			dk.acct = a.id
		}
	}
	return nil
}

// linkPIN serves PUT /api/v2/pins/link (form code=…) with the approving
// account's token.
func (s *Server) linkPIN(q tvReq) {
	c, ok := s.user(q)
	if !ok {
		return
	}
	if err := q.r.ParseForm(); err != nil {
		q.fail(http.StatusBadRequest, codeBadRequest, "Malformed request body")
		return
	}
	s.mu.Lock()
	err := s.approveLocked(q.r.Form.Get("code"), c.acct)
	s.mu.Unlock()
	if err != nil {
		q.fail(http.StatusNotFound, codePINNotFound, msgPINGone)
		return
	}
	q.noContent()
}

// ApprovePIN links the PIN with this code to the account owning
// accountToken, like PUT /api/v2/pins/link: the next poll of the PIN
// returns a token for (that account, the PIN's client identifier).
func (s *Server) ApprovePIN(code string, accountToken string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, status, _, msg := s.authLocked(accountToken)
	if status != 0 {
		return fmt.Errorf("plextest: approve PIN: %s", msg)
	}
	return s.approveLocked(code, c.acct)
}

// ExpirePIN makes the PIN with this id expire now.
func (s *Server) ExpirePIN(id int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pins[id]
	if p == nil {
		return errPINNotFound
	}
	p.expired = true
	return nil
}
