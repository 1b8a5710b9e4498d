package components

import (
	"encoding/xml"

	"github.com/plexkit/plexgo/internal/xmlattr"
)

// UnmarshalXML decodes the <user> element; empty attributes (plex.tv's
// XML form of null) leave their fields nil, as in the JSON form.
func (u *UserPlexAccount) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	type plain UserPlexAccount
	return xmlattr.Decode(d, start, (*plain)(u))
}

// UnmarshalXML decodes a <subscription> element; empty attributes leave
// their fields nil, as in the JSON form.
func (s *Subscription) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	type plain Subscription
	return xmlattr.Decode(d, start, (*plain)(s))
}
