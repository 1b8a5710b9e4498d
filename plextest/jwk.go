package plextest

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
)

// The fake's Plex JWT signing keys and the devices' registered JWKs.

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

func keyJWK(k *signingKey) obj {
	return obj{{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", b64.EncodeToString(k.pub)}, {"use", "sig"}, {"alg", "EdDSA"}, {"kid", k.kid}}
}

// publicKeys serves GET /api/v2/auth/keys (no client identifier needed).
func (s *Server) publicKeys(q tvReq) {
	s.mu.Lock()
	keys := mapped(s.keys, func(k *signingKey) any { return keyJWK(k) })
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
