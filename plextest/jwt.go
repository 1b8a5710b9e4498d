package plextest

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
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

var b64 = base64.RawURLEncoding

type signingKey struct {
	kid  string
	priv ed25519.PrivateKey
	pub  ed25519.PublicKey
}

func newSigningKey() (*signingKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	return &signingKey{kid: jwkThumbprint(b64.EncodeToString(pub)), priv: priv, pub: pub}, nil
}

// jwkThumbprint is the RFC 7638 thumbprint of an Ed25519 OKP key.
func jwkThumbprint(x string) string {
	sum := sha256.Sum256([]byte(`{"crv":"Ed25519","kty":"OKP","x":"` + x + `"}`))
	return b64.EncodeToString(sum[:])
}

type jwkJSON struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Use string `json:"use,omitempty"`
	Alg string `json:"alg,omitempty"`
	Kid string `json:"kid,omitempty"`
}

// deviceKey is a device's registered public key.
type deviceKey struct {
	clientID string
	kid      string // the JWK's kid, or its thumbprint when it has none
	thumb    string
	pub      ed25519.PublicKey
	acct     int64 // account the device authenticates as (0 until known)
}

func parseJWK(j *jwkJSON) (*deviceKey, error) {
	if j.Kty != "OKP" || j.Crv != "Ed25519" || (j.Alg != "" && j.Alg != "EdDSA") {
		return nil, errors.New("unsupported JWK")
	}
	raw, err := b64.DecodeString(j.X)
	if err != nil || len(raw) != ed25519.PublicKeySize {
		return nil, errors.New("bad JWK x")
	}
	dk := &deviceKey{pub: ed25519.PublicKey(raw), thumb: jwkThumbprint(j.X), kid: j.Kid}
	if dk.kid == "" {
		dk.kid = dk.thumb
	}
	return dk, nil
}

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
		q.fail(http.StatusTooManyRequests, codeGeneric, "Too Many Requests")
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

func keyJWK(k *signingKey) obj {
	return obj{{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", b64.EncodeToString(k.pub)}, {"use", "sig"}, {"alg", "EdDSA"}, {"kid", k.kid}}
}

// publicKeys serves GET /api/v2/auth/keys (no client identifier needed).
func (s *Server) publicKeys(q tvReq) {
	s.mu.Lock()
	keys := make([]any, 0, len(s.keys))
	for _, k := range s.keys {
		keys = append(keys, keyJWK(k))
	}
	s.mu.Unlock()
	q.ok(http.StatusOK, "jwks", obj{{"keys", keys}})
}

// RotateSigningKeys makes a new Ed25519 key the current Plex JWT signing
// key. Earlier keys stay published in /api/v2/auth/keys, and JWTs signed
// with them stay valid, until RetireOldKeys.
func (s *Server) RotateSigningKeys() {
	k, err := newSigningKey()
	if err != nil {
		s.cfg.logger.Error("plextest: rotate keys", "err", err)
		return
	}
	s.mu.Lock()
	s.keys = append(s.keys, k)
	s.mu.Unlock()
}

// RetireOldKeys drops every signing key but the current one: JWTs signed
// with them are rejected (401) afterwards.
func (s *Server) RetireOldKeys() {
	s.mu.Lock()
	s.keys = s.keys[len(s.keys)-1:]
	s.mu.Unlock()
}

// SigningKeys returns the public keys currently published by
// /api/v2/auth/keys, keyed by kid.
func (s *Server) SigningKeys() map[string]ed25519.PublicKey {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]ed25519.PublicKey{}
	for _, k := range s.keys {
		out[k.kid] = k.pub
	}
	return out
}
