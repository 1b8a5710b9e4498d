package plextest

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// children returns n's child elements named name.
func (n xnode) children(name string) []xnode {
	var out []xnode
	for _, c := range n.Children {
		if c.XMLName.Local == name {
			out = append(out, c)
		}
	}
	return out
}

func wantXML(t *testing.T, r *result) xnode {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/xml") {
		t.Fatalf("Content-Type %q, want XML; body %.300s", ct, r.safe())
	}
	return r.xml(t)
}

func byAttr(nodes []xnode, k, v string) (xnode, bool) {
	for _, n := range nodes {
		if n.attr(k) == v {
			return n, true
		}
	}
	return xnode{}, false
}

func TestUsersV1(t *testing.T) {
	s := NewServer(t)
	a := alice(t, s)
	bob, _ := s.Account("bob")
	kid, _ := s.Account("kid")
	def := s.Servers()[0]
	// v1 answers XML whatever the Accept header says (Overseerr sends
	// application/json and parses XML), with and without the slash
	for _, tc := range []struct{ path, accept string }{{"/api/users", ""}, {"/api/users/", "-"}, {"/api/users", "application/xml"}} {
		mc := wantXML(t, do(t, call{url: s.PlexTVURL + tc.path, cid: "ovr", token: a.AuthToken, accept: tc.accept}).want(t, 200))
		if mc.XMLName.Local != "MediaContainer" || mc.attr("identifier") != "com.plexapp.plugins.myplex" || mc.attr("size") != "3" {
			t.Fatalf("%s: container %v", tc.path, mc.Attrs)
		}
		users := mc.children("User")
		b, ok := byAttr(users, "id", strconv.FormatInt(bob.ID, 10))
		if !ok || b.attr("username") != "bob" || b.attr("email") != TwoFactorLogin || b.attr("home") != "0" || b.attr("restricted") != "0" {
			t.Fatalf("bob = %v", b.Attrs)
		}
		srv := b.child("Server")
		if srv.attr("machineIdentifier") != def.MachineIdentifier || srv.attr("name") != "plextest" || srv.attr("numLibraries") != "2" ||
			srv.attr("allLibraries") != "0" || srv.attr("owned") != "0" || srv.attr("pending") != "0" || atoi(srv.attr("lastSeenAt")) <= 0 || srv.attr("id") == "" {
			t.Fatalf("bob's server = %v", srv.Attrs)
		}
		k, ok := byAttr(users, "id", strconv.FormatInt(kid.ID, 10))
		if !ok || k.attr("home") != "1" || k.attr("restricted") != "1" || k.child("Server").attr("allLibraries") != "1" || k.child("Server").attr("home") != "1" || srv.attr("home") != "0" {
			t.Fatalf("kid = %+v", k)
		}
		// a managed user has a title and no username or email attribute,
		// as in a captured /api/users (plex-api.rs)
		if k.attr("title") != "kid" || k.hasAttr("username") || k.hasAttr("email") {
			t.Fatalf("kid's names = %v", k.Attrs)
		}
		if _, ok := byAttr(users, "username", OutsiderUsername); ok {
			t.Fatal("oscar is listed")
		}
	}
	oscar, _ := s.Account(OutsiderLogin)
	mc := wantXML(t, do(t, call{url: s.PlexTVURL + "/api/users", cid: "o", token: oscar.AuthToken}).want(t, 200))
	if mc.attr("size") != "0" || len(mc.children("User")) != 0 {
		t.Fatalf("oscar's users: %s", mc.Attrs)
	}
	r := do(t, call{url: s.PlexTVURL + "/api/users", cid: "o", token: "nope"})
	if r.wantErr(t, 401, 1001); !strings.HasPrefix(r.Header.Get("Content-Type"), "application/xml") {
		t.Fatal("v1 error is not XML")
	}
}

func TestFriendsV2(t *testing.T) {
	s := NewServer(t)
	a := alice(t, s)
	bob, _ := s.Account("bob")
	def := s.Servers()[0]
	kid, _ := s.Account("kid")
	l := do(t, call{url: s.PlexTVURL + "/api/v2/friends", cid: "f", token: a.AuthToken}).want(t, 200).list(t)
	if len(l) != 3 || l[0]["username"] != "bob" || l[0]["uuid"] != bob.UUID || l[0]["status"] != "accepted" || l[0]["friendlyName"] != nil ||
		l[0]["home"] != false || l[0]["id"] != float64(bob.ID) {
		t.Fatalf("friends = %v", l)
	}
	ss := l[0]["sharedServers"].([]any)
	if len(ss) != 1 || ss[0].(map[string]any)["machineIdentifier"] != def.MachineIdentifier {
		t.Fatalf("sharedServers = %v", ss)
	}
	// alice's managed Home users are listed too, as in plex-api.rs's
	// friends answers: home, restricted, no username or e-mail, their
	// title as friendlyName, with the servers they can use
	k := l[1]
	if k["id"] != float64(kid.ID) || k["uuid"] != kid.UUID || k["home"] != true || k["restricted"] != true || k["title"] != "kid" ||
		k["friendlyName"] != "kid" || k["status"] != "accepted" || l[2]["title"] != "teen" {
		t.Fatalf("managed friends = %v", l[1:])
	}
	for _, key := range []string{"username", "email"} {
		if v, has := k[key]; !has || v != nil {
			t.Fatalf("kid's %s = %v (present %v), want null", key, v, has)
		}
	}
	if ks := k["sharedServers"].([]any); len(ks) != 1 || ks[0].(map[string]any)["machineIdentifier"] != def.MachineIdentifier || ks[0].(map[string]any)["allLibraries"] != true {
		t.Fatalf("kid's sharedServers = %v", ks)
	}
	x := wantXML(t, do(t, call{url: s.PlexTVURL + "/api/v2/friends", cid: "f", token: a.AuthToken, accept: "-"}).want(t, 200))
	f := x.child("friend")
	if x.XMLName.Local != "friends" || f.attr("username") != "bob" || f.attr("friendlyName") != "" || f.child("sharedServers").child("sharedServer").attr("machineIdentifier") != def.MachineIdentifier {
		t.Fatalf("XML friends: %s", do(t, call{url: s.PlexTVURL + "/api/v2/friends", cid: "f", token: a.AuthToken, accept: "-"}).Body)
	}
	if xk, ok := byAttr(x.children("friend"), "title", "kid"); !ok || xk.attr("username") != "" || xk.attr("home") != "1" || xk.attr("friendlyName") != "kid" {
		t.Fatalf("XML kid: %v", xk.Attrs)
	}
	if l := do(t, call{url: s.PlexTVURL + "/api/v2/friends", cid: "f", token: bob.AuthToken}).want(t, 200).list(t); len(l) != 0 {
		t.Fatalf("bob's friends = %v", l)
	}
}

func TestSharedServers(t *testing.T) {
	s := NewServer(t)
	a := alice(t, s)
	bob, _ := s.Account("bob")
	def := s.Servers()[0]
	base := s.PlexTVURL + "/api/servers/" + def.MachineIdentifier + "/shared_servers"
	mc := wantXML(t, do(t, call{url: base, cid: "t", token: a.AuthToken}).want(t, 200))
	list := mc.children("SharedServer")
	if mc.attr("machineIdentifier") != def.MachineIdentifier || len(list) != 1 {
		t.Fatalf("shared_servers: %+v", mc)
	}
	sh := list[0]
	bobTok := resources(t, s, bob.AuthToken, "")[0]["accessToken"].(string)
	if sh.attr("userID") != strconv.FormatInt(bob.ID, 10) || sh.attr("username") != "bob" || sh.attr("email") != TwoFactorLogin ||
		sh.attr("accessToken") != bobTok || sh.attr("allLibraries") != "0" {
		t.Fatal("SharedServer attributes do not describe bob's share") // no print: it holds a token
	}
	var shared []string
	for _, sec := range sh.children("Section") {
		if sec.attr("shared") == "1" {
			shared = append(shared, sec.attr("key")+"="+sec.attr("title")+"/"+sec.attr("type"))
		}
	}
	if strings.Join(shared, ",") != "1=Movies/movie,2=TV Shows/show" || len(sh.children("Section")) != 3 {
		t.Fatalf("shared sections %v", shared)
	}
	one := wantXML(t, do(t, call{url: base + "/" + sh.attr("id"), cid: "t", token: a.AuthToken}).want(t, 200))
	if got := one.children("SharedServer"); len(got) != 1 || got[0].attr("id") != sh.attr("id") || len(got[0].children("Section")) != 3 {
		t.Fatal("one share")
	}
	do(t, call{url: base + "/999", cid: "t", token: a.AuthToken}).wantErr(t, 404, codeNotFound)
	do(t, call{url: base, cid: "t", token: bob.AuthToken}).wantErr(t, 403, 0)
	do(t, call{url: s.PlexTVURL + "/api/servers/ffff/shared_servers", cid: "t", token: a.AuthToken}).wantErr(t, 404, codeNotFound)
}

func TestHomeV1AndV2(t *testing.T) {
	s := NewServer(t)
	a := alice(t, s)
	kid, _ := s.Account("kid")
	teen, _ := s.Account("teen")
	h := do(t, call{url: s.PlexTVURL + "/api/v2/home", cid: "h", token: a.AuthToken}).want(t, 200).obj(t)
	if h["name"] != "alice's home" || h["subscription"] != true || h["guestEnabled"] != false || h["id"] == nil {
		t.Fatalf("home = %v", h)
	}
	// home-200.json names the guest user even with guests off
	guestID := fmt.Sprintf("%.0f", h["guestUserID"])
	guestUUID, _ := h["guestUserUUID"].(string)
	if h["guestUserID"] == nil || guestID == "0" || len(guestUUID) != 16 {
		t.Fatalf("home guest user = %v %q", h["guestUserID"], guestUUID)
	}
	hx := wantXML(t, do(t, call{url: s.PlexTVURL + "/api/v2/home", cid: "h", token: a.AuthToken, accept: "-"}).want(t, 200))
	if hx.XMLName.Local != "home" || hx.attr("name") != "alice's home" || hx.attr("subscription") != "1" ||
		hx.attr("guestUserID") != guestID || hx.attr("guestUserUUID") != guestUUID {
		t.Fatalf("home XML = %v", hx.Attrs)
	}
	mc := wantXML(t, do(t, call{url: s.PlexTVURL + "/api/home/users", cid: "h", token: a.AuthToken}).want(t, 200))
	users := mc.children("User")
	if len(users) != 3 || mc.attr("size") != "3" || mc.attr("totalSize") != "3" || mc.attr("guestUserID") != guestID {
		t.Fatalf("home users: %d, container %v", len(users), mc.Attrs)
	}
	adm, _ := byAttr(users, "username", "alice")
	tn, _ := byAttr(users, "title", "teen")
	if adm.attr("admin") != "1" || adm.attr("restricted") != "0" || tn.attr("protected") != "1" || tn.attr("restricted") != "1" ||
		tn.attr("guest") != "0" || tn.attr("uuid") != teen.UUID || adm.attr("title") != "alice" {
		t.Fatalf("alice %v teen %v", adm.Attrs, tn.Attrs)
	}
	// a managed user has username="" and email="" (node-plex-api-credentials'
	// captured managed_users.xml)
	if !tn.hasAttr("username") || tn.attr("username") != "" || !tn.hasAttr("email") || tn.attr("email") != "" {
		t.Fatalf("teen's names = %v", tn.Attrs)
	}
	sw := func(id int64, pin string) *result {
		u := s.PlexTVURL + "/api/home/users/" + strconv.FormatInt(id, 10) + "/switch"
		if pin != "" {
			u += "?pin=" + url.QueryEscape(pin)
		}
		return do(t, call{method: "POST", url: u, cid: "h", token: a.AuthToken})
	}
	// the switch answers the managed user with username="" and its title
	// (node-plex-api-credentials' captured switch_user.xml)
	u := wantXML(t, sw(kid.ID, "").want(t, 201))
	if u.XMLName.Local != "user" || !u.hasAttr("username") || u.attr("username") != "" || u.attr("title") != "kid" ||
		u.attr("email") != "" || u.attr("authenticationToken") == "" {
		t.Fatalf("switch: %v", u.XMLName)
	}
	if w := getUser(t, s, "h", u.attr("authenticationToken")).want(t, 200).obj(t); w["id"] != float64(kid.ID) || w["title"] != "kid" {
		t.Fatal("switched token")
	}
	r := sw(teen.ID, "")
	r.wantErr(t, 403, 1041)
	if !strings.Contains(string(r.Body), `message="A valid PIN is required to perform this action"`) {
		t.Fatalf("403 body %s", r.safe())
	}
	sw(teen.ID, "0000").wantErr(t, 403, 1041)
	if tu := wantXML(t, sw(teen.ID, HomeUserPIN).want(t, 201)); tu.attr("title") != "teen" || tu.attr("uuid") != teen.UUID {
		t.Fatal("teen with PIN")
	}
	oscar, _ := s.Account(OutsiderLogin)
	do(t, call{method: "POST", url: s.PlexTVURL + "/api/home/users/" + strconv.FormatInt(kid.ID, 10) + "/switch", cid: "h", token: oscar.AuthToken}).wantErr(t, 404, codeNotFound)
}

func TestDevicesXML(t *testing.T) {
	s := NewServer(t)
	hdr := map[string]string{"X-Plex-Device-Name": "Living Room TV", "X-Plex-Product": "TestApp", "X-Plex-Version": "2.1",
		"X-Plex-Platform": "Linux", "X-Plex-Platform-Version": "6.1", "X-Plex-Device": "PC", "X-Plex-Provides": "player"}
	r := do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/users/signin", cid: "tv-1", header: hdr,
		form: url.Values{"login": {DefaultLogin}, "password": {DefaultPassword}}}).want(t, 201)
	tok := r.obj(t)["authToken"].(string)
	mc := wantXML(t, do(t, call{url: s.PlexTVURL + "/devices.xml", cid: "tv-1", token: tok, accept: "application/json"}).want(t, 200))
	devs := mc.children("Device")
	d, ok := byAttr(devs, "clientIdentifier", "tv-1")
	if !ok || d.attr("name") != "Living Room TV" || d.attr("product") != "TestApp" || d.attr("productVersion") != "2.1" ||
		d.attr("platform") != "Linux" || d.attr("platformVersion") != "6.1" || d.attr("device") != "PC" || d.attr("provides") != "player" ||
		d.attr("token") != tok || atoi(d.attr("createdAt")) <= 0 || atoi(d.attr("lastSeenAt")) <= 0 || d.attr("id") == "" {
		t.Fatal("tv-1 is not listed with its description") // no print: it holds a token
	}
	// a device that sent no X-Plex-Provides has provides="", as on plex.tv
	if sd, ok := byAttr(devs, "clientIdentifier", SeedClientID); !ok || sd.attr("provides") != "" {
		t.Fatalf("seed device listed %v, provides %q", ok, sd.attr("provides"))
	}
	def := s.Servers()[0]
	srvDev, ok := byAttr(devs, "clientIdentifier", def.MachineIdentifier)
	if !ok || srvDev.attr("provides") != "server" || len(srvDev.children("Connection")) != 3 || srvDev.children("Connection")[0].attr("uri") != def.URL {
		t.Fatal("server device")
	}
	// bob's devices are his own
	bob, _ := s.Account("bob")
	bmc := wantXML(t, do(t, call{url: s.PlexTVURL + "/devices.xml", cid: "b", token: bob.AuthToken}).want(t, 200))
	if _, ok := byAttr(bmc.children("Device"), "clientIdentifier", "tv-1"); ok {
		t.Fatal("bob sees alice's device")
	}
	do(t, call{method: "DELETE", url: s.PlexTVURL + "/devices/" + d.attr("id") + ".xml", cid: "b", token: bob.AuthToken}).wantErr(t, 404, codeNotFound)
	do(t, call{method: "DELETE", url: s.PlexTVURL + "/devices/" + srvDev.attr("id") + ".xml", cid: "tv-1", token: tok}).wantErr(t, 404, codeNotFound)
	// deleting the device revokes its token, not the others
	a := alice(t, s)
	do(t, call{method: "DELETE", url: s.PlexTVURL + "/devices/" + d.attr("id") + ".xml", cid: "x", token: a.AuthToken}).want(t, 200)
	getUser(t, s, "tv-1", tok).wantErr(t, 401, 1001)
	getUser(t, s, "x", a.AuthToken).want(t, 200)
	if _, ok := byAttr(wantXML(t, do(t, call{url: s.PlexTVURL + "/devices.xml", cid: "x", token: a.AuthToken})).children("Device"), "clientIdentifier", "tv-1"); ok {
		t.Fatal("deleted device still listed")
	}
}

func TestDeleteDeviceRevokesJWT(t *testing.T) {
	s, clk := newFake(t)
	a := alice(t, s)
	d := newDevice(t, "jwt-dev")
	legacy := signIn(t, s, d.cid, DefaultLogin, DefaultPassword)
	d.register(t, s, legacy).want(t, 204)
	plexJWT := d.exchange(t, s, d.sign(t, clk.Now(), d.nonce(t, s), nil)).want(t, 200).obj(t)["auth_token"].(string)
	devs := wantXML(t, do(t, call{url: s.PlexTVURL + "/devices.xml", cid: "x", token: a.AuthToken})).children("Device")
	dev, ok := byAttr(devs, "clientIdentifier", d.cid)
	if !ok {
		t.Fatal("JWT device not listed")
	}
	do(t, call{method: "DELETE", url: s.PlexTVURL + "/devices/" + dev.attr("id"), cid: "x", token: a.AuthToken}).want(t, 200)
	getUser(t, s, d.cid, plexJWT).wantErr(t, 401, 1001)
	getUser(t, s, d.cid, legacy).wantErr(t, 401, 1001)
	// its key no longer refreshes
	d.exchange(t, s, d.sign(t, clk.Now(), d.nonce(t, s), nil)).wantErr(t, 422, 0)
}

func TestPingAnswersText(t *testing.T) {
	s := NewServer(t)
	a := alice(t, s)
	if m := do(t, call{url: s.PlexTVURL + "/api/v2/ping", cid: "p", token: a.AuthToken}).want(t, 200).obj(t); m["pong"] != true {
		t.Fatalf("JSON ping = %v", m)
	}
	var pong struct {
		Text string `xml:",chardata"`
	}
	r := do(t, call{url: s.PlexTVURL + "/api/v2/ping", cid: "p", token: a.AuthToken, accept: "-"}).want(t, 200)
	if err := xmlUnmarshal(r.Body, &pong); err != nil || strings.TrimSpace(pong.Text) != "1" {
		t.Fatalf("XML ping %q (%v)", r.Body, err)
	}
}

func TestCreatePINWithEmptyJSONBody(t *testing.T) {
	s := NewServer(t)
	for _, body := range []string{"", `""`, "null", " "} {
		r := do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/pins?strong=true", cid: "npm", raw: body,
			header: map[string]string{"Content-Type": "application/json"}})
		if m := r.want(t, 201).obj(t); m["code"] == nil || len(m["code"].(string)) != 25 {
			t.Fatalf("body %q: pin %v", body, m)
		}
	}
	do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/pins", cid: "npm", raw: `"x"`,
		header: map[string]string{"Content-Type": "application/json"}}).wantErr(t, 400, 1000)
}

func TestXMLNullsAndDates(t *testing.T) {
	s := NewServer(t)
	a := alice(t, s)
	u := wantXML(t, do(t, call{url: s.PlexTVURL + "/api/v2/user", cid: "x", token: a.AuthToken, accept: "-"}).want(t, 200))
	found := false
	for _, at := range u.Attrs {
		found = found || (at.Name.Local == "locale" && at.Value == "")
	}
	if !found {
		t.Fatal("locale is not an empty attribute")
	}
	if got := u.child("subscription").attr("subscribedAt"); got != "2021-04-12 18:21:12 UTC" {
		t.Fatalf("subscribedAt = %q", got)
	}
	if atoi(u.attr("joinedAt")) <= 0 {
		t.Fatalf("joinedAt = %q", u.attr("joinedAt"))
	}
	res := wantXML(t, do(t, call{url: s.PlexTVURL + "/api/v2/resources", cid: "x", token: a.AuthToken, accept: "-"}).want(t, 200))
	if srv := res.child("resource"); !strings.HasSuffix(srv.attr("lastSeenAt"), "Z") || srv.attr("ownerId") != "" {
		t.Fatalf("resource lastSeenAt %q ownerId %q", srv.attr("lastSeenAt"), srv.attr("ownerId"))
	}
	// JSON is unchanged
	m := do(t, call{url: s.PlexTVURL + "/api/v2/user", cid: "x", token: a.AuthToken}).want(t, 200).obj(t)
	if m["locale"] != nil || m["subscription"].(map[string]any)["subscribedAt"] != "2021-04-12T18:21:12Z" {
		t.Fatalf("JSON user locale %v subscribedAt %v", m["locale"], m["subscription"].(map[string]any)["subscribedAt"])
	}
}

// A pending invitation shows only in the owner's /api/users (pending="1"):
// the invitee cannot use the server yet.
func TestInviteFriendIsPending(t *testing.T) {
	s := NewServer(t)
	a := alice(t, s)
	oscar, _ := s.Account(OutsiderLogin)
	def := s.Servers()[0]
	do(t, call{method: "POST", url: s.PlexTVURL + ControlPrefix + "invite-friend", json: map[string]string{"login": "oscar"}}).want(t, 204)
	mc := wantXML(t, do(t, call{url: s.PlexTVURL + "/api/users", cid: "o", token: a.AuthToken}).want(t, 200))
	o, ok := byAttr(mc.children("User"), "username", OutsiderUsername)
	if !ok || mc.attr("size") != "4" {
		t.Fatalf("oscar not listed: %v", mc.Attrs)
	}
	if srv := o.child("Server"); srv.attr("machineIdentifier") != def.MachineIdentifier || srv.attr("pending") != "1" || srv.attr("owned") != "0" {
		t.Fatalf("oscar's server = %v", srv.Attrs)
	}
	for _, d := range resources(t, s, oscar.AuthToken, "") {
		if d["clientIdentifier"] == def.MachineIdentifier {
			t.Fatal("the invitee sees the server before accepting")
		}
	}
	do(t, call{url: s.PMSURL + "/library/sections", token: oscar.AuthToken}).want(t, 401)
	// the invitee is not a friend yet (bob and alice's managed users are)
	if l := do(t, call{url: s.PlexTVURL + "/api/v2/friends", cid: "f", token: a.AuthToken}).want(t, 200).list(t); len(l) != 3 || l[0]["username"] != "bob" {
		t.Fatalf("friends = %v", l)
	}
	for _, bad := range []struct{ login, server string }{{"oscar", ""}, {"bob", ""}, {"alice", ""}, {"nobody", ""}, {"oscar", "no-such-server"}} {
		if err := s.InviteFriend(bad.login, bad.server); err == nil {
			t.Errorf("InviteFriend(%q, %q) succeeded", bad.login, bad.server)
		}
	}
}

// Devices no sign-in described still have a name: the seed tokens'
// device, the account's player, and a PIN-linked device (described by
// the request that created the PIN when the poll says nothing).
func TestDevicesXMLNamesSeededAndPINDevices(t *testing.T) {
	s := NewServer(t)
	a := alice(t, s)
	do(t, call{url: s.PlexTVURL + "/api/v2/resources", cid: "r", token: a.AuthToken}).want(t, 200)
	hdr := map[string]string{"X-Plex-Product": "Pin App", "X-Plex-Device-Name": "Kitchen", "X-Plex-Platform": "tvOS"}
	p := do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/pins", cid: "pin-dev", header: hdr}).want(t, 201).obj(t)
	do(t, call{method: "PUT", url: s.PlexTVURL + "/api/v2/pins/link", cid: "browser", token: a.AuthToken,
		form: url.Values{"code": {p["code"].(string)}}}).want(t, 204)
	do(t, call{url: s.PlexTVURL + "/api/v2/pins/" + pinID(p), cid: "pin-dev"}).want(t, 200)
	// The poll's own description wins over the creation's.
	hdr2 := map[string]string{"X-Plex-Product": "Pin App", "X-Plex-Device-Name": "Hall"}
	p2 := do(t, call{method: "POST", url: s.PlexTVURL + "/api/v2/pins", cid: "pin-dev2", header: hdr}).want(t, 201).obj(t)
	do(t, call{method: "PUT", url: s.PlexTVURL + "/api/v2/pins/link", cid: "browser", token: a.AuthToken,
		form: url.Values{"code": {p2["code"].(string)}}}).want(t, 204)
	do(t, call{url: s.PlexTVURL + "/api/v2/pins/" + pinID(p2), cid: "pin-dev2", header: hdr2}).want(t, 200)

	devs := wantXML(t, do(t, call{url: s.PlexTVURL + "/devices.xml", cid: "r", token: a.AuthToken}).want(t, 200)).children("Device")
	for _, want := range []struct{ cid, name, product, platform string }{
		{SeedClientID, SeedDeviceName, "plextest", "Go"},
		{"pin-dev", "Kitchen", "Pin App", "tvOS"},
		{"pin-dev2", "Hall", "Pin App", "tvOS"},
	} {
		d, ok := byAttr(devs, "clientIdentifier", want.cid)
		if !ok || d.attr("name") != want.name || d.attr("product") != want.product || d.attr("platform") != want.platform {
			t.Errorf("device %s: name %q product %q platform %q, want %q %q %q", want.cid,
				d.attr("name"), d.attr("product"), d.attr("platform"), want.name, want.product, want.platform)
		}
	}
	var player xnode
	for _, d := range devs {
		if d.attr("provides") == "client,player" {
			player = d
		}
	}
	if player.attr("name") != a.Username+"'s Player" || player.attr("product") == "" || player.attr("platform") == "" {
		t.Errorf("player device: name %q product %q platform %q, want %s's Player described like the seed resources",
			player.attr("name"), player.attr("product"), player.attr("platform"), a.Username)
	}
}
