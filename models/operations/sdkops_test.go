package operations_test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/plexkit/plexgo/models/operations"
)

// Flags and numbers of the v1 and PMS JSON forms come as booleans, 0/1,
// strings or null; all decode, and garbage fails instead of guessing.
func TestTolerantJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want bool
	}{{`true`, true}, {`1`, true}, {`"1"`, true}, {`"true"`, true}, {`2`, true}, {`false`, false}, {`0`, false}, {`"0"`, false}, {`""`, false}, {`null`, false}} {
		var s operations.SharedSection
		if err := json.Unmarshal([]byte(`{"shared":`+tc.in+`}`), &s); err != nil || s.Shared != tc.want {
			t.Errorf("shared %s: %v %v", tc.in, s.Shared, err)
		}
	}
	for _, tc := range []struct {
		in   string
		want int64
	}{{`7`, 7}, {`"7"`, 7}, {`7.0`, 7}, {`null`, 0}, {`""`, 0}, {`"-3"`, -3}} {
		var d operations.AccountDevice
		if err := json.Unmarshal([]byte(`{"id":`+tc.in+`}`), &d); err != nil || d.ID != tc.want {
			t.Errorf("id %s: %v %v", tc.in, d.ID, err)
		}
	}
	for _, bad := range []string{`{"shared":"yes"}`, `{"shared":[1]}`} {
		var s operations.SharedSection
		if err := json.Unmarshal([]byte(bad), &s); err == nil {
			t.Errorf("%s decoded", bad)
		}
	}
	for _, bad := range []string{`{"id":"x"}`, `{"id":7.5}`, `{"id":{}}`} {
		var d operations.AccountDevice
		if err := json.Unmarshal([]byte(bad), &d); err == nil {
			t.Errorf("%s decoded", bad)
		}
	}
	// Keys may be numbers or strings.
	var l operations.LibrarySection
	if err := json.Unmarshal([]byte(`{"key":12,"type":"mixed","hidden":1}`), &l); err != nil || l.Key != "12" || !l.Hidden || l.Type.IsKnown() || l.Type != "mixed" {
		t.Errorf("section %+v %v", l, err)
	}
}

// plex.tv's ping answer: the text of an XML element, or a JSON boolean
// (bare or as {"pong": …}); the fake's old <pong pong="1"/> also reads.
func TestPong(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{
		`<?xml version="1.0"?><pong>true</pong>`: true, `<pong> false </pong>`: false, `<response>1</response>`: true,
		`<pong pong="1"/>`: true, `<pong/>`: false,
	} {
		var p operations.Pong
		if err := xml.Unmarshal([]byte(in), &p); err != nil || bool(p) != want {
			t.Errorf("%s: %v %v", in, p, err)
		}
	}
	for in, want := range map[string]bool{`true`: true, `false`: false, `{"pong":true}`: true, `{"pong":0}`: false, `"true"`: true} {
		var p operations.Pong
		if err := json.Unmarshal([]byte(in), &p); err != nil || bool(p) != want {
			t.Errorf("%s: %v %v", in, p, err)
		}
	}
	var p operations.Pong
	if err := xml.Unmarshal([]byte(`<pong>maybe</pong>`), &p); err == nil {
		t.Error("a non-boolean pong decoded")
	}
}

// The v1 switch answer carries the token as an attribute, or (older
// answers) as an <authentication-token> child; JSON as authToken or
// authenticationToken.
func TestSwitchedHomeUserToken(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`<user id="3" authenticationToken="tok-1"/>`,
		`<user id="3"><authentication-token>tok-1</authentication-token></user>`,
		`<user id="3" authenticationToken="tok-1"><authentication-token>other</authentication-token></user>`,
	} {
		var u operations.SwitchedHomeUser
		if err := xml.Unmarshal([]byte(in), &u); err != nil || u.AuthenticationToken != "tok-1" || u.ID != 3 {
			t.Errorf("%s: id %d, token %d bytes, %v", in, u.ID, len(u.AuthenticationToken), err)
		}
	}
	for _, in := range []string{`{"id":3,"authToken":"tok-1"}`, `{"id":"3","authenticationToken":"tok-1","restricted":1}`} {
		var u operations.SwitchedHomeUser
		if err := json.Unmarshal([]byte(in), &u); err != nil || u.AuthenticationToken != "tok-1" || u.ID != 3 {
			t.Errorf("%s: id %d, token %d bytes, %v", in, u.ID, len(u.AuthenticationToken), err)
		}
	}
}

// Home members decode from the v2 (true/false) and v1 (0/1) forms alike.
func TestHomeUserBothForms(t *testing.T) {
	t.Parallel()
	var v2, v1 operations.HomeUser
	if err := json.Unmarshal([]byte(`{"id":2,"uuid":"u","protected":true,"admin":false,"hasPassword":true}`), &v2); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(`{"id":"2","uuid":"u","protected":1,"admin":0,"hasPassword":"1"}`), &v1); err != nil {
		t.Fatal(err)
	}
	if v1 != v2 || !v1.Protected || v1.Admin || !v1.HasPassword {
		t.Errorf("v1 %+v, v2 %+v", v1, v2)
	}
}

// Managed Home users have no username: plex.tv sends "username":null in
// the v2 list, username="" in the v1 list and switch, and no username at
// all in the v1 users list (shapes of captured answers). All decode, with
// the title kept.
func TestManagedHomeUserNoUsername(t *testing.T) {
	t.Parallel()
	var v2 operations.Home
	if err := json.Unmarshal([]byte(`{"id":1,"users":[{"id":4321,"uuid":"bab38cb8852916f","title":"OnlyPhotos","username":null,`+
		`"email":null,"hasPassword":false,"restricted":true,"restrictionProfile":"little_kid","admin":false,"guest":false,"protected":false}]}`), &v2); err != nil {
		t.Fatal(err)
	}
	if len(v2.Users) != 1 || v2.Users[0].Title != "OnlyPhotos" || v2.Users[0].Username != "" || v2.Users[0].Email != "" || !v2.Users[0].Restricted {
		t.Errorf("v2 home users %+v", v2.Users)
	}
	var v1 struct {
		Users []operations.HomeUser `xml:"User"`
	}
	if err := xml.Unmarshal([]byte(`<MediaContainer size="1"><User id="4321" uuid="bab38cb8852916f" admin="0" guest="0" restricted="1" `+
		`protected="0" title="OnlyPhotos" username="" email="" thumb="https://plex.tv/users/bab38cb8852916f/avatar"/></MediaContainer>`), &v1); err != nil {
		t.Fatal(err)
	}
	if len(v1.Users) != 1 || v1.Users[0].Title != "OnlyPhotos" || v1.Users[0].Username != "" || !v1.Users[0].Restricted {
		t.Errorf("v1 home users %+v", v1.Users)
	}
	var sw operations.SwitchedHomeUser
	if err := xml.Unmarshal([]byte(`<user email="" id="4321" uuid="bab38cb8852916f" username="" title="OnlyPhotos" authenticationToken="tok-1" `+
		`restricted="1" home="1" guest="0"><username/><email/></user>`), &sw); err != nil {
		t.Fatal(err)
	}
	if sw.Title != "OnlyPhotos" || sw.Username != "" || sw.AuthenticationToken != "tok-1" || !sw.Restricted {
		t.Errorf("v1 switch %v", sw)
	}
	var swJSON operations.SwitchedHomeUser
	if err := json.Unmarshal([]byte(`{"id":4321,"title":"OnlyPhotos","username":null,"email":null,"authToken":"tok-1","restricted":true}`), &swJSON); err != nil ||
		swJSON.Title != "OnlyPhotos" || swJSON.Username != "" || swJSON.AuthenticationToken != "tok-1" {
		t.Errorf("JSON switch %v, %v", swJSON, err)
	}
	var users struct {
		Users []operations.SharedUser `xml:"User"`
	}
	if err := xml.Unmarshal([]byte(`<MediaContainer><User id="8676063" title="18A0A7BD14ECC" protected="0" home="1" restricted="1"/></MediaContainer>`), &users); err != nil {
		t.Fatal(err)
	}
	if len(users.Users) != 1 || users.Users[0].Title != "18A0A7BD14ECC" || users.Users[0].Username != "" || !users.Users[0].Home {
		t.Errorf("v1 users %+v", users.Users)
	}
	var friends []operations.Friend
	if err := json.Unmarshal([]byte(`[{"id":2,"uuid":"deadbeef2","title":"Older kid","username":null,"restricted":true,"email":null,`+
		`"friendlyName":"Older kid","home":true,"status":"accepted","sharedServers":[]}]`), &friends); err != nil {
		t.Fatal(err)
	}
	if len(friends) != 1 || friends[0].Title != "Older kid" || friends[0].Username != "" || !friends[0].Home || !friends[0].Restricted {
		t.Errorf("friends %+v", friends)
	}
}

// The new types that hold a secret print and log it redacted under every
// verb and handler, directly and through a pointer, and still identify
// themselves.
func TestNewSecretsDoNotPrint(t *testing.T) {
	t.Parallel()
	const secret = "sdkops-secret-77"
	share := operations.SharedServer{ID: 77, Username: "bob", AccessToken: secret, Sections: []operations.SharedSection{{Key: "1"}}}
	dev := operations.AccountDevice{ID: 9, Name: "phone", Token: secret}
	claim := operations.ClaimToken{Token: secret}
	acct := operations.MyPlexAccount{Username: "alice", AuthToken: secret, SignInState: operations.MyPlexSignInStateOK}
	user := operations.SwitchedHomeUser{HomeMember: operations.HomeMember{ID: 3, Title: "kid"}, AuthenticationToken: secret}
	values := []any{share, &share, []operations.SharedServer{share}, dev, &dev, []operations.AccountDevice{dev},
		claim, &claim, acct, &acct, user, &user,
		operations.GetSharedServersResponse{SharedServers: []operations.SharedServer{share}},
		&operations.GetSharedServerResponse{SharedServer: &share},
		operations.GetDevicesResponse{Devices: []operations.AccountDevice{dev}},
		&operations.GetClaimTokenResponse{ClaimToken: &claim},
		&operations.GetMyPlexAccountResponse{MyPlex: &acct},
		operations.ClaimServerResponse{MyPlex: &acct},
		&operations.SwitchHomeUserV1Response{User: &user}}
	var b strings.Builder
	b.WriteString(printed(values...))
	// (%p is left out: fmt handles it before Format and, on a non-pointer,
	// prints the raw fields; no Go type can intercept that.)
	for _, verb := range []string{"%d", "%x", "%X", "%q", "%t", "%10s", "%-8v", "%08.3f"} {
		for _, v := range values[:12] {
			fmt.Fprintf(&b, verb+"\n", v)
		}
	}
	for _, h := range []slog.Handler{slog.NewTextHandler(&b, nil), slog.NewJSONHandler(&b, nil)} {
		for _, v := range values {
			if _, isSlice := v.([]operations.SharedServer); isSlice {
				continue // a bare slice in a JSON handler is its wire form
			}
			if _, isSlice := v.([]operations.AccountDevice); isSlice {
				continue
			}
			slog.New(h).Info("v", "v", v)
		}
	}
	out := b.String()
	if i := strings.Index(out, secret); i >= 0 {
		t.Errorf("a secret was printed or logged after %q", out[max(0, i-120):i])
	}
	for _, want := range []string{"Username:bob", "Name:phone", "ClaimToken{Token:REDACTED}", "Username:alice", "Title:kid", `"username":"bob"`, "REDACTED"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	// An empty secret prints as empty, not as REDACTED.
	if s := fmt.Sprint(operations.ClaimToken{}); s != "ClaimToken{Token:}" {
		t.Errorf("empty claim token prints %q", s)
	}
	if s := fmt.Sprintf("%#v", share); !strings.HasPrefix(s, "operations.SharedServer{") {
		t.Errorf("%%#v prints %q", s)
	}
}

// Open enums keep unknown values.
func TestNewEnums(t *testing.T) {
	t.Parallel()
	if !operations.MyPlexSignInStateNone.IsKnown() || operations.MyPlexSignInState("pending").IsKnown() ||
		!operations.MyPlexMappingStateMapped.IsKnown() || operations.MyPlexMappingState("failed").IsKnown() ||
		!operations.LibrarySectionTypePhoto.IsKnown() || !operations.FriendStatusAccepted.IsKnown() || operations.FriendStatus("x").IsKnown() {
		t.Error("IsKnown")
	}
	var a operations.MyPlexAccount
	if err := xml.Unmarshal([]byte(`<MyPlex signInState="weird" mappingState="failed" publicPort=""/>`), &a); err != nil || a.SignInState != "weird" || a.SignedIn() || a.MappingState != "failed" {
		t.Errorf("%v %v", a, err)
	}
	var nilAcct *operations.MyPlexAccount
	if nilAcct.SignedIn() {
		t.Error("nil account signed in")
	}
}

// An XML friendlyName="" is plex.tv's null: FriendlyName stays nil, as
// for JSON null; a real name is kept.
func TestFriendXMLNull(t *testing.T) {
	t.Parallel()
	var x struct {
		Friends []operations.Friend `xml:"friend"`
	}
	if err := xml.Unmarshal([]byte(`<friends><friend id="1" friendlyName="" home="1"/><friend id="2" friendlyName="Carol"/></friends>`), &x); err != nil {
		t.Fatal(err)
	}
	if len(x.Friends) != 2 || x.Friends[0].FriendlyName != nil || !x.Friends[0].Home || x.Friends[1].FriendlyName == nil || *x.Friends[1].FriendlyName != "Carol" {
		t.Errorf("friends %+v", x.Friends)
	}
}
