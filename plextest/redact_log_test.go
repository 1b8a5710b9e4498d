package plextest

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// The request log uses the module's one list of secret names: an access
// token, a Home PIN header, a client secret or a code is redacted too,
// whatever the exact spelling.
func TestRequestLogRedactsEverySecretName(t *testing.T) {
	t.Parallel()
	s := NewServer(t)
	do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/pins/link?accessToken=s3cr3t-q1&code=s3cr3t-q2", cid: "log",
		header: map[string]string{"X-Plex-Pin": "s3cr3t-h1", "Cookie": "s=s3cr3t-h2"},
		form:   url.Values{"clientSecret": {"s3cr3t-f1"}, "code": {"s3cr3t-f2"}, "login": {"alice"}}})
	r := onlyRequestNoSecret(t, s)
	if r.Form.Get("login") != "alice" || r.Header.Get("X-Plex-Client-Identifier") != "log" || r.Query.Get("accessToken") != redacted {
		t.Errorf("public fields lost or the access token kept (login %q)", r.Form.Get("login"))
	}
}

// A JSON body's nested objects and arrays are logged as JSON with their
// secret-named members masked at any depth; the public members stay.
func TestRequestLogMasksNestedJSON(t *testing.T) {
	t.Parallel()
	s := NewServer(t)
	body := map[string]any{
		"user":   map[string]any{"login": "alice", "password": "s3cr3t-n1", "prefs": map[string]any{"authToken": "s3cr3t-n2"}},
		"items":  []any{map[string]any{"deviceJWT": "s3cr3t-n3", "id": 7}},
		"strong": true,
	}
	do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/pins", cid: "log", json: body})
	f := onlyRequestNoSecret(t, s).Form
	var user struct {
		Login, Password string
	}
	if err := json.Unmarshal([]byte(f.Get("user")), &user); err != nil || user.Login != "alice" || user.Password != redacted {
		t.Errorf("user logged with login %q, password masked %v (%v): want the login kept and the password masked", user.Login, user.Password == redacted, err)
	}
	if got := f.Get("items"); got != `[{"deviceJWT":"REDACTED","id":7}]` || f.Get("strong") != "true" {
		t.Errorf("items logged as %d bytes (secret kept: %v), strong as %q", len(got), strings.Contains(got, "s3cr3t"), f.Get("strong"))
	}
}

// onlyRequestNoSecret returns the one request s logged, and fails t if
// the log (as JSON) keeps any value starting with "s3cr3t".
func onlyRequestNoSecret(t *testing.T, s *Server) Request {
	t.Helper()
	reqs := s.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests logged", len(reqs))
	}
	blob, err := json.Marshal(reqs)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(blob), "s3cr3t"); n != 0 {
		t.Errorf("the request log keeps %d secret values", n)
	}
	return reqs[0]
}
