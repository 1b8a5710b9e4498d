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
	wantSharing := operations.SharingSettings{AllowSync: true, AllowTuners: true, FilterAll: "label=kids", FilterMovies: "12"}
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
