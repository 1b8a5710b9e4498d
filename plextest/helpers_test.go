package plextest

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/plexkit/plexgo/internal/redact"
)

const jsonType = "application/json"

// call describes one HTTP request made by a test.
type call struct {
	method string
	url    string
	form   url.Values // form-urlencoded body
	json   any        // JSON body
	raw    string     // raw body
	accept string     // "" → application/json; "-" → no Accept header
	cid    string     // X-Plex-Client-Identifier header
	token  string     // X-Plex-Token header
	header map[string]string
	basic  [2]string // HTTP Basic credentials
	client *http.Client
}

type result struct {
	Status int
	Header http.Header
	Body   []byte
}

var testHTTP = &http.Client{Timeout: 10 * time.Second}

func do(t testing.TB, c call) *result {
	t.Helper()
	r, err := tryDo(c)
	if err != nil {
		t.Fatalf("%s %s: %v", c.method, c.url, err)
	}
	return r
}

func tryDo(c call) (*result, error) {
	var body io.Reader
	ct := ""
	switch {
	case c.form != nil:
		body, ct = strings.NewReader(c.form.Encode()), "application/x-www-form-urlencoded"
	case c.json != nil:
		b, err := json.Marshal(c.json)
		if err != nil {
			return nil, err
		}
		body, ct = bytes.NewReader(b), jsonType
	case c.raw != "":
		body = strings.NewReader(c.raw)
	}
	if c.method == "" {
		c.method = http.MethodGet
	}
	req, err := http.NewRequest(c.method, c.url, body)
	if err != nil {
		return nil, err
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	switch c.accept {
	case "":
		req.Header.Set("Accept", jsonType)
	case "-":
	default:
		req.Header.Set("Accept", c.accept)
	}
	if c.cid != "" {
		req.Header.Set("X-Plex-Client-Identifier", c.cid)
	}
	if c.token != "" {
		req.Header.Set("X-Plex-Token", c.token)
	}
	if c.basic[0] != "" || c.basic[1] != "" {
		req.SetBasicAuth(c.basic[0], c.basic[1])
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	hc := c.client
	if hc == nil {
		hc = testHTTP
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return &result{Status: resp.StatusCode, Header: resp.Header, Body: b}, nil
}

func (r *result) want(t testing.TB, status int) *result {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d; body: %.400s", r.Status, status, r.safe())
	}
	return r
}

func (r *result) obj(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("decode JSON: %v; body: %.300s", err, r.safe())
	}
	return m
}

func (r *result) list(t testing.TB) []map[string]any {
	t.Helper()
	var l []map[string]any
	if err := json.Unmarshal(r.Body, &l); err != nil {
		t.Fatalf("decode JSON list: %v; body: %.300s", err, r.safe())
	}
	return l
}

// wantErr checks a plex.tv error body (JSON or XML) with status and code.
func (r *result) wantErr(t testing.TB, status, code int) {
	t.Helper()
	r.want(t, status)
	var gotCode, gotStatus int
	if strings.HasPrefix(r.Header.Get("Content-Type"), jsonType) {
		var e struct {
			Errors []struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
				Status  int    `json:"status"`
			} `json:"errors"`
		}
		if err := json.Unmarshal(r.Body, &e); err != nil || len(e.Errors) != 1 {
			t.Fatalf("bad JSON error body %q: %v", r.Body, err)
		}
		gotCode, gotStatus = e.Errors[0].Code, e.Errors[0].Status
	} else {
		n := r.xml(t)
		if n.XMLName.Local != "errors" || len(n.Children) != 1 {
			t.Fatalf("bad XML error body %q", r.safe())
		}
		gotCode, gotStatus = atoi(n.Children[0].attr("code")), atoi(n.Children[0].attr("status"))
	}
	if gotCode != code || gotStatus != status {
		t.Fatalf("error code %d status %d, want %d %d; body %s", gotCode, gotStatus, code, status, r.safe())
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// xnode is a generic XML element.
type xnode struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Children []xnode    `xml:",any"`
}

func (n xnode) attr(k string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == k {
			return a.Value
		}
	}
	return ""
}

// hasAttr reports whether n has the attribute k, even an empty one.
func (n xnode) hasAttr(k string) bool {
	for _, a := range n.Attrs {
		if a.Name.Local == k {
			return true
		}
	}
	return false
}

func (n xnode) child(name string) xnode {
	for _, c := range n.Children {
		if c.XMLName.Local == name {
			return c
		}
	}
	return xnode{}
}

func (r *result) xml(t testing.TB) xnode {
	t.Helper()
	var n xnode
	if err := xml.Unmarshal(r.Body, &n); err != nil {
		t.Fatalf("decode XML: %v; body: %.300s", err, r.safe())
	}
	return n
}

// signIn signs in with the v2 endpoint and returns the token.
func signIn(t testing.TB, s *Server, cid, login, password string) string {
	t.Helper()
	m := do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/users/signin", cid: cid,
		form: url.Values{"login": {login}, "password": {password}}}).want(t, 201).obj(t)
	tok, _ := m["authToken"].(string)
	if tok == "" {
		t.Fatalf("no authToken in %v", m)
	}
	return tok
}

// getUser calls GET /api/v2/user.
func getUser(t testing.TB, s *Server, cid, token string) *result {
	t.Helper()
	return do(t, call{url: s.PlexTVURL + "/api/v2/user", cid: cid, token: token})
}

// device is a test JWT device with an Ed25519 key.
type device struct {
	cid  string
	pub  ed25519.PublicKey
	priv ed25519.PrivateKey
	kid  string
}

func newDevice(t testing.TB, cid string) *device {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(append(append([]byte{}, priv.Seed()...), pub...))
	return &device{cid: cid, pub: pub, priv: priv, kid: hex.EncodeToString(sum[:])}
}

func (d *device) jwk() map[string]any {
	return map[string]any{"kty": "OKP", "crv": "Ed25519", "x": b64.EncodeToString(d.pub), "use": "sig", "alg": "EdDSA", "kid": d.kid}
}

func (d *device) sign(t testing.TB, now time.Time, nonce string, mutate func(jwt.MapClaims)) string {
	t.Helper()
	claims := jwt.MapClaims{
		"scope": "username,email,friendly_name",
		"aud":   "plex.tv",
		"iss":   d.cid,
		"iat":   now.Unix(),
		"exp":   now.Add(5 * time.Minute).Unix(),
	}
	if nonce != "" {
		claims["nonce"] = nonce
	}
	if mutate != nil {
		mutate(claims)
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims)
	tok.Header["kid"] = d.kid
	s, err := tok.SignedString(d.priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (d *device) register(t testing.TB, s *Server, token string) *result {
	t.Helper()
	return do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/auth/jwk", cid: d.cid, token: token,
		json: map[string]any{"jwk": d.jwk()}})
}

func (d *device) nonce(t testing.TB, s *Server) string {
	t.Helper()
	m := do(t, call{url: s.PlexTVURL + "/api/v2/auth/nonce", cid: d.cid}).want(t, 200).obj(t)
	n, _ := m["nonce"].(string)
	if n == "" {
		t.Fatalf("no nonce: %v", m)
	}
	return n
}

func (d *device) exchange(t testing.TB, s *Server, deviceJWT string) *result {
	t.Helper()
	return do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/auth/token", cid: d.cid,
		json: map[string]any{"jwt": deviceJWT}})
}

func newFake(t testing.TB, opts ...Option) (*Server, *FakeClock) {
	t.Helper()
	clk := NewFakeClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	s := NewServer(t, append([]Option{WithClock(clk)}, opts...)...)
	return s, clk
}

func alice(t testing.TB, s *Server) Account {
	t.Helper()
	a, ok := s.Account(DefaultLogin)
	if !ok {
		t.Fatal("no alice")
	}
	return a
}

// clientFrom returns an HTTP client whose connections come from the
// loopback address ip (Linux routes all of 127.0.0.0/8 to lo), so that
// the fake sees another remote IP. It skips when ip cannot be bound.
func clientFrom(t testing.TB, ip string) *http.Client {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Skipf("cannot bind %s: %v", ip, err)
	}
	ln.Close()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DialContext: d.DialContext}}
}

func xmlUnmarshal(b []byte, v any) error { return xml.Unmarshal(b, v) }

// secretValue matches a JSON member or an XML attribute with its value.
var secretValue = regexp.MustCompile(`"([A-Za-z_-]+)"(\s*:\s*)"[^"]*"|\b([A-Za-z_-]+)="[^"]*"`)

// safe returns the body for a failure message, the values of secret-named
// members and attributes (authToken, accessToken, token, …) masked.
func (r *result) safe() string {
	return secretValue.ReplaceAllStringFunc(string(r.Body), func(m string) string {
		sm := secretValue.FindStringSubmatch(m)
		if sm[1] != "" && redact.IsSecretName(sm[1]) {
			return `"` + sm[1] + `"` + sm[2] + `"` + redacted + `"`
		}
		if sm[3] != "" && redact.IsSecretName(sm[3]) {
			return sm[3] + `="` + redacted + `"`
		}
		return m
	})
}

func TestSafeBodyMasksSecrets(t *testing.T) {
	r := &result{Body: []byte(`{"authToken":"s3cr3t","name":"n"} <x accessToken="s3cr3t" token="s3cr3t" id="1"/>`)}
	if got := r.safe(); strings.Contains(got, "s3cr3t") || !strings.Contains(got, `"name":"n"`) || !strings.Contains(got, `id="1"`) {
		t.Error("safe() leaves a secret or drops other values") // no %s: it may hold the secret
	}
}
