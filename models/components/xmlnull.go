package components

import (
	"encoding/xml"

	"github.com/plexkit/plexgo/internal/xmlattr"
)

// UnmarshalXML decodes the <user> element; empty attributes (plex.tv's
// XML form of null) leave their fields nil, as in the JSON form.
func (u *UserPlexAccount) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	type plain UserPlexAccount
	s := xmlattr.DropEmpty(start)
	return d.DecodeElement((*plain)(u), &s)
}

// UnmarshalXML decodes a <subscription> element; empty attributes leave
// their fields nil, as in the JSON form.
func (s *Subscription) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	type plain Subscription
	st := xmlattr.DropEmpty(start)
	return d.DecodeElement((*plain)(s), &st)
}
