package auth

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/models/sdkerrors"
)

// JWTVerifier: Plex JWTs checked against plex.tv's published signing keys.

// maxJWTLen bounds the tokens Verify accepts; Plex JWTs are well under 2 KiB.
const maxJWTLen = 16 << 10

// JWTVerifierOptions configures [NewJWTVerifier]. The zero value works.
type JWTVerifierOptions struct {
	// Now is the clock that checks exp and iat (default time.Now).
	Now func() time.Time
	// Leeway is the clock skew tolerated on exp and iat (default
	// DefaultJWTLeeway; negative means none).
	Leeway time.Duration
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
	// In the order the checks were always tested: a token that fails
	// several is reported by the first.
	for _, c := range []struct {
		err error
		why string
	}{
		{jwt.ErrTokenMalformed, "malformed token"},
		{jwt.ErrTokenSignatureInvalid, "signature does not verify with any plex.tv key (or the algorithm is not EdDSA)"},
		{jwt.ErrTokenUnverifiable, "cannot be verified with plex.tv's keys"},
		{jwt.ErrTokenExpired, ""}, // wraps ErrJWTExpired instead
		{jwt.ErrTokenUsedBeforeIssued, "issued in the future (is the clock right?)"},
		{jwt.ErrTokenInvalidIssuer, "issuer is not plex.tv"},
		{jwt.ErrTokenInvalidAudience, "audience is neither plex.tv nor this client"},
		{jwt.ErrTokenRequiredClaimMissing, "a required claim (exp, iss, aud) is missing"},
	} {
		switch {
		case !errors.Is(err, c.err):
		case c.err == jwt.ErrTokenExpired:
			return fmt.Errorf("%w: %w", ErrJWTInvalid, ErrJWTExpired)
		default:
			return fmt.Errorf("%w: %s", ErrJWTInvalid, c.why)
		}
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
