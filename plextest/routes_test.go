package plextest

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// docRoutes returns the "METHOD /path" lines of the doc.go section headed
// heading.
func docRoutes(t *testing.T, heading string) []string {
	t.Helper()
	b, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(b), "// # "+heading+"\n")
	if !ok {
		t.Fatalf("doc.go has no section %q", heading)
	}
	if i := strings.Index(sec, "\n// # "); i >= 0 {
		sec = sec[:i]
	}
	line := regexp.MustCompile(`(?m)^//\t(GET|POST|PUT|DELETE|PATCH|ANY)\s+(/\S*)`)
	var out []string
	for _, m := range line.FindAllStringSubmatch(sec, -1) {
		out = append(out, m[1]+" "+m[2])
	}
	if len(out) == 0 {
		t.Fatalf("doc.go section %q lists no routes", heading)
	}
	return out
}

// docForm turns a ServeMux pattern into the documented form: ANY for no
// method, without the {$} anchor.
func docForm(pattern string) string {
	m, p, ok := strings.Cut(pattern, " ")
	if !ok {
		m, p = "ANY", pattern
	}
	return m + " " + strings.TrimSuffix(p, "{$}")
}

// requestFor builds a request matching a documented route.
func requestFor(route string) *http.Request {
	m, p, _ := strings.Cut(route, " ")
	if m == "ANY" {
		m = http.MethodPatch
	}
	p = regexp.MustCompile(`\{[^}]+\}`).ReplaceAllString(p, "x1")
	return httptest.NewRequest(m, p, nil)
}

func checkRoutes(t *testing.T, heading string, patterns []string, mux *http.ServeMux) {
	t.Helper()
	doc := docRoutes(t, heading)
	var code []string
	for _, p := range patterns {
		code = append(code, docForm(p))
	}
	slices.Sort(code)
	sortedDoc := slices.Sorted(slices.Values(doc))
	if !slices.Equal(code, sortedDoc) {
		t.Errorf("doc.go %q lists\n%s\nthe mux registers\n%s", heading, strings.Join(sortedDoc, "\n"), strings.Join(code, "\n"))
	}
	for _, d := range doc {
		_, pat := mux.Handler(requestFor(d))
		if docForm(pat) != d {
			t.Errorf("documented %q is routed to pattern %q", d, pat)
		}
	}
}

func TestDocumentedRoutesMatchMux(t *testing.T) {
	s := NewServer(t)
	var tvp []string
	for _, rt := range s.tvRoutes() {
		tvp = append(tvp, rt.pattern)
	}
	checkRoutes(t, "plex.tv endpoints", tvp, s.tvServeMux)
	var pp []string
	for _, rt := range s.pmsRoutes() {
		pp = append(pp, rt.pattern)
	}
	s.mu.Lock()
	mux := s.servers[0].conns[0].mux
	s.mu.Unlock()
	checkRoutes(t, "PMS endpoints", pp, mux)
}

func TestRoutingKeepsPlexErrors(t *testing.T) {
	s := NewServer(t)
	// Paths the mux would redirect, and methods it would refuse, get the
	// fake's own 404s.
	for _, p := range []string{"/api/v2//user", "/api/v2/./user", "/api/v2/home/users//switch", "/api/v2/pins"} {
		do(t, call{url: s.PlexTVURL + p, cid: "x"}).wantErr(t, http.StatusNotFound, codeNotFound)
	}
	do(t, call{method: http.MethodDelete, url: s.PlexTVURL + "/api/v2/pins/1", cid: "x"}).wantErr(t, http.StatusNotFound, codeNotFound)
	def := s.Servers()[0]
	do(t, call{url: s.PMSURL + "//identity", token: def.AccessToken}).want(t, http.StatusNotFound)
	do(t, call{url: s.PMSURL + "/nope"}).want(t, http.StatusUnauthorized)
	do(t, call{method: http.MethodPost, url: s.PMSURL + "/identity"}).want(t, http.StatusOK)
}

// TestReleaseBinariesDoNotLinkTesting: the fake's core (and so plexauth,
// whose demo command embeds it) must not link package testing.
func TestReleaseBinariesDoNotLinkTesting(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("needs the go command in PATH")
	}
	for _, pkg := range []string{"github.com/plexkit/plexgo/plextest", "github.com/plexkit/plexgo/cmd/plexauth", "github.com/plexkit/plexgo/cmd/plexfake"} {
		out, err := exec.Command(goBin, "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			if dep == "testing" || dep == "net/http/httptest" {
				t.Errorf("%s links %s", pkg, dep)
			}
		}
	}
}
