package auth

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Plex JWT claims and the constants of JWT device authentication (overview in the package doc).

// DeviceJWTScope is the scope a device JWT asks for: the account fields
// plex.tv puts in the Plex JWT it issues.
const DeviceJWTScope = "username,email,friendly_name,restricted,anonymous,joinedAt"

// DeviceJWTLifetime is how long a device JWT is valid: its exp is its iat
// plus this.
const DeviceJWTLifetime = 5 * time.Minute

// PlexJWTIssuer is the issuer (iss) of Plex JWTs, and the audience (aud)
// of device JWTs.
const PlexJWTIssuer = "plex.tv"

// DefaultJWTLeeway is the clock skew [JWTVerifier] tolerates on exp and
// iat unless JWTVerifierOptions.Leeway says otherwise.
const DefaultJWTLeeway = time.Minute

// JWTKeysMaxAge is how long a [JWTVerifier] uses plex.tv's signing keys
// before it fetches them again. It also fetches them again, once, when a
// token names a key it does not know, at most once per
// [JWTUnknownKeyRefetchInterval].
const JWTKeysMaxAge = 24 * time.Hour

// JWTUnknownKeyRefetchInterval is the shortest time between two fetches
// of plex.tv's keys that a [JWTVerifier] makes because a token named a key
// (kid) it does not know. Within it, such tokens are checked against the
// cached keys only, so forged tokens with made-up kids cannot make the
// verifier hammer plex.tv.
const JWTUnknownKeyRefetchInterval = time.Minute

var (
	// ErrNoDeviceKey is returned (wrapped) when a device key is needed but
	// there is none: nil *DeviceKey, or Credentials without DeviceKey.
	ErrNoDeviceKey = errors.New("auth: no device key (log in with JWT device authentication first)")

	// ErrInvalidDeviceKey is returned (wrapped) by [DeviceKeyFromCredentials]
	// for stored key material that is not an Ed25519 seed or private key,
	// or a key id that is not a plain token.
	ErrInvalidDeviceKey = errors.New("auth: invalid device key")

	// ErrJWTInvalid is returned (wrapped) by [JWTVerifier.Verify] when a
	// token is not a valid Plex JWT for this device: malformed, not signed
	// by plex.tv, wrong issuer, audience or thumbprint, expired, or issued
	// in the future. The wrapping error says which check failed, never
	// what the token contains.
	ErrJWTInvalid = errors.New("auth: invalid Plex JWT")

	// ErrJWTExpired is returned (wrapped, together with [ErrJWTInvalid])
	// when a Plex JWT has expired. Obtain a new one with [ExchangeJWT]; the
	// device key stays valid.
	ErrJWTExpired = errors.New("auth: Plex JWT expired")
)

// PlexJWTClaims are the verified claims of a Plex JWT.
type PlexJWTClaims struct {
	// Issuer is always "plex.tv" once verified.
	Issuer string
	// Subject identifies the account (plex.tv puts the account UUID here).
	Subject string
	// Audience contains "plex.tv" and usually the client identifier.
	Audience []string
	// IssuedAt and ExpiresAt bound the token's life (about seven days).
	IssuedAt, ExpiresAt time.Time
	// Thumbprint is the key id of the device key the token is bound to.
	Thumbprint string
	// Scope is the comma-separated list of account fields granted.
	Scope string
	// ID is the token's unique id (jti), when present.
	ID string
	// UserID is the numeric account id (user_id), when present.
	UserID int64
	// Username is the account's username, when present.
	Username string
	// KeyID is the id of the plex.tv key that signed the token.
	KeyID string
}

// Remaining returns how long the token stays valid after now (negative
// once expired).
func (c *PlexJWTClaims) Remaining(now time.Time) time.Duration {
	if c == nil {
		return 0
	}
	return c.ExpiresAt.Sub(now)
}

// plexClaims is the wire form of a Plex JWT's claims.
type plexClaims struct {
	jwt.RegisteredClaims
	Thumbprint string          `json:"thumbprint"`
	Scope      string          `json:"scope"`
	UserID     json.RawMessage `json:"user_id"`
	Username   string          `json:"username"`
}

func (c *plexClaims) userID() int64 {
	s := strings.Trim(string(c.UserID), `"`)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 0 && f < 1<<53 && f == float64(int64(f)) {
		return int64(f)
	}
	return 0
}
