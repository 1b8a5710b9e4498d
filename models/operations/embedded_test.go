package operations_test

import (
	"encoding/json"
	"encoding/xml"
	"testing"

	"github.com/plexkit/plexgo/models/operations"
)

// The fields of the embedded HomeMember and SharingSettings decode from
// both encodings as the outer types' own fields did, loose JSON included.
func TestEmbeddedFieldsDecode(t *testing.T) {
	wantMember := operations.HomeMember{ID: 7, UUID: "u7", Title: "kid", Username: "kid", Email: "k@example.com",
		Thumb: "t", Restricted: true, Protected: true, Admin: false, Guest: true, Home: true}
	wantSharing := operations.SharingSettings{AllowSync: true, AllowTuners: operations.TunerAccessLiveTV, FilterAll: "label=kids", FilterMovies: "12"}
	for _, tc := range []struct {
		name, body string
		xml        bool
	}{
		{"json", `{"id":"7","uuid":"u7","title":"kid","username":"kid","email":"k@example.com","thumb":"t",` +
			`"restricted":1,"protected":"1","admin":0,"guest":true,"home":1,"hasPassword":"1",` +
			`"authenticationToken":"tok","allowSync":"1","allowTuners":1,"filterAll":"label=kids","filterMovies":"12","userID":3}`, false},
		{"xml", `<user id="7" uuid="u7" title="kid" username="kid" email="k@example.com" thumb="t" restricted="1"` +
			` protected="1" admin="0" guest="1" home="1" hasPassword="1" authenticationToken="tok" allowSync="1"` +
			` allowTuners="1" filterAll="label=kids" filterMovies="12" userID="3"/>`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			unmarshal := json.Unmarshal
			if tc.xml {
				unmarshal = xml.Unmarshal
			}
			var hu operations.HomeUser
			var su operations.SwitchedHomeUser
			var ss operations.SharedServer
			var us operations.SharedUser
			for _, v := range []any{&hu, &su, &ss, &us} {
				if err := unmarshal([]byte(tc.body), v); err != nil {
					t.Fatalf("%T: %v", v, err)
				}
			}
			if hu.HomeMember != wantMember || !hu.HasPassword {
				t.Errorf("HomeUser = %+v", hu)
			}
			if su.HomeMember != wantMember || su.AuthenticationToken != "tok" {
				t.Errorf("SwitchedHomeUser member = %+v, token set: %t", su.HomeMember, su.AuthenticationToken == "tok")
			}
			if ss.SharingSettings != wantSharing || ss.UserID != 3 || ss.AccessToken != "" {
				t.Errorf("SharedServer settings = %+v, UserID %d", ss.SharingSettings, ss.UserID)
			}
			if us.SharingSettings != wantSharing || us.ID != 7 || !us.Restricted {
				t.Errorf("SharedUser = %+v", us)
			}
		})
	}
}

// allowTuners is 0, 1 or 2 on the wire (none, Live TV, Live TV and DVR); a
// 2 used to fail the whole GetUsers/GetSharedServers decode as a bool.
func TestTunerAccessDecode(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want operations.TunerAccess
	}{{"0", operations.TunerAccessNone}, {"1", operations.TunerAccessLiveTV}, {"2", operations.TunerAccessLiveTVAndDVR},
		{"", operations.TunerAccessNone}, {"true", operations.TunerAccessLiveTV}, {"false", operations.TunerAccessNone}, {"7", 7}} {
		var x operations.SharedServer
		if err := xml.Unmarshal([]byte(`<SharedServer allowTuners="`+tc.in+`"/>`), &x); err != nil || x.AllowTuners != tc.want {
			t.Errorf("XML allowTuners=%q: %v, %v; want %v", tc.in, x.AllowTuners, err, tc.want)
		}
		var j operations.SharedUser
		if err := json.Unmarshal([]byte(`{"allowTuners":"`+tc.in+`"}`), &j); err != nil || j.AllowTuners != tc.want {
			t.Errorf("JSON allowTuners=%q: %v, %v; want %v", tc.in, j.AllowTuners, err, tc.want)
		}
	}
	if err := json.Unmarshal([]byte(`{"allowTuners":2}`), new(operations.SharedServer)); err != nil {
		t.Errorf("JSON number 2: %v", err)
	}
	if err := xml.Unmarshal([]byte(`<SharedServer allowTuners="lots"/>`), new(operations.SharedServer)); err == nil {
		t.Error("allowTuners=lots decoded without error")
	}
	if !operations.TunerAccessLiveTVAndDVR.IsKnown() || operations.TunerAccess(7).IsKnown() || operations.TunerAccessNone.Allowed() {
		t.Error("IsKnown/Allowed")
	}
}
