package plextest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"
)

func createPIN(t testing.TB, s *Server, cid string, strong bool) map[string]any {
	t.Helper()
	u := s.PlexTVURL + "/api/v2/pins"
	if strong {
		u += "?strong=true"
	}
	return do(t, call{method: "POST", url: u, cid: cid, header: map[string]string{"X-Plex-Product": "Test App"}}).want(t, 201).obj(t)
}

func pinID(m map[string]any) string { return fmt.Sprintf("%.0f", m["id"].(float64)) }

func pollPIN(t testing.TB, s *Server, cid, id string) *result {
	t.Helper()
	return do(t, call{url: s.PlexTVURL + "/api/v2/pins/" + id, cid: cid})
}

func TestPINLifecycle(t *testing.T) {
	s, clk := newFake(t)
	p := createPIN(t, s, "tv-app", false)
	code := p["code"].(string)
	if len(code) != 4 || p["expiresIn"].(float64) != 900 || p["authToken"] != nil || p["trusted"] != false ||
		p["clientIdentifier"] != "tv-app" || p["product"] != "Test App" || p["location"] == nil {
		t.Fatalf("pin = %v", p)
	}
	if _, ok := p["newRegistration"]; !ok {
		t.Fatal("newRegistration missing")
	}
	id := pinID(p)
	if m := pollPIN(t, s, "tv-app", id).want(t, 200).obj(t); m["authToken"] != nil {
		t.Fatalf("pending pin = %v", m)
	}
	pollPIN(t, s, "other-app", id).wantErr(t, 404, 1020)
	do(t, call{url: s.PlexTVURL + "/api/v2/pins/" + id}).wantErr(t, 400, 1000)
	pollPIN(t, s, "tv-app", "999").wantErr(t, 404, 1020)

	a := alice(t, s)
	link := func(code, token string) *result {
		return do(t, call{method: "PUT", url: s.PlexTVURL + "/api/v2/pins/link", cid: "browser", token: token,
			form: url.Values{"code": {code}}, header: map[string]string{"X-Plex-Product": "Plex SSO"}})
	}
	link("ZZZZ", a.AuthToken).wantErr(t, 404, 1020)
	link(code, "bad").wantErr(t, 401, 1001)
	clk.Advance(100 * time.Second)
	link(code, a.AuthToken).want(t, 204)
	m := pollPIN(t, s, "tv-app", id).want(t, 200).obj(t)
	tok, _ := m["authToken"].(string)
	if tok == "" || m["expiresIn"].(float64) != 800 {
		t.Fatalf("linked pin = %v", m)
	}
	if want, _ := s.IssueToken(DefaultLogin, "tv-app"); want != tok {
		t.Fatal("PIN token is not the (alice, tv-app) device token")
	}
	if getUser(t, s, "tv-app", tok).want(t, 200).obj(t)["username"] != "alice" {
		t.Fatal("wrong account")
	}
	// XML form
	n := do(t, call{url: s.PlexTVURL + "/api/v2/pins/" + id, cid: "tv-app", accept: "-"}).want(t, 200).xml(t)
	if n.XMLName.Local != "pin" || n.attr("authToken") != tok || n.child("location").attr("code") == "" {
		t.Fatalf("xml pin = %+v", n)
	}
	// expiry on the clock
	clk.Advance(800 * time.Second)
	pollPIN(t, s, "tv-app", id).wantErr(t, 404, 1020)
	link(code, a.AuthToken).wantErr(t, 404, 1020)

	// strong PIN, XML create
	r := do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/pins?strong=true", cid: "web", accept: "-"}).want(t, 201)
	sp := r.xml(t)
	if sp.XMLName.Local != "pin" || len(sp.attr("code")) != 25 || sp.attr("expiresIn") != "1800" {
		t.Fatalf("strong pin = %s", r.safe())
	}
	// ExpirePIN and ApprovePIN controls
	p2 := createPIN(t, s, "tv-app", true)
	if err := s.ApprovePIN(p2["code"].(string), "bad"); err == nil {
		t.Fatal("approve with bad token")
	}
	if err := s.ApprovePIN(p2["code"].(string), a.AuthToken); err != nil {
		t.Fatal(err)
	}
	pollPIN(t, s, "tv-app", pinID(p2)).want(t, 200)
	if err := s.ExpirePIN(int64(p2["id"].(float64))); err != nil {
		t.Fatal(err)
	}
	pollPIN(t, s, "tv-app", pinID(p2)).wantErr(t, 404, 1020)
	if err := s.ExpirePIN(1); err == nil {
		t.Fatal("ExpirePIN of unknown id")
	}
	if err := s.ApprovePIN("nope", a.AuthToken); err == nil {
		t.Fatal("ApprovePIN of unknown code")
	}
	do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/pins"}).wantErr(t, 400, 1000)
}

func TestPINLifetimeOption(t *testing.T) {
	s, clk := newFake(t, WithPINLifetime(time.Minute, 2*time.Minute))
	p := createPIN(t, s, "c", false)
	sp := createPIN(t, s, "c", true)
	if p["expiresIn"].(float64) != 60 || sp["expiresIn"].(float64) != 120 {
		t.Fatalf("%v %v", p["expiresIn"], sp["expiresIn"])
	}
	clk.Advance(time.Minute)
	pollPIN(t, s, "c", pinID(p)).wantErr(t, 404, 1020)
	pollPIN(t, s, "c", pinID(sp)).want(t, 200)
}

// TestConcurrentPINsAndSignIns runs 50 goroutines that sign in, create a
// PIN, approve it (half over HTTP, half with ApprovePIN) and poll it; no
// approval may be lost.
func TestConcurrentPINsAndSignIns(t *testing.T) {
	s := NewServer(t)
	a := alice(t, s)
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cid := fmt.Sprintf("worker-%d", i)
			r, err := tryDo(call{method: "POST", url: s.PlexTVURL + "/api/v2/users/signin", cid: cid,
				form: url.Values{"login": {DefaultLogin}, "password": {DefaultPassword}}})
			if err != nil || r.Status != 201 {
				errs <- fmt.Errorf("%s: signin %v %v", cid, r, err)
				return
			}
			r, err = tryDo(call{method: "POST", url: s.PlexTVURL + "/api/v2/pins", cid: cid})
			if err != nil || r.Status != 201 {
				errs <- fmt.Errorf("%s: create %v", cid, err)
				return
			}
			var p map[string]any
			if err := json.Unmarshal(r.Body, &p); err != nil {
				errs <- err
				return
			}
			code := p["code"].(string)
			if i%2 == 0 {
				r, err = tryDo(call{method: "PUT", url: s.PlexTVURL + "/api/v2/pins/link", cid: "approver", token: a.AuthToken,
					form: url.Values{"code": {code}}})
				if err != nil || r.Status != 204 {
					errs <- fmt.Errorf("%s: link %v", cid, err)
					return
				}
			} else if err := s.ApprovePIN(code, a.AuthToken); err != nil {
				errs <- err
				return
			}
			r, err = tryDo(call{url: s.PlexTVURL + "/api/v2/pins/" + pinID(p), cid: cid})
			if err != nil || r.Status != 200 {
				errs <- fmt.Errorf("%s: poll %v", cid, err)
				return
			}
			var m map[string]any
			if err := json.Unmarshal(r.Body, &m); err != nil {
				errs <- err
				return
			}
			want, _ := s.IssueToken(DefaultLogin, cid)
			if m["authToken"] != want {
				errs <- fmt.Errorf("%s: lost approval: %v", cid, m["authToken"])
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestPendingPINs(t *testing.T) {
	s, clk := newFake(t)
	p1 := createPIN(t, s, "a", false)
	p2 := createPIN(t, s, "b", true)
	pend := s.PendingPINs()
	if len(pend) != 2 || pend[0].Code != p1["code"] || !pend[1].Strong || pend[1].ClientIdentifier != "b" {
		t.Fatalf("pending = %+v", pend)
	}
	if err := s.ApprovePIN(p2["code"].(string), alice(t, s).AuthToken); err != nil {
		t.Fatal(err)
	}
	if pend := s.PendingPINs(); len(pend) != 1 {
		t.Fatalf("after approval %+v", pend)
	}
	clk.Advance(time.Hour)
	if pend := s.PendingPINs(); len(pend) != 0 {
		t.Fatalf("after expiry %+v", pend)
	}
}
