package plexgo

import (
	"encoding/json"
	"encoding/xml"
	"strings"
)

// list decodes an answer whose payload is a list of same-named children:
// the MediaContainer of GetUsers ({"MediaContainer":{"User":[…]}} or
// <MediaContainer><User/>…</MediaContainer>), or an XML root such as
// <resources><resource/>…</resources>. The items are appended to *items;
// other children are ignored. It decodes as a struct with one field
// `json:"NAME" xml:"NAME"` of type *[]T would, the field name chosen at
// run time.
type list[T any] struct {
	name  string
	items *[]T
}

// listOf returns the decoder of the children called name into *items.
func listOf[T any](name string, items *[]T) *list[T] { return &list[T]{name: name, items: items} }

// UnmarshalJSON decodes the array under the key l.name, matched as
// encoding/json matches a field name: exactly, else ignoring case.
func (l *list[T]) UnmarshalJSON(data []byte) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		return err
	}
	raw, ok := obj[l.name]
	for k, v := range obj {
		if !ok && strings.EqualFold(k, l.name) {
			raw, ok = v, true
		}
	}
	if !ok || string(raw) == "null" {
		return nil
	}
	return json.Unmarshal(raw, l.items)
}

// UnmarshalXML appends every child element called l.name (any namespace)
// and skips the others.
func (l *list[T]) UnmarshalXML(d *xml.Decoder, _ xml.StartElement) error {
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != l.name {
				if err := d.Skip(); err != nil {
					return err
				}
				continue
			}
			var v T
			if err := d.DecodeElement(&v, &t); err != nil {
				return err
			}
			*l.items = append(*l.items, v)
		case xml.EndElement:
			return nil
		}
	}
}
