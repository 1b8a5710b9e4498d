package plextest

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The fuzz targets below drive the fake's handlers directly (no sockets)
// with arbitrary requests. Inputs may use placeholders, replaced before
// the request is built so that seeds stay valid across runs:
//
//	$TOKEN   a legacy token of alice for fuzzCID
//	$BOB     a legacy token of bob for fuzzCID
//	$JWT     a Plex JWT of alice for fuzzJWTCID
//	$DEVJWT  a device JWT of fuzzJWTCID with a fresh nonce
//	$JWK     the base64url public key of fuzzJWTCID's device key
//	$ADMIN   the default PMS's admin token
//	$MID     the default PMS's machine identifier
const (
	fuzzCID     = "fuzz-client"
	fuzzJWTCID  = "fuzz-jwt-client"
	fuzzMaxBody = 4 << 10
)

// fuzzFake is a fake shared by every input of a fuzz target, and the
// handlers its listeners serve.
type fuzzFake struct {
	s    *Server
	tv   http.Handler
	pms  http.Handler
	priv ed25519.PrivateKey
	kid  string
	mid  string
}

func newFuzzFake(f *testing.F) *fuzzFake {
	f.Helper()
	// No rate limit or lock-out: they would turn most sign-ins into 429s.
	s := NewServer(f, WithSignInRateLimit(0, 0), WithSignInLockout(0, 0), WithMaxBodyBytes(fuzzMaxBody))
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		f.Fatal(err)
	}
	x := b64.EncodeToString(pub)
	ff := &fuzzFake{s: s, tv: s.plexTVHandler(), priv: priv, kid: jwkThumbprint(x)}
	s.mu.Lock()
	srv := s.servers[0]
	ff.pms = s.wrap("pms", s.pmsHandler(srv, srv.conns[0]))
	ff.mid = srv.machineID
	alice := s.findAccountLocked(DefaultLogin)
	dk, err := parseJWK(&jwkJSON{Kty: "OKP", Crv: "Ed25519", X: x})
	if err == nil {
		dk.acct = alice.id
		if !s.registerDeviceKeyLocked(fuzzJWTCID, dk) {
			err = errors.New("cannot register the fuzz device key")
		}
	}
	s.mu.Unlock()
	if err != nil {
		f.Fatal(err)
	}
	return ff
}

// expand replaces the placeholders in s.
func (ff *fuzzFake) expand(t *testing.T, s string) string {
	if !strings.Contains(s, "$") {
		return s
	}
	repl := func(name string, val func() string) {
		if strings.Contains(s, name) {
			s = strings.ReplaceAll(s, name, val())
		}
	}
	repl("$TOKEN", func() string { return ff.token(t, DefaultLogin) })
	repl("$BOB", func() string { return ff.token(t, TwoFactorLogin) })
	repl("$JWT", func() string {
		ff.s.mu.Lock()
		defer ff.s.mu.Unlock()
		tok, err := ff.s.issuePlexJWTLocked(ff.s.findAccountLocked(DefaultLogin), fuzzJWTCID, ff.kid, "")
		if err != nil {
			t.Fatal(err)
		}
		return tok
	})
	repl("$DEVJWT", func() string { return ff.deviceJWT(t) })
	repl("$JWK", func() string { return b64.EncodeToString(ff.priv.Public().(ed25519.PublicKey)) })
	repl("$ADMIN", func() string { return ff.s.Servers()[0].AccessToken })
	repl("$MID", func() string { return ff.mid })
	return s
}

func (ff *fuzzFake) token(t *testing.T, login string) string {
	tok, err := ff.s.IssueToken(login, fuzzCID)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func (ff *fuzzFake) deviceJWT(t *testing.T) string {
	now := ff.s.now()
	nonce := randUUID()
	ff.s.mu.Lock()
	ff.s.nonces[nonce] = &nonceRec{client: fuzzJWTCID, expires: now.Add(NonceLifetime)}
	ff.s.mu.Unlock()
	tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, jwt.MapClaims{
		"aud": "plex.tv", "iss": fuzzJWTCID, "scope": "username,email",
		"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(), "nonce": nonce,
	})
	tok.Header["kid"] = ff.kid
	s, err := tok.SignedString(ff.priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// tidy drops the state that requests pile up (PINs, nonces, transient
// tokens, faults, the request log) so that a long fuzz run stays fast.
func (ff *fuzzFake) tidy() {
	ff.s.ClearFaults()
	ff.s.ResetRequests()
	s := ff.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.pins) > 4096 {
		s.pins, s.pinCodes = map[int64]*pin{}, map[string]int64{}
	}
	if len(s.nonces) > 4096 {
		s.nonces = map[string]*nonceRec{}
	}
	if len(s.jwts) > 4096 {
		s.jwts = map[string]*jwtRec{}
	}
	if len(s.keys) > 4 {
		s.keys = s.keys[len(s.keys)-1:]
	}
	for _, srv := range s.servers {
		if len(srv.transient) > 4096 {
			srv.transient = map[string]*transientTok{}
		}
	}
}

// validToken reports whether s is an HTTP token (method or header name).
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// validHeaderValue reports whether a server could receive v as a header
// value.
func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// buildRequest makes the request a server could have received, or nil
// when no server could (httptest.NewRequest panics on those). host is the
// Host header unless headers name another.
func buildRequest(host, method, target, contentType, headers, body string) *http.Request {
	if !validToken(method) || !validHeaderValue(target) || strings.ContainsAny(target, " \t") {
		return nil
	}
	line := method + " " + target + " HTTP/1.1\r\nHost: example.com\r\n\r\n"
	if _, err := http.ReadRequest(bufio.NewReader(strings.NewReader(line))); err != nil {
		return nil
	}
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if req.URL.Host == "" {
		req.Host = host
	}
	if contentType != "" && validHeaderValue(contentType) {
		req.Header.Set("Content-Type", contentType)
	}
	for _, h := range strings.Split(headers, "\n") {
		k, v, ok := strings.Cut(h, ":")
		if !ok || !validToken(k) || !validHeaderValue(v) {
			continue
		}
		if strings.EqualFold(k, "Host") {
			req.Host = strings.TrimSpace(v)
			continue
		}
		req.Header.Add(k, strings.TrimSpace(v))
	}
	return req
}

// writeTracker records whether the handler answered at all.
type writeTracker struct {
	http.ResponseWriter
	wrote bool
}

func (w *writeTracker) WriteHeader(code int) {
	w.wrote = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *writeTracker) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// serve runs h on the request described by the fuzz input and returns the
// response, or nil for an input no server could receive.
func (ff *fuzzFake) serve(t *testing.T, h http.Handler, tv bool, method, target, contentType, headers, body string) (*httptest.ResponseRecorder, *http.Request) {
	host := strings.TrimPrefix(ff.s.PMSURL, "http://")
	if tv {
		host = strings.TrimPrefix(ff.s.PlexTVURL, "http://")
	}
	req := buildRequest(host, ff.expand(t, method), ff.expand(t, target), contentType, ff.expand(t, headers), ff.expand(t, body))
	if req == nil {
		return nil, nil
	}
	rec := httptest.NewRecorder()
	w := &writeTracker{ResponseWriter: rec}
	h.ServeHTTP(w, req)
	if !w.wrote {
		t.Fatalf("%s %.200q: no response written", method, target)
	}
	if rec.Code < 100 || rec.Code > 599 {
		t.Fatalf("%s %.200q: status %d", method, target, rec.Code)
	}
	if cl := rec.Header().Get("Content-Length"); cl != "" && cl != strconv.Itoa(rec.Body.Len()) {
		t.Fatalf("%s %.200q: Content-Length %s, body of %d bytes", method, target, cl, rec.Body.Len())
	}
	ff.checkLog(t)
	return rec, req
}

// checkLog fails if the request log kept a secret value.
func (ff *fuzzFake) checkLog(t *testing.T) {
	for _, r := range ff.s.Requests() {
		for _, vals := range []map[string][]string{r.Query, r.Header, r.Form} {
			for k, vs := range vals {
				if isSecret(k) && (len(vs) != 1 || vs[0] != redacted) {
					t.Fatalf("request log keeps %s unredacted", k)
				}
			}
		}
	}
}

func wellFormedXML(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// checkTVBody checks a plex.tv answer: an error status carries exactly
// one plex.tv error with the same status, a success a well-formed body.
func checkTVBody(t *testing.T, rec *httptest.ResponseRecorder) {
	body, ct := rec.Body.Bytes(), rec.Header().Get("Content-Type")
	isJSON := strings.HasPrefix(ct, "application/json")
	switch {
	case rec.Code == http.StatusNoContent:
		if len(body) != 0 {
			t.Fatalf("204 with a body of %d bytes", len(body))
		}
	case rec.Code >= 400:
		var code, status int
		var msg string
		if isJSON {
			var e struct {
				Errors []struct {
					Code    *int   `json:"code"`
					Message string `json:"message"`
					Status  int    `json:"status"`
				} `json:"errors"`
			}
			if err := json.Unmarshal(body, &e); err != nil || len(e.Errors) != 1 || e.Errors[0].Code == nil {
				t.Fatalf("status %d: bad JSON error body %.300q (%v)", rec.Code, body, err)
			}
			code, status, msg = *e.Errors[0].Code, e.Errors[0].Status, e.Errors[0].Message
		} else {
			if !strings.HasPrefix(ct, "application/xml") {
				t.Fatalf("status %d: error with Content-Type %q", rec.Code, ct)
			}
			var e struct {
				XMLName xml.Name `xml:"errors"`
				Errors  []struct {
					Code    string `xml:"code,attr"`
					Message string `xml:"message,attr"`
					Status  string `xml:"status,attr"`
				} `xml:"error"`
			}
			if err := xml.Unmarshal(body, &e); err != nil || len(e.Errors) != 1 {
				t.Fatalf("status %d: bad XML error body %.300q (%v)", rec.Code, body, err)
			}
			var err1, err2 error
			code, err1 = strconv.Atoi(e.Errors[0].Code)
			status, err2 = strconv.Atoi(e.Errors[0].Status)
			msg = e.Errors[0].Message
			if err1 != nil || err2 != nil {
				t.Fatalf("status %d: bad XML error body %.300q", rec.Code, body)
			}
		}
		if status != rec.Code || msg == "" || code < 0 {
			t.Fatalf("status %d: error body says code %d status %d message %q", rec.Code, code, status, msg)
		}
	case isJSON:
		if !json.Valid(body) {
			t.Fatalf("status %d: invalid JSON body (%d bytes)", rec.Code, len(body))
		}
	case strings.HasPrefix(ct, "application/xml"):
		if err := wellFormedXML(body); err != nil {
			t.Fatalf("status %d: malformed XML body (%d bytes): %v", rec.Code, len(body), err)
		}
	default:
		t.Fatalf("status %d with Content-Type %q", rec.Code, ct)
	}
}

// checkControlBody checks an answer of the control API: JSON with an
// "error" member for errors, JSON or nothing for successes.
func checkControlBody(t *testing.T, rec *httptest.ResponseRecorder) {
	body := rec.Body.Bytes()
	switch {
	case rec.Code == http.StatusNoContent:
		if len(body) != 0 {
			t.Fatalf("control: 204 with a body of %d bytes", len(body))
		}
	case rec.Code >= 400:
		var e struct {
			Error string `json:"error"`
		}
		if err := json.Unmarshal(body, &e); err != nil || e.Error == "" {
			t.Fatalf("control: status %d with body %.300q", rec.Code, body)
		}
	default:
		if !json.Valid(body) {
			t.Fatalf("control: status %d with invalid JSON (%d bytes)", rec.Code, len(body))
		}
	}
}

const (
	hdrJSON   = "X-Plex-Client-Identifier: " + fuzzCID + "\nAccept: application/json"
	hdrXML    = "X-Plex-Client-Identifier: " + fuzzCID
	hdrJWTDev = "X-Plex-Client-Identifier: " + fuzzJWTCID + "\nAccept: application/json"
	formType  = "application/x-www-form-urlencoded"
)

func basic(user, pass string) string {
	return "Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// FuzzPlexTV sends arbitrary requests to the fake plex.tv (and its control
// API). Every request gets an answer; plex.tv errors carry a plex.tv error
// body (JSON or XML) with the same status, control errors a JSON error;
// the request log never keeps a secret.
func FuzzPlexTV(f *testing.F) {
	ff := newFuzzFake(f)
	jwk := func(x, crv, kid string) string {
		return `{"jwk":{"kty":"OKP","crv":"` + crv + `","x":"` + x + `","use":"sig","alg":"EdDSA","kid":"` + kid + `"},"strong":true}`
	}
	s := ff.s
	var teen Account
	for _, a := range s.Accounts() {
		if a.Username == "teen" {
			teen = a
		}
	}
	seeds := [][5]string{
		{"POST", "/api/v2/users/signin", formType, hdrJSON, "login=alice%40example.com&password=correct+horse+battery+staple"},
		{"POST", "/api/v2/users/signin", formType, hdrXML, "login=alice&password=wrong"},
		{"POST", "/api/v2/users/signin", formType, hdrJSON, "login=bob%40example.com&password=hunter2+hunter2"},
		{"POST", "/api/v2/users/signin", formType, hdrJSON, "login=bob%40example.com&password=hunter2+hunter2&verificationCode=123456"},
		{"POST", "/api/v2/users/signin", formType, hdrJSON, "login=bob%40example.com&password=hunter2+hunter2123456"},
		{"POST", "/api/v2/users/signin?login=alice&password=x", formType, hdrJSON, "login=%zz&password=%"},
		{"POST", "/api/v2/users/signin", formType, "Accept: application/json", "login=alice"},
		{"POST", "/api/v2/users/signin", "multipart/form-data; boundary=x", hdrJSON, "--x\r\nContent-Disposition: form-data; name=\"login\"\r\n\r\nalice\r\n--x--\r\n"},
		{"POST", "/api/v2/users/signin", formType, hdrJSON, "login=\u00e4lice\u4e2d%F0%9F%98%80&password=%00"},
		{"POST", "/users/sign_in.json", "", hdrXML + "\n" + basic(DefaultLogin, DefaultPassword), ""},
		{"POST", "/users/sign_in.xml", "", hdrXML + "\n" + basic(DefaultLogin, "x"), ""},
		{"POST", "/users/sign_in.json", "", hdrXML + "\nAuthorization: Basic !!!", ""},
		{"GET", "/users/sign_in.json", "", hdrXML, ""},
		{"POST", "/api/v2/pins", "", hdrJSON, ""},
		{"POST", "/api/v2/pins?strong=true", formType, hdrXML, "strong=false"},
		{"POST", "/api/v2/pins", jsonType, hdrJWTDev, jwk("$JWK", "Ed25519", "")},
		{"POST", "/api/v2/pins", jsonType, hdrJSON, jwk("$JWK", "Ed25519", "k1")},
		{"POST", "/api/v2/pins", jsonType, hdrJSON, jwk("AAAA", "Ed25519", "")},
		{"POST", "/api/v2/pins", jsonType, hdrJSON, jwk("$JWK", "P-256", "")},
		{"POST", "/api/v2/pins", jsonType, hdrJSON, `{"jwk":null,"strong":1e999}`},
		{"POST", "/api/v2/pins", "", hdrJSON, `{"strong":"yes","jwk":[]}`},
		{"POST", "/api/v2/pins", "text/plain", hdrJSON, `  {"strong":true}`},
		{"GET", "/api/v2/pins/308000001", "", hdrJSON, ""},
		{"GET", "/api/v2/pins/308000001.json?deviceJWT=$DEVJWT", "", hdrJWTDev, ""},
		{"GET", "/api/v2/pins/308000002?deviceJWT=a.b.c", "", hdrJWTDev, ""},
		{"GET", "/api/v2/pins/99999999999999999999999", "", hdrJSON, ""},
		{"GET", "/api/v2/pins/-1", "", hdrJSON, ""},
		{"GET", "/api/v2/pins/%D9%A3", "", hdrJSON, ""},
		{"PUT", "/api/v2/pins/link", formType, hdrJSON + "\nX-Plex-Token: $TOKEN", "code=ABCD"},
		{"PUT", "/api/v2/pins/link.json?X-Plex-Token=$TOKEN", formType, hdrXML, "code=%"},
		{"POST", "/api/v2/auth/token", jsonType, hdrJWTDev, `{"jwt":"$DEVJWT"}`},
		{"POST", "/api/v2/auth/token", jsonType, hdrJWTDev, `{"jwt":"a.b.c"}`},
		{"POST", "/api/v2/auth/token", jsonType, hdrJWTDev, `{"jwt":"eyJhbGciOiJub25lIn0.eyJleHAiOjFlOTk5fQ."}`},
		{"POST", "/api/v2/auth/token", jsonType, hdrJWTDev, `{"jwt":"$JWT"}`},
		{"POST", "/api/v2/auth/token", jsonType, hdrJWTDev, `{"jwt":12}`},
		{"POST", "/api/v2/auth/token", jsonType, hdrJSON, `{"jwt":"$DEVJWT"}`},
		{"POST", "/api/v2/auth/token", "", hdrJWTDev, `{"jwt":"\ud800.\u0000.\u00e9"}`},
		{"POST", "/api/v2/auth/jwk", jsonType, hdrJWTDev + "\nX-Plex-Token: $TOKEN", jwk("$JWK", "Ed25519", "")},
		{"POST", "/api/v2/auth/jwk", jsonType, hdrJSON + "\nX-Plex-Token: $TOKEN", jwk("$JWK", "Ed25519", "")},
		{"POST", "/api/v2/auth/jwk", jsonType, hdrJSON + "\nX-Plex-Token: $JWT", `{"jwk":{}}`},
		{"GET", "/api/v2/auth/nonce", "", hdrJSON, ""},
		{"GET", "/api/v2/auth/keys", "", "", ""},
		{"GET", "/api/v2/user", "", hdrJSON + "\nX-Plex-Token: $JWT", ""},
		{"GET", "/api/v2/user?X-Plex-Token=$TOKEN&X-Plex-Client-Identifier=q", "", "Accept: application/json", ""},
		{"GET", "/api/v2/user", "", hdrXML + "\nX-Plex-Token: a.b.c", ""},
		{"GET", "/api/v2/user", "", hdrXML + "\nX-Plex-Token: $JWT.x", ""},
		{"GET", "/api/v2/ping", "", hdrJSON + "\nX-Plex-Token: $BOB", ""},
		{"DELETE", "/api/v2/users/signout", "", hdrJSON + "\nX-Plex-Token: $TOKEN", ""},
		{"DELETE", "/api/v2/users/signout", "", hdrJSON + "\nX-Plex-Token: $JWT", ""},
		{"GET", "/api/v2/resources?includeHttps=1&includeRelay=true&includeIPv6=on", "", hdrJSON + "\nX-Plex-Token: $TOKEN", ""},
		{"GET", "/api/v2/resources", "", hdrXML + "\nX-Plex-Token: $BOB", ""},
		{"GET", "/api/v2/home/users", "", hdrJSON + "\nX-Plex-Token: $TOKEN", ""},
		{"POST", "/api/v2/home/users/" + teen.UUID + "/switch?pin=1234", "", hdrJSON + "\nX-Plex-Token: $TOKEN", ""},
		{"POST", "/api/v2/home/users/" + strconv.FormatInt(teen.ID, 10) + "/switch", formType, hdrXML + "\nX-Plex-Token: $TOKEN", "pin=0000"},
		{"POST", "/api/v2/home/users//switch", "", hdrJSON + "\nX-Plex-Token: $BOB", ""},
		{"GET", "/api/v2/nowhere", "", hdrJSON, ""},
		{"GET", "/api/users", "", hdrJSON + "\nX-Plex-Token: $TOKEN", ""},
		{"GET", "/api/users/", "", hdrXML + "\nX-Plex-Token: $BOB", ""},
		{"GET", "/api/v2/friends", "", hdrXML + "\nX-Plex-Token: $TOKEN", ""},
		{"GET", "/api/servers/$MID/shared_servers", "", hdrJSON + "\nX-Plex-Token: $TOKEN", ""},
		{"GET", "/api/servers/$MID/shared_servers/470000001", "", hdrJSON + "\nX-Plex-Token: $BOB", ""},
		{"GET", "/api/servers/%00/shared_servers/x", "", hdrJSON + "\nX-Plex-Token: $TOKEN", ""},
		{"GET", "/api/v2/home", "", hdrXML + "\nX-Plex-Token: $TOKEN", ""},
		{"GET", "/api/home/users", "", hdrJSON + "\nX-Plex-Token: $TOKEN", ""},
		{"POST", "/api/home/users/" + strconv.FormatInt(teen.ID, 10) + "/switch?pin=9", "", hdrJSON + "\nX-Plex-Token: $TOKEN", ""},
		{"GET", "/api/claim/token.json", "", hdrXML + "\nX-Plex-Token: $TOKEN", ""},
		{"GET", "/devices.xml", "", hdrJSON + "\nX-Plex-Token: $TOKEN", ""},
		{"DELETE", "/devices/1.xml", "", hdrJSON + "\nX-Plex-Token: $TOKEN", ""},
		{"GET", "/api/v2/ping", "", hdrXML + "\nX-Plex-Token: $TOKEN", ""},
		{"GET", "/", "", "", ""},
		{"OPTIONS", "*", "", "", ""},
		{"GET", "http://evil.example/api/v2/user?X-Plex-Token=$TOKEN", "", hdrJSON, ""},
		{"PATCH", "/api/v2/user", "", "Accept: application/json, */*", ""},
		{"GET", "/api/v2/user", "", "Accept: application/json;q=x\nAccept: text/xml", ""},
		{"POST", "/api/v2/users/signin", formType, hdrJSON, "login=" + strings.Repeat("a", fuzzMaxBody)},
		// Control API.
		{"GET", ControlPrefix + "state", "", "", ""},
		{"GET", ControlPrefix + "requests", "", "", ""},
		{"DELETE", ControlPrefix + "requests", "", "", ""},
		{"PUT", ControlPrefix + "state", "", "", ""},
		{"POST", ControlPrefix + "faults", jsonType, "", `{"route":"GET /api/v2/ping","latency":"1h","statuses":[503,1e999],"oversize":1e30,"reset":true}`},
		{"POST", ControlPrefix + "faults", jsonType, "", `{"route":"* /x","statuses":"1,x","times":99999999999999999999}`},
		{"POST", ControlPrefix + "faults?route=POST+/a&latency=-5", "", "", ""},
		{"POST", ControlPrefix + "issue-token", formType, "", "login=alice&clientID=ctl"},
		{"POST", ControlPrefix + "issue-token", jsonType, "Origin: http://evil.example", `{"login":"alice","clientID":"ctl"}`},
		{"GET", ControlPrefix + "state", "", "Host: rebind.example", ""},
		{"POST", "/auth/approve", jsonType, "", `{"code":"ABCD","clientID":"x","username":"alice","decision":"approve"}`},
		{"POST", "/auth/approve", "text/plain", "Origin: null", `{}`},
		{"GET", "/auth", "", "", ""},
		{"POST", ControlPrefix + "issue-token", jsonType, "", `{"login":1,"clientID":true}`},
		{"POST", ControlPrefix + "approve-pin", jsonType, "", `{"code":"ABCD"}`},
		{"POST", ControlPrefix + "expire-pin", jsonType, "", `{"id":99999999999999999999}`},
		{"POST", ControlPrefix + "advance-clock", jsonType, "", `{"duration":1e999}`},
		{"POST", ControlPrefix + "revoke-token", jsonType, "", `{"token":"$TOKEN"}`},
		{"POST", ControlPrefix + "expire-token", jsonType, "", `{"token":"$JWT"}`},
		{"POST", ControlPrefix + "rotate-keys", "", "", ""},
		{"POST", ControlPrefix + "retire-old-keys", "", "", ""},
		{"POST", ControlPrefix + "restart-pms", jsonType, "", `[`},
		{"POST", ControlPrefix + "nope", "", "", "%"},
	}
	for _, sd := range seeds {
		f.Add(sd[0], sd[1], sd[2], sd[3], sd[4])
	}
	f.Fuzz(func(t *testing.T, method, target, contentType, headers, body string) {
		defer ff.tidy()
		rec, req := ff.serve(t, ff.tv, true, method, target, contentType, headers, body)
		if rec == nil {
			return
		}
		if strings.HasPrefix(req.URL.Path, ControlPrefix) {
			checkControlBody(t, rec)
			return
		}
		if rec.Code == http.StatusOK && (req.URL.Path == "/auth" || req.URL.Path == "/auth/") {
			if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" || !bytes.HasPrefix(rec.Body.Bytes(), []byte("<!DOCTYPE html>")) {
				t.Fatalf("auth app: %q page", ct)
			}
			return
		}
		checkTVBody(t, rec)
	})
}

// FuzzPMS sends arbitrary requests to the default fake Plex Media Server.
// Every request gets an answer: an HTML page for errors, a MediaContainer
// (XML or JSON) for successes; the request log never keeps a secret.
func FuzzPMS(f *testing.F) {
	ff := newFuzzFake(f)
	seeds := [][5]string{
		{"GET", "/identity", "", "", ""},
		{"GET", "/identity", "", "Accept: application/json", ""},
		{"GET", "/", "", "X-Plex-Token: $ADMIN", ""},
		{"GET", "/?X-Plex-Token=$TOKEN", "", "Accept: text/xml, application/json", ""},
		{"GET", "/", "", "X-Plex-Token: $BOB", ""},
		{"GET", "/", "", "X-Plex-Token: $JWT", ""},
		{"GET", "/", "", "", ""},
		{"GET", "/security/token?type=delegation&scope=all", "", "X-Plex-Token: $ADMIN", ""},
		{"POST", "/security/token?type=delegation&scope=all", formType, "X-Plex-Token: $BOB\nAccept: application/json", "type=x"},
		{"GET", "/security/token?type=delegation", "", "X-Plex-Token: $ADMIN", ""},
		{"GET", "/security/resources?source=server://$MID", "", "X-Plex-Token: $ADMIN", ""},
		{"GET", "/security/resources?source=server://$MID/extra", "", "X-Plex-Token: $TOKEN\nAccept: application/json", ""},
		{"GET", "/security/resources?source=server://", "", "X-Plex-Token: $ADMIN", ""},
		{"GET", "/security/resources?source=provider://tv.plex.provider.epg", "", "X-Plex-Token: $ADMIN", ""},
		{"GET", "/security/resources?source=server://$MID", "", "X-Plex-Token: $BOB", ""},
		{"GET", "/security/resources?source=%ZZ", "", "X-Plex-Token: $ADMIN", ""},
		{"GET", "/library/sections", "", "X-Plex-Token: $ADMIN", ""},
		{"GET", "/library/sections", "", "X-Plex-Token: $BOB\nAccept: application/json", ""},
		{"GET", "/myplex/account", "", "X-Plex-Token: $ADMIN", ""},
		{"GET", "/myplex/account", "", "X-Plex-Token: $ADMIN\nAccept: application/json", ""},
		{"POST", "/myplex/claim?token=claim-x", "", "X-Plex-Token: $ADMIN", ""},
		{"GET", "/accounts/1", "", "X-Plex-Token: $ADMIN", ""},
		{"GET", "/accounts/%00", "", "X-Plex-Token: $ADMIN\nAccept: application/json", ""},
		{"GET", "/devices", "", "X-Plex-Token: $ADMIN\nX-Plex-Client-Identifier: f", ""},
		{"GET", "/devices/1", "", "X-Plex-Token: $BOB", ""},
		{"POST", "/", jsonType, "X-Plex-Token: $ADMIN", strings.Repeat("x", fuzzMaxBody+1)},
		{"GET", "/?X-Plex-Token=%00", "", "", ""},
		{"GET", "/%D9%A3?X-Plex-Token=transient-x", "", "", ""},
		{"OPTIONS", "*", "", "", ""},
	}
	for _, sd := range seeds {
		f.Add(sd[0], sd[1], sd[2], sd[3], sd[4])
	}
	f.Fuzz(func(t *testing.T, method, target, contentType, headers, body string) {
		defer ff.tidy()
		rec, _ := ff.serve(t, ff.pms, false, method, target, contentType, headers, body)
		if rec == nil {
			return
		}
		b, ct := rec.Body.Bytes(), rec.Header().Get("Content-Type")
		switch {
		case rec.Code >= 400:
			if ct != "text/html" || !bytes.HasPrefix(b, []byte("<html>")) || !bytes.Contains(b, []byte(strconv.Itoa(rec.Code))) {
				t.Fatalf("status %d: not an HTML error page (%q, %.200q)", rec.Code, ct, b)
			}
		case rec.Code != http.StatusOK:
			t.Fatalf("unexpected status %d", rec.Code)
		case ct == "application/json":
			var mc map[string]map[string]any
			if err := json.Unmarshal(b, &mc); err != nil || len(mc) != 1 || (mc["MediaContainer"] == nil && mc["MyPlex"] == nil) {
				t.Fatalf("bad JSON MediaContainer (%d bytes): %v", len(b), err)
			}
		default:
			var mc struct {
				XMLName xml.Name
			}
			if err := xml.Unmarshal(b, &mc); err != nil || wellFormedXML(b) != nil ||
				(mc.XMLName.Local != "MediaContainer" && mc.XMLName.Local != "MyPlex") {
				t.Fatalf("bad XML MediaContainer (%d bytes, %q): %v", len(b), ct, err)
			}
		}
	})
}
