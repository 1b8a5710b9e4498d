package plexgo

import (
	"encoding/json"
	"encoding/xml"
	"slices"
	"testing"
)

// listOf decodes like a struct with one `json:"User" xml:"User"` field of
// type *[]T: the key matched exactly or ignoring case, null and absent
// keys leave the list empty, other children are skipped.
func TestListDecodes(t *testing.T) {
	t.Parallel()
	type user struct {
		ID int `json:"id" xml:"id,attr"`
	}
	for _, tc := range []struct {
		body string
		want []int
	}{
		{`{"User":[{"id":1},{"id":2}],"size":2}`, []int{1, 2}},
		{`{"user":[{"id":3}]}`, []int{3}},
		{`{"User":null}`, nil},
		{`{"size":0}`, nil},
	} {
		var got []user
		if err := json.Unmarshal([]byte(tc.body), listOf("User", &got)); err != nil {
			t.Fatalf("%s: %v", tc.body, err)
		}
		ids := []int(nil)
		for _, u := range got {
			ids = append(ids, u.ID)
		}
		if !slices.Equal(ids, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.body, ids, tc.want)
		}
	}
	if err := json.Unmarshal([]byte(`{"User":{"id":1}}`), listOf("User", new([]user))); err == nil {
		t.Error("an object for the list: no error")
	}
	var got []user
	body := `<MediaContainer size="2"><User id="1"/><Other><User id="9"/></Other><User id="2">text</User></MediaContainer>`
	if err := xml.Unmarshal([]byte(body), listOf("User", &got)); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != 1 || got[1].ID != 2 {
		t.Errorf("XML: got %+v", got)
	}
	if err := xml.Unmarshal([]byte(`<MediaContainer><User id="1">`), listOf("User", new([]user))); err == nil {
		t.Error("truncated XML: no error")
	}
}
