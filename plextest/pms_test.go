package plextest

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

const unauthorizedHTML = `<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>`

func resources(t testing.TB, s *Server, token, query string) []map[string]any {
	t.Helper()
	return do(t, call{url: s.PlexTVURL + "/api/v2/resources" + query, cid: "res", token: token}).want(t, 200).list(t)
}

func conns(d map[string]any) []map[string]any {
	var out []map[string]any
	for _, c := range d["connections"].([]any) {
		out = append(out, c.(map[string]any))
	}
	return out
}

func TestResources(t *testing.T) {
	s, _ := newFake(t)
	a := alice(t, s)
	def := s.Servers()[0]
	l := resources(t, s, a.AuthToken, "")
	if len(l) != 2 {
		t.Fatalf("%d devices", len(l))
	}
	srv, player := l[0], l[1]
	if srv["clientIdentifier"] != def.MachineIdentifier || srv["accessToken"] != def.AccessToken || srv["owned"] != true ||
		srv["provides"] != "server" || srv["ownerId"] != nil {
		t.Fatalf("server = %v", srv)
	}
	if player["provides"] != "client,player" {
		t.Fatalf("player = %v", player)
	}
	cs := conns(srv)
	if len(cs) != 2 || cs[0]["uri"] != s.PMSURL || cs[0]["local"] != true || cs[0]["protocol"] != "http" || cs[1]["local"] != false {
		t.Fatalf("conns = %v", cs)
	}
	if cs := conns(resources(t, s, a.AuthToken, "?includeHttps=1&includeRelay=1&includeIPv6=1")[0]); len(cs) != 3 || cs[2]["relay"] != true {
		t.Fatalf("with relay = %v", cs)
	}
	// every listed connection serves the same PMS
	for _, c := range conns(resources(t, s, a.AuthToken, "?includeRelay=1")[0]) {
		m := do(t, call{url: c["uri"].(string) + "/identity"}).want(t, 200).obj(t)
		if m["MediaContainer"].(map[string]any)["machineIdentifier"] != def.MachineIdentifier {
			t.Fatalf("%v answers %v", c["uri"], m)
		}
	}
	// bob sees the server shared, with his own token
	bob, _ := s.Account("bob")
	bl := resources(t, s, bob.AuthToken, "")
	if len(bl) != 2 || bl[0]["owned"] != false || bl[0]["accessToken"] == def.AccessToken || bl[0]["sourceTitle"] != "alice" {
		t.Fatalf("bob = %v", bl[0])
	}
	do(t, call{url: s.PMSURL + "/", token: bl[0]["accessToken"].(string)}).want(t, 200)
	// a home user sees it as a home server
	kid, _ := s.Account("kid")
	if kl := resources(t, s, kid.AuthToken, ""); len(kl) != 2 || kl[0]["home"] != true {
		t.Fatalf("kid = %v", kl)
	}
	// a stranger only gets a player
	carol := s.AddAccount(AccountSpec{Username: "carol", Email: "c@example.com", Password: "x"})
	if cl := resources(t, s, carol.AuthToken, ""); len(cl) != 1 {
		t.Fatalf("carol = %v", cl)
	}
	// XML form
	r := do(t, call{url: s.PlexTVURL + "/api/v2/resources?includeRelay=1", cid: "res", token: a.AuthToken, accept: "-"}).want(t, 200)
	n := r.xml(t)
	if n.XMLName.Local != "resources" || n.Children[0].XMLName.Local != "resource" ||
		len(n.Children[0].child("connections").Children) != 3 || n.Children[0].child("connections").Children[0].attr("uri") != s.PMSURL {
		t.Fatalf("xml = %s", r.safe())
	}
	do(t, call{url: s.PlexTVURL + "/api/v2/resources", cid: "res", token: "bad"}).wantErr(t, 401, 1001)
	do(t, call{url: s.PlexTVURL + "/api/v2/resources", token: a.AuthToken}).wantErr(t, 400, 1000)
}

func TestAddServerFilters(t *testing.T) {
	s, _ := newFake(t)
	a := alice(t, s)
	info := s.AddServer(ServerSpec{Name: "second", SharedWith: []string{"bob"}, Connections: []ConnSpec{
		{Local: true, Protocol: "https"}, {IPv6: true}, {Relay: true, Protocol: "https"}, {},
	}})
	if len(info.Connections) != 4 || !strings.HasPrefix(info.URL, "https://") {
		t.Fatalf("%+v", info)
	}
	find := func(l []map[string]any) map[string]any {
		for _, d := range l {
			if d["clientIdentifier"] == info.MachineIdentifier {
				return d
			}
		}
		t.Fatal("server not listed")
		return nil
	}
	count := func(q string) int { return len(conns(find(resources(t, s, a.AuthToken, q)))) }
	if n := count(""); n != 1 {
		t.Fatalf("no flags: %d", n)
	}
	if n := count("?includeHttps=1"); n != 2 {
		t.Fatalf("https: %d", n)
	}
	if n := count("?includeIPv6=1"); n != 2 {
		t.Fatalf("ipv6: %d", n)
	}
	if n := count("?includeHttps=1&includeRelay=1&includeIPv6=1"); n != 4 {
		t.Fatalf("all: %d", n)
	}
	// the https connection serves TLS trusted by CertPool
	hc := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: s.CertPool()}}}
	do(t, call{url: info.URL + "/identity", client: hc}).want(t, 200)
	// and the IPv6 one answers too
	do(t, call{url: info.Connections[1].URI + "/", token: info.AccessToken}).want(t, 200)
	if len(s.Servers()) != 2 {
		t.Fatal("Servers()")
	}
}

func TestPMSEndpoints(t *testing.T) {
	s, clk := newFake(t)
	def := s.Servers()[0]
	a := alice(t, s)
	// identity without token, JSON and XML
	m := do(t, call{url: s.PMSURL + "/identity"}).want(t, 200).obj(t)["MediaContainer"].(map[string]any)
	if m["machineIdentifier"] != def.MachineIdentifier || m["claimed"] != true || m["size"].(float64) != 0 || !strings.HasPrefix(m["version"].(string), "1.41.") {
		t.Fatalf("identity = %v", m)
	}
	n := do(t, call{url: s.PMSURL + "/identity", accept: "-"}).want(t, 200).xml(t)
	if n.XMLName.Local != "MediaContainer" || n.attr("claimed") != "1" || n.attr("machineIdentifier") != def.MachineIdentifier {
		t.Fatalf("identity xml = %+v", n)
	}
	// root
	root := do(t, call{url: s.PMSURL + "/", token: def.AccessToken}).want(t, 200).obj(t)["MediaContainer"].(map[string]any)
	if root["myPlexUsername"] != DefaultLogin || root["myPlexSigninState"] != "ok" || root["myPlex"] != true ||
		!strings.Contains(root["ownerFeatures"].(string), "sync,") || root["friendlyName"] != def.Name {
		t.Fatalf("root = %v", root)
	}
	do(t, call{url: s.PMSURL + "/", token: def.AccessToken, accept: "-"}).want(t, 200).xml(t)
	// the owner's plex.tv token works, query token too
	do(t, call{url: s.PMSURL + "/?X-Plex-Token=" + a.AuthToken}).want(t, 200)
	// 401 HTML
	for _, tok := range []string{"", "bogus"} {
		r := do(t, call{url: s.PMSURL + "/", token: tok}).want(t, 401)
		if r.Header.Get("Content-Type") != "text/html" || string(r.Body) != unauthorizedHTML {
			t.Fatalf("401 = %q %q", r.Header.Get("Content-Type"), r.safe())
		}
	}
	// transient tokens, GET and POST
	var transient string
	for _, method := range []string{"GET", "POST"} {
		mc := do(t, call{method: method, url: s.PMSURL + "/security/token?type=delegation&scope=all", token: def.AccessToken}).want(t, 200).obj(t)["MediaContainer"].(map[string]any)
		transient = mc["token"].(string)
		if !strings.HasPrefix(transient, "transient-") {
			t.Fatalf("token %v", mc)
		}
	}
	x := do(t, call{url: s.PMSURL + "/security/token?type=delegation&scope=all", token: def.AccessToken, accept: "-"}).want(t, 200).xml(t)
	if !strings.HasPrefix(x.attr("token"), "transient-") {
		t.Fatal("xml transient token")
	}
	do(t, call{url: s.PMSURL + "/", token: transient}).want(t, 200)
	for _, q := range []string{"", "?type=delegation", "?type=x&scope=all"} {
		r := do(t, call{url: s.PMSURL + "/security/token" + q, token: def.AccessToken}).want(t, 400)
		if r.Header.Get("Content-Type") != "text/html" {
			t.Fatal("400 not html")
		}
	}
	s.RestartPMS()
	do(t, call{url: s.PMSURL + "/", token: transient}).want(t, 401)
	mc := do(t, call{url: s.PMSURL + "/security/token?type=delegation&scope=all", token: def.AccessToken}).want(t, 200).obj(t)["MediaContainer"].(map[string]any)
	transient = mc["token"].(string)
	clk.Advance(TransientTokenLifetime)
	do(t, call{url: s.PMSURL + "/", token: transient}).want(t, 401)
	transient = do(t, call{url: s.PMSURL + "/security/token?type=delegation&scope=all", token: def.AccessToken}).want(t, 200).obj(t)["MediaContainer"].(map[string]any)["token"].(string)
	s.RevokeToken(transient)
	do(t, call{url: s.PMSURL + "/", token: transient}).want(t, 401)

	// security/resources
	transient = do(t, call{url: s.PMSURL + "/security/token?type=delegation&scope=all", token: def.AccessToken}).want(t, 200).obj(t)["MediaContainer"].(map[string]any)["token"].(string)
	for _, tok := range []string{def.AccessToken, transient} {
		dev := do(t, call{url: s.PMSURL + "/security/resources?source=server://" + def.MachineIdentifier, token: tok}).want(t, 200).obj(t)["MediaContainer"].(map[string]any)
		d := dev["Device"].(map[string]any)
		if dev["size"].(float64) != 1 || d["clientIdentifier"] != def.MachineIdentifier || d["accessToken"] != def.AccessToken || len(d["Connection"].([]any)) != 3 {
			t.Fatalf("security/resources = %v", dev)
		}
	}
	sx := do(t, call{url: s.PMSURL + "/security/resources?source=server://" + def.MachineIdentifier, token: def.AccessToken, accept: "-"}).want(t, 200).xml(t)
	if sx.child("Device").attr("accessToken") != def.AccessToken || len(sx.child("Device").Children) != 3 || sx.child("Device").Children[0].XMLName.Local != "Connection" {
		t.Fatalf("xml = %+v", sx)
	}
	do(t, call{url: s.PMSURL + "/security/resources?source=server://ffff", token: def.AccessToken}).want(t, 404)
	do(t, call{url: s.PMSURL + "/security/resources?source=provider://tv.plex.provider.epg", token: def.AccessToken}).want(t, 404)
	for _, q := range []string{"", "?source=bogus", "?source=server://"} {
		do(t, call{url: s.PMSURL + "/security/resources" + q, token: def.AccessToken}).want(t, 400)
	}
	// a shared user's token (and a transient token derived from it) → 403
	bob, _ := s.Account("bob")
	bobTok := resources(t, s, bob.AuthToken, "")[0]["accessToken"].(string)
	r := do(t, call{url: s.PMSURL + "/security/resources?source=server://" + def.MachineIdentifier, token: bobTok}).want(t, 403)
	if r.Header.Get("Content-Type") != "text/html" {
		t.Fatal("403 not html")
	}
	bobTransient := do(t, call{url: s.PMSURL + "/security/token?type=delegation&scope=all", token: bobTok}).want(t, 200).obj(t)["MediaContainer"].(map[string]any)["token"].(string)
	do(t, call{url: s.PMSURL + "/security/resources?source=server://" + def.MachineIdentifier, token: bobTransient}).want(t, 403)
	// bob's plex.tv token is accepted as a shared user
	do(t, call{url: s.PMSURL + "/", token: bob.AuthToken}).want(t, 200)
	// unknown path (/library/sections is served since issue 12)
	do(t, call{url: s.PMSURL + "/library/nope", token: def.AccessToken}).want(t, 404)
	// a token of one server is not valid on another
	other := s.AddServer(ServerSpec{Name: "other"})
	do(t, call{url: other.URL + "/", token: def.AccessToken}).want(t, 401)
	do(t, call{url: other.URL + "/", token: other.AccessToken}).want(t, 200)
	do(t, call{url: s.PMSURL + "/security/resources?source=server://" + other.MachineIdentifier, token: def.AccessToken}).want(t, 200)
}

func TestConnSpecs(t *testing.T) {
	s, _ := newFake(t)
	info := s.AddServer(ServerSpec{Name: "spec", Connections: []ConnSpec{
		{Local: true, Latency: 150 * time.Millisecond}, {Dead: true}, {BlackHole: true}, {WrongMachine: true},
	}})
	cs := info.Connections
	start := time.Now()
	do(t, call{url: cs[0].URI + "/identity"}).want(t, 200)
	if el := time.Since(start); el < 150*time.Millisecond {
		t.Fatalf("latency %v", el)
	}
	s.SetConnLatency(info.MachineIdentifier, 0, 0)
	start = time.Now()
	do(t, call{url: cs[0].URI + "/identity"}).want(t, 200)
	if el := time.Since(start); el > 100*time.Millisecond {
		t.Fatalf("latency after SetConnLatency %v", el)
	}
	// dead: connection refused
	_, err := tryDo(call{url: cs[1].URI + "/identity"})
	var opErr *net.OpError
	if err == nil || !errors.As(err, &opErr) {
		t.Fatalf("dead: %v", err)
	}
	// black hole: the client's context ends first
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", cs[2].URI+"/identity", nil)
	start = time.Now()
	if _, err := http.DefaultClient.Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("black hole: %v", err)
	}
	if el := time.Since(start); el < 190*time.Millisecond {
		t.Fatalf("black hole answered after %v", el)
	}
	// wrong machine
	m := do(t, call{url: cs[3].URI + "/identity"}).want(t, 200).obj(t)["MediaContainer"].(map[string]any)
	if m["machineIdentifier"] == info.MachineIdentifier || m["machineIdentifier"] == "" {
		t.Fatalf("wrong machine answered %v", m)
	}
	do(t, call{url: cs[3].URI + "/", token: info.AccessToken}).want(t, 401)
}
