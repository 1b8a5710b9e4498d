package plextest

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestFaultStatusesAndRetryAfter(t *testing.T) {
	s, _ := newFake(t)
	s.InjectFault("POST /api/v2/users/signin", Fault{Statuses: []int{503, 429}, RetryAfter: "7"})
	signin := func(accept string) *result {
		return do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/users/signin", cid: "f", accept: accept,
			form: url.Values{"login": {DefaultLogin}, "password": {DefaultPassword}}})
	}
	r := signin("")
	r.wantErr(t, 503, 0)
	if r.Header.Get("Retry-After") != "7" {
		t.Fatal("no Retry-After")
	}
	signin("-").wantErr(t, 429, 0)
	if r := signin("").want(t, 201); r.Header.Get("Retry-After") != "" {
		t.Fatal("fault outlived its statuses")
	}
	// on a PMS the injected status has an HTML body; "*" matches any method
	s.InjectFault("* /identity", Fault{Statuses: []int{500}})
	do(t, call{method: "HEAD", url: s.PMSURL + "/identity"}).want(t, 500)
	do(t, call{url: s.PMSURL + "/identity"}).want(t, 200)
	// Times with no statuses: status unchanged, Retry-After on 2 responses only
	s.InjectFault("GET /identity", Fault{RetryAfter: "1", Times: 2})
	for i := 0; i < 3; i++ {
		r := do(t, call{url: s.PMSURL + "/identity"}).want(t, 200)
		if got := r.Header.Get("Retry-After"); (i < 2) != (got == "1") {
			t.Fatalf("request %d Retry-After %q", i, got)
		}
	}
	s.InjectFault("GET /identity", Fault{Statuses: []int{502}})
	s.ClearFaults()
	do(t, call{url: s.PMSURL + "/identity"}).want(t, 200)
}

func TestFaultLatency(t *testing.T) {
	s, _ := newFake(t)
	s.InjectFault("GET /api/v2/auth/keys", Fault{Latency: 150 * time.Millisecond, Times: 1})
	start := time.Now()
	do(t, call{url: s.PlexTVURL + "/api/v2/auth/keys"}).want(t, 200)
	if el := time.Since(start); el < 150*time.Millisecond {
		t.Fatalf("latency %v", el)
	}
	start = time.Now()
	do(t, call{url: s.PlexTVURL + "/api/v2/auth/keys"}).want(t, 200)
	if el := time.Since(start); el > 100*time.Millisecond {
		t.Fatalf("second request slow: %v", el)
	}
	// the client giving up ends the wait
	s.InjectFault("GET /api/v2/auth/keys", Fault{Latency: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.PlexTVURL+"/api/v2/auth/keys", nil)
	if _, err := http.DefaultClient.Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v", err)
	}
}

func TestFaultResetAndTruncate(t *testing.T) {
	s, _ := newFake(t)
	hc := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	s.InjectFault("GET /api/v2/auth/keys", Fault{Reset: true, Times: 1})
	if _, err := tryDo(call{url: s.PlexTVURL + "/api/v2/auth/keys", client: hc}); err == nil {
		t.Fatal("reset: no error")
	}
	do(t, call{url: s.PlexTVURL + "/api/v2/auth/keys", client: hc}).want(t, 200)

	s.InjectFault("GET /identity", Fault{Truncate: true, Times: 1})
	resp, err := hc.Get(s.PMSURL + "/identity")
	if err != nil {
		t.Fatal(err)
	}
	full := resp.ContentLength
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !errors.Is(err, io.ErrUnexpectedEOF) || int64(len(b)) != full/2 || resp.StatusCode != 200 {
		t.Fatalf("truncate: %d of %d bytes, err %v", len(b), full, err)
	}
}

func TestFaultOversizeContentTypeBody(t *testing.T) {
	s, _ := newFake(t)
	a := alice(t, s)
	s.InjectFault("GET /api/v2/user", Fault{Oversize: 3 << 20, Times: 1})
	r := getUser(t, s, "o", a.AuthToken).want(t, 200)
	if len(r.Body) != 3<<20 || r.Header.Get("Content-Length") != strconv.Itoa(3<<20) {
		t.Fatalf("oversize body %d", len(r.Body))
	}
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil || m["username"] != "alice" {
		t.Fatalf("oversize JSON invalid: %v", err)
	}
	// XML and lists are padded with whitespace and stay well-formed
	s.InjectFault("GET /api/v2/resources", Fault{Oversize: 100000, Times: 1})
	l := resources(t, s, a.AuthToken, "")
	if len(l) != 2 {
		t.Fatal("padded list")
	}
	s.InjectFault("GET /api/v2/user", Fault{ContentType: "text/html", Times: 1})
	r = getUser(t, s, "o", a.AuthToken).want(t, 200)
	if r.Header.Get("Content-Type") != "text/html" || !strings.Contains(string(r.Body), "<html>") {
		t.Fatalf("content type fault: %q %s", r.Header.Get("Content-Type"), r.safe())
	}
	s.InjectFault("GET /api/v2/user", Fault{Statuses: []int{502}, ContentType: "text/html", Body: "<html>bad gateway</html>"})
	r = getUser(t, s, "o", a.AuthToken).want(t, 502)
	if string(r.Body) != "<html>bad gateway</html>" {
		t.Fatalf("body %q", r.safe())
	}
	getUser(t, s, "o", a.AuthToken).want(t, 200)
}

func TestRequestLogMasksSecrets(t *testing.T) {
	s, _ := newFake(t)
	a := alice(t, s)
	do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/users/signin?X-Plex-Token=abc", cid: "log",
		form: url.Values{"login": {TwoFactorLogin}, "password": {TwoFactorPassword}, "verificationCode": {TwoFactorCode}}}).want(t, 201)
	getUser(t, s, "log", a.AuthToken).want(t, 200)
	do(t, call{url: s.PMSURL + "/?X-Plex-Token=" + a.AuthToken}).want(t, 200)
	do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/auth/token", cid: "log", json: map[string]any{"jwt": "secret.jwt.value"}})
	do(t, call{method: "POST", url: s.PlexTVURL + "/users/sign_in.json", cid: "log", basic: [2]string{DefaultLogin, DefaultPassword}})
	do(t, call{method: "GET", url: s.PlexTVURL + ControlPrefix + "state"}).want(t, 200)
	reqs := s.Requests()
	if len(reqs) != 5 {
		t.Fatalf("%d requests logged", len(reqs))
	}
	blob, _ := json.Marshal(reqs)
	for i, secret := range []string{TwoFactorPassword, TwoFactorCode, a.AuthToken, "secret.jwt.value", "abc", "Basic "} {
		if strings.Contains(string(blob), secret) {
			t.Errorf("log leaks secret #%d (not shown)", i)
		}
	}
	r0 := reqs[0]
	if r0.Service != "plextv" || r0.Method != "POST" || r0.Path != "/api/v2/users/signin" || r0.Form.Get("login") != TwoFactorLogin ||
		r0.Form.Get("password") != redacted || r0.Query.Get("X-Plex-Token") != redacted || r0.Header.Get("X-Plex-Client-Identifier") != "log" {
		t.Fatalf("req0 = %+v", r0)
	}
	if reqs[1].Header.Get("X-Plex-Token") != redacted || reqs[2].Service != "pms" || reqs[3].Form.Get("jwt") != redacted ||
		reqs[4].Header.Get("Authorization") != redacted {
		t.Fatalf("reqs = %+v", reqs)
	}
	if n := s.CountRequests("GET", "/api/v2/user"); n != 1 {
		t.Fatalf("count %d", n)
	}
	if n := s.CountRequests("*", "/"); n != 1 {
		t.Fatalf("count * %d", n)
	}
	s.ResetRequests()
	if len(s.Requests()) != 0 {
		t.Fatal("reset")
	}
}

func TestControlPath(t *testing.T) {
	s, clk := newFake(t)
	ctl := s.ControlURL() + "/"
	post := func(op string, body any) *result {
		return do(t, call{method: "POST", url: ctl + op, json: body, header: map[string]string{"Content-Type": jsonType}})
	}
	st := do(t, call{url: ctl + "state"}).want(t, 200).obj(t)
	if st["plextv"] != s.PlexTVURL || st["pms"] != s.PMSURL || len(st["accounts"].([]any)) != 5 || len(st["servers"].([]any)) != 1 {
		t.Fatalf("state: plextv %v pms %v, %d accounts, %d servers", st["plextv"], st["pms"], len(st["accounts"].([]any)), len(st["servers"].([]any))) // no %v of st: it holds tokens
	}
	// approve a PIN as bob
	p := createPIN(t, s, "ctl", false)
	post("approve-pin", map[string]any{"code": p["code"], "login": "bob"}).want(t, 204)
	tok := pollPIN(t, s, "ctl", pinID(p)).want(t, 200).obj(t)["authToken"].(string)
	if getUser(t, s, "ctl", tok).obj(t)["username"] != "bob" {
		t.Fatal("approved by the wrong account")
	}
	post("approve-pin", map[string]any{"code": "NOPE"}).want(t, 404)
	// revoke / expire tokens (a form body is refused: issue 10 point 11)
	do(t, call{method: "POST", url: ctl + "revoke-token", form: url.Values{"token": {tok}}}).want(t, 415)
	getUser(t, s, "ctl", tok).want(t, 200)
	post("revoke-token", map[string]any{"token": tok}).want(t, 204)
	getUser(t, s, "ctl", tok).wantErr(t, 401, 1001)
	it := post("issue-token", map[string]any{"login": DefaultLogin, "clientID": "ctl2"}).want(t, 200).obj(t)["token"].(string)
	post("expire-token", map[string]any{"token": it}).want(t, 204)
	getUser(t, s, "ctl2", it).wantErr(t, 401, 1001)
	// faults
	post("faults", map[string]any{"route": "GET /identity", "statuses": []int{503}, "retryAfter": "3", "latency": "10ms"}).want(t, 204)
	if r := do(t, call{url: s.PMSURL + "/identity"}).want(t, 503); r.Header.Get("Retry-After") != "3" {
		t.Fatal("fault via control")
	}
	post("faults", map[string]any{"route": "GET /identity", "statuses": []int{503}}).want(t, 204)
	post("clear-faults", nil).want(t, 204)
	do(t, call{url: s.PMSURL + "/identity"}).want(t, 200)
	post("faults", map[string]any{"statuses": []int{503}}).want(t, 400)
	post("faults", map[string]any{"route": "GET /x", "latency": "forever"}).want(t, 400)
	// requests
	reqs := do(t, call{url: ctl + "requests"}).want(t, 200).list(t)
	if len(reqs) == 0 {
		t.Fatal("no requests")
	}
	do(t, call{method: "DELETE", url: ctl + "requests"}).want(t, 204)
	if len(do(t, call{url: ctl + "requests"}).list(t)) != 0 {
		t.Fatal("requests not reset")
	}
	// restart-pms, keys, clock
	post("restart-pms", nil).want(t, 204)
	post("rotate-keys", nil).want(t, 204)
	if len(s.SigningKeys()) != 2 {
		t.Fatal("rotate")
	}
	post("retire-old-keys", nil).want(t, 204)
	if len(s.SigningKeys()) != 1 {
		t.Fatal("retire")
	}
	before := clk.Now()
	post("advance-clock", map[string]any{"duration": "1h"}).want(t, 200)
	if clk.Now().Sub(before) != time.Hour {
		t.Fatal("clock not advanced")
	}
	pid := createPIN(t, s, "ctl", false)
	post("expire-pin", map[string]any{"id": pid["id"]}).want(t, 204)
	pollPIN(t, s, "ctl", pinID(pid)).wantErr(t, 404, 1020)
	post("expire-pin", map[string]any{"id": 1}).want(t, 404)
	post("nope", nil).want(t, 404)
	do(t, call{url: ctl + "nope"}).want(t, 404)
	do(t, call{method: "PUT", url: ctl + "state"}).want(t, 405)
	do(t, call{method: "POST", url: ctl + "faults", raw: "{bad", header: map[string]string{"Content-Type": jsonType}}).want(t, 400)

	// without a FakeClock advance-clock is refused
	s2 := NewServer(t)
	do(t, call{method: "POST", url: s2.ControlURL() + "/advance-clock", json: map[string]any{"duration": "1h"}}).want(t, 409)
}

func TestCloseIsPromptAndLeakFree(t *testing.T) {
	base := runtime.NumGoroutine()
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	info := s.AddServer(ServerSpec{Connections: []ConnSpec{{BlackHole: true}, {Latency: time.Hour}, {Local: true}}})
	s.InjectFault("GET /api/v2/auth/keys", Fault{Latency: time.Hour})
	// park clients on the black hole, the slow connection and the slow fault
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	done := make(chan struct{}, 3)
	for _, u := range []string{info.Connections[0].URI + "/identity", info.Connections[1].URI + "/identity", s.PlexTVURL + "/api/v2/auth/keys"} {
		go func() {
			req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
			if resp, err := hc.Do(req); err == nil {
				resp.Body.Close()
			}
			done <- struct{}{}
		}()
	}
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	s.Close()
	s.Close() // idempotent
	if el := time.Since(start); el > 3*time.Second {
		t.Fatalf("Close took %v", el)
	}
	for i := 0; i < 3; i++ {
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("client still blocked after Close")
		}
	}
	tr.CloseIdleConnections()
	// listeners are gone
	if _, err := tryDo(call{url: s.PMSURL + "/identity"}); err == nil {
		t.Fatal("PMS still answering after Close")
	}
	// goroutines return to the baseline
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > base+2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > base+2 {
		buf := make([]byte, 1<<16)
		t.Fatalf("goroutines %d > baseline %d\n%s", n, base, buf[:runtime.Stack(buf, true)])
	}
	// AddServer after Close does not start listeners
	if info := s.AddServer(ServerSpec{}); info.URL != "" {
		t.Fatalf("AddServer after Close = %+v", info)
	}
}
