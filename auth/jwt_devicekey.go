package auth

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/plexkit/plexgo/internal/redact"
	"github.com/plexkit/plexgo/models/operations"
)

// Device keys: the Ed25519 key a device registers and signs device JWTs with.

var b64url = base64.RawURLEncoding

// DeviceKey is this device's Ed25519 key for JWT device authentication.
//
// The private key never leaves it: String, GoString, every fmt verb and
// log/slog show only the key id. Persist it with [DeviceKey.Store] into
// [Credentials] (which redact it too) and a [TokenStore].
type DeviceKey struct {
	priv ed25519.PrivateKey
	kid  string
}

// NewDeviceKey generates a new random device key.
//
// Its key id is the RFC 7638 JWK thumbprint of the public key: the
// SHA-256 of {"crv":"Ed25519","kty":"OKP","x":"<public key>"}, encoded
// base64url without padding (43 characters). plex.tv treats the key id as
// opaque, and the thumbprint makes it stable and derivable from the public
// key alone.
func NewDeviceKey() (*DeviceKey, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("auth: generating device key: %w", err)
	}
	return &DeviceKey{priv: priv, kid: jwkThumbprint(priv.Public().(ed25519.PublicKey))}, nil
}

// DeviceKeyFromCredentials rebuilds the device key saved in c by
// [DeviceKey.Store]. c.DeviceKey may hold the 32-byte seed or the 64-byte
// private key. c.DeviceKeyID is kept as it is when set (a key registered
// by another client may use another key id scheme); when empty, the
// thumbprint is used.
//
// Errors wrap [ErrNoDeviceKey] when c has no key and [ErrInvalidDeviceKey]
// when it is unusable; they never contain key material.
func DeviceKeyFromCredentials(c Credentials) (*DeviceKey, error) {
	var priv ed25519.PrivateKey
	switch len(c.DeviceKey) {
	case 0:
		return nil, ErrNoDeviceKey
	case ed25519.SeedSize:
		priv = ed25519.NewKeyFromSeed(c.DeviceKey)
	case ed25519.PrivateKeySize:
		priv = ed25519.NewKeyFromSeed(c.DeviceKey[:ed25519.SeedSize])
		if !bytes.Equal(priv[ed25519.SeedSize:], c.DeviceKey[ed25519.SeedSize:]) {
			return nil, fmt.Errorf("%w: the stored public key does not belong to the stored private key", ErrInvalidDeviceKey)
		}
	default:
		return nil, fmt.Errorf("%w: %d bytes of key material, want %d (seed) or %d (private key)",
			ErrInvalidDeviceKey, len(c.DeviceKey), ed25519.SeedSize, ed25519.PrivateKeySize)
	}
	kid := c.DeviceKeyID
	if kid == "" {
		kid = jwkThumbprint(priv.Public().(ed25519.PublicKey))
	} else if !validKeyID(kid) {
		return nil, fmt.Errorf("%w: key id must be 1 to 256 printable ASCII characters without spaces", ErrInvalidDeviceKey)
	}
	return &DeviceKey{priv: priv, kid: kid}, nil
}

func validKeyID(kid string) bool {
	if kid == "" || len(kid) > 256 {
		return false
	}
	for i := 0; i < len(kid); i++ {
		if kid[i] <= ' ' || kid[i] > '~' {
			return false
		}
	}
	return true
}

// jwkThumbprint is the RFC 7638 thumbprint of an Ed25519 public key: the
// required members in lexicographic order, no whitespace.
func jwkThumbprint(pub ed25519.PublicKey) string {
	sum := sha256.Sum256([]byte(`{"crv":"Ed25519","kty":"OKP","x":"` + b64url.EncodeToString(pub) + `"}`))
	return b64url.EncodeToString(sum[:])
}

func (k *DeviceKey) usable() bool { return k != nil && len(k.priv) == ed25519.PrivateKeySize }

// KeyID returns the key id (kid) the key is registered under, or "" for a
// nil key.
func (k *DeviceKey) KeyID() string {
	if k == nil {
		return ""
	}
	return k.kid
}

// PublicKey returns the public half of the key, or nil for a nil key.
func (k *DeviceKey) PublicKey() ed25519.PublicKey {
	if !k.usable() {
		return nil
	}
	return append(ed25519.PublicKey(nil), k.priv[ed25519.SeedSize:]...)
}

// PublicJWK returns the public key as the JWK plex.tv registers:
// {kty:"OKP", crv:"Ed25519", x:<base64url public key>, use:"sig",
// alg:"EdDSA", kid}. It is the zero JWK for a nil key.
func (k *DeviceKey) PublicJWK() operations.JWK {
	if !k.usable() {
		return operations.JWK{}
	}
	return operations.JWK{
		Kty: "OKP",
		Crv: "Ed25519",
		X:   b64url.EncodeToString(k.priv[ed25519.SeedSize:]),
		Use: "sig",
		Alg: "EdDSA",
		Kid: k.kid,
	}
}

// Store writes the key into c: its 32-byte seed into c.DeviceKey and its
// key id into c.DeviceKeyID. It does nothing when k or c is nil.
func (k *DeviceKey) Store(c *Credentials) {
	if !k.usable() || c == nil {
		return
	}
	c.DeviceKey = append([]byte(nil), k.priv.Seed()...)
	c.DeviceKeyID = k.kid
}

// SignDeviceJWT signs a device JWT, the proof of key possession plex.tv
// asks for: header {alg:"EdDSA", kid, typ:"JWT"}, claims aud "plex.tv",
// iss clientID (the X-Plex-Client-Identifier the request is sent with),
// scope [DeviceJWTScope], iat now and exp now+[DeviceJWTLifetime], and
// nonce when not empty. A zero now means time.Now().
//
// The token exchange ([ExchangeJWT]) needs a fresh nonce from
// Authentication.GetNonce in every device JWT. PIN polls
// (Plex.GetPinWithDeviceJWT) take a device JWT without a nonce: plex.tv
// (and plextest, which follows it) checks only the signature, issuer,
// audience and times there, so pass "" and sign a new JWT for every poll
// rather than reusing one past its five minutes.
func (k *DeviceKey) SignDeviceJWT(clientID, nonce string, now time.Time) (string, error) {
	if !k.usable() {
		return "", ErrNoDeviceKey
	}
	if clientID == "" {
		return "", errors.New("auth: signing device JWT: empty client identifier")
	}
	if now.IsZero() {
		now = time.Now()
	}
	claims := jwt.MapClaims{
		"aud":   PlexJWTIssuer,
		"iss":   clientID,
		"scope": DeviceJWTScope,
		"iat":   now.Unix(),
		"exp":   now.Add(DeviceJWTLifetime).Unix(),
	}
	if nonce != "" {
		claims["nonce"] = nonce
	}
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims)
	t.Header["kid"] = k.kid
	s, err := t.SignedString(k.priv)
	if err != nil {
		return "", fmt.Errorf("auth: signing device JWT: %w", err)
	}
	return s, nil
}

// String describes the key by its id only.
func (k DeviceKey) String() string {
	if len(k.priv) == 0 {
		return "auth.DeviceKey{}"
	}
	return "auth.DeviceKey{KeyID:" + k.kid + " PrivateKey:REDACTED}"
}

// GoString is String: the private key is never printed.
func (k DeviceKey) GoString() string { return k.String() }

// Format implements [fmt.Formatter] so that no verb prints the private
// key (see the Format of internal/redact: %#v prints GoString, %q the
// quoted String, %d and the like a %!d(String) marker).
func (k DeviceKey) Format(f fmt.State, verb rune) { redact.Format(f, verb, k) }

// LogValue implements [slog.LogValuer]: only the key id is logged.
func (k DeviceKey) LogValue() slog.Value {
	return slog.GroupValue(slog.String("kid", k.kid), slog.String("privateKey", redactLen(len(k.priv))))
}

var (
	_ fmt.Stringer   = DeviceKey{}
	_ fmt.GoStringer = DeviceKey{}
	_ fmt.Formatter  = DeviceKey{}
	_ slog.LogValuer = DeviceKey{}
)
