package operations_test

import (
	"encoding/xml"
	"testing"

	"github.com/plexkit/plexgo/models/operations"
)

// An owned server in plex.tv's XML has ownerId="" sourceTitle=""
// (captured answer); they decode as absent, as the JSON nulls do.
func TestResourceXMLEmptyAttributes(t *testing.T) {
	var r operations.Resource
	if err := xml.Unmarshal([]byte(`<resource name="s" ownerId="" sourceTitle="" owned="1" createdAt="2024-03-17T11:34:53Z"/>`), &r); err != nil {
		t.Fatal(err)
	}
	if r.OwnerID != nil || r.SourceTitle != nil || !r.Owned || r.CreatedAt.Year() != 2024 {
		t.Fatalf("resource = %v owner %v title %v", r, r.OwnerID, r.SourceTitle)
	}
	if err := xml.Unmarshal([]byte(`<resource name="s" ownerId="7" sourceTitle="bob"/>`), &r); err != nil {
		t.Fatal(err)
	}
	if r.OwnerID == nil || *r.OwnerID != 7 || r.SourceTitle == nil || *r.SourceTitle != "bob" {
		t.Fatal("shared server's owner lost")
	}
}
