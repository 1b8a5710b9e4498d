package components_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"testing"

	"github.com/plexkit/plexgo/models/components"
)

// FuzzFlexString checks FlexString against encoding/json's own reading of
// the same document: a JSON string, number, boolean or null is accepted
// and kept as written (strings decoded, null leaving the value alone);
// anything else is an error. Direct calls with junk never panic.
func FuzzFlexString(f *testing.F) {
	for _, s := range []string{
		`"08001"`, `8001`, `-1.5e3`, `true`, `false`, `null`, `""`, ` "x" `,
		`"\u00e9\ud83d\ude00"`, `"\ud800"`, `1e999999`, `-0`, `0x1`, `01`, `+1`,
		`123456789012345678901234567890`, `{}`, `[]`, `"unterminated`, `nul`, `tru`,
		`"a" "b"`, "\t\n null \r", `NaN`, `Infinity`, `"\x00"`, "\"\xff\"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// Direct call, as a custom decoder might make it: no panic.
		var direct components.FlexString = "unchanged"
		_ = direct.UnmarshalJSON(data)

		const before = "unchanged"
		s := components.FlexString(before)
		err := json.Unmarshal(data, &s)

		if !json.Valid(data) {
			if err == nil {
				t.Fatalf("FlexString accepted %q, which is not valid JSON", data)
			}
			return
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var ref any
		if refErr := dec.Decode(&ref); refErr != nil {
			t.Fatalf("valid JSON %q does not decode: %v", data, refErr)
		}
		var want string
		switch v := ref.(type) {
		case string:
			want = v
		case json.Number:
			want = string(v)
		case bool:
			if v {
				want = "true"
			} else {
				want = "false"
			}
		case nil:
			want = before // null leaves the value alone
		default:
			if err == nil {
				t.Fatalf("FlexString accepted %q (a %T), want an error", data, ref)
			}
			return
		}
		if err != nil {
			t.Fatalf("FlexString rejected %q: %v", data, err)
		}
		if string(s) != want {
			t.Fatalf("FlexString(%q) = %q, want %q", data, s, want)
		}
	})
}

// xmlIDs is what every one of Feature, Role and Entitlement should decode
// to: the element's id attribute, whatever it contains.
type xmlIDs struct {
	Features     []components.Feature     `xml:"features>feature"`
	Roles        []components.Role        `xml:"roles>role"`
	Entitlements []components.Entitlement `xml:"entitlements>entitlement"`
	One          *components.Feature      `xml:"feature"`
}

// refID reads the id attribute with encoding/xml's own attribute matching.
type refID struct {
	ID string `xml:"id,attr"`
}

type refIDs struct {
	Features     []refID `xml:"features>feature"`
	Roles        []refID `xml:"roles>role"`
	Entitlements []refID `xml:"entitlements>entitlement"`
	One          *refID  `xml:"feature"`
}

// FuzzIDElementsXML decodes Feature, Role and Entitlement elements inside
// a wrapper and compares them with a plain struct reading the same id
// attribute: same success, same values.
func FuzzIDElementsXML(f *testing.F) {
	for _, s := range []string{
		`<w><features><feature id="sync"/><feature id="webhooks"></feature></features></w>`,
		`<w><roles><role id="plexpass"/></roles><entitlements><entitlement id="ios"/><entitlement id="all"/></entitlements></w>`,
		`<w><feature id="a" id="b"/></w>`,
		`<w><features><feature/><feature id=""/><feature x:id="ns" xmlns:x="urn:x"/></features></w>`,
		`<w><features><feature id="a"><feature id="nested"/>text<![CDATA[x]]><!-- c --></feature></features></w>`,
		`<w><roles><role id="&amp;&lt;&#x1F600;&#233;"/></roles></w>`,
		`<w><roles><role id="unterminated"></w>`,
		`<w><features><feature id="a"></features></w>`,
		`<!DOCTYPE w [<!ENTITY a "aaaa">]><w><feature id="&a;"/></w>`,
		`<w><feature id='single'/><feature id="second"/></w>`,
		`<w><entitlements><entitlement id="` + "\u00e9\u4e2d" + `"/></entitlements></w>`,
		`<?xml version="1.0" encoding="UTF-8"?><w/>`,
		`<w><features><feature id="x"/></features><features><feature id="y"/></features></w>`,
		``, `<`, `<w>`, `<w><feature id="a"/></x>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var got xmlIDs
		err := xml.Unmarshal(data, &got)
		var ref refIDs
		refErr := xml.Unmarshal(data, &ref)
		if (err == nil) != (refErr == nil) {
			t.Fatalf("xml.Unmarshal(%q): components err %v, reference err %v", data, err, refErr)
		}
		if err != nil {
			return
		}
		same := func(what string, a []string, b []refID) {
			if len(a) != len(b) {
				t.Fatalf("%s of %q: %d values, reference %d", what, data, len(a), len(b))
			}
			for i := range a {
				if a[i] != b[i].ID {
					t.Fatalf("%s[%d] of %q = %q, reference %q", what, i, data, a[i], b[i].ID)
				}
			}
		}
		same("features", strs(got.Features), ref.Features)
		same("roles", strs(got.Roles), ref.Roles)
		same("entitlements", strs(got.Entitlements), ref.Entitlements)
		if (got.One == nil) != (ref.One == nil) || got.One != nil && string(*got.One) != ref.One.ID {
			t.Fatalf("single feature of %q = %v, reference %v", data, got.One, ref.One)
		}
	})
}

func strs[S ~string](in []S) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}
