// Package xmlattr adapts plex.tv's XML elements for encoding/xml.
package xmlattr

import "encoding/xml"

// DropEmpty returns start without its empty attributes. plex.tv writes a
// JSON null as an empty attribute (locale="", ownerId=""); encoding/xml
// would decode one into a non-nil pointer, and fail on an empty bool.
// Without the attribute the field keeps its zero value, nil for pointers,
// as in the JSON form.
//
// It filters start.Attr in place (no allocation): call it on the start
// element an UnmarshalXML method received, whose attributes the decoder
// does not read again.
func DropEmpty(start xml.StartElement) xml.StartElement {
	kept := start.Attr[:0]
	for _, a := range start.Attr {
		if a.Value != "" {
			kept = append(kept, a)
		}
	}
	start.Attr = kept
	return start
}
