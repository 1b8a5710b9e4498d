package operations

import (
	"encoding/xml"

	"github.com/plexkit/plexgo/internal/xmlattr"
)

// UnmarshalXML decodes a <resource> element; empty attributes (plex.tv
// writes ownerId="" and sourceTitle="" for an owned server) leave their
// fields nil, as in the JSON form.
func (r *Resource) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	type plain Resource
	return xmlattr.Decode(d, start, (*plain)(r))
}
