package wire

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plexkit/plexgo/models/components"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/models/sdkerrors"
)

// hostileXML returns bodies of about size bytes built to make
// encoding/xml allocate as much as possible per byte: tiny elements,
// attributes, namespaces, deep nesting, inside the elements the models
// decode into slices. pad spreads each unit over more bytes, so some
// bodies pass checkXML's density limit and are decoded.
func hostileXML(size int) map[string]string {
	units := map[string][2]string{ // unit, root
		"flat":        {"<a/>", "r"},
		"text nodes":  {"<a>x</a>", "r"},
		"attributes":  {` a=""`, ""},
		"wide":        {"<a" + strings.Repeat(` b=""`, xmlMaxAttrs) + "/>", "r"},
		"namespaces":  {`<a xmlns:b="c" b:d=""/>`, "r"},
		"features":    {`<feature id=""/>`, "user><subscription><features"},
		"connections": {`<Connection uri="" local="1"/>`, "MediaContainer><Device"},
		"resources":   {`<resource name=""><connections><connection uri=""/></connections></resource>`, "resources"},
		"home users":  {`<user id="1"/>`, "home><users"},
		"comments":    {"<!---->", "r"},
		"pis":         {"<?a?>", "r"},
		"directives":  {"<!a>", "r"},
		"cdata":       {"<![CDATA[]]>", "r"},
	}
	out := map[string]string{
		"deep":          strings.Repeat("<a>", size/3),
		"deep at limit": strings.Repeat("<a>"+strings.Repeat(" ", 40), xmlMaxDepth) + strings.Repeat("<a/>"+strings.Repeat(" ", 40), size/44),
	}
	for name, u := range units {
		// The exact pad puts the body at the density limit.
		exact := xmlElementBytes*(strings.Count(u[0], "<")-strings.Count(u[0], "</")-strings.Count(u[0], "<!")-strings.Count(u[0], "<?")) +
			xmlAttrBytes*strings.Count(u[0], "=") - len(u[0])
		for _, pad := range []int{0, max(exact, 0), 8, 16, 32} {
			unit := u[0] + strings.Repeat(" ", pad)
			body := strings.Repeat(unit, size/len(unit))
			var open, closing string
			for r := range strings.SplitSeq(u[1], "><") {
				if r == "" {
					continue
				}
				open += "<" + r + ">"
				closing = "</" + r + ">" + closing
			}
			if u[1] == "" { // attributes of the root
				open, closing = "<user", "/>"
			}
			out[fmt.Sprintf("%s+%d", name, pad)] = open + body + closing
		}
	}
	return out
}

// Any XML body within the limit costs at most 16 times its size (plus a
// fixed 64 KiB) to decode, accepted or refused. Not parallel: it measures
// the heap.
func TestXMLDecodingBounded(t *testing.T) {
	const size = 256 << 10
	targets := map[string]func() *Call{
		"account": func() *Call { return &Call{Out: new(components.UserPlexAccount)} },
		"container": func() *Call {
			return &Call{Out: new(operations.GetSourceConnectionInformationMediaContainer), Container: true}
		},
		"resources": func() *Call {
			return &Call{Out: new([]operations.Resource), XMLOut: new(struct {
				Resources []operations.Resource `xml:"resource"`
			})}
		},
	}
	decoded, worst, worstName := 0, 0.0, ""
	for name, body := range hostileXML(size) {
		data := []byte(body)
		for tname, mk := range targets {
			var err error
			// The smaller of two runs: an allocation elsewhere in the
			// process must not count against the decoder.
			got := min(allocated(func() { err = decode(mk(), "application/xml", data) }),
				allocated(func() { err = decode(mk(), "application/xml", data) }))
			if err != nil && !errors.Is(err, sdkerrors.ErrUnexpectedContent) {
				t.Errorf("%s into %s: %v", name, tname, err)
			}
			if err == nil {
				decoded++
			}
			if r := float64(got) / float64(len(data)); r > worst {
				worst, worstName = r, name+" into "+tname
			}
			if limit := 16*uint64(len(data)) + 64<<10; got > limit {
				t.Errorf("%s into %s: allocated %.1f times the body (%d bytes, accepted %t)", name, tname, float64(got)/float64(len(data)), len(data), err == nil)
			}
		}
		if len(data) <= maxErrorBody {
			continue
		}
		errBody := data[:maxErrorBody]
		if got := allocated(func() {
			_ = newAPIError("x", &http.Response{StatusCode: 400, Header: http.Header{}}, "application/xml", errBody, 1, testNow)
		}); got > 16*maxErrorBody+64<<10 {
			t.Errorf("%s as an error body: allocated %.1f times", name, float64(got)/float64(len(errBody)))
		}
	}
	t.Logf("worst: %.1f times the body (%s); %d decoded", worst, worstName, decoded)
	if decoded == 0 {
		t.Error("no hostile body was accepted: the bound was never measured on a decode")
	}
}

// Real answers stay well inside the limits.
func TestXMLFixturesPassCheck(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("testdata/*.xml")
	if len(files) == 0 {
		t.Fatal("no XML fixtures")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := checkXML(data); err != nil {
			t.Errorf("%s: %v", f, err)
		}
		// A large realistic answer: 2,000 resources of 3 connections each.
		conn := `<connection protocol="https" address="10.0.0.2" port="32400" uri="https://10-0-0-2.0123456789abcdef.plex.direct:32400" local="1" relay="0" IPv6="0"/>`
		res := `<resource name="s" product="Plex Media Server" clientIdentifier="0123456789abcdef" provides="server" owned="1" accessToken="t"><connections>` +
			strings.Repeat(conn, 3) + `</connections></resource>`
		if err := checkXML([]byte("<resources>" + strings.Repeat(res, 2000) + "</resources>")); err != nil {
			t.Errorf("resources: %v", err)
		}
	}
}

func TestCheckXML(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]error{
		strings.Repeat("<a>", xmlMaxDepth) + strings.Repeat("</a>", xmlMaxDepth):               nil,
		strings.Repeat("<a>", xmlMaxDepth+1):                                                   errXMLTooDeep,
		strings.Repeat("<a></a>", 10000):                                                       errXMLTooDense,
		"<r>" + strings.Repeat(`<a b=">>>>>>>>>>>>>>>>>>>>>>>>>>>>>>" c='/>'/>`, 100) + "</r>": nil,
		`<r x="` + strings.Repeat(`<a/>`, 10000) + `"/>`:                                       nil, // inside a value: not elements
		"<!--" + strings.Repeat("<a/>", 10000) + "-->":                                         nil,
		"<![CDATA[" + strings.Repeat("<a/>", 10000) + "]]>":                                    nil,
		"<r " + strings.Repeat(`a="" `, 5000) + "/>":                                           errXMLAttrs,
		"<r " + strings.Repeat(`a="............" `, 256) + "/>":                                nil,
		"<":  nil,
		"<a": nil,
		"":   nil,
	} {
		if got := checkXML([]byte(body)); got != want {
			t.Errorf("%.40q…: got %v, want %v", body, got, want)
		}
	}
}

// FuzzCheckXML: the scan never panics, and whenever it accepts a body the
// depth encoding/xml sees stays within the limit.
func FuzzCheckXML(f *testing.F) {
	for _, seed := range []string{"", "<", "<a", "<a/>", "<a b='>'>", "<!--", "<![CDATA[", "<?x", "</", "<a></a>", `<a b="1" c='2'/>`,
		strings.Repeat("<a>", xmlMaxDepth+1)} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if checkXML(data) != nil {
			return
		}
		d := xml.NewDecoder(bytes.NewReader(data))
		depth := 0
		for {
			tok, err := d.Token()
			if err != nil {
				return
			}
			switch tok.(type) {
			case xml.StartElement:
				depth++
				if depth > xmlMaxDepth {
					t.Fatalf("accepted a body nested %d deep", depth)
				}
			case xml.EndElement:
				depth--
			}
		}
	})
}
