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

// Decode decodes the element start opens into v without start's empty
// attributes (see DropEmpty): the body of an UnmarshalXML method, called
// with v the method's receiver converted to a type without the method.
func Decode(d *xml.Decoder, start xml.StartElement, v any) error {
	s := DropEmpty(start)
	return d.DecodeElement(v, &s)
}
