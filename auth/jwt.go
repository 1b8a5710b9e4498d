package auth

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/internal/redact"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/models/sdkerrors"
)

// JWT device authentication
//
// A device keeps an Ed25519 key pair ([DeviceKey]) and registers the
// public half with plex.tv, either with an existing token
// ([RegisterDevice]) or while creating a PIN ([LoginWithPINJWT]). From then
// on it can obtain a Plex JWT at any time, even after the previous one
// expired, by signing a short-lived "device JWT" over a single-use nonce
// ([ExchangeJWT]). Plex JWTs are signed by plex.tv with keys it publishes
// and rotates; [JWTVerifier] checks them. [JWTSource] keeps a Plex JWT
// fresh for an SDK client.
//
// Plex JWTs are for plex.tv only. A Plex Media Server still wants the
// server's own access token from the resources list.

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

// maxJWTLen bounds the tokens Verify accepts; Plex JWTs are well under 2 KiB.
const maxJWTLen = 16 << 10

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

// JWTVerifierOptions configures [NewJWTVerifier]. The zero value works.
type JWTVerifierOptions struct {
	// Now is the clock that checks exp and iat (default time.Now).
	Now func() time.Time
	// Leeway is the clock skew tolerated on exp and iat (default
	// DefaultJWTLeeway; negative means none).
	Leeway time.Duration
}

// JWTExchangeOptions configures [ExchangeJWT]. The zero value works.
type JWTExchangeOptions struct {
	// Now dates the device JWT (default time.Now). When Verifier is nil it
	// is also the clock of the verifier ExchangeJWT builds.
	Now func() time.Time
	// Verifier verifies the Plex JWT plex.tv returns, sharing its cache of
	// plex.tv's keys. Default: a new verifier (NewJWTVerifier with Now and
	// the default leeway), which fetches the keys again; pass one built
	// with other JWTVerifierOptions to change the leeway.
	Verifier *JWTVerifier
}

// JWTVerifier verifies Plex JWTs against plex.tv's published signing
// keys. It caches the keys, fetches them again once when a token names a
// key it does not know (plex.tv rotates them; at most once per
// [JWTUnknownKeyRefetchInterval]) and after [JWTKeysMaxAge].
// It is safe for concurrent use, and concurrent callers share one fetch.
type JWTVerifier struct {
	sdk      *plexgo.PlexAPI
	clientID string
	now      func() time.Time
	leeway   time.Duration

	fetchSem chan struct{} // one key fetch at a time

	mu      sync.Mutex
	keys    []plexKey
	gen     uint64 // bumped by every successful fetch
	fetched time.Time
	// unknownAt is when a token with an unknown kid last caused a
	// refetch (zero: never).
	unknownAt time.Time
}

type plexKey struct {
	kid string
	pub ed25519.PublicKey
}

// NewJWTVerifier returns a verifier that fetches plex.tv's keys with sdk
// (Authentication.GetPublicKeys, no token needed) and accepts tokens whose
// audience contains "plex.tv" or clientID.
func NewJWTVerifier(sdk *plexgo.PlexAPI, clientID string, opts JWTVerifierOptions) *JWTVerifier {
	now, leeway := opts.Now, opts.Leeway
	if now == nil {
		now = time.Now
	}
	switch {
	case leeway == 0:
		leeway = DefaultJWTLeeway
	case leeway < 0:
		leeway = 0
	}
	return &JWTVerifier{sdk: sdk, clientID: clientID, now: now, leeway: leeway, fetchSem: make(chan struct{}, 1)}
}

// Verify checks that token is a Plex JWT issued to this device and
// returns its claims: signed with EdDSA by one of plex.tv's keys, issuer
// "plex.tv", audience "plex.tv" or the client identifier, iat present and
// not in the future, exp present and not passed, and the thumbprint claim
// equal to key's id.
//
// Verification failures wrap [ErrJWTInvalid] (and [ErrJWTExpired] for an
// expired token). Failing to fetch the keys returns the SDK's error
// (sdkerrors), which says nothing about the token.
func (v *JWTVerifier) Verify(ctx context.Context, token string, key *DeviceKey) (*PlexJWTClaims, error) {
	if v == nil || v.sdk == nil {
		return nil, errors.New("auth: verify Plex JWT: nil verifier or SDK client")
	}
	if key == nil || key.kid == "" {
		return nil, fmt.Errorf("auth: verify Plex JWT: %w", ErrNoDeviceKey)
	}
	switch {
	case token == "":
		return nil, fmt.Errorf("%w: empty token", ErrJWTInvalid)
	case len(token) > maxJWTLen:
		return nil, fmt.Errorf("%w: %d bytes long", ErrJWTInvalid, len(token))
	}
	unverified, _, err := jwt.NewParser().ParseUnverified(token, &plexClaims{})
	if err != nil {
		return nil, fmt.Errorf("%w: malformed token", ErrJWTInvalid)
	}
	kid, _ := unverified.Header["kid"].(string)

	keys, gen, fetchedNow, err := v.currentKeys(ctx)
	if err != nil {
		return nil, err
	}
	if kid != "" && !fetchedNow && findKey(keys, kid) == nil && v.mayRefetchUnknown() {
		// A key we have not seen: plex.tv may have rotated its keys
		// since we fetched them. Fetch once more.
		if keys, _, err = v.fetchKeys(ctx, gen); err != nil {
			return nil, err
		}
	}

	var claims plexClaims
	parsed, err := v.parser().ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) {
		if k := findKey(keys, kid); k != nil {
			return k.pub, nil
		}
		// No kid, or one plex.tv does not list: try every published key.
		set := jwt.VerificationKeySet{}
		for _, k := range keys {
			set.Keys = append(set.Keys, k.pub)
		}
		return set, nil
	})
	if err != nil {
		return nil, jwtError(err)
	}
	if !parsed.Valid {
		return nil, fmt.Errorf("%w: not valid", ErrJWTInvalid)
	}
	if claims.IssuedAt == nil {
		return nil, fmt.Errorf("%w: no iat claim", ErrJWTInvalid)
	}
	if claims.Thumbprint == "" {
		return nil, fmt.Errorf("%w: no thumbprint claim", ErrJWTInvalid)
	}
	if claims.Thumbprint != key.kid {
		return nil, fmt.Errorf("%w: issued for another device key (thumbprint %q, ours %q)", ErrJWTInvalid, claims.Thumbprint, key.kid)
	}
	out := &PlexJWTClaims{
		Issuer:     claims.Issuer,
		Subject:    claims.Subject,
		Audience:   append([]string(nil), claims.Audience...),
		IssuedAt:   claims.IssuedAt.Time,
		ExpiresAt:  claims.ExpiresAt.Time,
		Thumbprint: claims.Thumbprint,
		Scope:      claims.Scope,
		ID:         claims.ID,
		UserID:     claims.userID(),
		Username:   claims.Username,
		KeyID:      kid,
	}
	return out, nil
}

func (v *JWTVerifier) parser() *jwt.Parser {
	aud := []string{PlexJWTIssuer}
	if v.clientID != "" && v.clientID != PlexJWTIssuer {
		aud = append(aud, v.clientID)
	}
	return jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
		jwt.WithIssuer(PlexJWTIssuer),
		jwt.WithAudience(aud...),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(v.now),
		jwt.WithLeeway(v.leeway),
	)
}

// jwtError turns a golang-jwt error into one that names the failed check.
func jwtError(err error) error {
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return fmt.Errorf("%w: malformed token", ErrJWTInvalid)
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return fmt.Errorf("%w: signature does not verify with any plex.tv key (or the algorithm is not EdDSA)", ErrJWTInvalid)
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		return fmt.Errorf("%w: cannot be verified with plex.tv's keys", ErrJWTInvalid)
	case errors.Is(err, jwt.ErrTokenExpired):
		return fmt.Errorf("%w: %w", ErrJWTInvalid, ErrJWTExpired)
	case errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return fmt.Errorf("%w: issued in the future (is the clock right?)", ErrJWTInvalid)
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return fmt.Errorf("%w: issuer is not plex.tv", ErrJWTInvalid)
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return fmt.Errorf("%w: audience is neither plex.tv nor this client", ErrJWTInvalid)
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return fmt.Errorf("%w: a required claim (exp, iss, aud) is missing", ErrJWTInvalid)
	}
	return fmt.Errorf("%w: invalid claims", ErrJWTInvalid)
}

func findKey(keys []plexKey, kid string) *plexKey {
	if kid == "" {
		return nil
	}
	for i := range keys {
		if keys[i].kid == kid {
			return &keys[i]
		}
	}
	return nil
}

// mayRefetchUnknown reports whether a token with an unknown kid may make
// the verifier fetch the keys again now, and if so records that it did:
// at most once per JWTUnknownKeyRefetchInterval.
func (v *JWTVerifier) mayRefetchUnknown() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	now := v.now()
	if !v.unknownAt.IsZero() && now.Sub(v.unknownAt) < JWTUnknownKeyRefetchInterval && !now.Before(v.unknownAt) {
		return false
	}
	v.unknownAt = now
	return true
}

// currentKeys returns the cached keys, fetching them when there are none
// or they are older than JWTKeysMaxAge; fetchedNow reports a fetch.
func (v *JWTVerifier) currentKeys(ctx context.Context) (keys []plexKey, gen uint64, fetchedNow bool, err error) {
	v.mu.Lock()
	keys, gen = v.keys, v.gen
	fresh := len(keys) > 0 && v.now().Sub(v.fetched) < JWTKeysMaxAge
	v.mu.Unlock()
	if fresh {
		return keys, gen, false, nil
	}
	keys, gen, err = v.fetchKeys(ctx, gen)
	return keys, gen, err == nil, err
}

// fetchKeys fetches plex.tv's keys unless another caller did since the
// caller saw generation seen, in which case it returns theirs.
func (v *JWTVerifier) fetchKeys(ctx context.Context, seen uint64) ([]plexKey, uint64, error) {
	select {
	case v.fetchSem <- struct{}{}:
	case <-ctx.Done():
		return nil, 0, ctx.Err()
	}
	defer func() { <-v.fetchSem }()

	v.mu.Lock()
	if v.gen != seen && len(v.keys) > 0 {
		keys, gen := v.keys, v.gen
		v.mu.Unlock()
		return keys, gen, nil
	}
	v.mu.Unlock()

	res, err := v.sdk.Authentication.GetPublicKeys(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("auth: fetching plex.tv JWT keys: %w", err)
	}
	var keys []plexKey
	for _, j := range res.Keys {
		if j.Kty != "OKP" || j.Crv != "Ed25519" || (j.Alg != "" && j.Alg != "EdDSA") || (j.Use != "" && j.Use != "sig") {
			continue
		}
		raw, err := b64url.DecodeString(strings.TrimRight(j.X, "="))
		if err != nil || len(raw) != ed25519.PublicKeySize {
			continue
		}
		keys = append(keys, plexKey{kid: j.Kid, pub: ed25519.PublicKey(raw)})
	}
	if len(keys) == 0 {
		return nil, 0, fmt.Errorf("auth: fetching plex.tv JWT keys: %w: no usable Ed25519 key among %d", sdkerrors.ErrUnexpectedContent, len(res.Keys))
	}
	v.mu.Lock()
	v.keys = keys
	v.gen++
	v.fetched = v.now()
	gen := v.gen
	v.mu.Unlock()
	return keys, gen, nil
}

// RegisterDevice registers key's public JWK with plex.tv, authenticated
// by the SDK's current token (a classic token, or a Plex JWT of the same
// account); pass operations.WithToken to use another one. Registering
// the same key again from the same device is harmless. A key that another
// device registered fails with sdkerrors.ErrUnprocessable ("Thumbprint
// Already Taken"): generate a new key.
func RegisterDevice(ctx context.Context, sdk *plexgo.PlexAPI, key *DeviceKey, opts ...operations.Option) error {
	if sdk == nil {
		return errors.New("auth: register device: nil SDK client")
	}
	if !key.usable() {
		return fmt.Errorf("auth: register device: %w", ErrNoDeviceKey)
	}
	if _, err := sdk.Authentication.RegisterDeviceKey(ctx, key.PublicJWK(), opts...); err != nil {
		return fmt.Errorf("auth: register device: %w", err)
	}
	return nil
}

// ExchangeJWT obtains a new Plex JWT for a registered device key: it gets
// a nonce, signs a device JWT with it, exchanges it, and verifies the Plex
// JWT it receives (see [JWTVerifier.Verify]). It works at any time, also
// after the previous Plex JWT expired.
//
// clientID is the X-Plex-Client-Identifier the SDK sends (the device JWT's
// issuer); empty means the SDK's, and a different value is an error naming
// both.
//
// Nothing is retried after the nonce: it is single use. Errors from
// plex.tv wrap the sdkerrors types: ErrRateLimited (429) for too many
// nonces, ErrUnprocessable (422) for a key plex.tv does not know or a
// used or expired nonce, ErrTokenExpired (498) for an expired device JWT.
func ExchangeJWT(ctx context.Context, sdk *plexgo.PlexAPI, key *DeviceKey, clientID string, opts JWTExchangeOptions) (token string, claims *PlexJWTClaims, err error) {
	if sdk == nil {
		return "", nil, errors.New("auth: JWT exchange: nil SDK client")
	}
	if !key.usable() {
		return "", nil, fmt.Errorf("auth: JWT exchange: %w", ErrNoDeviceKey)
	}
	clientID, err = sdkClientID(sdk, clientID, "JWT exchange", "the clientID argument")
	if err != nil {
		return "", nil, err
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	n, err := sdk.Authentication.GetNonce(ctx)
	if err != nil {
		return "", nil, fmt.Errorf("auth: JWT exchange: getting a nonce: %w", err)
	}
	if n.Nonce == "" {
		return "", nil, fmt.Errorf("auth: JWT exchange: %w: empty nonce", sdkerrors.ErrUnexpectedContent)
	}
	deviceJWT, err := key.SignDeviceJWT(clientID, n.Nonce, now())
	if err != nil {
		return "", nil, fmt.Errorf("auth: JWT exchange: %w", err)
	}
	res, err := sdk.Authentication.ExchangeDeviceJWT(ctx, deviceJWT)
	if err != nil {
		return "", nil, fmt.Errorf("auth: JWT exchange: %w", err)
	}
	if res.AuthToken == "" {
		return "", nil, fmt.Errorf("auth: JWT exchange: %w: no auth_token in the answer", sdkerrors.ErrUnexpectedContent)
	}
	v := opts.Verifier
	if v == nil {
		v = NewJWTVerifier(sdk, clientID, JWTVerifierOptions{Now: now})
	}
	claims, err = v.Verify(ctx, res.AuthToken, key)
	if err != nil {
		return "", nil, fmt.Errorf("auth: JWT exchange: the token plex.tv returned: %w", err)
	}
	return res.AuthToken, claims, nil
}

// NewJWTCredentials builds the Credentials to store for a Plex JWT:
// Token, Kind [TokenKindJWT], ExpiresAt from claims, ClientIdentifier and
// the device key. Fill the account fields (Username, AccountID, …) from
// the account if you have it.
func NewJWTCredentials(token string, claims *PlexJWTClaims, key *DeviceKey, clientID string) Credentials {
	c := Credentials{Token: token, Kind: TokenKindJWT, ClientIdentifier: clientID}
	if claims != nil {
		c.ExpiresAt = claims.ExpiresAt.UTC()
		if claims.Username != "" {
			c.Username = claims.Username
		}
		if claims.UserID != 0 {
			c.AccountID = claims.UserID
		}
	}
	key.Store(&c)
	return c
}

// LoginWithPINJWT is [LoginWithPIN] for JWT device authentication: the
// PIN is created with key's public JWK (which registers the key for the
// device), each poll carries a freshly signed device JWT (without nonce;
// see [DeviceKey.SignDeviceJWT]), and the approved PIN yields a Plex JWT.
// The token is verified (see [JWTVerifier.Verify]) before the account is
// read with it.
//
// opts works as for LoginWithPIN; opts.Now also dates the device JWTs.
// The result carries the verified claims (LoginResult.JWT), the device
// key and the token's expiry, so that [LoginResult.Credentials] keeps the
// key: it is what obtains the next Plex JWT ([ExchangeJWT], [JWTSource]).
//
// Errors: [ErrPINExpired] when the PIN expires first, ctx's error when
// ctx ends, sdkerrors.ErrUnprocessable when plex.tv refuses the key
// ("Thumbprint Already Taken": another device registered it).
func LoginWithPINJWT(ctx context.Context, sdk *plexgo.PlexAPI, key *DeviceKey, opts PINOptions) (*LoginResult, error) {
	const label = "PIN JWT login"
	if !key.usable() {
		return nil, fmt.Errorf("auth: %s: %w", label, ErrNoDeviceKey)
	}
	var err error
	if opts.ClientIdentifier, err = sdkClientID(sdk, opts.ClientIdentifier, label, "PINOptions.ClientIdentifier"); err != nil {
		return nil, err
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	jwk := key.PublicJWK()
	token, id, err := runPIN(ctx, sdk, opts, pinFlow{label: label, jwk: &jwk,
		poll: func(ctx context.Context, id int64) (*operations.GetPinResponse, error) {
			// A new device JWT for every poll: one signed at the start
			// would expire after five minutes, long before a strong PIN
			// does.
			deviceJWT, err := key.SignDeviceJWT(opts.ClientIdentifier, "", now())
			if err != nil {
				return nil, err
			}
			return sdk.Plex.GetPinWithDeviceJWT(ctx, id, deviceJWT)
		},
	})
	if err != nil {
		return nil, err
	}
	claims, err := NewJWTVerifier(sdk, opts.ClientIdentifier, JWTVerifierOptions{Now: now}).Verify(ctx, token, key)
	if err != nil {
		return nil, fmt.Errorf("auth: %s: PIN %d approved, but the token plex.tv returned: %w", label, id, err)
	}
	res, err := readAccount(ctx, sdk, label, id, token)
	if err != nil {
		return nil, err
	}
	res.JWT, res.DeviceKey, res.ExpiresAt = claims, key, claims.ExpiresAt
	return res, nil
}
