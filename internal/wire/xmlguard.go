package wire

import (
	"bytes"
	"errors"
)

// Bounds on an XML body, checked before encoding/xml sees it. encoding/xml
// allocates a few hundred bytes per element and about a hundred per
// attribute whatever their size, and a nested element keeps its stack
// entry, so a body of tiny or deeply nested elements cost 20-65 times its
// size. checkXML refuses a body nested deeper than xmlMaxDepth, an element
// with more than xmlMaxAttrs attributes, and a body with, on average, less
// than xmlElementBytes per element and xmlAttrBytes per attribute (after a
// free allowance of xmlFreeWeight). Within those bounds decoding into the
// models allocates at most 16 times the body's size plus 64 KiB, which
// TestXMLDecodingBounded measures with hostile bodies; real Plex answers
// use about half of this budget.
const (
	xmlMaxDepth     = 64  // Plex answers nest 5 deep
	xmlMaxAttrs     = 256 // per element; a plex.tv account has 35
	xmlElementBytes = 40  // body bytes each element must be worth, on average
	xmlAttrBytes    = 8   // body bytes each attribute must be worth, on average
	xmlFreeWeight   = 4 << 10
)

var (
	errXMLTooDeep  = errors.New("XML nested deeper than 64 elements")
	errXMLTooDense = errors.New("XML has too many elements or attributes for its size")
	errXMLAttrs    = errors.New("XML element with more than 256 attributes")
)

// checkXML scans data for its nesting depth and its element and attribute
// counts without allocating. It counts conservatively: it never sees fewer
// elements or attributes than encoding/xml would.
func checkXML(data []byte) error {
	depth, weight := 0, 0
	budget := len(data) + xmlFreeWeight
	for i := 0; i < len(data); {
		j := bytes.IndexByte(data[i:], '<')
		if j < 0 || i+j+1 >= len(data) {
			return nil
		}
		i += j + 1
		switch c := data[i]; {
		case c == '/':
			depth = max(depth-1, 0)
			i = skipPast(data, i, ">")
		case c == '?':
			i = skipPast(data, i, "?>")
		case bytes.HasPrefix(data[i:], []byte("!--")):
			i = skipPast(data, i+3, "-->")
		case bytes.HasPrefix(data[i:], []byte("![CDATA[")):
			i = skipPast(data, i+8, "]]>")
		case c == '!':
			i = skipPast(data, i, ">")
		default:
			var attrs int
			var closed bool
			i, attrs, closed = scanTag(data, i)
			weight += xmlElementBytes + attrs*xmlAttrBytes
			if attrs > xmlMaxAttrs {
				return errXMLAttrs
			}
			if !closed {
				depth++
			}
			if depth > xmlMaxDepth {
				return errXMLTooDeep
			}
			if weight > budget {
				return errXMLTooDense
			}
		}
	}
	return nil
}

// skipPast returns the index just after the first end at or after i (or
// len(data)).
func skipPast(data []byte, i int, end string) int {
	k := bytes.Index(data[i:], []byte(end))
	if k < 0 {
		return len(data)
	}
	return i + k + len(end)
}

// scanTag reads a start tag from just after its '<': it returns the index
// after its '>', the number of attributes (each '=' outside a quoted
// value) and whether the tag closes itself ("/>").
func scanTag(data []byte, i int) (next, attrs int, closed bool) {
	for i < len(data) {
		switch data[i] {
		case '>':
			return i + 1, attrs, data[i-1] == '/'
		case '=':
			attrs++
		case '"', '\'':
			k := bytes.IndexByte(data[i+1:], data[i])
			if k < 0 {
				return len(data), attrs, false
			}
			i += k + 1
		}
		i++
	}
	return len(data), attrs, false
}
