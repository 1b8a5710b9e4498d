package plextest

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// kv is one member of an ordered object.
type kv struct {
	K string
	V any
}

// obj is an ordered JSON object. Values are scalars (string, bool, int,
// int64, float64, json.Number), nil, obj or []any.
type obj []kv

// MarshalJSON writes the members in order.
func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, e := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, err := json.Marshal(e.K)
		if err != nil {
			return nil, err
		}
		b.Write(kb)
		b.WriteByte(':')
		vb, err := json.Marshal(e.V)
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (o obj) get(k string) any {
	for _, e := range o {
		if e.K == k {
			return e.V
		}
	}
	return nil
}

func (o *obj) set(k string, v any) {
	for i := range *o {
		if (*o)[i].K == k {
			(*o)[i].V = v
			return
		}
	}
	*o = append(*o, kv{k, v})
}

func (o *obj) del(k string) {
	for i := range *o {
		if (*o)[i].K == k {
			*o = append((*o)[:i], (*o)[i+1:]...)
			return
		}
	}
}

// cloneAny deep-copies obj and []any values.
func cloneAny(v any) any {
	switch t := v.(type) {
	case obj:
		c := make(obj, len(t))
		for i, e := range t {
			c[i] = kv{e.K, cloneAny(e.V)}
		}
		return c
	case []any:
		c := make([]any, len(t))
		for i, e := range t {
			c[i] = cloneAny(e)
		}
		return c
	default:
		return v
	}
}

func cloneObj(v any) obj {
	o, _ := cloneAny(v).(obj)
	return o
}

func strList(ss []string) []any {
	out := make([]any, 0, len(ss))
	for _, s := range ss {
		out = append(out, s)
	}
	return out
}

func anyStrings(v any) []string {
	l, _ := v.([]any)
	var out []string
	for _, e := range l {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// parseOrdered decodes JSON keeping the member order of objects.
func parseOrdered(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := parseValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("plextest: trailing data after JSON value")
	}
	return v, nil
}

func parseValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := obj{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("plextest: bad object key %v", kt)
				}
				v, err := parseValue(dec)
				if err != nil {
					return nil, err
				}
				o = append(o, kv{k, v})
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return o, nil
		case '[':
			l := []any{}
			for dec.More() {
				v, err := parseValue(dec)
				if err != nil {
					return nil, err
				}
				l = append(l, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return l, nil
		}
		return nil, fmt.Errorf("plextest: unexpected delimiter %v", t)
	default:
		return t, nil
	}
}

// ---- XML rendering ----

const xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// renderXML renders v as an XML document whose root element is named root.
//
// Rules (plex.tv and PMS conventions): scalar members become attributes,
// booleans 1/0, nulls empty attributes, subscribedAt dates
// "2006-01-02 15:04:05 UTC"; an object member becomes a child element
// named after the key; a list member with a lower-case key becomes a wrapper
// element with singular children (<features><feature id="x"/></features>);
// a list member with an upper-case key (PMS style, e.g. Connection) becomes
// repeated child elements without a wrapper. A list at the root becomes
// <root size="N"> with singular children.
func renderXML(root string, v any) []byte {
	var b bytes.Buffer
	b.WriteString(xmlHeader)
	if l, ok := v.([]any); ok {
		fmt.Fprintf(&b, `<%s size="%d">`, root, len(l))
		for _, it := range l {
			writeXMLItem(&b, singular(root), it)
		}
		fmt.Fprintf(&b, "</%s>", root)
	} else {
		writeXMLItem(&b, root, v)
	}
	b.WriteByte('\n')
	return b.Bytes()
}

func singular(k string) string {
	switch {
	case strings.HasSuffix(k, "ies"):
		return k[:len(k)-3] + "y"
	case strings.HasSuffix(k, "s") && len(k) > 1:
		return k[:len(k)-1]
	}
	return k + "Item"
}

func writeXMLItem(b *bytes.Buffer, name string, v any) {
	switch t := v.(type) {
	case nil:
	case obj:
		writeXMLObj(b, name, t)
	case []any:
		// nested list: wrap
		b.WriteString("<" + name + ">")
		for _, it := range t {
			writeXMLItem(b, singular(name), it)
		}
		b.WriteString("</" + name + ">")
	default:
		b.WriteString("<" + name + ` id="`)
		b.WriteString(xmlAttrEscape(scalarString(t)))
		b.WriteString(`"/>`)
	}
}

func writeXMLObj(b *bytes.Buffer, name string, o obj) {
	b.WriteString("<" + name)
	hasChildren := false
	for _, e := range o {
		switch e.V.(type) {
		case nil:
			b.WriteString(" " + e.K + `=""`) // plex.tv writes nulls as empty attributes
		case obj, []any:
			hasChildren = true
		default:
			b.WriteString(" " + e.K + `="`)
			b.WriteString(xmlAttrEscape(xmlAttrValue(e.K, e.V)))
			b.WriteString(`"`)
		}
	}
	if !hasChildren {
		b.WriteString("/>")
		return
	}
	b.WriteString(">")
	for _, e := range o {
		switch t := e.V.(type) {
		case obj:
			writeXMLObj(b, e.K, t)
		case []any:
			if isUpper(e.K) {
				for _, it := range t {
					writeXMLItem(b, e.K, it)
				}
				continue
			}
			if len(t) == 0 {
				b.WriteString("<" + e.K + "/>")
				continue
			}
			b.WriteString("<" + e.K + ">")
			for _, it := range t {
				writeXMLItem(b, singular(e.K), it)
			}
			b.WriteString("</" + e.K + ">")
		}
	}
	b.WriteString("</" + name + ">")
}

// xmlDateAttrs are the members plex.tv writes in XML as
// "2006-01-02 15:04:05 UTC" where its JSON has RFC 3339 (see the package
// documentation for the evidence).
var xmlDateAttrs = map[string]bool{"subscribedAt": true}

// xmlAttrValue renders a scalar attribute, reformatting dates where
// plex.tv's XML differs from its JSON.
func xmlAttrValue(k string, v any) string {
	if str, ok := v.(string); ok && xmlDateAttrs[k] {
		if t, err := time.Parse(time.RFC3339, str); err == nil {
			return t.UTC().Format("2006-01-02 15:04:05") + " UTC"
		}
	}
	return scalarString(v)
}

func isUpper(k string) bool {
	for _, r := range k {
		return unicode.IsUpper(r)
	}
	return false
}

func scalarString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case bool:
		if t {
			return "1"
		}
		return "0"
	case int:
		return strconv.Itoa(t)
	case int64:
		return strconv.FormatInt(t, 10)
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case json.Number:
		return t.String()
	default:
		return fmt.Sprint(t)
	}
}

func xmlAttrEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
