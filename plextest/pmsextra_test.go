package plextest

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func mediaContainer(t *testing.T, r *result) map[string]any {
	t.Helper()
	mc, ok := r.obj(t)["MediaContainer"].(map[string]any)
	if !ok {
		t.Fatalf("no MediaContainer: %.300s", r.safe())
	}
	return mc
}

func listOf(mc map[string]any, k string) []map[string]any {
	var out []map[string]any
	l, _ := mc[k].([]any)
	for _, e := range l {
		out = append(out, e.(map[string]any))
	}
	return out
}

func TestPMSRootAndSections(t *testing.T) {
	s := NewServer(t)
	def := s.Servers()[0]
	root := mediaContainer(t, do(t, call{url: s.PMSURL + "/", token: def.AccessToken}).want(t, 200))
	dirs := listOf(root, "Directory")
	if root["claimed"] != true || len(dirs) < 10 || dirs[0]["key"] == nil || dirs[0]["title"] == nil || root["size"] != float64(len(dirs)) {
		t.Fatalf("root = %v", root)
	}
	rx := do(t, call{url: s.PMSURL + "/", token: def.AccessToken, accept: "-"}).want(t, 200).xml(t)
	if _, ok := byAttr(rx.children("Directory"), "key", "library"); !ok || rx.attr("claimed") != "1" {
		t.Fatal("XML root lacks the library Directory")
	}
	secs := listOf(mediaContainer(t, do(t, call{url: s.PMSURL + "/library/sections", token: def.AccessToken}).want(t, 200)), "Directory")
	if len(secs) != 3 || secs[0]["key"] != "1" || secs[0]["type"] != "movie" || secs[2]["type"] != "artist" || secs[1]["title"] != "TV Shows" {
		t.Fatalf("sections = %v", secs)
	}
	if loc := secs[0]["Location"].([]any); len(loc) != 1 {
		t.Fatalf("Location = %v", loc)
	}
	// bob sees the sections shared with him, in XML too
	bob, _ := s.Account("bob")
	bx := do(t, call{url: s.PMSURL + "/library/sections", token: bob.AuthToken, accept: "-"}).want(t, 200).xml(t)
	var keys []string
	for _, d := range bx.children("Directory") {
		keys = append(keys, d.attr("key")+":"+d.attr("title"))
	}
	if strings.Join(keys, ",") != "1:Movies,2:TV Shows" || bx.attr("size") != "2" || bx.attr("title1") != "Plex Library" {
		t.Fatalf("bob's sections %v", keys)
	}
}

func TestPMSAccountsAndDevices(t *testing.T) {
	s := NewServer(t)
	def := s.Servers()[0]
	bob, _ := s.Account("bob")
	hdr := map[string]string{"X-Plex-Device-Name": "Phone", "X-Plex-Platform": "iOS"}
	do(t, call{url: s.PMSURL + "/", token: def.AccessToken, cid: "phone-1", header: hdr}).want(t, 200)
	accts := listOf(mediaContainer(t, do(t, call{url: s.PMSURL + "/accounts", token: def.AccessToken}).want(t, 200)), "Account")
	if len(accts) != 3 || accts[0]["id"] != float64(0) || accts[1]["id"] != float64(1) || accts[1]["name"] != "alice" ||
		accts[2]["id"] != float64(bob.ID) || accts[2]["key"] != "/accounts/"+strconv.FormatInt(bob.ID, 10) ||
		accts[2]["defaultAudioLanguage"] != "en" || accts[2]["defaultSubtitleLanguage"] != "en" || accts[2]["subtitleMode"] != float64(0) || accts[2]["thumb"] != "" {
		t.Fatalf("accounts = %v", accts)
	}
	one := do(t, call{url: s.PMSURL + "/accounts/1", token: def.AccessToken, accept: "-"}).want(t, 200).xml(t)
	if a := one.children("Account"); len(a) != 1 || a[0].attr("name") != "alice" || a[0].attr("autoSelectAudio") != "1" {
		t.Fatalf("account 1: %+v", one)
	}
	do(t, call{url: s.PMSURL + "/accounts/77", token: def.AccessToken}).want(t, 404)
	do(t, call{url: s.PMSURL + "/accounts", token: bob.AuthToken}).want(t, 403)

	devs := listOf(mediaContainer(t, do(t, call{url: s.PMSURL + "/devices", token: def.AccessToken}).want(t, 200)), "Device")
	var phone map[string]any
	for _, d := range devs {
		if d["clientIdentifier"] == "phone-1" {
			phone = d
		}
	}
	if phone == nil || phone["name"] != "Phone" || phone["platform"] != "iOS" || phone["createdAt"].(float64) <= 0 {
		t.Fatalf("devices = %v", devs)
	}
	id := strconv.Itoa(int(phone["id"].(float64)))
	dx := do(t, call{url: s.PMSURL + "/devices/" + id, token: def.AccessToken, accept: "-"}).want(t, 200).xml(t)
	if d := dx.children("Device"); len(d) != 1 || d[0].attr("clientIdentifier") != "phone-1" {
		t.Fatal("one device")
	}
	do(t, call{url: s.PMSURL + "/devices/9999", token: def.AccessToken}).want(t, 404)
	do(t, call{url: s.PMSURL + "/devices", token: bob.AuthToken}).want(t, 403)
}

func TestMyPlexAccountClaimUnclaim(t *testing.T) {
	s, clk := newFake(t)
	def := s.Servers()[0]
	a := alice(t, s)
	bob, _ := s.Account("bob")
	mp := do(t, call{url: s.PMSURL + "/myplex/account", token: def.AccessToken}).want(t, 200).obj(t)["MyPlex"].(map[string]any)
	if mp["username"] != DefaultLogin || mp["signInState"] != "ok" || mp["mappingState"] != "mapped" || mp["subscriptionActive"] != true ||
		mp["authToken"] == "" || mp["publicPort"] == nil || !strings.Contains(mp["subscriptionFeatures"].(string), "sync") {
		t.Fatal("myplex/account does not describe alice's server")
	}
	x := do(t, call{url: s.PMSURL + "/myplex/account", token: def.AccessToken, accept: "-"}).want(t, 200).xml(t)
	if x.XMLName.Local != "MyPlex" || x.attr("signInState") != "ok" || x.attr("subscriptionActive") != "1" {
		t.Fatalf("XML MyPlex %v", x.XMLName)
	}
	do(t, call{url: s.PMSURL + "/myplex/account", token: bob.AuthToken}).want(t, 403)

	// unclaim
	do(t, call{method: "DELETE", url: s.PMSURL + "/myplex/account", token: def.AccessToken}).want(t, 200)
	id := mediaContainer(t, do(t, call{url: s.PMSURL + "/identity"}).want(t, 200))
	if id["claimed"] != false {
		t.Fatalf("identity after unclaim: %v", id)
	}
	if x := do(t, call{url: s.PMSURL + "/identity", accept: "-"}).xml(t); x.attr("claimed") != "0" {
		t.Fatal("XML identity claimed")
	}
	if root := mediaContainer(t, do(t, call{url: s.PMSURL + "/"}).want(t, 200)); root["claimed"] != false || root["myPlexSigninState"] != "none" {
		t.Fatalf("root after unclaim: %v", root["claimed"])
	}
	if mp := do(t, call{url: s.PMSURL + "/myplex/account"}).want(t, 200).obj(t)["MyPlex"].(map[string]any); mp["signInState"] != "none" || mp["username"] != "" {
		t.Fatalf("myplex after unclaim: %v", mp["signInState"])
	}
	for _, d := range resources(t, s, a.AuthToken, "") {
		if d["clientIdentifier"] == def.MachineIdentifier {
			t.Fatal("unclaimed server still in alice's resources")
		}
	}

	// claim for bob with a claim token
	ct := do(t, call{url: s.PlexTVURL + "/api/claim/token.json", cid: "c", token: bob.AuthToken, accept: "-"}).want(t, 200)
	if !strings.HasPrefix(ct.Header.Get("Content-Type"), "application/json") {
		t.Fatal("claim token is not JSON")
	}
	claim := ct.obj(t)["token"].(string)
	if !strings.HasPrefix(claim, "claim-") {
		t.Fatal("claim token format")
	}
	do(t, call{method: "POST", url: s.PMSURL + "/myplex/claim?token=claim-nope"}).want(t, 400)
	mp = do(t, call{method: "POST", url: s.PMSURL + "/myplex/claim?token=" + claim}).want(t, 200).obj(t)["MyPlex"].(map[string]any)
	if mp["username"] != TwoFactorLogin || mp["signInState"] != "ok" {
		t.Fatalf("after claim: %v", mp["username"])
	}
	var owned bool
	for _, d := range resources(t, s, bob.AuthToken, "") {
		if d["clientIdentifier"] == def.MachineIdentifier {
			owned = d["owned"] == true
		}
	}
	if !owned {
		t.Fatal("claimed server is not owned by bob")
	}
	if mediaContainer(t, do(t, call{url: s.PMSURL + "/identity"}))["claimed"] != true {
		t.Fatal("identity after claim")
	}
	do(t, call{url: s.PMSURL + "/", token: "not-a-token"}).want(t, 401) // claimed again: tokens required
	// single use, and valid 4 minutes
	bobSrv := s.Servers()[0].AccessToken
	do(t, call{method: "POST", url: s.PMSURL + "/myplex/claim?token=" + claim, token: bobSrv}).want(t, 400)
	late := do(t, call{url: s.PlexTVURL + "/api/claim/token.json", cid: "c", token: a.AuthToken}).want(t, 200).obj(t)["token"].(string)
	clk.Advance(ClaimTokenLifetime + time.Second)
	do(t, call{method: "POST", url: s.PMSURL + "/myplex/claim?token=" + late, token: bobSrv}).want(t, 400)
}
