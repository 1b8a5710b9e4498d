package auth_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/models/sdkerrors"
	"github.com/plexkit/plexgo/plextest"
)

const (
	jwtTestClientID = "jwt-test-client"
	jwtPathNonce    = "/api/v2/auth/nonce"
	jwtPathToken    = "/api/v2/auth/token"
	jwtPathKeys     = "/api/v2/auth/keys"
	jwtPathJWK      = "/api/v2/auth/jwk"
)

// jwtEpoch is where the fake clocks of these tests start.
var jwtEpoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// jwtEnv is a fake plex.tv, a client for it and a registered device key.
type jwtEnv struct {
	fake  *plextest.Server
	clock *plextest.FakeClock
	sdk   *plexgo.PlexAPI
	key   *auth.DeviceKey
	// legacy is the classic token the device was registered with.
	legacy string
}

func jwtNewSDK(fake *plextest.Server, extra ...plexgo.SDKOption) *plexgo.PlexAPI {
	opts := []plexgo.SDKOption{
		plexgo.WithPlexTVURL(fake.PlexTVURL),
		plexgo.WithServerURL(fake.PMSURL),
		plexgo.WithXPlexClientIdentifier(jwtTestClientID),
		plexgo.WithProduct("plexgo-jwt-test"),
	}
	return plexgo.New(append(opts, extra...)...)
}

// jwtSetup starts a fake with a fake clock and registers a new device key
// for jwtTestClientID with a legacy token of the default account.
func jwtSetup(t *testing.T, opts ...plextest.Option) *jwtEnv {
	t.Helper()
	clock := plextest.NewFakeClock(jwtEpoch)
	fake := plextest.NewServer(t, append([]plextest.Option{plextest.WithClock(clock)}, opts...)...)
	legacy, err := fake.IssueToken(plextest.DefaultLogin, jwtTestClientID)
	if err != nil {
		t.Fatalf("IssueToken: %v", err)
	}
	key, err := auth.NewDeviceKey()
	if err != nil {
		t.Fatalf("NewDeviceKey: %v", err)
	}
	sdk := jwtNewSDK(fake, plexgo.WithSecurity(legacy))
	if err := auth.RegisterDevice(t.Context(), sdk, key); err != nil {
		t.Fatalf("RegisterDevice: %v", err)
	}
	return &jwtEnv{fake: fake, clock: clock, sdk: sdk, key: key, legacy: legacy}
}

// exchange gets a Plex JWT on the env's clock.
// A non-nil v verifies the token (JWTExchangeOptions.Verifier).
func (e *jwtEnv) exchange(t *testing.T, v *auth.JWTVerifier) (string, *auth.PlexJWTClaims) {
	t.Helper()
	tok, claims, err := auth.ExchangeJWT(t.Context(), e.sdk, e.key, jwtTestClientID,
		auth.JWTExchangeOptions{Now: e.clock.Now, Verifier: v})
	if err != nil {
		t.Fatalf("ExchangeJWT: %v", err)
	}
	return tok, claims
}

// jwtNoSecret fails if s contains secret. It never prints the secret.
func jwtNoSecret(t *testing.T, what, s, secret string) {
	t.Helper()
	if secret != "" && strings.Contains(s, secret) {
		t.Errorf("%s: secret leaked", what)
	}
}

// jwtAccountUsername reads the account of token on the fake.
func jwtAccountUsername(t *testing.T, sdk *plexgo.PlexAPI, token string) string {
	t.Helper()
	res, err := sdk.Authentication.GetTokenDetails(t.Context(), operations.WithToken(token))
	if err != nil {
		t.Fatalf("GetTokenDetails with the Plex JWT: %v", err)
	}
	return res.UserPlexAccount.Username
}

func TestJWTDeviceKey(t *testing.T) {
	key, err := auth.NewDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	pub := key.PublicKey()
	if len(pub) != ed25519.PublicKeySize {
		t.Fatalf("public key: %d bytes", len(pub))
	}
	x := base64.RawURLEncoding.EncodeToString(pub)
	sum := sha256.Sum256([]byte(`{"crv":"Ed25519","kty":"OKP","x":"` + x + `"}`))
	if want := base64.RawURLEncoding.EncodeToString(sum[:]); key.KeyID() != want {
		t.Errorf("KeyID = %q, want the RFC 7638 thumbprint %q", key.KeyID(), want)
	}
	jwk := key.PublicJWK()
	want := operations.JWK{Kty: "OKP", Crv: "Ed25519", X: x, Use: "sig", Alg: "EdDSA", Kid: key.KeyID()}
	if jwk != want {
		t.Errorf("PublicJWK = %+v, want %+v", jwk, want)
	}

	var c auth.Credentials
	key.Store(&c)
	if len(c.DeviceKey) != ed25519.SeedSize || c.DeviceKeyID != key.KeyID() {
		t.Fatalf("Store: %d key bytes, kid %q", len(c.DeviceKey), c.DeviceKeyID)
	}
	back, err := auth.DeviceKeyFromCredentials(c)
	if err != nil {
		t.Fatalf("DeviceKeyFromCredentials: %v", err)
	}
	if back.KeyID() != key.KeyID() || !bytes.Equal(back.PublicKey(), pub) {
		t.Error("the key read back from credentials differs")
	}

	// The 64-byte private key form is accepted too, and a kid from
	// another scheme is kept as it is.
	full := ed25519.NewKeyFromSeed(c.DeviceKey)
	back, err = auth.DeviceKeyFromCredentials(auth.Credentials{DeviceKey: full, DeviceKeyID: "0123abcd"})
	if err != nil {
		t.Fatalf("64-byte key: %v", err)
	}
	if back.KeyID() != "0123abcd" || !bytes.Equal(back.PublicKey(), pub) {
		t.Error("64-byte key: wrong key or kid")
	}
	if back.PublicJWK().Kid != "0123abcd" {
		t.Error("PublicJWK does not carry the stored kid")
	}

	bad := append([]byte(nil), full...)
	bad[40] ^= 1
	other := make([]byte, 40)
	cases := []struct {
		name string
		c    auth.Credentials
		want error
	}{
		{"none", auth.Credentials{Token: "x"}, auth.ErrNoDeviceKey},
		{"short", auth.Credentials{DeviceKey: other[:31]}, auth.ErrInvalidDeviceKey},
		{"odd length", auth.Credentials{DeviceKey: other}, auth.ErrInvalidDeviceKey},
		{"mismatched public half", auth.Credentials{DeviceKey: bad}, auth.ErrInvalidDeviceKey},
		{"kid with space", auth.Credentials{DeviceKey: c.DeviceKey, DeviceKeyID: "a b"}, auth.ErrInvalidDeviceKey},
		{"kid too long", auth.Credentials{DeviceKey: c.DeviceKey, DeviceKeyID: strings.Repeat("k", 257)}, auth.ErrInvalidDeviceKey},
	}
	for _, tc := range cases {
		k, err := auth.DeviceKeyFromCredentials(tc.c)
		if !errors.Is(err, tc.want) || k != nil {
			t.Errorf("%s: got (%v, %v), want %v", tc.name, k, err, tc.want)
		}
		if err != nil {
			jwtNoSecret(t, tc.name, err.Error(), hex.EncodeToString(c.DeviceKey))
		}
	}

	// Two keys differ.
	key2, err := auth.NewDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	if key2.KeyID() == key.KeyID() {
		t.Error("two new keys share a kid")
	}
}

func TestJWTDeviceKeyNilAndZero(t *testing.T) {
	var nilKey *auth.DeviceKey
	if nilKey.KeyID() != "" || nilKey.PublicKey() != nil || nilKey.PublicJWK() != (operations.JWK{}) {
		t.Error("nil key accessors should return zero values")
	}
	var c auth.Credentials
	nilKey.Store(&c)
	if c.DeviceKey != nil {
		t.Error("nil key stored something")
	}
	if _, err := nilKey.SignDeviceJWT(jwtTestClientID, "", time.Now()); !errors.Is(err, auth.ErrNoDeviceKey) {
		t.Errorf("nil key SignDeviceJWT: %v", err)
	}
	if _, err := new(auth.DeviceKey).SignDeviceJWT(jwtTestClientID, "", time.Now()); !errors.Is(err, auth.ErrNoDeviceKey) {
		t.Errorf("zero key SignDeviceJWT: %v", err)
	}
	key, err := auth.NewDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	key.Store(nil) // no panic
	if _, err := key.SignDeviceJWT("", "n", time.Now()); err == nil {
		t.Error("SignDeviceJWT accepted an empty client identifier")
	}
	_ = fmt.Sprint(nilKey, auth.DeviceKey{})
}

func TestJWTDeviceKeyNeverPrinted(t *testing.T) {
	key, err := auth.NewDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	var c auth.Credentials
	key.Store(&c)
	seed := c.DeviceKey
	priv := ed25519.NewKeyFromSeed(seed)
	secrets := map[string]string{
		"seed hex":         hex.EncodeToString(seed),
		"seed HEX":         strings.ToUpper(hex.EncodeToString(seed)),
		"seed b64":         base64.StdEncoding.EncodeToString(seed),
		"seed b64url":      base64.RawURLEncoding.EncodeToString(seed),
		"seed bytes":       strings.Trim(fmt.Sprint([]byte(seed)), "[]"),
		"priv hex":         hex.EncodeToString(priv),
		"priv b64":         base64.StdEncoding.EncodeToString(priv),
		"priv b64url":      base64.RawURLEncoding.EncodeToString(priv),
		"priv bytes":       strings.Trim(fmt.Sprint([]byte(priv)), "[]"),
		"seed raw":         string(seed),
		"seed quoted":      fmt.Sprintf("%q", string(seed))[1:20],
		"seed bytes (hex)": fmt.Sprintf("%x", seed[:8]),
	}
	var outputs []string
	for _, v := range []any{key, *key, c, &c} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
			outputs = append(outputs, fmt.Sprintf(verb, v))
		}
	}
	outputs = append(outputs, key.String(), key.GoString(), c.String(), c.GoString())
	var logBuf bytes.Buffer
	for _, h := range []slog.Handler{slog.NewJSONHandler(&logBuf, nil), slog.NewTextHandler(&logBuf, nil)} {
		slog.New(h).Info("key", "key", key, "value", *key, "creds", c)
	}
	outputs = append(outputs, logBuf.String())
	for i, out := range outputs {
		for name, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("output %d contains the private key (%s)", i, name)
			}
		}
	}
	if !strings.Contains(fmt.Sprint(key), key.KeyID()) {
		t.Error("String should show the key id")
	}
}

func TestJWTSignDeviceJWT(t *testing.T) {
	key, err := auth.NewDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_760_000_000, 0)
	for _, nonce := range []string{"7c415b56-8f48-488a-98ab-847ef4460442", ""} {
		s, err := key.SignDeviceJWT(jwtTestClientID, nonce, now)
		if err != nil {
			t.Fatal(err)
		}
		claims := jwt.MapClaims{}
		tok, err := jwt.NewParser(jwt.WithValidMethods([]string{"EdDSA"}), jwt.WithTimeFunc(func() time.Time { return now })).
			ParseWithClaims(s, claims, func(*jwt.Token) (any, error) { return key.PublicKey(), nil })
		if err != nil {
			t.Fatalf("device JWT does not verify with the public key: %v", err)
		}
		if tok.Header["alg"] != "EdDSA" || tok.Header["kid"] != key.KeyID() || tok.Header["typ"] != "JWT" {
			t.Errorf("header = %v", tok.Header)
		}
		if claims["aud"] != "plex.tv" || claims["iss"] != jwtTestClientID || claims["scope"] != auth.DeviceJWTScope {
			t.Errorf("claims = %v", claims)
		}
		iat, _ := claims.GetIssuedAt()
		exp, _ := claims.GetExpirationTime()
		if !iat.Equal(now) || exp.Sub(iat.Time) != auth.DeviceJWTLifetime {
			t.Errorf("iat %v exp %v", iat, exp)
		}
		got, has := claims["nonce"]
		if nonce == "" && has {
			t.Error("nonce claim present for an empty nonce")
		}
		if nonce != "" && got != nonce {
			t.Errorf("nonce = %v", got)
		}
	}
}

// TestJWTFullCycle: register → exchange → verify → use → refresh.
func TestJWTFullCycle(t *testing.T) {
	e := jwtSetup(t)
	ctx := t.Context()
	if n := e.fake.CountRequests(http.MethodPost, jwtPathJWK); n != 1 {
		t.Errorf("%d JWK registrations, want 1", n)
	}
	tok, claims := e.exchange(t, nil)
	jwtNoSecret(t, "claims", fmt.Sprintf("%+v", claims), tok)
	if claims.Issuer != "plex.tv" || claims.Thumbprint != e.key.KeyID() || claims.KeyID == "" {
		t.Errorf("claims = %+v", claims)
	}
	if !slicesContain(claims.Audience, "plex.tv") || !slicesContain(claims.Audience, jwtTestClientID) {
		t.Errorf("audience = %v", claims.Audience)
	}
	if !claims.IssuedAt.Equal(jwtEpoch) || claims.ExpiresAt.Sub(claims.IssuedAt) != plextest.PlexJWTLifetime {
		t.Errorf("iat %v exp %v", claims.IssuedAt, claims.ExpiresAt)
	}
	if claims.Remaining(jwtEpoch) != plextest.PlexJWTLifetime {
		t.Errorf("Remaining = %v", claims.Remaining(jwtEpoch))
	}
	if claims.Scope != auth.DeviceJWTScope {
		t.Errorf("scope = %q", claims.Scope)
	}
	acct, _ := e.fake.Account(plextest.DefaultLogin)
	if claims.Subject != acct.UUID || claims.UserID != acct.ID {
		t.Errorf("subject %q / user %d, want the account's %q / %d", claims.Subject, claims.UserID, acct.UUID, acct.ID)
	}
	if got := jwtAccountUsername(t, e.sdk, tok); got != plextest.DefaultUsername {
		t.Errorf("the Plex JWT authenticates as %q", got)
	}
	// Verifying again, with a separate verifier, gives the same claims.
	again, err := auth.NewJWTVerifier(e.sdk, jwtTestClientID, auth.JWTVerifierOptions{Now: e.clock.Now}).Verify(ctx, tok, e.key)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if again.ExpiresAt != claims.ExpiresAt || again.ID != claims.ID {
		t.Error("second verification differs")
	}

	// A source with that token: no refresh while more than the margin is
	// left; one refresh once inside it.
	var refreshed []*auth.PlexJWTClaims
	var mu sync.Mutex
	src := auth.NewJWTSource(e.sdk, e.key, jwtTestClientID, auth.JWTSourceOptions{
		Initial: tok,
		Now:     e.clock.Now,
		OnRefresh: func(c *auth.PlexJWTClaims) {
			mu.Lock()
			refreshed = append(refreshed, c)
			mu.Unlock()
		},
	})
	got, err := src.Token(ctx)
	if err != nil || got != tok {
		t.Fatalf("Token: (same token %v, %v)", got == tok, err)
	}
	if n := e.fake.CountRequests(http.MethodPost, jwtPathToken); n != 1 {
		t.Fatalf("%d exchanges before the margin, want 1", n)
	}
	e.clock.Advance(6*24*time.Hour + time.Hour) // 23h left < 24h margin
	got, err = src.Token(ctx)
	if err != nil {
		t.Fatalf("Token inside the margin: %v", err)
	}
	if got == tok {
		t.Fatal("Token inside the margin returned the old token")
	}
	if n := e.fake.CountRequests(http.MethodPost, jwtPathToken); n != 2 {
		t.Errorf("%d exchanges, want 2", n)
	}
	if want := e.clock.Now().Add(plextest.PlexJWTLifetime); !src.ExpiresAt().Equal(want) {
		t.Errorf("ExpiresAt = %v, want %v", src.ExpiresAt(), want)
	}
	mu.Lock()
	if len(refreshed) != 1 || refreshed[0].Thumbprint != e.key.KeyID() {
		t.Errorf("OnRefresh calls: %d", len(refreshed))
	}
	mu.Unlock()
	// The new token stays in use.
	if again, err := src.Token(ctx); err != nil || again != got {
		t.Errorf("Token after the refresh: (same %v, %v)", again == got, err)
	}
	if n := e.fake.CountRequests(http.MethodPost, jwtPathToken); n != 2 {
		t.Errorf("%d exchanges, want 2", n)
	}
	// The SDK plugged to the source authenticates with the new token.
	client := jwtNewSDK(e.fake, plexgo.WithSecuritySource(src.Security))
	res, err := client.Authentication.GetTokenDetails(ctx)
	if err != nil {
		t.Fatalf("GetTokenDetails through the source: %v", err)
	}
	if res.UserPlexAccount.Username != plextest.DefaultUsername {
		t.Errorf("username = %q", res.UserPlexAccount.Username)
	}
}

func slicesContain(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestJWTSourceRefreshAfterExpiry(t *testing.T) {
	e := jwtSetup(t)
	ctx := t.Context()
	old, _ := e.exchange(t, nil)
	src := auth.NewJWTSource(e.sdk, e.key, jwtTestClientID, auth.JWTSourceOptions{Initial: old, Now: e.clock.Now})
	e.clock.Advance(8 * 24 * time.Hour)

	// The fake now rejects the old token as expired (498).
	_, err := e.sdk.Authentication.GetTokenDetails(ctx, operations.WithToken(old))
	if !errors.Is(err, sdkerrors.ErrTokenExpired) {
		t.Fatalf("old token after 8 days: %v, want ErrTokenExpired", err)
	}
	v := auth.NewJWTVerifier(e.sdk, jwtTestClientID, auth.JWTVerifierOptions{Now: e.clock.Now})
	if _, err := v.Verify(ctx, old, e.key); !errors.Is(err, auth.ErrJWTExpired) || !errors.Is(err, auth.ErrJWTInvalid) {
		t.Errorf("Verify(old) = %v, want ErrJWTExpired", err)
	}

	client := jwtNewSDK(e.fake, plexgo.WithSecuritySource(src.Security))
	res, err := client.Authentication.GetTokenDetails(ctx)
	if err != nil {
		t.Fatalf("GetTokenDetails through the source after expiry: %v", err)
	}
	if res.UserPlexAccount.Username != plextest.DefaultUsername {
		t.Errorf("username = %q", res.UserPlexAccount.Username)
	}
	if n := e.fake.CountRequests(http.MethodPost, jwtPathToken); n != 2 {
		t.Errorf("%d exchanges, want 2 (initial + refresh)", n)
	}
	tok, err := src.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if tok == old {
		t.Error("the source kept the expired token")
	}
	if _, err := v.Verify(ctx, tok, e.key); err != nil {
		t.Errorf("refreshed token: %v", err)
	}
}

func TestJWTSourceNoInitialToken(t *testing.T) {
	e := jwtSetup(t)
	src := auth.NewJWTSource(e.sdk, e.key, jwtTestClientID, auth.JWTSourceOptions{Now: e.clock.Now})
	if !src.ExpiresAt().IsZero() {
		t.Error("ExpiresAt before the first token")
	}
	tok, err := src.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got := jwtAccountUsername(t, e.sdk, tok); got != plextest.DefaultUsername {
		t.Errorf("username = %q", got)
	}
	// OnRefresh may use the source: it already has the new token.
	var inner *auth.JWTSource
	var innerTok string
	var innerErr error
	inner = auth.NewJWTSource(e.sdk, e.key, jwtTestClientID, auth.JWTSourceOptions{
		Now: e.clock.Now,
		OnRefresh: func(*auth.PlexJWTClaims) {
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			innerTok, innerErr = inner.Token(ctx)
		},
	})
	outer, err := inner.Token(t.Context())
	if err != nil || innerErr != nil || innerTok != outer {
		t.Errorf("Token inside OnRefresh: (same %v, %v, %v)", innerTok == outer, innerErr, err)
	}
	// An unparsable initial token is replaced.
	src = auth.NewJWTSource(e.sdk, e.key, jwtTestClientID, auth.JWTSourceOptions{Initial: "not-a-jwt", Now: e.clock.Now})
	if tok2, err := src.Token(t.Context()); err != nil || tok2 == "not-a-jwt" {
		t.Errorf("Token with a garbage initial token: (kept %v, %v)", tok2 == "not-a-jwt", err)
	}
	if n := e.fake.CountRequests(http.MethodPost, jwtPathToken); n != 3 {
		t.Errorf("%d exchanges, want 3", n)
	}
}

func TestJWTKeyRotation(t *testing.T) {
	e := jwtSetup(t)
	ctx := t.Context()
	v := auth.NewJWTVerifier(e.sdk, jwtTestClientID, auth.JWTVerifierOptions{Now: e.clock.Now})
	first, c1 := e.exchange(t, v)
	if n := e.fake.CountRequests(http.MethodGet, jwtPathKeys); n != 1 {
		t.Fatalf("%d key fetches after the first exchange, want 1", n)
	}

	e.fake.RotateSigningKeys()
	second, c2 := e.exchange(t, v)
	if c1.KeyID == c2.KeyID {
		t.Fatal("the fake did not sign with a new key after RotateSigningKeys")
	}
	if n := e.fake.CountRequests(http.MethodGet, jwtPathKeys); n != 2 {
		t.Errorf("%d key fetches after the rotation, want 2 (one refetch for the unknown kid)", n)
	}
	// Both tokens verify from the cache now: no more fetches.
	for i, tok := range []string{first, second, first, second} {
		if _, err := v.Verify(ctx, tok, e.key); err != nil {
			t.Errorf("verify %d: %v", i, err)
		}
	}
	if n := e.fake.CountRequests(http.MethodGet, jwtPathKeys); n != 2 {
		t.Errorf("%d key fetches, want still 2", n)
	}

	// Once plex.tv retires the old key, a verifier that fetches the keys
	// rejects tokens signed with it.
	e.fake.RetireOldKeys()
	fresh := auth.NewJWTVerifier(e.sdk, jwtTestClientID, auth.JWTVerifierOptions{Now: e.clock.Now})
	if _, err := fresh.Verify(ctx, first, e.key); !errors.Is(err, auth.ErrJWTInvalid) {
		t.Errorf("token signed with a retired key: %v, want ErrJWTInvalid", err)
	}
	if n := e.fake.CountRequests(http.MethodGet, jwtPathKeys); n != 3 {
		t.Errorf("%d key fetches, want 3 (the fresh verifier's only fetch)", n)
	}
	if _, err := fresh.Verify(ctx, second, e.key); err != nil {
		t.Errorf("token signed with the current key: %v", err)
	}

	// The keys are fetched again after JWTKeysMaxAge.
	e.clock.Advance(auth.JWTKeysMaxAge + time.Minute)
	e.exchange(t, fresh)
	if n := e.fake.CountRequests(http.MethodGet, jwtPathKeys); n != 4 {
		t.Errorf("%d key fetches, want 4 (stale cache)", n)
	}
}

func TestJWTVerifierConcurrentFetchOnce(t *testing.T) {
	e := jwtSetup(t)
	tok, _ := e.exchange(t, nil)
	e.fake.ResetRequests()
	v := auth.NewJWTVerifier(e.sdk, jwtTestClientID, auth.JWTVerifierOptions{Now: e.clock.Now})
	var wg sync.WaitGroup
	var failed atomic.Int32
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := v.Verify(t.Context(), tok, e.key); err != nil {
				failed.Add(1)
			}
		}()
	}
	wg.Wait()
	if failed.Load() != 0 {
		t.Errorf("%d verifications failed", failed.Load())
	}
	if n := e.fake.CountRequests(http.MethodGet, jwtPathKeys); n != 1 {
		t.Errorf("%d key fetches for 20 concurrent verifications, want 1", n)
	}
}

// jwtForge signs claims with priv under kid (an attacker's token).
func jwtForge(t *testing.T, priv ed25519.PrivateKey, kid string, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestJWTVerifyRejectsTampered(t *testing.T) {
	e := jwtSetup(t)
	ctx := t.Context()
	v := auth.NewJWTVerifier(e.sdk, jwtTestClientID, auth.JWTVerifierOptions{Now: e.clock.Now})
	tok, claims := e.exchange(t, v)
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatal("not a JWS")
	}
	// Payload with another subject, original signature.
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	evil := bytes.Replace(payload, []byte(claims.Subject), []byte(strings.Repeat("f", len(claims.Subject))), 1)
	tamperedPayload := parts[0] + "." + base64.RawURLEncoding.EncodeToString(evil) + "." + parts[2]
	// Signature with one bit flipped.
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	sig[0] ^= 0x80
	tamperedSig := parts[0] + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(sig)
	// alg "none".
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + "."

	_, attacker, _ := ed25519.GenerateKey(rand.Reader)
	now := e.clock.Now()
	good := jwt.MapClaims{
		"iss": "plex.tv", "aud": []string{"plex.tv", jwtTestClientID}, "sub": claims.Subject,
		"thumbprint": e.key.KeyID(), "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
	}
	forgedKnownKid := jwtForge(t, attacker, claims.KeyID, good)
	forgedNoKid := jwtForge(t, attacker, "", good)

	for _, tc := range []struct{ name, tok string }{
		{"payload changed", tamperedPayload},
		{"signature changed", tamperedSig},
		{"alg none", none},
		{"forged with plex.tv's kid", forgedKnownKid},
		{"forged without kid", forgedNoKid},
		{"garbage", "a.b.c"},
		{"empty", ""},
		{"too long", strings.Repeat("a", 20<<10)},
	} {
		_, err := v.Verify(ctx, tc.tok, e.key)
		if !errors.Is(err, auth.ErrJWTInvalid) {
			t.Errorf("%s: %v, want ErrJWTInvalid", tc.name, err)
			continue
		}
		if len(tc.tok) > 8 {
			jwtNoSecret(t, tc.name, err.Error(), tc.tok)
			jwtNoSecret(t, tc.name, err.Error(), parts[2])
		}
	}
	// None of these made the verifier fetch the keys again: a known kid
	// (or none) is checked against the cached keys only.
	if n := e.fake.CountRequests(http.MethodGet, jwtPathKeys); n != 1 {
		t.Errorf("%d key fetches, want 1: tampered tokens with a known kid must not trigger refetches", n)
	}
	// An unknown kid triggers exactly one refetch, then fails.
	if _, err := v.Verify(ctx, jwtForge(t, attacker, "no-such-kid", good), e.key); !errors.Is(err, auth.ErrJWTInvalid) {
		t.Errorf("unknown kid: %v", err)
	}
	if n := e.fake.CountRequests(http.MethodGet, jwtPathKeys); n != 2 {
		t.Errorf("%d key fetches, want 2 (one refetch for the unknown kid)", n)
	}

	// A genuine token for another device key.
	other, err := auth.NewDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(ctx, tok, other); !errors.Is(err, auth.ErrJWTInvalid) || !strings.Contains(err.Error(), "another device key") {
		t.Errorf("other device key: %v", err)
	}
	// Audience: a verifier for another client still accepts "plex.tv".
	if _, err := auth.NewJWTVerifier(e.sdk, "someone-else", auth.JWTVerifierOptions{Now: e.clock.Now}).Verify(ctx, tok, e.key); err != nil {
		t.Errorf("aud contains plex.tv: %v", err)
	}
	// A token from the future (clock skew beyond the leeway).
	past := auth.NewJWTVerifier(e.sdk, jwtTestClientID, auth.JWTVerifierOptions{Now: func() time.Time { return now.Add(-time.Hour) }})
	if _, err := past.Verify(ctx, tok, e.key); !errors.Is(err, auth.ErrJWTInvalid) {
		t.Errorf("iat in the future: %v", err)
	}
	// Bad arguments.
	if _, err := v.Verify(ctx, tok, nil); !errors.Is(err, auth.ErrNoDeviceKey) {
		t.Errorf("nil key: %v", err)
	}
	var nilV *auth.JWTVerifier
	if _, err := nilV.Verify(ctx, tok, e.key); err == nil {
		t.Error("nil verifier: no error")
	}
	if _, err := auth.NewJWTVerifier(nil, jwtTestClientID, auth.JWTVerifierOptions{}).Verify(ctx, tok, e.key); err == nil {
		t.Error("nil SDK: no error")
	}
}

func TestJWTKeysFetchFailure(t *testing.T) {
	e := jwtSetup(t)
	tok, _ := e.exchange(t, nil)
	e.fake.InjectFault("GET "+jwtPathKeys, plextest.Fault{Statuses: []int{500, 500, 500}})
	v := auth.NewJWTVerifier(e.sdk, jwtTestClientID, auth.JWTVerifierOptions{Now: e.clock.Now})
	_, err := v.Verify(t.Context(), tok, e.key)
	if !errors.Is(err, sdkerrors.ErrServer) || errors.Is(err, auth.ErrJWTInvalid) {
		t.Errorf("keys unavailable: %v, want ErrServer and not ErrJWTInvalid", err)
	}
	// Keys without a usable Ed25519 key.
	e.fake.InjectFault("GET "+jwtPathKeys, plextest.Fault{Body: `{"keys":[{"kty":"RSA","n":"x","e":"AQAB"}]}`, ContentType: "application/json", Times: 1})
	if _, err := v.Verify(t.Context(), tok, e.key); !errors.Is(err, sdkerrors.ErrUnexpectedContent) {
		t.Errorf("no usable key: %v", err)
	}
	if _, err := v.Verify(t.Context(), tok, e.key); err != nil {
		t.Errorf("after the faults: %v", err)
	}
}

func TestJWTNonceRules(t *testing.T) {
	e := jwtSetup(t)
	ctx := t.Context()
	n, err := e.sdk.Authentication.GetNonce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sign := func(nonce string, at time.Time) string {
		t.Helper()
		s, err := e.key.SignDeviceJWT(jwtTestClientID, nonce, at)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if _, err := e.sdk.Authentication.ExchangeDeviceJWT(ctx, sign(n.Nonce, e.clock.Now())); err != nil {
		t.Fatalf("first use of the nonce: %v", err)
	}
	// Reused nonce, in a new device JWT.
	_, err = e.sdk.Authentication.ExchangeDeviceJWT(ctx, sign(n.Nonce, e.clock.Now()))
	if !errors.Is(err, sdkerrors.ErrUnprocessable) {
		t.Errorf("reused nonce: %v, want ErrUnprocessable", err)
	}
	// A device JWT without nonce.
	if _, err = e.sdk.Authentication.ExchangeDeviceJWT(ctx, sign("", e.clock.Now())); !errors.Is(err, sdkerrors.ErrUnprocessable) {
		t.Errorf("no nonce: %v, want ErrUnprocessable", err)
	}
	// A nonce older than five minutes.
	n2, err := e.sdk.Authentication.GetNonce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(plextest.NonceLifetime + time.Second)
	if _, err = e.sdk.Authentication.ExchangeDeviceJWT(ctx, sign(n2.Nonce, e.clock.Now())); !errors.Is(err, sdkerrors.ErrUnprocessable) {
		t.Errorf("expired nonce: %v, want ErrUnprocessable", err)
	}
	// A device JWT past its own exp: 498.
	n3, err := e.sdk.Authentication.GetNonce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stale := sign(n3.Nonce, e.clock.Now().Add(-auth.DeviceJWTLifetime-time.Minute))
	_, err = e.sdk.Authentication.ExchangeDeviceJWT(ctx, stale)
	if !errors.Is(err, sdkerrors.ErrTokenExpired) {
		t.Errorf("expired device JWT: %v, want ErrTokenExpired", err)
	}
	jwtNoSecret(t, "expired device JWT error", err.Error(), stale)
	// Exchanges are never retried: each failure above was one request.
	if got := e.fake.CountRequests(http.MethodPost, jwtPathToken); got != 5 {
		t.Errorf("%d exchange requests, want 5", got)
	}
	// ExchangeJWT with a device clock five minutes off fails the same way.
	_, _, err = auth.ExchangeJWT(ctx, e.sdk, e.key, jwtTestClientID,
		auth.JWTExchangeOptions{Now: func() time.Time { return e.clock.Now().Add(-time.Hour) }})
	if !errors.Is(err, sdkerrors.ErrTokenExpired) {
		t.Errorf("ExchangeJWT with a late clock: %v", err)
	}
}

func TestJWTExchangeErrors(t *testing.T) {
	e := jwtSetup(t)
	ctx := t.Context()
	// A key plex.tv does not know.
	unknown, err := auth.NewDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := auth.ExchangeJWT(ctx, e.sdk, unknown, jwtTestClientID, auth.JWTExchangeOptions{Now: e.clock.Now}); !errors.Is(err, sdkerrors.ErrUnprocessable) {
		t.Errorf("unregistered key: %v, want ErrUnprocessable", err)
	}
	// The issuer must be the client identifier the SDK sends: since issue
	// 13 a mismatch is caught before any request (plex.tv would answer
	// 422), with an error naming both.
	nonces := e.fake.CountRequests(http.MethodGet, jwtPathNonce)
	if _, _, err := auth.ExchangeJWT(ctx, e.sdk, e.key, "another-client", auth.JWTExchangeOptions{Now: e.clock.Now}); err == nil ||
		!strings.Contains(err.Error(), "another-client") || !strings.Contains(err.Error(), jwtTestClientID) {
		t.Errorf("issuer mismatch: %v, want an error naming both identifiers", err)
	}
	if n := e.fake.CountRequests(http.MethodGet, jwtPathNonce); n != nonces {
		t.Errorf("issuer mismatch: %d nonce requests, want none", n-nonces)
	}
	// Nonce rate limit (429) surfaces as ErrRateLimited.
	e.fake.InjectFault("GET "+jwtPathNonce, plextest.Fault{Statuses: []int{429}, RetryAfter: "120"})
	if _, _, err := auth.ExchangeJWT(ctx, e.sdk, e.key, jwtTestClientID, auth.JWTExchangeOptions{Now: e.clock.Now}); !errors.Is(err, sdkerrors.ErrRateLimited) {
		t.Errorf("nonce 429: %v, want ErrRateLimited", err)
	}
	// Bad arguments.
	if _, _, err := auth.ExchangeJWT(ctx, nil, e.key, jwtTestClientID, auth.JWTExchangeOptions{}); err == nil {
		t.Error("nil SDK accepted")
	}
	if _, _, err := auth.ExchangeJWT(ctx, e.sdk, nil, jwtTestClientID, auth.JWTExchangeOptions{}); !errors.Is(err, auth.ErrNoDeviceKey) {
		t.Errorf("nil key: %v", err)
	}
	// Empty means the SDK's (issue 13): rejected only when the SDK has
	// none; a different one is an error naming both.
	if _, _, err := auth.ExchangeJWT(ctx, jwtNewSDK(e.fake, plexgo.WithXPlexClientIdentifier("")), e.key, "", auth.JWTExchangeOptions{}); err == nil {
		t.Error("empty client identifier accepted")
	}
	if _, _, err := auth.ExchangeJWT(ctx, e.sdk, e.key, "someone-else", auth.JWTExchangeOptions{}); err == nil || !strings.Contains(err.Error(), "someone-else") || !strings.Contains(err.Error(), jwtTestClientID) {
		t.Errorf("mismatched client identifier: %v, want an error naming both", err)
	}
	if err := auth.RegisterDevice(ctx, nil, e.key); err == nil {
		t.Error("RegisterDevice: nil SDK accepted")
	}
	if err := auth.RegisterDevice(ctx, e.sdk, nil); !errors.Is(err, auth.ErrNoDeviceKey) {
		t.Errorf("RegisterDevice nil key: %v", err)
	}
}

func TestJWTRegisterDevice(t *testing.T) {
	e := jwtSetup(t)
	ctx := t.Context()
	// Registering again from the same device is fine.
	if err := auth.RegisterDevice(ctx, e.sdk, e.key); err != nil {
		t.Errorf("second registration: %v", err)
	}
	// Another device cannot take the key.
	other := plexgo.New(plexgo.WithPlexTVURL(e.fake.PlexTVURL), plexgo.WithXPlexClientIdentifier("other-device"))
	acct, _ := e.fake.Account(plextest.DefaultLogin)
	err := auth.RegisterDevice(ctx, other, e.key, operations.WithToken(acct.AuthToken))
	if !errors.Is(err, sdkerrors.ErrUnprocessable) {
		t.Errorf("key of another device: %v, want ErrUnprocessable", err)
	}
	// Without a valid token.
	fresh, err := auth.NewDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	err = auth.RegisterDevice(ctx, other, fresh, operations.WithToken("not-a-valid-token-xx"))
	if !errors.Is(err, sdkerrors.ErrUnauthorized) {
		t.Errorf("bad token: %v, want ErrUnauthorized", err)
	}
	jwtNoSecret(t, "register error", err.Error(), "not-a-valid-token-xx")
}

func TestJWTSourceSingleFlight(t *testing.T) {
	e := jwtSetup(t)
	// Slow the exchange down so that every goroutine arrives while the
	// refresh is in flight.
	e.fake.InjectFault("POST "+jwtPathToken, plextest.Fault{Latency: 200 * time.Millisecond, Times: 1})
	src := auth.NewJWTSource(e.sdk, e.key, jwtTestClientID, auth.JWTSourceOptions{Now: e.clock.Now})
	const n = 50
	tokens := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			tokens[i], errs[i] = src.Token(t.Context())
		}()
	}
	close(start)
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("goroutine %d: %v", i, errs[i])
		}
		if tokens[i] != tokens[0] {
			t.Fatalf("goroutine %d got another token", i)
		}
	}
	if got := e.fake.CountRequests(http.MethodPost, jwtPathToken); got != 1 {
		t.Errorf("%d exchanges for %d concurrent callers, want exactly 1", got, n)
	}
	if got := e.fake.CountRequests(http.MethodGet, jwtPathNonce); got != 1 {
		t.Errorf("%d nonces, want 1", got)
	}

	// Inside the margin, again 50 callers: one more exchange.
	e.clock.Advance(6*24*time.Hour + 12*time.Hour)
	e.fake.InjectFault("POST "+jwtPathToken, plextest.Fault{Latency: 200 * time.Millisecond, Times: 1})
	var wg2 sync.WaitGroup
	var failed atomic.Int32
	for range n {
		wg2.Add(1)
		go func() {
			defer wg2.Done()
			if tok, err := src.Token(t.Context()); err != nil || tok == tokens[0] {
				failed.Add(1)
			}
		}()
	}
	wg2.Wait()
	if failed.Load() != 0 {
		t.Errorf("%d callers did not get the refreshed token", failed.Load())
	}
	if got := e.fake.CountRequests(http.MethodPost, jwtPathToken); got != 2 {
		t.Errorf("%d exchanges, want exactly 2", got)
	}
}

func TestJWTSourceWaiterContext(t *testing.T) {
	e := jwtSetup(t)
	// The exchange takes long; a caller with a short deadline gives up,
	// but the refresh goes on and serves the next caller.
	e.fake.InjectFault("POST "+jwtPathToken, plextest.Fault{Latency: time.Second, Times: 1})
	src := auth.NewJWTSource(e.sdk, e.key, jwtTestClientID, auth.JWTSourceOptions{Now: e.clock.Now})
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	if _, err := src.Token(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Token with a short deadline: %v, want DeadlineExceeded", err)
	}
	cancelled, cancel2 := context.WithCancel(t.Context())
	cancel2()
	if _, err := src.Token(cancelled); !errors.Is(err, context.Canceled) {
		t.Errorf("Token with a cancelled context: %v", err)
	}
	tok, err := src.Token(t.Context())
	if err != nil || tok == "" {
		t.Fatalf("Token after the impatient caller: %v", err)
	}
	if got := e.fake.CountRequests(http.MethodPost, jwtPathToken); got != 1 {
		t.Errorf("%d exchanges, want 1 (the impatient caller's refresh was reused)", got)
	}
}

func TestJWTSourceRefreshFailure(t *testing.T) {
	e := jwtSetup(t)
	ctx := t.Context()
	tok, _ := e.exchange(t, nil)
	src := auth.NewJWTSource(e.sdk, e.key, jwtTestClientID, auth.JWTSourceOptions{
		Initial: tok, Now: e.clock.Now, RetryInterval: 10 * time.Minute,
	})
	// Inside the margin, plex.tv fails the exchange: the still-valid
	// token is returned, and the exchange is not retried.
	e.clock.Advance(6*24*time.Hour + 12*time.Hour)
	e.fake.InjectFault("POST "+jwtPathToken, plextest.Fault{Statuses: []int{503}})
	got, err := src.Token(ctx)
	if err != nil || got != tok {
		t.Fatalf("Token with a failing refresh: (old token %v, %v)", got == tok, err)
	}
	if n := e.fake.CountRequests(http.MethodPost, jwtPathToken); n != 2 {
		t.Fatalf("%d exchanges, want 2", n)
	}
	// Within RetryInterval: no new attempt.
	e.clock.Advance(time.Minute)
	if got, err := src.Token(ctx); err != nil || got != tok {
		t.Errorf("Token within RetryInterval: %v", err)
	}
	if n := e.fake.CountRequests(http.MethodPost, jwtPathToken); n != 2 {
		t.Errorf("%d exchanges, want still 2", n)
	}
	// After RetryInterval the refresh succeeds.
	e.clock.Advance(10 * time.Minute)
	got, err = src.Token(ctx)
	if err != nil || got == tok {
		t.Fatalf("Token after RetryInterval: (old token %v, %v)", got == tok, err)
	}
	if n := e.fake.CountRequests(http.MethodPost, jwtPathToken); n != 3 {
		t.Errorf("%d exchanges, want 3", n)
	}

	// Once the token has expired, a failed refresh is an error.
	e.clock.Advance(8 * 24 * time.Hour)
	e.fake.InjectFault("POST "+jwtPathToken, plextest.Fault{Statuses: []int{503}})
	_, err = src.Token(ctx)
	if !errors.Is(err, sdkerrors.ErrServer) {
		t.Errorf("expired token, failing refresh: %v, want ErrServer", err)
	}
	// A forced refresh works once plex.tv is back.
	fresh, err := src.Refresh(ctx)
	if err != nil || fresh == got {
		t.Errorf("Refresh: (same %v, %v)", fresh == got, err)
	}
}

func TestJWTSourceStore(t *testing.T) {
	e := jwtSetup(t)
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "plexgo")
	store := auth.NewFileStore(dir, auth.FileStoreOptions{})
	tok, claims := e.exchange(t, nil)
	creds := auth.NewJWTCredentials(tok, claims, e.key, jwtTestClientID)
	creds.Username, creds.Email = plextest.DefaultUsername, plextest.DefaultLogin
	if err := store.Save(ctx, "work", creds); err != nil {
		t.Fatal(err)
	}

	// The file is private, and printing what was loaded shows no key.
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(store.Path())
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("credentials file mode %04o, want 0600", fi.Mode().Perm())
		}
		di, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		if di.Mode().Perm() != 0o700 {
			t.Errorf("directory mode %04o, want 0700", di.Mode().Perm())
		}
	}
	loaded, err := store.Load(ctx, "work")
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Kind != auth.TokenKindJWT || !loaded.ExpiresAt.Equal(claims.ExpiresAt) {
		t.Errorf("stored kind %q expiry %v", loaded.Kind, loaded.ExpiresAt)
	}
	printed := fmt.Sprintf("%v %+v %#v %s", loaded, loaded, loaded, loaded)
	jwtNoSecret(t, "printed credentials", printed, hex.EncodeToString(loaded.DeviceKey))
	jwtNoSecret(t, "printed credentials", printed, base64.StdEncoding.EncodeToString(loaded.DeviceKey))
	jwtNoSecret(t, "printed credentials", printed, tok)
	key, err := auth.DeviceKeyFromCredentials(loaded)
	if err != nil {
		t.Fatal(err)
	}
	if key.KeyID() != e.key.KeyID() {
		t.Fatal("stored key differs")
	}

	// A source reading the store uses the stored token without a refresh…
	var refreshes atomic.Int32
	src := auth.NewJWTSource(e.sdk, key, jwtTestClientID, auth.JWTSourceOptions{
		Store: store, Profile: "work", Now: e.clock.Now,
		OnRefresh: func(*auth.PlexJWTClaims) { refreshes.Add(1) },
	})
	got, err := src.Token(ctx)
	if err != nil || got != tok {
		t.Fatalf("Token from the store: (stored token %v, %v)", got == tok, err)
	}
	if n := e.fake.CountRequests(http.MethodPost, jwtPathToken); n != 1 {
		t.Errorf("%d exchanges, want 1", n)
	}
	// …and saves the refreshed one, keeping the account fields.
	e.clock.Advance(8 * 24 * time.Hour)
	got, err = src.Token(ctx)
	if err != nil || got == tok {
		t.Fatalf("Token after expiry: (old %v, %v)", got == tok, err)
	}
	if refreshes.Load() != 1 {
		t.Errorf("OnRefresh called %d times", refreshes.Load())
	}
	after, err := store.Load(ctx, "work")
	if err != nil {
		t.Fatal(err)
	}
	if after.Token != got {
		t.Error("the store does not hold the refreshed token")
	}
	if after.Kind != auth.TokenKindJWT || !after.ExpiresAt.Equal(e.clock.Now().Add(plextest.PlexJWTLifetime)) ||
		after.Username != plextest.DefaultUsername || after.Email != plextest.DefaultLogin ||
		after.DeviceKeyID != key.KeyID() || !bytes.Equal(after.DeviceKey, loaded.DeviceKey) ||
		after.ClientIdentifier != jwtTestClientID {
		t.Errorf("stored after refresh: %v", after) // redacted by Credentials.String
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(store.Path())
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("credentials file mode after refresh %04o, want 0600", fi.Mode().Perm())
		}
	}

	// A new profile is created by the first refresh.
	mem := auth.NewMemoryStore()
	src2 := auth.NewJWTSource(e.sdk, key, jwtTestClientID, auth.JWTSourceOptions{Store: mem, Now: e.clock.Now})
	tok2, err := src2.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := mem.Load(ctx, auth.DefaultProfile)
	if err != nil || c2.Token != tok2 || c2.DeviceKeyID != key.KeyID() || c2.Kind != auth.TokenKindJWT {
		t.Errorf("new profile: %v, %v", c2, err)
	}

	// A stored token of another device key is not used.
	otherKey, err := auth.NewDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	bad := auth.NewJWTCredentials("some.stored.token", &auth.PlexJWTClaims{ExpiresAt: e.clock.Now().Add(time.Hour)}, otherKey, jwtTestClientID)
	if err := mem.Save(ctx, "other", bad); err != nil {
		t.Fatal(err)
	}
	src3 := auth.NewJWTSource(e.sdk, key, jwtTestClientID, auth.JWTSourceOptions{Store: mem, Profile: "other", Now: e.clock.Now})
	if got, err := src3.Token(ctx); err != nil || got == "some.stored.token" {
		t.Errorf("token of another key: (used %v, %v)", got == "some.stored.token", err)
	}
}

func TestJWTSourceBadConfig(t *testing.T) {
	key, err := auth.NewDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	sdk := plexgo.New(plexgo.WithPlexTVURL("http://127.0.0.1:1"), plexgo.WithXPlexClientIdentifier(jwtTestClientID))
	for name, src := range map[string]*auth.JWTSource{
		"nil sdk":          auth.NewJWTSource(nil, key, jwtTestClientID, auth.JWTSourceOptions{}),
		"nil key":          auth.NewJWTSource(sdk, nil, jwtTestClientID, auth.JWTSourceOptions{}),
		"empty client":     auth.NewJWTSource(plexgo.New(plexgo.WithPlexTVURL("http://127.0.0.1:1")), key, "", auth.JWTSourceOptions{}),
		"other client":     auth.NewJWTSource(sdk, key, "someone-else", auth.JWTSourceOptions{}),
		"negative margin":  auth.NewJWTSource(sdk, key, jwtTestClientID, auth.JWTSourceOptions{RefreshMargin: -time.Second}),
		"negative retry":   auth.NewJWTSource(sdk, key, jwtTestClientID, auth.JWTSourceOptions{RetryInterval: -time.Second}),
		"negative timeout": auth.NewJWTSource(sdk, key, jwtTestClientID, auth.JWTSourceOptions{RefreshTimeout: -time.Second}),
		"bad profile":      auth.NewJWTSource(sdk, key, jwtTestClientID, auth.JWTSourceOptions{Store: auth.NewMemoryStore(), Profile: "../x"}),
	} {
		if _, err := src.Token(t.Context()); err == nil {
			t.Errorf("%s: Token succeeded", name)
		}
		if _, err := src.Refresh(t.Context()); err == nil {
			t.Errorf("%s: Refresh succeeded", name)
		}
		if _, err := src.Security(t.Context()); err == nil {
			t.Errorf("%s: Security succeeded", name)
		}
	}
	var nilSrc *auth.JWTSource
	if _, err := nilSrc.Token(t.Context()); err == nil {
		t.Error("nil source: Token succeeded")
	}
	if !nilSrc.ExpiresAt().IsZero() {
		t.Error("nil source: ExpiresAt")
	}
}

// jwtPollRecorder records the deviceJWT of every PIN poll.
type jwtPollRecorder struct {
	mu   sync.Mutex
	jwts []string
	next http.RoundTripper
}

func (r *jwtPollRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodGet && strings.HasPrefix(req.URL.Path, "/api/v2/pins/") {
		r.mu.Lock()
		r.jwts = append(r.jwts, req.URL.Query().Get("deviceJWT"))
		r.mu.Unlock()
	}
	return r.next.RoundTrip(req)
}

func TestJWTLoginWithPIN(t *testing.T) {
	clock := plextest.NewFakeClock(jwtEpoch)
	fake := plextest.NewServer(t, plextest.WithClock(clock))
	acct, _ := fake.Account(plextest.DefaultLogin)
	rec := &jwtPollRecorder{next: http.DefaultTransport}
	sdk := jwtNewSDK(fake, plexgo.WithClient(&http.Client{Transport: rec, Timeout: 30 * time.Second}))
	key, err := auth.NewDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	var prompt auth.PINPrompt
	var approveErr error
	res, err := auth.LoginWithPINJWT(t.Context(), sdk, key, auth.PINOptions{
		ClientIdentifier: jwtTestClientID,
		Product:          "plexgo-jwt-test",
		Now:              clock.Now,
		// Each wait moves the fake clock four minutes: a device JWT signed
		// once would expire by the third poll.
		Sleep: func(ctx context.Context, d time.Duration) error {
			clock.Advance(4 * time.Minute)
			return ctx.Err()
		},
		OnPrompt: func(p auth.PINPrompt) { prompt = p },
		OnPoll: func(attempt int, _ time.Duration) {
			if attempt == 4 {
				approveErr = fake.ApprovePIN(prompt.Code, acct.AuthToken)
			}
		},
	})
	if approveErr != nil {
		t.Fatalf("ApprovePIN: %v", approveErr)
	}
	if err != nil {
		t.Fatalf("LoginWithPINJWT: %v", err)
	}
	if !prompt.Strong || prompt.ID == 0 || !strings.Contains(prompt.URL, "code="+prompt.Code) {
		t.Errorf("prompt = %+v", prompt)
	}
	if res.Account == nil || res.Account.Username != plextest.DefaultUsername {
		t.Fatalf("account = %v", res)
	}
	jwtNoSecret(t, "result", fmt.Sprintf("%v %+v %#v", res, res, *res), res.Token)

	rec.mu.Lock()
	polls := append([]string(nil), rec.jwts...)
	rec.mu.Unlock()
	if len(polls) != 4 {
		t.Fatalf("%d polls, want 4", len(polls))
	}
	seen := map[string]bool{}
	for i, dj := range polls {
		if dj == "" {
			t.Fatalf("poll %d had no deviceJWT", i+1)
		}
		if seen[dj] {
			t.Errorf("poll %d reused a device JWT", i+1)
		}
		seen[dj] = true
		claims := jwt.MapClaims{}
		if _, err := jwt.NewParser(jwt.WithTimeFunc(func() time.Time { return jwtEpoch.Add(time.Duration(i+1) * 4 * time.Minute) })).
			ParseWithClaims(dj, claims, func(*jwt.Token) (any, error) { return key.PublicKey(), nil }); err != nil {
			t.Errorf("poll %d device JWT: %v", i+1, err)
		}
		if _, has := claims["nonce"]; has {
			t.Errorf("poll %d device JWT has a nonce", i+1)
		}
	}
	if n := fake.CountRequests(http.MethodPost, "/api/v2/pins"); n != 1 {
		t.Errorf("%d PIN creations, want 1", n)
	}

	// The token is a Plex JWT bound to the key, and the device can
	// refresh it without any other registration.
	claims, err := auth.NewJWTVerifier(sdk, jwtTestClientID, auth.JWTVerifierOptions{Now: clock.Now}).Verify(t.Context(), res.Token, key)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if claims.Thumbprint != key.KeyID() {
		t.Error("thumbprint")
	}
	if n := fake.CountRequests(http.MethodPost, jwtPathJWK); n != 0 {
		t.Errorf("%d JWK registrations, want 0 (the PIN registered the key)", n)
	}
	src := auth.NewJWTSource(sdk, key, jwtTestClientID, auth.JWTSourceOptions{Initial: res.Token, Now: clock.Now})
	clock.Advance(8 * 24 * time.Hour)
	tok, err := src.Token(t.Context())
	if err != nil {
		t.Fatalf("refresh after a PIN login: %v", err)
	}
	if got := jwtAccountUsername(t, sdk, tok); got != plextest.DefaultUsername {
		t.Errorf("refreshed token is for %q", got)
	}
}

func TestJWTLoginWithPINExpiry(t *testing.T) {
	fake := plextest.NewServer(t)
	sdk := jwtNewSDK(fake)
	key, err := auth.NewDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	_, err = auth.LoginWithPINJWT(t.Context(), sdk, key, auth.PINOptions{
		ClientIdentifier: jwtTestClientID,
		Short:            true,
		Sleep:            func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
		OnPrompt: func(p auth.PINPrompt) {
			id = p.ID
			if p.Strong || p.URL != auth.DefaultLinkURL || len(p.Code) != 4 {
				t.Errorf("short PIN prompt = %+v", p)
			}
		},
		OnPoll: func(attempt int, _ time.Duration) {
			if attempt == 2 {
				if err := fake.ExpirePIN(id); err != nil {
					t.Errorf("ExpirePIN: %v", err)
				}
			}
		},
	})
	if !errors.Is(err, auth.ErrPINExpired) {
		t.Fatalf("err = %v, want ErrPINExpired", err)
	}
	if n := fake.CountRequests(http.MethodGet, fmt.Sprintf("/api/v2/pins/%d", id)); n != 2 {
		t.Errorf("%d polls, want 2", n)
	}

	// Cancellation stops the polling.
	ctx, cancel := context.WithCancel(t.Context())
	_, err = auth.LoginWithPINJWT(ctx, sdk, key, auth.PINOptions{
		ClientIdentifier: jwtTestClientID,
		Sleep:            func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
		OnPrompt:         func(p auth.PINPrompt) { id = p.ID },
		OnPoll: func(attempt int, _ time.Duration) {
			if attempt == 3 {
				cancel()
			}
		},
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	if n := fake.CountRequests(http.MethodGet, fmt.Sprintf("/api/v2/pins/%d", id)); n > 3 {
		t.Errorf("%d polls after cancel at the third, want at most 3", n)
	}

	// Bad options.
	for name, opts := range map[string]auth.PINOptions{
		"other client id":   {ClientIdentifier: "someone-else"},
		"negative interval": {ClientIdentifier: jwtTestClientID, PollInterval: -1},
		"bad auth app URL":  {ClientIdentifier: jwtTestClientID, AuthAppURL: "::"},
	} {
		if _, err := auth.LoginWithPINJWT(t.Context(), sdk, key, opts); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// No client id: the SDK's is used (issue 13), so an error only when
	// the SDK has none either.
	if _, err := auth.LoginWithPINJWT(t.Context(), jwtNewSDK(fake, plexgo.WithXPlexClientIdentifier("")), key, auth.PINOptions{}); err == nil {
		t.Error("no client id anywhere: accepted")
	}
	if _, err := auth.LoginWithPINJWT(t.Context(), sdk, nil, auth.PINOptions{ClientIdentifier: jwtTestClientID}); !errors.Is(err, auth.ErrNoDeviceKey) {
		t.Errorf("nil key: %v", err)
	}
	if _, err := auth.LoginWithPINJWT(t.Context(), nil, key, auth.PINOptions{ClientIdentifier: jwtTestClientID}); err == nil {
		t.Error("nil SDK accepted")
	}
}

func TestJWTLoginWithPINKeyTaken(t *testing.T) {
	e := jwtSetup(t)
	// The key belongs to jwtTestClientID; a PIN from another device with
	// it is refused.
	other := plexgo.New(plexgo.WithPlexTVURL(e.fake.PlexTVURL), plexgo.WithXPlexClientIdentifier("other-device"))
	_, err := auth.LoginWithPINJWT(t.Context(), other, e.key, auth.PINOptions{ClientIdentifier: "other-device"})
	if !errors.Is(err, sdkerrors.ErrUnprocessable) {
		t.Errorf("err = %v, want ErrUnprocessable", err)
	}
}

func TestJWTUnknownKidRefetchLimited(t *testing.T) {
	e := jwtSetup(t)
	ctx := t.Context()
	v := auth.NewJWTVerifier(e.sdk, jwtTestClientID, auth.JWTVerifierOptions{Now: e.clock.Now})
	tok, claims := e.exchange(t, v)
	base := e.fake.CountRequests(http.MethodGet, jwtPathKeys)

	_, attacker, _ := ed25519.GenerateKey(rand.Reader)
	now := e.clock.Now()
	good := jwt.MapClaims{
		"iss": "plex.tv", "aud": []string{"plex.tv", jwtTestClientID}, "sub": claims.Subject,
		"thumbprint": e.key.KeyID(), "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
	}
	forge := func() string {
		var b [12]byte
		_, _ = rand.Read(b[:])
		return jwtForge(t, attacker, base64.RawURLEncoding.EncodeToString(b[:]), good)
	}
	for i := range 100 {
		if _, err := v.Verify(ctx, forge(), e.key); !errors.Is(err, auth.ErrJWTInvalid) {
			t.Fatalf("forged token %d: %v, want ErrJWTInvalid", i, err)
		}
	}
	if n := e.fake.CountRequests(http.MethodGet, jwtPathKeys) - base; n > 1 {
		t.Errorf("%d key fetches for 100 forged tokens with unknown kids, want at most 1", n)
	}
	// The genuine token still verifies from the cache.
	if _, err := v.Verify(ctx, tok, e.key); err != nil {
		t.Errorf("genuine token: %v", err)
	}

	// After the interval, a rotation is still picked up: one refetch.
	e.clock.Advance(auth.JWTUnknownKeyRefetchInterval)
	e.fake.RotateSigningKeys()
	before := e.fake.CountRequests(http.MethodGet, jwtPathKeys)
	rotated, _ := e.exchange(t, v)
	if n := e.fake.CountRequests(http.MethodGet, jwtPathKeys) - before; n != 1 {
		t.Errorf("%d key fetches after a rotation past the interval, want 1", n)
	}
	for range 10 {
		_, _ = v.Verify(ctx, forge(), e.key)
	}
	if _, err := v.Verify(ctx, rotated, e.key); err != nil {
		t.Errorf("token signed with the new key: %v", err)
	}
	if n := e.fake.CountRequests(http.MethodGet, jwtPathKeys) - before; n != 1 {
		t.Errorf("%d key fetches, want still 1 within the interval", n)
	}
}

// JWTVerifierOptions.Leeway: zero is DefaultJWTLeeway, a positive value is
// used as given, a negative one means no leeway at all.
func TestJWTVerifierLeewayOption(t *testing.T) {
	t.Parallel()
	e := jwtSetup(t)
	tok, claims := e.exchange(t, nil)
	// 30 s after expiry: within the default minute, beyond 10 s or none.
	late := func() time.Time { return claims.ExpiresAt.Add(30 * time.Second) }
	for _, tc := range []struct {
		leeway time.Duration
		ok     bool
	}{{0, true}, {2 * time.Minute, true}, {10 * time.Second, false}, {-1, false}} {
		v := auth.NewJWTVerifier(e.sdk, jwtTestClientID, auth.JWTVerifierOptions{Now: late, Leeway: tc.leeway})
		_, err := v.Verify(t.Context(), tok, e.key)
		if tc.ok && err != nil {
			t.Errorf("Leeway %v, 30 s after expiry: %v, want accepted", tc.leeway, err)
		}
		if !tc.ok && !errors.Is(err, auth.ErrJWTExpired) {
			t.Errorf("Leeway %v, 30 s after expiry: err = %v, want ErrJWTExpired", tc.leeway, err)
		}
	}
}
