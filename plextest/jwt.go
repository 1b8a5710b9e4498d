package plextest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// PlexJWTLifetime is the lifetime of the Plex JWTs the fake issues.
const PlexJWTLifetime = 7 * 24 * time.Hour

// NonceLifetime is how long a nonce from GET /api/v2/auth/nonce is valid.
const NonceLifetime = 5 * time.Minute

func nopBody(b []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(b)) }

// registerDeviceKeyLocked registers dk for device cid. It fails when the
// key's thumbprint or kid already belongs to another device.
func (s *Server) registerDeviceKeyLocked(cid string, dk *deviceKey) bool {
	for _, id := range []string{dk.thumb, dk.kid} {
		if owner, ok := s.thumbs[id]; ok && owner != cid {
			return false
		}
	}
	if old := s.devices[cid]; old != nil {
		delete(s.thumbs, old.thumb)
		delete(s.thumbs, old.kid)
		if dk.acct == 0 {
			dk.acct = old.acct
		}
	}
	dk.clientID = cid
	s.devices[cid] = dk
	s.thumbs[dk.thumb] = cid
	s.thumbs[dk.kid] = cid
	return true
}

type nonceRec struct {
	client  string
	expires time.Time
	used    bool
}

func decodeJSONBody(r *http.Request, v any) error {
	body := readBody(r)
	dec := json.NewDecoder(bytes.NewReader(body))
	return dec.Decode(v)
}

// registerJWK serves POST /api/v2/auth/jwk.
func (s *Server) registerJWK(q tvReq) {
	c, ok := s.user(q)
	if !ok {
		return
	}
	cid := plexParam(q.r, "X-Plex-Client-Identifier")
	var in struct {
		JWK *jwkJSON `json:"jwk"`
	}
	if err := decodeJSONBody(q.r, &in); err != nil || in.JWK == nil {
		q.fail(http.StatusBadRequest, codeBadRequest, "Invalid JWK")
		return
	}
	dk, err := parseJWK(in.JWK)
	if err != nil {
		q.fail(http.StatusBadRequest, codeBadRequest, "Invalid JWK")
		return
	}
	dk.acct = c.acct.id
	s.mu.Lock()
	ok = s.registerDeviceKeyLocked(cid, dk)
	s.mu.Unlock()
	if !ok {
		q.fail(http.StatusUnprocessableEntity, codeGeneric, "Thumbprint Already Taken")
		return
	}
	q.noContent()
}

// nonce serves GET /api/v2/auth/nonce.
func (s *Server) nonce(q tvReq) {
	cid, ok := q.clientID()
	if !ok {
		return
	}
	now := s.now()
	s.mu.Lock()
	if retry, ok := s.allowLocked("nonce\x00"+remoteIP(q.r), now); !ok {
		s.mu.Unlock()
		q.w.Header().Set("Retry-After", itoa(retry))
		q.fail(http.StatusTooManyRequests, codeRateLimited, msgRateLimited)
		return
	}
	if len(s.nonces) > 1024 {
		for k, n := range s.nonces {
			if n.used || !now.Before(n.expires) {
				delete(s.nonces, k)
			}
		}
	}
	n := randUUID()
	s.nonces[n] = &nonceRec{client: cid, expires: now.Add(NonceLifetime)}
	s.mu.Unlock()
	q.ok(http.StatusOK, "nonce", obj{{"nonce", n}})
}

// verifyDeviceJWTLocked checks a device-signed JWT against dk: EdDSA
// signature, aud "plex.tv", iss = client identifier, iat and exp present
// and sane, and (needNonce) a known, unused, unexpired nonce of this
// device. It returns 498 for an expired JWT and 422 for anything else.
func (s *Server) verifyDeviceJWTLocked(tok string, dk *deviceKey, cid string, needNonce bool) (jwt.MapClaims, int, string) {
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(tok, claims, func(t *jwt.Token) (any, error) {
		if kid, _ := t.Header["kid"].(string); kid != "" && kid != dk.kid && kid != dk.thumb {
			return nil, errors.New("unknown kid")
		}
		return dk.pub, nil
	}, jwt.WithValidMethods([]string{"EdDSA"}), jwt.WithTimeFunc(s.now), jwt.WithAudience("plex.tv"),
		jwt.WithIssuer(cid), jwt.WithIssuedAt(), jwt.WithExpirationRequired())
	if errors.Is(err, jwt.ErrTokenExpired) {
		return nil, 498, "Token Expired"
	}
	if err != nil {
		return nil, http.StatusUnprocessableEntity, "Signature Verification Failed"
	}
	if _, ok := claims["iat"]; !ok {
		return nil, http.StatusUnprocessableEntity, "Signature Verification Failed"
	}
	if needNonce {
		n, _ := claims["nonce"].(string)
		rec := s.nonces[n]
		if rec == nil || rec.used || rec.client != cid || !s.now().Before(rec.expires) {
			return nil, http.StatusUnprocessableEntity, "Invalid Nonce"
		}
		rec.used = true
	}
	return claims, 0, ""
}

func (s *Server) issuePlexJWTLocked(a *account, cid, thumbprint, scope string) (string, error) {
	key := s.keys[len(s.keys)-1]
	now := s.now()
	if scope == "" {
		scope = "username,email,friendly_name"
	}
	jti := randUUID()
	claims := jwt.MapClaims{
		"iss":        "plex.tv",
		"aud":        []string{"plex.tv", cid},
		"sub":        a.uuid,
		"user_id":    a.id,
		"thumbprint": thumbprint,
		"scope":      scope,
		"iat":        now.Unix(),
		"exp":        now.Add(PlexJWTLifetime).Unix(),
		"jti":        jti,
	}
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims)
	t.Header["kid"] = key.kid
	signed, err := t.SignedString(key.priv)
	if err != nil {
		return "", err
	}
	s.jwts[jti] = &jwtRec{acct: a.id, client: cid, exp: time.Unix(now.Add(PlexJWTLifetime).Unix(), 0)}
	// The device's legacy token stays valid: Plex's migration guide says to
	// keep using it and add the JWT alongside.
	return signed, nil
}

// verifyPlexJWTLocked authenticates a Plex JWT used as X-Plex-Token.
func (s *Server) verifyPlexJWTLocked(tok string) (caller, int, int, string) {
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(tok, claims, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		for _, k := range s.keys {
			if k.kid == kid {
				return k.pub, nil
			}
		}
		return nil, errors.New("unknown signing key")
	}, jwt.WithValidMethods([]string{"EdDSA"}), jwt.WithTimeFunc(s.now), jwt.WithIssuer("plex.tv"),
		jwt.WithAudience("plex.tv"), jwt.WithExpirationRequired())
	if errors.Is(err, jwt.ErrTokenExpired) {
		return caller{}, 498, codeGeneric, "Token Expired"
	}
	if err != nil {
		return caller{}, http.StatusUnauthorized, codeUnauthenticated, msgUnauth
	}
	jti, _ := claims["jti"].(string)
	rec := s.jwts[jti]
	if rec == nil || rec.revoked {
		return caller{}, http.StatusUnauthorized, codeUnauthenticated, msgUnauth
	}
	if rec.expired {
		return caller{}, 498, codeGeneric, "Token Expired"
	}
	a := s.byID[rec.acct]
	if a == nil {
		return caller{}, http.StatusUnauthorized, codeUnauthenticated, msgUnauth
	}
	return caller{acct: a, token: tok, clientID: rec.client, jwtID: jti}, 0, 0, ""
}

// exchangeJWT serves POST /api/v2/auth/token.
func (s *Server) exchangeJWT(q tvReq) {
	cid, ok := q.clientID()
	if !ok {
		return
	}
	var in struct {
		JWT string `json:"jwt"`
	}
	if err := decodeJSONBody(q.r, &in); err != nil || in.JWT == "" {
		q.fail(http.StatusBadRequest, codeBadRequest, "Invalid JSON body")
		return
	}
	s.mu.Lock()
	dk := s.devices[cid]
	if dk == nil || s.byID[dk.acct] == nil {
		s.mu.Unlock()
		q.fail(http.StatusUnprocessableEntity, codeGeneric, "Signature Verification Failed")
		return
	}
	claims, status, msg := s.verifyDeviceJWTLocked(in.JWT, dk, cid, true)
	if status != 0 {
		s.mu.Unlock()
		q.fail(status, codeGeneric, msg)
		return
	}
	scope, _ := claims["scope"].(string)
	t, err := s.issuePlexJWTLocked(s.byID[dk.acct], cid, dk.kid, scope)
	s.noteDeviceLocked(s.byID[dk.acct], cid, q.r)
	s.mu.Unlock()
	if err != nil {
		q.fail(http.StatusInternalServerError, codeGeneric, "Internal Server Error")
		return
	}
	q.ok(http.StatusOK, "token", obj{{"auth_token", t}})
}
