package plextest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plexkit/plexgo/internal/testutil"
)

func TestOutsiderAccount(t *testing.T) {
	s := NewServer(t)
	o, ok := s.Account(OutsiderLogin)
	if !ok || o.Username != OutsiderUsername || o.Password != OutsiderPassword || !o.Outsider || o.Home || o.TwoFactor {
		t.Fatalf("oscar = %+v", o)
	}
	for _, a := range s.Accounts() {
		if a.Outsider != (a.Username == OutsiderUsername) {
			t.Errorf("%s: Outsider = %v", a.Username, a.Outsider)
		}
	}
	tok := signIn(t, s, "oscar-dev", OutsiderLogin, OutsiderPassword)
	res := do(t, call{url: s.PlexTVURL + "/api/v2/resources", cid: "oscar-dev", token: tok}).want(t, 200).list(t)
	for _, d := range res {
		if strings.Contains(d["provides"].(string), "server") {
			t.Fatalf("oscar sees server %v", d["name"])
		}
	}
	def := s.Servers()[0]
	do(t, call{url: def.URL + "/", token: tok}).want(t, http.StatusUnauthorized)
	st := s.State()
	if st.AuthApp != s.PlexTVURL+"/auth" || s.AuthAppURL != st.AuthApp {
		t.Fatalf("authApp = %q (AuthAppURL %q)", st.AuthApp, s.AuthAppURL)
	}
	found := false
	for _, a := range st.Accounts {
		found = found || (a.Outsider && a.Login == OutsiderLogin)
	}
	if !found {
		t.Fatal("state has no outsider account")
	}
}

func TestAuthAppPage(t *testing.T) {
	s := NewServer(t)
	s.AddAccount(AccountSpec{Username: "dora", Email: "dora@example.com", Password: "pw"})
	s.AddAccount(AccountSpec{Username: "nopass"})
	for _, u := range []string{s.AuthAppURL, s.AuthAppURL + "/"} {
		r := do(t, call{url: u, accept: "text/html"}).want(t, 200)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Fatalf("Content-Type %q", ct)
		}
		page := string(r.Body)
		var got []string
		for _, m := range regexp.MustCompile(`<button type="button" class="account" data-username="([^"]+)"`).FindAllStringSubmatch(page, -1) {
			got = append(got, m[1])
		}
		if strings.Join(got, ",") != "alice,bob,oscar,dora" {
			t.Fatalf("account buttons %v", got)
		}
		for _, id := range []string{`<input id="login"`, `<input id="password" type="password"`, `<button type="button" id="approve"`, `<button type="button" id="deny"`, `id="status"`} {
			if !strings.Contains(page, id) {
				t.Errorf("page lacks %s", id)
			}
		}
	}
}

func approveCall(s *Server, body map[string]any) call {
	return call{method: http.MethodPost, url: s.PlexTVURL + "/auth/approve", json: body}
}

func TestAuthAppApprove(t *testing.T) {
	s := NewServer(t)
	p := createPIN(t, s, "web-app", true)
	code, id := p["code"].(string), pinID(p)
	do(t, approveCall(s, map[string]any{"code": "NOPE", "clientID": "web-app", "username": "alice", "decision": "approve"})).wantErr(t, 404, 1020)
	do(t, approveCall(s, map[string]any{"code": code, "clientID": "other", "username": "alice", "decision": "approve"})).wantErr(t, 404, 1020)
	do(t, approveCall(s, map[string]any{"code": code, "clientID": "web-app", "login": OutsiderLogin, "password": "wrong", "decision": "approve"})).wantErr(t, 401, 1001)
	do(t, approveCall(s, map[string]any{"code": code, "clientID": "web-app", "username": "kid", "decision": "approve"})).wantErr(t, 401, 1001)
	do(t, approveCall(s, map[string]any{"code": code, "clientID": "web-app", "username": "alice", "decision": "maybe"})).wantErr(t, 400, 1000)
	do(t, call{method: http.MethodPost, url: s.PlexTVURL + "/auth/approve", raw: `{"code":"` + code + `","clientID":"web-app","username":"alice","decision":"approve"}`,
		header: map[string]string{"Content-Type": "text/plain"}}).want(t, http.StatusUnsupportedMediaType)
	// deny leaves the PIN unlinked
	do(t, approveCall(s, map[string]any{"code": code, "clientID": "web-app", "decision": "deny"})).want(t, 200)
	if m := pollPIN(t, s, "web-app", id).want(t, 200).obj(t); m["authToken"] != nil {
		t.Fatal("denied PIN got a token")
	}
	// approve by username links the PIN to that account
	do(t, approveCall(s, map[string]any{"code": code, "clientID": "web-app", "username": "bob", "decision": "approve"})).want(t, 200)
	tok, _ := pollPIN(t, s, "web-app", id).want(t, 200).obj(t)["authToken"].(string)
	if u := getUser(t, s, "web-app", tok).want(t, 200).obj(t); u["username"] != "bob" {
		t.Fatalf("PIN linked to %v", u["username"])
	}
	// login + password
	p2 := createPIN(t, s, "web-app2", false)
	do(t, approveCall(s, map[string]any{"code": strings.ToLower(p2["code"].(string)), "clientID": "web-app2", "login": OutsiderLogin, "password": OutsiderPassword, "decision": "approve"})).want(t, 200)
	tok2, _ := pollPIN(t, s, "web-app2", pinID(p2)).want(t, 200).obj(t)["authToken"].(string)
	if u := getUser(t, s, "web-app2", tok2).want(t, 200).obj(t); u["username"] != OutsiderUsername {
		t.Fatalf("PIN linked to %v", u["username"])
	}
}

// TestAuthAppInBrowser drives the page in headless Chromium: a proxy on
// another port forwards to the fake and adds a script to the page that
// clicks like a visitor; --dump-dom prints the document the browser ends
// on.
func TestAuthAppInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	chromium := testutil.Chromium(t)
	s := NewServer(t)
	target, _ := url.Parse(s.PlexTVURL)
	var clicksMu sync.Mutex
	var clicks string
	proxy := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		// The page is served from another port here; present it to the
		// fake as its own origin (the fake refuses foreign ones).
		pr.SetURL(target)
		if pr.Out.Header.Get("Origin") != "" {
			pr.Out.Header.Set("Origin", s.PlexTVURL)
		}
	}}
	proxy.ModifyResponse = func(r *http.Response) error {
		if r.Request.URL.Path != "/auth" {
			return nil
		}
		b, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return err
		}
		clicksMu.Lock()
		script := clicks
		clicksMu.Unlock()
		b = []byte(strings.Replace(string(b), "</body>", "<script>"+script+"</script></body>", 1))
		r.Body = io.NopCloser(strings.NewReader(string(b)))
		r.ContentLength = int64(len(b))
		r.Header.Del("Content-Length")
		return nil
	}
	mux := http.NewServeMux()
	landed := make(chan string, 1)
	mux.HandleFunc("/forwarded", func(w http.ResponseWriter, r *http.Request) {
		select {
		case landed <- r.URL.Query().Get("x"):
		default:
		}
		_, _ = io.WriteString(w, `<html><body><p id="landed">forwarded</p></body></html>`)
	})
	mux.Handle("/", proxy)
	front := httptest.NewServer(mux)
	t.Cleanup(front.Close)

	// browse opens the page with fragment and script in headless
	// Chromium and returns the DOM it ends on. With a non-nil stop, it
	// returns "" as soon as stop has a value (Chromium's --dump-dom does
	// not return after a navigation under a virtual time budget).
	browse := func(fragment url.Values, script string, stop chan string) string {
		t.Helper()
		clicksMu.Lock()
		clicks = script
		clicksMu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		u := front.URL + "/auth#?" + fragment.Encode()
		cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu",
			"--user-data-dir="+t.TempDir(), "--virtual-time-budget=10000", "--dump-dom", u)
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Start(); err != nil {
			t.Fatalf("chromium: %v", err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		select {
		case err := <-exited:
			if err != nil {
				t.Fatalf("chromium: %v; stderr: %.2000s", err, stderr.String())
			}
			return stdout.String()
		case x := <-stop:
			stop <- x // leave it for the caller
			cancel()
			<-exited
			return ""
		}
	}
	dump := func(fragment url.Values, script string) string { return browse(fragment, script, nil) }
	frag := func(code, cid, forward string) url.Values {
		v := url.Values{"clientID": {cid}, "code": {code}, "context[device][product]": {"Browser Test"}}
		if forward != "" {
			v.Set("forwardUrl", forward)
		}
		return v
	}
	linkedTo := func(cid, id string) any {
		m := pollPIN(t, s, cid, id).want(t, 200).obj(t)
		tok, _ := m["authToken"].(string)
		if tok == "" {
			return nil
		}
		return getUser(t, s, cid, tok).want(t, 200).obj(t)["username"]
	}
	click := `document.querySelector('button.account[data-username="alice"]').click(); document.getElementById("approve").click();`

	p := createPIN(t, s, "browser-1", true)
	browse(frag(p["code"].(string), "browser-1", front.URL+"/forwarded?x=ok"), click, landed)
	select {
	case x := <-landed:
		if x != "ok" {
			t.Errorf("forwarded with x=%q", x)
		}
	default:
		t.Error("approve with an http forwardUrl did not navigate to it")
	}
	if u := linkedTo("browser-1", pinID(p)); u != "alice" {
		t.Errorf("PIN linked to %v, want alice", u)
	}

	p = createPIN(t, s, "browser-2", false)
	signInScript := `document.getElementById("login").value = "` + OutsiderLogin + `"; document.getElementById("password").value = "` + OutsiderPassword + `"; document.getElementById("approve").click();`
	dom := dump(frag(p["code"].(string), "browser-2", "javascript:alert(1)"), signInScript)
	if !regexp.MustCompile(`id="status"[^>]*>Approved; not forwarding: forwardUrl scheme javascript: is not http or https<`).MatchString(dom) {
		t.Errorf("javascript: forwardUrl not refused: %.3000s", dom)
	}
	if u := linkedTo("browser-2", pinID(p)); u != OutsiderUsername {
		t.Errorf("PIN linked to %v, want oscar", u)
	}

	p = createPIN(t, s, "browser-3", false)
	dom = dump(frag(p["code"].(string), "browser-3", ""), `document.getElementById("deny").click();`)
	if !regexp.MustCompile(`id="status"[^>]*>Denied<`).MatchString(dom) {
		t.Errorf("deny: %.3000s", dom)
	}
	if u := linkedTo("browser-3", pinID(p)); u != nil {
		t.Errorf("denied PIN linked to %v", u)
	}
}
