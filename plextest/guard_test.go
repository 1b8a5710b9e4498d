package plextest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestControlRefusesCrossOriginAndNonJSON(t *testing.T) {
	s := NewServer(t)
	ctl := s.ControlURL() + "/"
	port := s.PlexTVURL[strings.LastIndex(s.PlexTVURL, ":")+1:]
	send := func(method, op, ct, body string, hdr map[string]string) int {
		t.Helper()
		req, err := http.NewRequest(method, ctl+op, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		for k, v := range hdr {
			if k == "Host" {
				req.Host = v
				continue
			}
			req.Header.Set(k, v)
		}
		resp, err := testHTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	cases := []struct {
		name           string
		method, op, ct string
		body           string
		hdr            map[string]string
		want           int
	}{
		{"text/plain POST (CSRF form)", "POST", "restart-pms", "text/plain", `{}`, nil, 415},
		{"form POST", "POST", "revoke-token", "application/x-www-form-urlencoded", "token=x", nil, 415},
		{"POST without a type", "POST", "restart-pms", "", "", nil, 415},
		{"foreign Origin", "POST", "restart-pms", jsonType, `{}`, map[string]string{"Origin": "http://evil.example"}, 403},
		{"Origin null", "POST", "restart-pms", jsonType, `{}`, map[string]string{"Origin": "null"}, 403},
		{"Origin on another port", "POST", "restart-pms", jsonType, `{}`, map[string]string{"Origin": "http://127.0.0.1:1"}, 403},
		{"https Origin", "POST", "restart-pms", jsonType, `{}`, map[string]string{"Origin": "https://127.0.0.1:" + port}, 403},
		{"rebound Host", "GET", "state", "", "", map[string]string{"Host": "evil.example:" + port}, 403},
		{"rebound Host POST", "POST", "restart-pms", jsonType, `{}`, map[string]string{"Host": "evil.example:" + port}, 403},
		{"Host on another port", "GET", "state", "", "", map[string]string{"Host": "127.0.0.1:1"}, 403},
		{"JSON array body", "POST", "restart-pms", jsonType, `[]`, nil, 400},
		{"same origin", "POST", "restart-pms", jsonType, `{}`, map[string]string{"Origin": s.PlexTVURL}, 204},
		{"localhost Host", "GET", "state", "", "", map[string]string{"Host": "localhost:" + port}, 200},
		{"JSON with charset, empty body", "POST", "restart-pms", "application/json; charset=utf-8", "", nil, 204},
	}
	for _, c := range cases {
		if got := send(c.method, c.op, c.ct, c.body, c.hdr); got != c.want {
			t.Errorf("%s: status %d, want %d", c.name, got, c.want)
		}
	}
	// the auth app's backend refuses foreign origins too
	p := createPIN(t, s, "web", false)
	r := do(t, call{method: "POST", url: s.PlexTVURL + "/auth/approve", header: map[string]string{"Origin": "http://evil.example"},
		json: map[string]any{"code": p["code"], "clientID": "web", "username": "alice", "decision": "approve"}})
	r.want(t, 403)
	if m := pollPIN(t, s, "web", pinID(p)).want(t, 200).obj(t); m["authToken"] != nil {
		t.Fatal("a cross-origin approval linked the PIN")
	}
}

func TestRequestLogIsARing(t *testing.T) {
	s := NewServer(t, WithRequestLogSize(3))
	for i := range 5 {
		do(t, call{url: fmt.Sprintf("%s/api/v2/nope%d", s.PlexTVURL, i), cid: "x"})
	}
	reqs := s.Requests()
	var paths []string
	for _, r := range reqs {
		paths = append(paths, r.Path)
	}
	if strings.Join(paths, ",") != "/api/v2/nope2,/api/v2/nope3,/api/v2/nope4" {
		t.Fatalf("log = %v", paths)
	}
	if n := s.CountRequests("GET", "/api/v2/nope0"); n != 0 {
		t.Fatalf("dropped entry counted %d times", n)
	}
	s.ResetRequests()
	do(t, call{url: s.PlexTVURL + "/api/v2/again", cid: "x"})
	if r := s.Requests(); len(r) != 1 || r[0].Path != "/api/v2/again" {
		t.Fatalf("after reset: %v", r)
	}

	// the default bound
	d := NewServer(t)
	h := d.tv.Handler
	for i := range DefaultRequestLogSize + 5 {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", fmt.Sprintf("/api/v2/n%d", i), nil))
	}
	all := d.Requests()
	if len(all) != DefaultRequestLogSize || all[0].Path != "/api/v2/n5" || all[len(all)-1].Path != fmt.Sprintf("/api/v2/n%d", DefaultRequestLogSize+4) {
		t.Fatalf("default ring: %d entries, first %s", len(all), all[0].Path)
	}
}

func TestExpiredStateIsPruned(t *testing.T) {
	s, clk := newFake(t, WithSignInLockout(100, time.Minute))
	for i := range 20 {
		cid := fmt.Sprintf("dev-%d", i)
		p := createPIN(t, s, cid, i%2 == 0)
		if i%3 == 0 {
			if err := s.ApprovePIN(p["code"].(string), alice(t, s).AuthToken); err != nil {
				t.Fatal(err)
			}
		}
		do(t, call{url: s.PlexTVURL + "/api/v2/auth/nonce", cid: cid}).want(t, 200)
		do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/users/signin", cid: cid,
			form: url.Values{"login": {DefaultLogin}, "password": {"wrong"}}}).want(t, 401)
	}
	def := s.Servers()[0]
	do(t, call{url: s.PMSURL + "/security/token?type=delegation&scope=all", token: def.AccessToken}).want(t, 200)
	s.mu.Lock()
	if len(s.pins) != 20 || len(s.nonces) != 20 || len(s.lockouts) == 0 || len(s.rate) == 0 {
		t.Errorf("before: %d pins, %d nonces, %d lock-outs, %d rate windows", len(s.pins), len(s.nonces), len(s.lockouts), len(s.rate))
	}
	s.mu.Unlock()
	clk.Advance(TransientTokenLifetime + time.Hour)
	do(t, call{url: s.PlexTVURL + "/api/v2/auth/keys"}).want(t, 200)
	s.mu.Lock()
	defer s.mu.Unlock()
	transient := 0
	for _, srv := range s.servers {
		transient += len(srv.transient)
	}
	if len(s.pins)+len(s.pinCodes)+len(s.nonces)+len(s.lockouts)+len(s.rate)+transient != 0 {
		t.Fatalf("after expiry: %d pins, %d codes, %d nonces, %d lock-outs, %d rate windows, %d transient tokens",
			len(s.pins), len(s.pinCodes), len(s.nonces), len(s.lockouts), len(s.rate), transient)
	}
}
