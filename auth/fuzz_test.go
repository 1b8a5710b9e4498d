package auth

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/plextest"
)

// ---- credentials.json ----

// fuzzSecret marks the secrets of the seed files; errors must never
// contain it.
const fuzzSecret = "fuzz-SECRET-9d1e5b7a3c"

func fuzzCredentialsSeeds() [][]byte {
	c := sampleCredentials()
	c.Token = fuzzSecret
	good, err := json.MarshalIndent(credentialsFile{Version: credentialsFileVersion,
		Profiles: map[string]Credentials{DefaultProfile: c, "work": {Token: fuzzSecret + "-2", Kind: TokenKindLegacy}}}, "", "  ")
	if err != nil {
		panic(err)
	}
	seeds := [][]byte{good}
	for _, s := range []string{
		`{"version":1,"profiles":{}}`,
		`{"version":1}`,
		`{"version":1,"profiles":null}`,
		`{"version":2,"profiles":{"default":{"token":"` + fuzzSecret + `"}}}`,
		`{"version":2,"profiles":{"default":{"kind":"jwt"},"b":{"token":"` + fuzzSecret + `"}},"keyring":["default","default","gone"]}`,
		`{"version":3,"profiles":{}}`,
		`{"version":0,"profiles":{"default":{"token":"` + fuzzSecret + `"}}}`,
		`{"profiles":{"default":{"token":"` + fuzzSecret + `"}}}`,
		`{"version":-1}`, `{"version":1e999}`, `{"version":"1"}`, `{"version":1.5}`,
		`{"version":9223372036854775808}`,
		`{"version":1,"profiles":{".hidden":{"token":"x"}}}`,
		`{"version":1,"profiles":{"":{"token":"x"}}}`,
		`{"version":1,"profiles":{"bad name!":{"token":"x"}}}`,
		`{"version":1,"profiles":{"` + strings.Repeat("a", 65) + `":{"token":"x"}}}`,
		`{"version":1,"profiles":{"d\u00e9faut":{"token":"x"}}}`,
		`{"version":1,"profiles":{"default":{"token":12345678901234567890}}}`,
		`{"version":1,"profiles":{"default":{"token":"` + fuzzSecret + `","accountId":1e999}}}`,
		`{"version":1,"profiles":{"default":{"token":"` + fuzzSecret + `","accountId":"42"}}}`,
		`{"version":1,"profiles":{"default":{"token":"` + fuzzSecret + `","expiresAt":"garbage"}}}`,
		`{"version":1,"profiles":{"default":{"token":"` + fuzzSecret + `","expiresAt":"9999-12-31T23:59:59-23:59"}}}`,
		`{"version":1,"profiles":{"default":{"token":"` + fuzzSecret + `","expiresAt":"0000-01-01T00:00:00+23:59"}}}`,
		`{"version":1,"profiles":{"default":{"token":"` + fuzzSecret + `","deviceKey":"!!not base64!!"}}}`,
		`{"version":1,"profiles":{"default":{"token":"` + fuzzSecret + `","deviceKey":"` + base64.StdEncoding.EncodeToString(make([]byte, 64)) + `"}}}`,
		`{"version":1,"profiles":{"default":null,"b":{}}}`,
		`{"version":1,"profiles":{"default":{"token":"a"},"default":{"token":"b"}}}`,
		`{"VERSION":1,"Profiles":{"default":{"TOKEN":"x"}}}`,
		`{"version":1,"profiles":[]}`,
		`{"version":1,"profiles":{"default":[]}}`,
		"\xef\xbb\xbf{\"version\":1}",
		`{"version":1,"profiles":{"default":{"token":"\ud800\u0000"}}}`,
		`[]`, `null`, `""`, ``, `{`, `{"version":1}garbage`, `{"version":1} {}`,
		strings.Repeat("[", 10000),
	} {
		seeds = append(seeds, []byte(s))
	}
	return seeds
}

// secretStrings returns the token and device key values found in data,
// as far as it parses: what an error must never contain.
func secretStrings(data []byte) []string {
	var f struct {
		Profiles map[string]map[string]json.RawMessage `json:"profiles"`
	}
	_ = json.Unmarshal(data, &f)
	out := []string{fuzzSecret}
	for _, p := range f.Profiles {
		for k, raw := range p {
			if !strings.EqualFold(k, "token") && !strings.EqualFold(k, "deviceKey") {
				continue
			}
			var s string
			if json.Unmarshal(raw, &s) == nil && len(s) >= 8 {
				out = append(out, s)
			}
		}
	}
	return out
}

func noSecretIn(t *testing.T, what string, err error, secrets []string) {
	t.Helper()
	if err == nil {
		return
	}
	msg := err.Error()
	for _, s := range secrets {
		if strings.Contains(msg, s) {
			t.Fatalf("%s: error contains a secret value", what)
		}
	}
}

// wantUnchanged fails unless path still holds data with mode 0600 and is
// the only file in its directory (no temporary file left behind).
func wantUnchanged(t *testing.T, what, path string, data []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: reading the file back: %v", what, err)
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("%s failed but modified the file", what)
	}
	if fi, err := os.Stat(path); err != nil || checkPerms && fi.Mode().Perm() != 0o600 {
		t.Fatalf("%s: file mode changed (%v)", what, err)
	}
	wantOnlyFile(t, what, path)
}

func wantOnlyFile(t *testing.T, what, path string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	// Besides the file, only the store's lock file may exist (a FileStore
	// write creates it; it holds nothing).
	var names []string
	for _, e := range entries {
		if e.Name() != "."+filepath.Base(path)+".lock" {
			names = append(names, e.Name())
		}
	}
	if len(names) != 1 || names[0] != filepath.Base(path) {
		t.Fatalf("%s: directory holds %q, want only %s", what, names, filepath.Base(path))
	}
}

// FuzzFileStore reads arbitrary bytes as credentials.json. Load, Profiles,
// Save and Delete must agree with each other, fail with ErrCorrupt (never
// a panic, never a secret in the message) on a file they cannot use, and
// never modify a file they fail on.
func FuzzFileStore(f *testing.F) {
	for _, s := range fuzzCredentialsSeeds() {
		f.Add(s)
	}
	savedAt := time.Date(2030, 6, 7, 8, 9, 10, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, credentialsFileName)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		secrets := secretStrings(data)
		ctx := context.Background()
		s := NewFileStore(dir, FileStoreOptions{})

		names, perr := s.Profiles(ctx)
		noSecretIn(t, "Profiles", perr, secrets)
		def, lerr := s.Load(ctx, DefaultProfile)
		noSecretIn(t, "Load", lerr, secrets)
		if perr != nil {
			if !errors.Is(perr, ErrCorrupt) {
				t.Fatalf("Profiles: %v, want ErrCorrupt", perr)
			}
			if !errors.Is(lerr, ErrCorrupt) {
				t.Fatalf("Profiles failed with ErrCorrupt but Load returned %v", lerr)
			}
			newTok := fuzzSecret + "-new"
			err := s.Save(ctx, "fuzz", Credentials{Token: newTok, SavedAt: savedAt})
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Save over a corrupt file: %v, want ErrCorrupt", err)
			}
			noSecretIn(t, "Save", err, append(secrets, newTok))
			wantUnchanged(t, "Save", path, data)
			err = s.Delete(ctx, DefaultProfile)
			noSecretIn(t, "Delete", err, secrets)
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Delete in a corrupt file: %v, want ErrCorrupt", err)
			}
			wantUnchanged(t, "Delete", path, data)
			return
		}

		if !slices.IsSorted(names) {
			t.Fatalf("Profiles not sorted: %q", names)
		}
		old := map[string]Credentials{}
		for _, n := range names {
			if err := ValidateProfile(n); err != nil {
				t.Fatalf("Profiles returned an invalid name: %v", err)
			}
			c, err := s.Load(ctx, n)
			noSecretIn(t, "Load", err, secrets)
			if errors.Is(err, ErrSecretInKeyring) {
				continue // a KeyringStore's profile: the file holds no secret to load
			}
			if err != nil {
				t.Fatalf("Load of listed profile %q: %v", n, err)
			}
			old[n] = c
			_ = c.String()
			_ = c.Expired(savedAt)
		}
		if _, ok := old[DefaultProfile]; ok != (lerr == nil) {
			t.Fatalf("Load(default) = %v, but Profiles = %q", lerr, names)
		}
		if lerr != nil && !errors.Is(lerr, ErrNotLoggedIn) && !errors.Is(lerr, ErrSecretInKeyring) {
			t.Fatalf("Load of a missing profile: %v, want ErrNotLoggedIn", lerr)
		}
		if lerr == nil && !credsEqual(def, old[DefaultProfile]) {
			t.Fatal("two Loads of the default profile differ")
		}

		// A readable file must take a new profile and keep the others.
		newTok := fuzzSecret + "-new"
		if err := s.Save(ctx, "fuzz-new", Credentials{Token: newTok, SavedAt: savedAt}); err != nil {
			noSecretIn(t, "Save", err, append(secrets, newTok))
			t.Fatalf("Save to a readable file: %v", err)
		}
		wantOnlyFile(t, "Save", path)
		after, err := s.Profiles(ctx)
		if err != nil {
			t.Fatalf("Profiles after Save: %v", err)
		}
		want := slices.Clone(names)
		if !slices.Contains(want, "fuzz-new") {
			want = append(want, "fuzz-new")
			slices.Sort(want)
		}
		if !slices.Equal(after, want) {
			t.Fatalf("Profiles after Save = %q, want %q", after, want)
		}
		got, err := s.Load(ctx, "fuzz-new")
		if err != nil || got.Token != newTok || !got.SavedAt.Equal(savedAt) {
			t.Fatalf("Load of the saved profile: err %v, token ok %v", err, got.Token == newTok)
		}
		for n, c := range old {
			if n == "fuzz-new" {
				continue
			}
			got, err := s.Load(ctx, n)
			if err != nil || !credsEqual(got, c) {
				t.Fatalf("profile %q changed by saving another one (err %v)", n, err)
			}
		}
	})
}

// ---- identity.json ----

// FuzzLoadOrCreateIdentity reads arbitrary bytes as identity.json. A file
// with a usable clientIdentifier keeps it; any other file is an ErrCorrupt
// error and is never replaced.
func FuzzLoadOrCreateIdentity(f *testing.F) {
	for _, s := range []string{
		`{"clientIdentifier":"0f7c0d9c-5b7e-4b8e-9c3a-2d1e0f9a8b7c","product":"plexgo-fuzz","version":"1.0"}`,
		`{"clientIdentifier":"0f7c0d9c-5b7e-4b8e-9c3a-2d1e0f9a8b7c","product":"plexgo-fuzz","version":"1.0","platform":"Linux","device":"linux/amd64","deviceName":"host"}`,
		`{"clientIdentifier":"abc","product":"old","deviceName":"edited by hand\u00e9"}`,
		`{"clientIdentifier":"abc","product":5}`,
		`{"clientIdentifier":""}`, `{"clientIdentifier":"has space"}`, `{"clientIdentifier":"tab\there"}`,
		`{"clientIdentifier":"caf\u00e9"}`, `{"clientIdentifier":"\u0000"}`, `{"clientIdentifier":"\ud800"}`,
		`{"clientIdentifier":"` + strings.Repeat("x", 256) + `"}`,
		`{"clientIdentifier":"` + strings.Repeat("x", 257) + `"}`,
		`{"clientIdentifier":12345}`, `{"clientIdentifier":null}`,
		`{"ClientIdentifier":"upper","PRODUCT":"p"}`,
		`{"clientIdentifier":"a","clientIdentifier":"b"}`,
		`{"clientIdentifier":"abc","deviceName":"line\r\nX-Injected: 1"}`,
		`{}`, `[]`, `null`, `""`, ``, `{`, `{"clientIdentifier":"abc"} trailing`,
		"\xef\xbb\xbf{\"clientIdentifier\":\"bom\"}",
	} {
		f.Add([]byte(s))
	}
	const product, version = "plexgo-fuzz", "1.0"
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, identityFileName)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		var stored Identity
		usable := json.Unmarshal(data, &stored) == nil && validClientIdentifier(stored.ClientIdentifier)

		ident, err := LoadOrCreateIdentity(dir, product, version)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("LoadOrCreateIdentity: %v, want ErrCorrupt", err)
			}
			if usable {
				t.Fatalf("usable identity file rejected: %v", err)
			}
			wantUnchanged(t, "LoadOrCreateIdentity", path, data)
			return
		}
		if !usable {
			t.Fatalf("unusable identity file accepted: %q", data)
		}
		if ident.ClientIdentifier != stored.ClientIdentifier {
			t.Fatalf("client identifier replaced: %q, stored %q", ident.ClientIdentifier, stored.ClientIdentifier)
		}
		if ident.Product != product || ident.Version != version {
			t.Fatalf("product/version = %q/%q, want %q/%q", ident.Product, ident.Version, product, version)
		}
		if ident.Platform == "" || ident.Device == "" || ident.DeviceName == "" {
			t.Fatalf("defaults not filled in: %+v", ident)
		}
		for _, kept := range []struct{ got, stored string }{
			{ident.Platform, stored.Platform}, {ident.PlatformVersion, stored.PlatformVersion},
			{ident.Device, stored.Device}, {ident.DeviceName, stored.DeviceName}, {ident.Model, stored.Model},
		} {
			if kept.stored != "" && kept.got != kept.stored {
				t.Fatalf("stored value %q replaced by %q", kept.stored, kept.got)
			}
		}
		wantOnlyFile(t, "LoadOrCreateIdentity", path)
		reread, err := readIdentity(path)
		if err != nil || reread != ident {
			t.Fatalf("file after LoadOrCreateIdentity reads back as %+v, %v; want %+v", reread, err, ident)
		}
		// A second call changes nothing.
		before, _ := os.ReadFile(path)
		again, err := LoadOrCreateIdentity(dir, product, version)
		if err != nil || again != ident {
			t.Fatalf("second call = %+v, %v; want %+v", again, err, ident)
		}
		if afterBytes, _ := os.ReadFile(path); !bytes.Equal(afterBytes, before) {
			t.Fatal("second call rewrote an up-to-date file")
		}
	})
}

// ---- device keys ----

// FuzzDeviceKeyFromCredentials rebuilds a device key from arbitrary stored
// key material and key id.
func FuzzDeviceKeyFromCredentials(f *testing.F) {
	seed := bytes.Repeat([]byte{7}, ed25519.SeedSize)
	priv := ed25519.NewKeyFromSeed(seed)
	badPub := append([]byte(nil), priv...)
	badPub[40] ^= 1
	f.Add([]byte(nil), "")
	f.Add(seed, "")
	f.Add(seed, "kid-1")
	f.Add([]byte(priv), "")
	f.Add(badPub, "")
	f.Add(seed[:31], "")
	f.Add(append(seed, 0), "")
	f.Add(seed, "has space")
	f.Add(seed, "caf\u00e9")
	f.Add(seed, "\x00")
	f.Add(seed, "~!")
	f.Add(seed, strings.Repeat("k", 256))
	f.Add(seed, strings.Repeat("k", 257))
	f.Add(bytes.Repeat([]byte("A"), 32), strings.Repeat("A", 32))
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, material []byte, kid string) {
		k, err := DeviceKeyFromCredentials(Credentials{Token: "t", DeviceKey: material, DeviceKeyID: kid})
		if err != nil {
			if k != nil {
				t.Fatal("non-nil key with an error")
			}
			switch {
			case len(material) == 0 && !errors.Is(err, ErrNoDeviceKey):
				t.Fatalf("no key material: %v, want ErrNoDeviceKey", err)
			case len(material) > 0 && !errors.Is(err, ErrInvalidDeviceKey):
				t.Fatalf("bad key material: %v, want ErrInvalidDeviceKey", err)
			}
			msg := err.Error()
			if len(material) >= 8 && strings.Contains(msg, hex.EncodeToString(material)) ||
				len(material) >= 24 && strings.Contains(msg, string(material)) {
				t.Fatal("error contains key material")
			}
			return
		}
		if len(material) != ed25519.SeedSize && len(material) != ed25519.PrivateKeySize {
			t.Fatalf("%d bytes of key material accepted", len(material))
		}
		want := ed25519.NewKeyFromSeed(material[:ed25519.SeedSize])
		if !bytes.Equal(k.PublicKey(), want.Public().(ed25519.PublicKey)) {
			t.Fatal("public key does not belong to the seed")
		}
		switch {
		case kid == "" && k.KeyID() != jwkThumbprint(k.PublicKey()):
			t.Fatalf("empty key id gave %q, want the thumbprint", k.KeyID())
		case kid != "" && (k.KeyID() != kid || !validKeyID(kid)):
			t.Fatalf("key id %q gave %q", kid, k.KeyID())
		}
		// Nothing prints the private key.
		seedHex := hex.EncodeToString(material[:ed25519.SeedSize])
		seedB64 := base64.RawURLEncoding.EncodeToString(material[:ed25519.SeedSize])
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
			for _, v := range []any{k, *k} {
				out := fmt.Sprintf(verb, v)
				if strings.Contains(out, seedHex) || strings.Contains(strings.ToLower(out), seedHex) ||
					strings.Contains(out, seedB64) ||
					!strings.Contains(kid, string(material)) && strings.Contains(out, string(material)) {
					t.Fatalf("%s of a DeviceKey shows the private key", verb)
				}
			}
		}
		// Store round-trips, and the key signs device JWTs that verify.
		var c Credentials
		k.Store(&c)
		k2, err := DeviceKeyFromCredentials(c)
		if err != nil || k2.KeyID() != k.KeyID() || !bytes.Equal(k2.PublicKey(), k.PublicKey()) {
			t.Fatalf("stored key does not round-trip: %v", err)
		}
		jwk := k.PublicJWK()
		if jwk.Kid != k.KeyID() || jwk.X != base64.RawURLEncoding.EncodeToString(k.PublicKey()) {
			t.Fatal("PublicJWK does not describe the key")
		}
		tok, err := k.SignDeviceJWT("fuzz-client", "nonce", now)
		if err != nil {
			t.Fatalf("SignDeviceJWT: %v", err)
		}
		parsed, err := jwt.Parse(tok, func(*jwt.Token) (any, error) { return k.PublicKey(), nil },
			jwt.WithValidMethods([]string{"EdDSA"}), jwt.WithTimeFunc(func() time.Time { return now }))
		if err != nil || parsed.Header["kid"] != k.KeyID() {
			t.Fatalf("device JWT does not verify with the public key: %v", err)
		}
	})
}

// ---- Plex JWT verification ----

// keysClient is an SDK HTTP client that serves plex.tv's public keys from
// memory, so that Verify needs no network even when it fetches them
// again for an unknown key id.
type keysClient struct{ body []byte }

func (c keysClient) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
	status, body := http.StatusOK, c.body
	if !strings.HasSuffix(req.URL.Path, "/api/v2/auth/keys") {
		status, body = http.StatusNotFound, []byte(`{"errors":[{"code":0,"message":"Not Found","status":404}]}`)
	}
	return &http.Response{
		StatusCode:    status,
		Status:        http.StatusText(status),
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": {"application/json; charset=utf-8"}},
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}, nil
}

// jwtFuzzEnv is a Plex JWT issued by plextest, the device key it is bound
// to and the fake's signing keys.
type jwtFuzzEnv struct {
	token string
	key   *DeviceKey
	keys  map[string]ed25519.PublicKey
	now   time.Time
}

const jwtFuzzClientID = "jwt-fuzz-client"

func newJWTFuzzEnv(f *testing.F) *jwtFuzzEnv {
	f.Helper()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := plextest.NewFakeClock(now)
	fake := plextest.NewServer(f, plextest.WithClock(clock))
	legacy, err := fake.IssueToken(plextest.DefaultLogin, jwtFuzzClientID)
	if err != nil {
		f.Fatal(err)
	}
	key, err := NewDeviceKey()
	if err != nil {
		f.Fatal(err)
	}
	sdk := plexgo.New(plexgo.WithPlexTVURL(fake.PlexTVURL), plexgo.WithServerURL(fake.PMSURL),
		plexgo.WithXPlexClientIdentifier(jwtFuzzClientID), plexgo.WithSecurity(legacy))
	ctx := context.Background()
	if err := RegisterDevice(ctx, sdk, key); err != nil {
		f.Fatalf("RegisterDevice: %v", err)
	}
	tok, _, err := ExchangeJWT(ctx, sdk, key, jwtFuzzClientID, JWTExchangeOptions{Now: clock.Now})
	if err != nil {
		f.Fatalf("ExchangeJWT: %v", err)
	}
	return &jwtFuzzEnv{token: tok, key: key, keys: fake.SigningKeys(), now: now}
}

func (e *jwtFuzzEnv) keysJSON() []byte {
	var keys []map[string]string
	for kid, pub := range e.keys {
		keys = append(keys, map[string]string{"kty": "OKP", "crv": "Ed25519", "x": b64url.EncodeToString(pub),
			"use": "sig", "alg": "EdDSA", "kid": kid})
	}
	b, err := json.Marshal(map[string]any{"keys": keys})
	if err != nil {
		panic(err)
	}
	return b
}

// seeds returns tokens derived from the real one: tampered, re-signed with
// other keys or algorithms, malformed.
func (e *jwtFuzzEnv) seeds(f *testing.F) []string {
	f.Helper()
	parts := strings.Split(e.token, ".")
	if len(parts) != 3 {
		f.Fatalf("plextest issued a token with %d parts", len(parts))
	}
	dec := func(s string) map[string]any {
		b, err := b64url.DecodeString(s)
		if err != nil {
			f.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			f.Fatal(err)
		}
		return m
	}
	enc := func(m map[string]any) string {
		b, err := json.Marshal(m)
		if err != nil {
			f.Fatal(err)
		}
		return b64url.EncodeToString(b)
	}
	header, claims := dec(parts[0]), dec(parts[1])
	kid, _ := header["kid"].(string)

	tampered := cloneMap(claims)
	tampered["sub"] = "someone-else"
	otherThumb := cloneMap(claims)
	otherThumb["thumbprint"] = "not-our-key"

	none := cloneMap(header)
	none["alg"] = "none"

	// Signed by an attacker's Ed25519 key under plex.tv's kid.
	_, evil, _ := ed25519.GenerateKey(rand.Reader)
	evilTok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, jwt.MapClaims(claims))
	evilTok.Header["kid"] = kid
	evilSigned, err := evilTok.SignedString(evil)
	if err != nil {
		f.Fatal(err)
	}
	// HS256 keyed with plex.tv's public key (algorithm confusion).
	hsTok := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims(claims))
	hsTok.Header["kid"] = kid
	hsSigned, err := hsTok.SignedString([]byte(e.keys[kid]))
	if err != nil {
		f.Fatal(err)
	}
	unknownKid := cloneMap(header)
	unknownKid["kid"] = "rotated-away"
	noKid := cloneMap(header)
	delete(noKid, "kid")
	hugeExp := cloneMap(claims)
	hugeExp["exp"] = 1e300
	hugeExp["iat"] = -1e300
	flipped := []byte(parts[2])
	flipped[0] ^= 1

	return []string{
		e.token,
		parts[0] + "." + enc(tampered) + "." + parts[2],
		parts[0] + "." + enc(otherThumb) + "." + parts[2],
		parts[0] + "." + parts[1] + "." + string(flipped),
		parts[0] + "." + parts[1] + "." + parts[2][:len(parts[2])-1] + "B",
		parts[0] + "." + parts[1] + ".",
		parts[0] + "." + parts[1],
		e.token + ".extra",
		e.token + "=",
		enc(none) + "." + parts[1] + ".",
		enc(unknownKid) + "." + parts[1] + "." + parts[2],
		enc(noKid) + "." + parts[1] + "." + parts[2],
		parts[0] + "." + enc(hugeExp) + "." + parts[2],
		evilSigned,
		hsSigned,
		"a.b.c", "", ".", "..", "a.b", "a.b.c.d", " " + e.token,
		b64url.EncodeToString([]byte(`{"alg":"EdDSA","kid":["x"]}`)) + "." + parts[1] + "." + parts[2],
		b64url.EncodeToString([]byte(`{"alg":"EdDSA","kid":"`+kid+`","crit":["exp"]}`)) + "." + parts[1] + "." + parts[2],
		b64url.EncodeToString([]byte(`null`)) + "." + b64url.EncodeToString([]byte(`null`)) + ".",
		"eyJhbGciOiJFZERTQSJ9.eyJleHAiOjk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OX0.",
		"\u00e9.\u4e2d.\U0001F600",
		strings.Repeat("a", maxJWTLen) + ".b.c",
	}
}

func cloneMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// signedByPlex reports whether token is an EdDSA JWT whose signature
// verifies with one of keys, checked without golang-jwt.
func signedByPlex(token string, keys map[string]ed25519.PublicKey) bool {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return false
	}
	hb, err := b64url.DecodeString(parts[0])
	if err != nil {
		return false
	}
	var h struct {
		Alg string `json:"alg"`
	}
	if json.Unmarshal(hb, &h) != nil || h.Alg != "EdDSA" {
		return false
	}
	sig, err := b64url.DecodeString(parts[2])
	if err != nil {
		return false
	}
	for _, pub := range keys {
		if ed25519.Verify(pub, []byte(parts[0]+"."+parts[1]), sig) {
			return true
		}
	}
	return false
}

// FuzzVerifyPlexJWT verifies arbitrary token strings against plextest's
// keys (served from memory). Only tokens plex.tv signed with EdDSA, for
// this device and in date, may pass; every failure wraps ErrJWTInvalid
// and never quotes the token.
func FuzzVerifyPlexJWT(f *testing.F) {
	env := newJWTFuzzEnv(f)
	for _, s := range env.seeds(f) {
		f.Add(s)
	}
	sdk := plexgo.New(plexgo.WithClient(keysClient{body: env.keysJSON()}),
		plexgo.WithXPlexClientIdentifier(jwtFuzzClientID))
	now := func() time.Time { return env.now }
	v := NewJWTVerifier(sdk, jwtFuzzClientID, JWTVerifierOptions{Now: now})
	ctx := context.Background()
	if claims, err := v.Verify(ctx, env.token, env.key); err != nil || claims.Thumbprint != env.key.KeyID() {
		f.Fatalf("the real Plex JWT does not verify: %v", err)
	}
	f.Fuzz(func(t *testing.T, token string) {
		claims, err := v.Verify(ctx, token, env.key)
		if err != nil {
			if claims != nil {
				t.Fatal("claims returned with an error")
			}
			if !errors.Is(err, ErrJWTInvalid) {
				t.Fatalf("Verify: %v, want ErrJWTInvalid", err)
			}
			if len(token) >= 16 && strings.Contains(err.Error(), token) {
				t.Fatal("error quotes the token")
			}
			if i := strings.LastIndexByte(token, '.'); i >= 0 && len(token)-i > 16 && strings.Contains(err.Error(), token[i+1:]) {
				t.Fatal("error quotes the signature")
			}
			return
		}
		if !signedByPlex(token, env.keys) {
			t.Fatal("Verify accepted a token that plex.tv's keys did not sign with EdDSA")
		}
		switch {
		case claims.Issuer != PlexJWTIssuer:
			t.Fatalf("accepted issuer %q", claims.Issuer)
		case claims.Thumbprint != env.key.KeyID():
			t.Fatalf("accepted thumbprint %q", claims.Thumbprint)
		case !slices.Contains(claims.Audience, PlexJWTIssuer) && !slices.Contains(claims.Audience, jwtFuzzClientID):
			t.Fatalf("accepted audience %q", claims.Audience)
		case claims.ExpiresAt.IsZero() || env.now.After(claims.ExpiresAt.Add(DefaultJWTLeeway)):
			t.Fatalf("accepted exp %v at %v", claims.ExpiresAt, env.now)
		case claims.IssuedAt.IsZero() || claims.IssuedAt.After(env.now.Add(DefaultJWTLeeway)):
			t.Fatalf("accepted iat %v at %v", claims.IssuedAt, env.now)
		case claims.Remaining(env.now) < -DefaultJWTLeeway:
			t.Fatal("accepted an expired token")
		}
	})
}
