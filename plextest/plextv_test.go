package plextest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestSeedAccounts(t *testing.T) {
	s, _ := newFake(t)
	a := alice(t, s)
	if a.Username != "alice" || !a.PlexPass || !a.Home || a.Password != DefaultPassword || a.AuthToken == "" {
		t.Fatalf("alice = %+v", a)
	}
	b, ok := s.Account("bob")
	if !ok || !b.TwoFactor || b.VerificationCode != TwoFactorCode || b.PlexPass || b.Login != TwoFactorLogin {
		t.Fatalf("bob = %+v", b)
	}
	teen, _ := s.Account("teen")
	kid, _ := s.Account("kid")
	if !teen.Protected || teen.PIN != HomeUserPIN || !teen.Restricted || kid.Protected || !kid.Restricted {
		t.Fatalf("teen=%+v kid=%+v", teen, kid)
	}
	if n := len(s.Accounts()); n != 5 {
		t.Fatalf("%d accounts", n)
	}
	getUser(t, s, "x", a.AuthToken).want(t, 200)
	srvs := s.Servers()
	if len(srvs) != 1 || srvs[0].URL != s.PMSURL || !srvs[0].Owned || len(srvs[0].Connections) != 3 {
		t.Fatalf("servers = %+v", srvs)
	}
}

func TestSignInJSON(t *testing.T) {
	s, _ := newFake(t)
	m := do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/users/signin", cid: "dev1",
		form: url.Values{"login": {DefaultLogin}, "password": {DefaultPassword}, "rememberMe": {"true"}}}).want(t, 201).obj(t)
	if m["username"] != "alice" || m["email"] != DefaultLogin || m["authToken"] == "" || m["locale"] != nil || m["homeAdmin"] != true {
		t.Fatalf("user = %v", m)
	}
	sub := m["subscription"].(map[string]any)
	feats := sub["features"].([]any)
	if sub["active"] != true || !containsAny(feats, extraFeature) || !containsAny(feats, "sync") {
		t.Fatalf("subscription = %v", sub)
	}
	for _, k := range []string{"pastSubscriptions", "trials", "profile", "services", "roles", "entitlements", "joinedAt", "rememberExpiresAt", "uuid", "id"} {
		if _, ok := m[k]; !ok {
			t.Errorf("missing %s", k)
		}
	}
	// login by username works too, and the same device gets the same token
	m2 := do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/users/signin", cid: "dev1",
		form: url.Values{"login": {"alice"}, "password": {DefaultPassword}}}).want(t, 201).obj(t)
	if m2["authToken"] != m["authToken"] {
		t.Fatal("same device got a different token")
	}
}

func containsAny(l []any, s string) bool {
	for _, e := range l {
		if e == s {
			return true
		}
	}
	return false
}

func TestSignInXML(t *testing.T) {
	s, _ := newFake(t)
	for _, accept := range []string{"-", "application/json, */*", "application/xml"} {
		r := do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/users/signin", cid: "dev1", accept: accept,
			form: url.Values{"login": {DefaultLogin}, "password": {DefaultPassword}}}).want(t, 201)
		n := r.xml(t)
		if n.XMLName.Local != "user" || n.attr("authToken") == "" || n.attr("homeAdmin") != "1" || n.attr("locale") != "" {
			t.Fatalf("accept %q: %s", accept, r.safe())
		}
		feats := n.child("subscription").child("features")
		if len(feats.Children) == 0 || feats.Children[0].XMLName.Local != "feature" || feats.Children[0].attr("id") == "" {
			t.Fatalf("features: %s", r.safe())
		}
		if n.child("roles").child("role").attr("id") != "plexpass" {
			t.Fatalf("roles: %s", r.safe())
		}
	}
	// Accept with parameters is still "exactly" JSON.
	do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/users/signin", cid: "dev1", accept: "application/json; charset=utf-8",
		form: url.Values{"login": {DefaultLogin}, "password": {DefaultPassword}}}).want(t, 201).obj(t)
}

func TestSignInErrors(t *testing.T) {
	s, _ := newFake(t)
	signin := func(accept, cid string, form url.Values) *result {
		return do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/users/signin", cid: cid, accept: accept, form: form})
	}
	good := url.Values{"login": {DefaultLogin}, "password": {DefaultPassword}}
	for i, accept := range []string{"", "-"} {
		signin := func(accept, cid string, form url.Values) *result {
			if cid != "" {
				cid += itoa(i)
			}
			return signin(accept, cid, form)
		}
		signin(accept, "", good).wantErr(t, 400, 1000)
		signin(accept, "c1", url.Values{"login": {DefaultLogin}, "password": {"wrong"}}).wantErr(t, 401, 1001)
		signin(accept, "c1", url.Values{}).wantErr(t, 401, 1001)
		signin(accept, "c1", url.Values{"login": {"nobody@example.com"}, "password": {"x"}}).wantErr(t, 401, 1001)
		signin(accept, "c2", url.Values{"login": {TwoFactorLogin}, "password": {TwoFactorPassword}}).wantErr(t, 401, 1029)
		signin(accept, "c2", url.Values{"login": {TwoFactorLogin}, "password": {TwoFactorPassword}, "verificationCode": {"000000"}}).wantErr(t, 401, 1028)
		signin(accept, "c3", url.Values{"login": {TwoFactorLogin}, "password": {TwoFactorPassword}, "verificationCode": {TwoFactorCode}}).want(t, 201)
		signin(accept, "c3", url.Values{"login": {TwoFactorLogin}, "password": {TwoFactorPassword + TwoFactorCode}}).want(t, 201)
	}
	// the exact XML 2FA body
	r := signin("-", "c4", url.Values{"login": {TwoFactorLogin}, "password": {TwoFactorPassword}})
	if !strings.Contains(string(r.Body), `<errors><error code="1029" message="Please enter the verification code" status="401"/></errors>`) {
		t.Fatalf("xml = %s", r.safe())
	}
	// malformed form
	do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/users/signin", cid: "c5", raw: "login=%zz&password=%",
		header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}).wantErr(t, 400, 1000)
	// managed users have no password
	signin("", "c6", url.Values{"login": {"kid"}, "password": {""}}).wantErr(t, 401, 1001)
	// client id as query parameter
	do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/users/signin?X-Plex-Client-Identifier=q1", form: good}).want(t, 201)
}

func TestSignInLockout(t *testing.T) {
	s, clk := newFake(t, WithSignInLockout(3, time.Minute))
	bad := url.Values{"login": {DefaultLogin}, "password": {"nope"}}
	good := url.Values{"login": {DefaultLogin}, "password": {DefaultPassword}}
	signin := func(cid string, f url.Values) *result {
		return do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/users/signin", cid: cid, form: f})
	}
	for i := 0; i < 3; i++ {
		signin("locked", bad).wantErr(t, 401, 1001)
	}
	signin("locked", good).wantErr(t, 401, 1031)
	signin("locked", bad).wantErr(t, 401, 1031)
	// keyed by remote IP (issue 12 point 8): another client id is locked
	// out too, another address is not
	signin("other", good).wantErr(t, 401, 1031)
	do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/users/signin", cid: "locked", form: good, client: clientFrom(t, "127.0.0.2")}).want(t, 201)
	clk.Advance(61 * time.Second)
	signin("locked", good).want(t, 201)
	// success resets the counter
	signin("locked", bad).wantErr(t, 401, 1001)
	signin("locked", good).want(t, 201)
	signin("locked", bad).wantErr(t, 401, 1001)
	signin("locked", bad).wantErr(t, 401, 1001)
	signin("locked", good).want(t, 201)
}

func TestSignInRateLimit(t *testing.T) {
	s, clk := newFake(t, WithSignInRateLimit(2, 10*time.Second))
	good := url.Values{"login": {DefaultLogin}, "password": {DefaultPassword}}
	signin := func(cid string) *result {
		return do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/users/signin", cid: cid, form: good})
	}
	signin("rl").want(t, 201)
	clk.Advance(4 * time.Second)
	signin("rl").want(t, 201)
	r := signin("rl")
	r.wantErr(t, 429, codeRateLimited)
	if !strings.Contains(string(r.Body), `"message":"API rate limit exceeded"`) {
		t.Fatalf("429 body %s", r.safe())
	}
	if r.Header.Get("Retry-After") != "6" {
		t.Fatalf("Retry-After %q", r.Header.Get("Retry-After"))
	}
	// keyed by remote IP (issue 12 point 8), not by client id
	signin("rl-other").wantErr(t, 429, codeRateLimited)
	do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/users/signin", cid: "rl", form: good, client: clientFrom(t, "127.0.0.2")}).want(t, 201)
	clk.Advance(6 * time.Second)
	signin("rl").want(t, 201)
	// legacy endpoint shares the limit
	r = do(t, call{method: "POST", url: s.PlexTVURL + "/users/sign_in.json", cid: "rl", basic: [2]string{DefaultLogin, DefaultPassword}})
	r.wantErr(t, 429, codeRateLimited)
}

func TestLegacySignIn(t *testing.T) {
	s, _ := newFake(t)
	r := do(t, call{method: "POST", url: s.PlexTVURL + "/users/sign_in.json", cid: "leg", accept: "-",
		basic: [2]string{DefaultLogin, DefaultPassword}, raw: "ignored"}).want(t, 201)
	m := r.obj(t)
	u := m["user"].(map[string]any)
	if u["authToken"] == "" || u["authToken"] != u["authentication_token"] {
		t.Fatalf("legacy json = %v", m)
	}
	n := do(t, call{method: "POST", url: s.PlexTVURL + "/users/sign_in.xml", cid: "leg",
		basic: [2]string{DefaultLogin, DefaultPassword}}).want(t, 201).xml(t)
	if n.XMLName.Local != "user" || n.attr("authenticationToken") != u["authToken"] || n.attr("authToken") != u["authToken"] {
		t.Fatalf("legacy xml = %+v", n.Attrs)
	}
	// 2FA code appended to the password
	do(t, call{method: "POST", url: s.PlexTVURL + "/users/sign_in.json", cid: "leg2",
		basic: [2]string{TwoFactorLogin, TwoFactorPassword + TwoFactorCode}}).want(t, 201)
	do(t, call{method: "POST", url: s.PlexTVURL + "/users/sign_in.xml", cid: "leg2",
		basic: [2]string{TwoFactorLogin, TwoFactorPassword}}).wantErr(t, 401, 1029)
	do(t, call{method: "POST", url: s.PlexTVURL + "/users/sign_in.xml", cid: "leg2",
		basic: [2]string{DefaultLogin, "bad"}}).wantErr(t, 401, 1001)
	do(t, call{method: "POST", url: s.PlexTVURL + "/users/sign_in.json", cid: "leg2"}).wantErr(t, 401, 1001)
	do(t, call{method: "POST", url: s.PlexTVURL + "/users/sign_in.json",
		basic: [2]string{DefaultLogin, DefaultPassword}}).wantErr(t, 400, 1000)
}

func TestUserPingSignOutPerDevice(t *testing.T) {
	s, _ := newFake(t)
	t1 := signIn(t, s, "phone", DefaultLogin, DefaultPassword)
	t2 := signIn(t, s, "tv", DefaultLogin, DefaultPassword)
	if t1 == t2 {
		t.Fatal("two devices share a token")
	}
	m := getUser(t, s, "phone", t1).want(t, 200).obj(t)
	if m["authToken"] != t1 || m["username"] != "alice" {
		t.Fatalf("user = %v", m)
	}
	if _, ok := m["pastSubscriptions"]; ok {
		t.Fatal("GET /user must not carry sign-in members")
	}
	n := do(t, call{url: s.PlexTVURL + "/api/v2/user", cid: "phone", token: t1, accept: "-"}).want(t, 200).xml(t)
	if n.XMLName.Local != "user" || n.attr("authToken") != t1 {
		t.Fatalf("xml user %+v", n)
	}
	// token and client id as query parameters
	do(t, call{url: s.PlexTVURL + "/api/v2/user?X-Plex-Token=" + t1 + "&X-Plex-Client-Identifier=phone"}).want(t, 200)
	do(t, call{url: s.PlexTVURL + "/api/v2/ping", cid: "phone", token: t1}).want(t, 200)
	do(t, call{url: s.PlexTVURL + "/api/v2/ping", cid: "phone", token: t1, accept: "-"}).want(t, 200).xml(t)
	do(t, call{url: s.PlexTVURL + "/api/v2/ping", token: t1}).wantErr(t, 400, 1000)
	getUser(t, s, "phone", "").wantErr(t, 401, 1001)
	getUser(t, s, "phone", "bogus").wantErr(t, 401, 1001)
	do(t, call{url: s.PlexTVURL + "/api/v2/user", token: t1}).wantErr(t, 400, 1000)

	do(t, call{method: "DELETE", url: s.PlexTVURL + "/api/v2/users/signout", cid: "phone", token: t1}).want(t, 204)
	getUser(t, s, "phone", t1).wantErr(t, 401, 1001)
	getUser(t, s, "tv", t2).want(t, 200)
	// signing in again from the revoked device issues a new token
	t3 := signIn(t, s, "phone", DefaultLogin, DefaultPassword)
	if t3 == t1 {
		t.Fatal("revoked token reissued")
	}
	// controls
	tok, err := s.IssueToken("alice", "tv")
	if err != nil || tok != t2 {
		t.Fatalf("IssueToken = %q, %v", tok, err)
	}
	if _, err := s.IssueToken("nobody", "tv"); err == nil {
		t.Fatal("IssueToken for unknown account")
	}
	s.RevokeToken(t2)
	getUser(t, s, "tv", t2).wantErr(t, 401, 1001)
	s.ExpireToken(t3)
	getUser(t, s, "phone", t3).wantErr(t, 401, 1001)
	// Account() hands out a fresh seed token after revocation
	a := alice(t, s)
	s.RevokeToken(a.AuthToken)
	if b := alice(t, s); b.AuthToken == a.AuthToken {
		t.Fatal("seed token not renewed")
	} else {
		getUser(t, s, "x", b.AuthToken).want(t, 200)
	}
}

func TestAddAccount(t *testing.T) {
	s, _ := newFake(t)
	a := s.AddAccount(AccountSpec{Username: "carol", Email: "carol@example.com", Password: "pw", TwoFactor: true, PlexPass: true, Features: []string{"brand-new"}})
	if a.VerificationCode != TwoFactorCode || a.AuthToken == "" {
		t.Fatalf("%+v", a)
	}
	m := do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/users/signin", cid: "c",
		form: url.Values{"login": {"carol"}, "password": {"pw"}, "verificationCode": {TwoFactorCode}}}).want(t, 201).obj(t)
	if !containsAny(m["subscription"].(map[string]any)["features"].([]any), "brand-new") || m["twoFactorEnabled"] != true {
		t.Fatalf("%v", m)
	}
}

func TestNotFoundAndLimits(t *testing.T) {
	s, _ := newFake(t, WithMaxBodyBytes(64))
	r := do(t, call{url: s.PlexTVURL + "/api/v2/nope", cid: "x"})
	r.wantErr(t, 404, codeNotFound)
	if !strings.Contains(string(r.Body), `"message":"The requested resource or endpoint could not be found"`) {
		t.Fatalf("404 body %s", r.safe())
	}
	do(t, call{url: s.PlexTVURL + "/nope", cid: "x", accept: "-"}).wantErr(t, 404, codeNotFound)
	do(t, call{method: "PATCH", url: s.PlexTVURL + "/api/v2/user", cid: "x"}).wantErr(t, 404, codeNotFound)
	do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/users/signin", cid: "x",
		form: url.Values{"login": {strings.Repeat("a", 100)}}}).wantErr(t, 413, 0)
	// huge headers are refused by net/http (431), not a panic
	r = do(t, call{url: s.PlexTVURL + "/api/v2/user", header: map[string]string{"X-Big": strings.Repeat("b", 200<<10)}})
	if r.Status != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("huge header: %d", r.Status)
	}
	// garbage tokens and bodies
	getUser(t, s, "x", "a.b.c").wantErr(t, 401, 1001)
	getUser(t, s, "x", "eyJhbGciOiJFZERTQSJ9.e30.AAAA").wantErr(t, 401, 1001)
	do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/auth/token", cid: "x", raw: "{not json"}).wantErr(t, 400, 1000)
	do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/pins", cid: "x", raw: "{bad",
		header: map[string]string{"Content-Type": jsonType}}).wantErr(t, 400, 1000)
	do(t, call{url: s.PlexTVURL + "/api/v2/pins/notanumber", cid: "x"}).wantErr(t, 404, 1020)
}

func TestHome(t *testing.T) {
	s, _ := newFake(t)
	a := alice(t, s)
	m := do(t, call{url: s.PlexTVURL + "/api/v2/home/users", cid: "h", token: a.AuthToken}).want(t, 200).obj(t)
	users := m["users"].([]any)
	if len(users) != 3 || m["name"] != "alice's home" {
		t.Fatalf("home = %v", m)
	}
	// managed users have "username":null and "email":null beside their
	// title, as in a captured /api/v2/home/users; the admin keeps hers
	for _, u := range users {
		u := u.(map[string]any)
		username, has := u["username"]
		switch u["title"] {
		case "alice":
			if username != DefaultUsername || u["email"] != DefaultLogin {
				t.Fatalf("alice = %v", u)
			}
		case "kid", "teen":
			if !has || username != nil || u["email"] != nil || u["restricted"] != true {
				t.Fatalf("managed user = %v", u)
			}
		default:
			t.Fatalf("unexpected Home user %v", u)
		}
	}
	n := do(t, call{url: s.PlexTVURL + "/api/v2/home/users", cid: "h", token: a.AuthToken, accept: "-"}).want(t, 200).xml(t)
	if n.XMLName.Local != "home" || len(n.child("users").Children) != 3 || n.child("users").Children[0].XMLName.Local != "user" {
		t.Fatalf("home xml = %+v", n)
	}
	kid, _ := s.Account("kid")
	teen, _ := s.Account("teen")
	sw := func(target, pin string) *result {
		u := s.PlexTVURL + "/api/v2/home/users/" + target + "/switch"
		if pin != "" {
			u += "?pin=" + pin
		}
		return do(t, call{method: "POST", url: u, cid: "h", token: a.AuthToken})
	}
	// a managed user's account has "username":"" and "email":"" beside its
	// title, as in a captured /api/v2/user of one (plex-api.rs)
	km := sw(kid.UUID, "").want(t, 201).obj(t)
	if km["username"] != "" || km["email"] != "" || km["title"] != "kid" || km["friendlyName"] != "kid" || km["restricted"] != true {
		t.Fatalf("kid = %v", km)
	}
	r := sw(teen.UUID, "")
	r.wantErr(t, 403, 1041)
	if !strings.Contains(string(r.Body), `"message":"A valid PIN is required to perform this action"`) {
		t.Fatalf("403 body %s", r.safe())
	}
	sw(teen.UUID, "9999").wantErr(t, 403, 1041)
	tm := sw(itoa(int(teen.ID)), HomeUserPIN).want(t, 201).obj(t)
	getUser(t, s, "h", tm["authToken"].(string)).want(t, 200)
	if w := getUser(t, s, "h", tm["authToken"].(string)).obj(t); w["id"] != float64(teen.ID) || w["title"] != "teen" || w["username"] != "" {
		t.Fatal("switched token is not teen's")
	}
	bob, _ := s.Account("bob")
	sw(bob.UUID, "").wantErr(t, 404, codeNotFound)
	// a free account not in a Home sees a Home of one
	bm := do(t, call{url: s.PlexTVURL + "/api/v2/home/users", cid: "h", token: bob.AuthToken}).want(t, 200).obj(t)
	if len(bm["users"].([]any)) != 1 {
		t.Fatalf("bob home = %v", bm)
	}
}
