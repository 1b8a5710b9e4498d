package plextest

import (
	"crypto/ed25519"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// fetchKeys reads /api/v2/auth/keys.
func fetchKeys(t testing.TB, s *Server) map[string]ed25519.PublicKey {
	t.Helper()
	m := do(t, call{url: s.PlexTVURL + "/api/v2/auth/keys"}).want(t, 200).obj(t)
	out := map[string]ed25519.PublicKey{}
	for _, k := range m["keys"].([]any) {
		km := k.(map[string]any)
		if km["kty"] != "OKP" || km["crv"] != "Ed25519" || km["alg"] != "EdDSA" {
			t.Fatalf("key %v", km)
		}
		x, err := b64.DecodeString(km["x"].(string))
		if err != nil {
			t.Fatal(err)
		}
		out[km["kid"].(string)] = x
	}
	return out
}

// verifyPlexJWT checks a Plex JWT the way a client would.
func verifyPlexJWT(t testing.TB, s *Server, clk *FakeClock, tok string, d *device) jwt.MapClaims {
	t.Helper()
	keys := fetchKeys(t, s)
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(tok, claims, func(tk *jwt.Token) (any, error) {
		kid, _ := tk.Header["kid"].(string)
		return keys[kid], nil
	}, jwt.WithValidMethods([]string{"EdDSA"}), jwt.WithTimeFunc(clk.Now), jwt.WithIssuer("plex.tv"),
		jwt.WithAudience(d.cid), jwt.WithExpirationRequired(), jwt.WithIssuedAt())
	if err != nil {
		t.Fatalf("verify Plex JWT: %v", err)
	}
	if claims["thumbprint"] != d.kid {
		t.Fatalf("thumbprint %v, want %s", claims["thumbprint"], d.kid)
	}
	if exp, _ := claims.GetExpirationTime(); !exp.Equal(clk.Now().Add(PlexJWTLifetime).Truncate(time.Second)) {
		t.Fatalf("exp %v", exp)
	}
	return claims
}

func TestJWTDeviceFlow(t *testing.T) {
	s, clk := newFake(t)
	a := alice(t, s)
	legacy := signIn(t, s, "jwt-dev", DefaultLogin, DefaultPassword)
	d := newDevice(t, "jwt-dev")
	d.register(t, s, legacy).want(t, 204)
	do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/auth/jwk", cid: d.cid, json: map[string]any{"jwk": d.jwk()}}).wantErr(t, 401, 1001)
	do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/auth/jwk", cid: d.cid, token: legacy,
		json: map[string]any{"jwk": map[string]any{"kty": "RSA"}}}).wantErr(t, 400, 1000)

	// the same key from another device is taken
	other := *d
	other.cid = "thief"
	other.register(t, s, a.AuthToken).wantErr(t, 422, 0)

	n := d.nonce(t, s)
	r := d.exchange(t, s, d.sign(t, clk.Now(), n, nil)).want(t, 200)
	plexJWT := r.obj(t)["auth_token"].(string)
	claims := verifyPlexJWT(t, s, clk, plexJWT, d)
	if claims["sub"] != a.UUID {
		t.Fatalf("sub = %v", claims["sub"])
	}
	// the JWT works on plex.tv, and the device's legacy token stays valid
	// alongside it (issue 12 point 9: Plex's migration guide keeps both)
	if getUser(t, s, d.cid, plexJWT).want(t, 200).obj(t)["authToken"] != plexJWT {
		t.Fatal("authToken is not the JWT")
	}
	getUser(t, s, d.cid, legacy).want(t, 200)
	getUser(t, s, "x", a.AuthToken).want(t, 200) // other devices unaffected

	// nonce reuse, unknown nonce
	d.exchange(t, s, d.sign(t, clk.Now(), n, nil)).wantErr(t, 422, 0)
	d.exchange(t, s, d.sign(t, clk.Now(), "not-a-nonce", nil)).wantErr(t, 422, 0)
	// bad signature: signed by another key
	imposter := newDevice(t, d.cid)
	imposter.kid = d.kid
	d.exchange(t, s, imposter.sign(t, clk.Now(), d.nonce(t, s), nil)).wantErr(t, 422, 0)
	// wrong audience / issuer
	d.exchange(t, s, d.sign(t, clk.Now(), d.nonce(t, s), func(c jwt.MapClaims) { c["aud"] = "evil" })).wantErr(t, 422, 0)
	d.exchange(t, s, d.sign(t, clk.Now(), d.nonce(t, s), func(c jwt.MapClaims) { c["iss"] = "evil" })).wantErr(t, 422, 0)
	d.exchange(t, s, d.sign(t, clk.Now(), d.nonce(t, s), func(c jwt.MapClaims) { delete(c, "iat") })).wantErr(t, 422, 0)
	// expired device JWT → 498
	d.exchange(t, s, d.sign(t, clk.Now().Add(-time.Hour), d.nonce(t, s), nil)).wantErr(t, 498, 0)
	// expired nonce → 422
	n2 := d.nonce(t, s)
	clk.Advance(NonceLifetime + time.Second)
	d.exchange(t, s, d.sign(t, clk.Now(), n2, nil)).wantErr(t, 422, 0)
	// unregistered device
	u := newDevice(t, "unregistered")
	u.exchange(t, s, u.sign(t, clk.Now(), u.nonce(t, s), nil)).wantErr(t, 422, 0)
	// missing client id
	do(t, call{url: s.PlexTVURL + "/api/v2/auth/nonce"}).wantErr(t, 400, 1000)

	// refresh works after expiry; the Plex JWT expires on the clock
	clk.Advance(PlexJWTLifetime)
	getUser(t, s, d.cid, plexJWT).wantErr(t, 498, 0)
	fresh := d.exchange(t, s, d.sign(t, clk.Now(), d.nonce(t, s), nil)).want(t, 200).obj(t)["auth_token"].(string)
	getUser(t, s, d.cid, fresh).want(t, 200)
	// JWTs are not accepted by a PMS
	do(t, call{url: s.PMSURL + "/", token: fresh}).want(t, 401)

	// ExpireToken / RevokeToken / sign-out
	s.ExpireToken(fresh)
	getUser(t, s, d.cid, fresh).wantErr(t, 498, 0)
	t2 := d.exchange(t, s, d.sign(t, clk.Now(), d.nonce(t, s), nil)).want(t, 200).obj(t)["auth_token"].(string)
	s.RevokeToken(t2)
	getUser(t, s, d.cid, t2).wantErr(t, 401, 1001)
	t3 := d.exchange(t, s, d.sign(t, clk.Now(), d.nonce(t, s), nil)).want(t, 200).obj(t)["auth_token"].(string)
	do(t, call{method: "DELETE", url: s.PlexTVURL + "/api/v2/users/signout", cid: d.cid, token: t3}).want(t, 204)
	getUser(t, s, d.cid, t3).wantErr(t, 401, 1001)

	// XML forms
	do(t, call{url: s.PlexTVURL + "/api/v2/auth/keys", accept: "-"}).want(t, 200).xml(t)
	if x := do(t, call{url: s.PlexTVURL + "/api/v2/auth/nonce", cid: d.cid, accept: "-"}).want(t, 200).xml(t); x.attr("nonce") == "" {
		t.Fatal("xml nonce")
	}
}

func TestJWTKeyRotation(t *testing.T) {
	s, clk := newFake(t)
	a := alice(t, s)
	d := newDevice(t, "rot")
	d.register(t, s, a.AuthToken).want(t, 204)
	old := d.exchange(t, s, d.sign(t, clk.Now(), d.nonce(t, s), nil)).want(t, 200).obj(t)["auth_token"].(string)
	if len(fetchKeys(t, s)) != 1 {
		t.Fatal("want one key")
	}
	s.RotateSigningKeys()
	keys := fetchKeys(t, s)
	if len(keys) != 2 || len(s.SigningKeys()) != 2 {
		t.Fatalf("%d keys after rotation", len(keys))
	}
	getUser(t, s, d.cid, old).want(t, 200)
	cur := d.exchange(t, s, d.sign(t, clk.Now(), d.nonce(t, s), nil)).want(t, 200).obj(t)["auth_token"].(string)
	verifyPlexJWT(t, s, clk, cur, d)
	kidOf := func(tok string) string {
		tk, _, _ := jwt.NewParser().ParseUnverified(tok, jwt.MapClaims{})
		return tk.Header["kid"].(string)
	}
	if kidOf(cur) == kidOf(old) {
		t.Fatal("new JWT signed with the old key")
	}
	s.RetireOldKeys()
	if _, ok := fetchKeys(t, s)[kidOf(old)]; ok {
		t.Fatal("retired key still published")
	}
	getUser(t, s, d.cid, old).wantErr(t, 401, 1001)
	getUser(t, s, d.cid, cur).want(t, 200)
}

func TestNonceRateLimit(t *testing.T) {
	s, _ := newFake(t, WithSignInRateLimit(3, time.Minute))
	d := newDevice(t, "nl")
	for i := 0; i < 3; i++ {
		d.nonce(t, s)
	}
	r := do(t, call{url: s.PlexTVURL + "/api/v2/auth/nonce", cid: d.cid})
	r.wantErr(t, 429, codeRateLimited)
	if r.Header.Get("Retry-After") != "60" {
		t.Fatalf("Retry-After %q", r.Header.Get("Retry-After"))
	}
}

func TestJWTPIN(t *testing.T) {
	s, clk := newFake(t)
	a := alice(t, s)
	d := newDevice(t, "jwt-pin")
	p := do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/pins", cid: d.cid,
		json: map[string]any{"jwk": d.jwk(), "strong": true}}).want(t, 201).obj(t)
	if len(p["code"].(string)) != 25 {
		t.Fatalf("pin %v", p)
	}
	id := pinID(p)
	poll := func(deviceJWT string) *result {
		return do(t, call{url: s.PlexTVURL + "/api/v2/pins/" + id + "?deviceJWT=" + deviceJWT, cid: d.cid})
	}
	if m := poll(d.sign(t, clk.Now(), "", nil)).want(t, 200).obj(t); m["authToken"] != nil {
		t.Fatalf("pending %v", m)
	}
	if err := s.ApprovePIN(p["code"].(string), a.AuthToken); err != nil {
		t.Fatal(err)
	}
	imposter := newDevice(t, d.cid)
	imposter.kid = d.kid
	poll(imposter.sign(t, clk.Now(), "", nil)).wantErr(t, 422, 0)
	poll(d.sign(t, clk.Now().Add(-time.Hour), "", nil)).wantErr(t, 498, 0)
	tok := poll(d.sign(t, clk.Now(), "", nil)).want(t, 200).obj(t)["authToken"].(string)
	verifyPlexJWT(t, s, clk, tok, d)
	getUser(t, s, d.cid, tok).want(t, 200)
	// the linked device can refresh through /auth/token without a legacy token
	d.exchange(t, s, d.sign(t, clk.Now(), d.nonce(t, s), nil)).want(t, 200)
	// another device cannot register the same key with a PIN
	do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/pins", cid: "other",
		json: map[string]any{"jwk": d.jwk(), "strong": true}}).wantErr(t, 422, 0)
}
