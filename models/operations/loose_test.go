package operations

import (
	"encoding/json"
	"testing"
)

// loose reads the loose forms in the loose fields only, zeroes a
// loose field whose key is absent, keeps the other fields, and rejects
// what flexBool, flexInt and encoding/json reject.
func TestDecodeLoose(t *testing.T) {
	t.Parallel()
	type row struct {
		ID    int64  `json:"id"`
		Port  int    `json:"port"`
		On    bool   `json:"on"`
		Key   string `json:"key"`
		Name  string `json:"name"`
		Kept  string `json:"kept"`
		Items []int  `json:"items"`
	}
	var r row
	r.Kept, r.Port = "before", 7
	if err := newLoose[row]("ID", "Port", "On", "Key").decode([]byte(`{"id":"12","on":"1","key":42,"NAME":"x","items":[1,2]}`), &r); err != nil {
		t.Fatal(err)
	}
	want := row{ID: 12, Port: 0, On: true, Key: "42", Name: "x", Kept: "before", Items: []int{1, 2}}
	if r.ID != want.ID || r.Port != want.Port || r.On != want.On || r.Key != want.Key || r.Name != want.Name || r.Kept != want.Kept || len(r.Items) != 2 {
		t.Errorf("got %+v, want %+v", r, want)
	}
	for _, bad := range []string{`{"on":"maybe"}`, `{"id":1.5}`, `{"name":1}`, `[1]`, `{`} {
		if err := newLoose[row]("ID", "On").decode([]byte(bad), &r); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
	// A model's UnmarshalJSON built on it (no recursion) reads the v1 form.
	var u SharedUser
	if err := json.Unmarshal([]byte(`{"id":"5","home":1,"restricted":"0","username":"bob","Server":[{"id":"9","owned":"1"}]}`), &u); err != nil {
		t.Fatal(err)
	}
	if u.ID != 5 || !u.Home || u.Restricted || u.Username != "bob" || len(u.Servers) != 1 || u.Servers[0].ID != 9 || !u.Servers[0].Owned {
		t.Errorf("got %+v", u)
	}
}
