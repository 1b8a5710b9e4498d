// Package xmlattr adapts plex.tv's XML elements for encoding/xml.
package xmlattr

import "encoding/xml"

// DropEmpty returns start without its empty attributes. plex.tv writes a
// JSON null as an empty attribute (locale="", ownerId=""); encoding/xml
// would decode one into a non-nil pointer, and fail on an empty bool.
// Without the attribute the field keeps its zero value, nil for pointers,
// as in the JSON form.
func DropEmpty(start xml.StartElement) xml.StartElement {
	out := start
	out.Attr = make([]xml.Attr, 0, len(start.Attr))
	for _, a := range start.Attr {
		if a.Value != "" {
			out.Attr = append(out.Attr, a)
		}
	}
	return out
}
