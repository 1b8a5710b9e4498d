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
	if r := reqs[0]; r.Form.Get("login") != "alice" || r.Header.Get("X-Plex-Client-Identifier") != "log" || r.Query.Get("accessToken") != redacted {
		t.Errorf("public fields lost or the access token kept (login %q)", r.Form.Get("login"))
	}
}
