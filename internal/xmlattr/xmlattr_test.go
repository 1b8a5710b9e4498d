package xmlattr

import (
	"encoding/xml"
	"testing"
)

type nullable struct {
	Locale *string `xml:"locale,attr,omitempty"`
	Anon   *bool   `xml:"anonymous,attr,omitempty"`
	Owner  *int64  `xml:"ownerId,attr,omitempty"`
	Name   string  `xml:"name,attr"`
}

func (n *nullable) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	type plain nullable
	return d.DecodeElement((*plain)(n), ptr(DropEmpty(start)))
}

func ptr(s xml.StartElement) *xml.StartElement { return &s }

func TestDropEmpty(t *testing.T) {
	var n nullable
	if err := xml.Unmarshal([]byte(`<x locale="" anonymous="" ownerId="" name="a"/>`), &n); err != nil {
		t.Fatal(err)
	}
	if n.Locale != nil || n.Anon != nil || n.Owner != nil || n.Name != "a" {
		t.Fatalf("got %+v", n)
	}
	n = nullable{}
	if err := xml.Unmarshal([]byte(`<x locale="en" anonymous="1" ownerId="7"/>`), &n); err != nil {
		t.Fatal(err)
	}
	if n.Locale == nil || *n.Locale != "en" || n.Anon == nil || !*n.Anon || n.Owner == nil || *n.Owner != 7 {
		t.Fatalf("got %+v", n)
	}
}
