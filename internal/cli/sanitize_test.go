package cli

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/plexkit/plexgo/plextest"
)

// hostile is what a hostile server or user puts in a name: an OSC that
// retitles the window, ending in BEL, then a screen clear.
const hostile = "\x1b]0;pwned\a\x1b[2J"

func TestSanitize(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Living Room", "Living Room"},
		{"Zoë 中文 😀", "Zoë 中文 😀"},
		{hostile, `\x1b]0;pwned\x07\x1b[2J`},
		{"a\u009b31mb", `a\u009b31mb`}, // C1 CSI
		{"x\u0085y", `x\u0085y`},       // C1 NEL
		{"del\x7f", `del\x7f`},         // DEL
		{"line\nbreak\ttab\rcr", `line\x0abreak\x09tab\x0dcr`},
		{"\u202eevil\u202c", `\u202eevil\u202c`}, // bidi override
		{"\u2066iso\u2069 \u200f", `\u2066iso\u2069 \u200f`},
		{"bad\xffutf8", `bad\xffutf8`},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Sanitize(tt.in); got != tt.want {
			t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := Sanitize(tt.want); got != tt.want {
			t.Errorf("Sanitize is not idempotent on %q: %q", tt.want, got)
		}
	}
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{hostile, "a\u009bb", "\u202e", "\xff\xfe", "plain"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if bad := terminalUnsafe(Sanitize(s)); bad != "" {
			t.Fatalf("Sanitize(%q) keeps %s", s, bad)
		}
	})
}

// terminalUnsafe names the first thing in s a terminal could act on, or
// returns "".
func terminalUnsafe(s string) string {
	if !utf8.ValidString(s) {
		return "invalid UTF-8"
	}
	for _, r := range s {
		if r != '\n' && r != '\t' && unsafeRune(r) {
			return fmt.Sprintf("%U", r)
		}
	}
	return ""
}

// TestHostileNamesAreNotPrinted runs every command that prints what plex.tv
// or a server said, against a fake whose account, e-mail, server, Home user
// and error messages carry terminal escapes, C1 controls and bidi
// overrides: text output shows them escaped, JSON output keeps them exact.
func TestHostileNamesAreNotPrinted(t *testing.T) {
	t.Parallel()
	const password = "mallory's long password"
	user := "mallory" + hostile + "\u009b2J"
	email := "mallory\u202e@example.com"
	srvName := "srv" + hostile + "\u202e"
	f, fake, out, errOut := newFakeFactory(t, password+"\n")
	fake.AddAccount(plextest.AccountSpec{Username: user, Email: email, Password: password})
	fake.AddServer(plextest.ServerSpec{Name: srvName, OwnerLogin: email})

	check := func(what string, wantVisible ...string) {
		t.Helper()
		for name, s := range map[string]string{"stdout": out.String(), "stderr": errOut.String()} {
			if bad := terminalUnsafe(s); bad != "" {
				t.Errorf("%s: %s has %s", what, name, bad)
			}
		}
		all := out.String() + errOut.String()
		for _, w := range wantVisible {
			if !strings.Contains(all, w) {
				t.Errorf("%s: output lacks %q:\n%s", what, w, all)
			}
		}
		out.Reset()
		errOut.Reset()
	}
	run := func(wantCode int, args ...string) {
		t.Helper()
		if code := f.Run(t.Context(), args); code != wantCode {
			t.Errorf("%q: exit %d, want %d; stderr: %q", args, code, wantCode, errOut)
		}
	}
	visUser := `mallory\x1b]0;pwned\x07\x1b[2J\u009b2J`
	visEmail := `mallory\u202e@example.com`
	visSrv := `srv\x1b]0;pwned\x07\x1b[2J\u202e`

	run(ExitOK, "login", "--password-stdin", "-u", email)
	check("login", "Logged in as "+visUser+" <"+visEmail+">")
	run(ExitOK, "whoami")
	check("whoami", visUser)
	run(ExitOK, "status")
	check("status", visUser)
	run(ExitOK, "servers")
	check("servers", visSrv)
	run(ExitOK, "connect", srvName)
	check("connect", "Connected to "+visSrv)
	run(ExitOK, "home", "users")
	check("home users", visUser)
	run(ExitOK, "source-info", srvName, "--server", srvName)
	check("source-info", "  name:              "+visSrv)

	// Error lines: a server name in a usage error, an HTML <title>, a
	// plex.tv error message.
	run(ExitFailure, "connect", srvName+"x")
	check("connect unknown", `srv\x1b]0;pwned`)
	fake.InjectFault("GET /api/v2/user", plextest.Fault{Statuses: []int{503, 503, 503}, ContentType: "text/html",
		Body: "<html><title>down" + hostile + "</title></html>"})
	run(ExitFailure, "whoami")
	check("whoami HTML error", `down\x1b]0;pwned\x07\x1b[2J`)
	fake.InjectFault("GET /api/v2/user", plextest.Fault{Statuses: []int{503, 503, 503}, ContentType: "application/json",
		Body: `{"errors":[{"code":1,"message":"msg\u001b]0;pwned\u0007\u009b","status":503}]}`})
	run(ExitFailure, "status")
	check("status JSON error", `msg\x1b]0;pwned\x07\u009b`)
	fake.ClearFaults()

	// JSON keeps the exact values.
	run(ExitOK, "servers", "--json")
	var doc struct {
		Servers []struct{ Name string } `json:"servers"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].Name != srvName {
		t.Errorf("servers --json: %+v, want the exact name", doc.Servers)
	}
	out.Reset()
	run(ExitOK, "whoami", "--json")
	var who struct {
		Account struct{ Username, Email string } `json:"account"`
	}
	if err := json.Unmarshal(out.Bytes(), &who); err != nil {
		t.Fatal(err)
	}
	if who.Account.Username != user || who.Account.Email != email {
		t.Errorf("whoami --json: %+v, want the exact names", who.Account)
	}
	out.Reset()
	noSecrets(t, f, fake, out.String(), errOut.String())
}

// TestTextOutputIsSanitized checks that command code prints text through
// textf/textln only: a direct fmt.Fprint* could show a network string raw.
// progress.go draws the spinner's own escapes; prompt.go prints only
// newlines itself.
func TestTextOutputIsSanitized(t *testing.T) {
	t.Parallel()
	allowed := map[string]bool{"sanitize.go": true, "progress.go": true, "prompt.go": true}
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || allowed[name] {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "fmt" && strings.HasPrefix(sel.Sel.Name, "Print") ||
				ok && id.Name == "fmt" && strings.HasPrefix(sel.Sel.Name, "Fprint") {
				t.Errorf("%s: fmt.%s: print text with textf/textln (sanitized)", fset.Position(sel.Pos()), sel.Sel.Name)
			}
			return true
		})
	}
}
