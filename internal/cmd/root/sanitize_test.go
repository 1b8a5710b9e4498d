package root

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/plexkit/plexgo/internal/cmdutil"
	"github.com/plexkit/plexgo/plextest"
)

// hostile is what a hostile server or user puts in a name: an OSC that
// retitles the window, ending in BEL, then a screen clear.
const hostile = "\x1b]0;pwned\a\x1b[2J"

// terminalUnsafe names the first thing in s a terminal could act on, or
// returns "". Newlines and tabs are plexauth's own layout.
func terminalUnsafe(s string) string {
	if !utf8.ValidString(s) {
		return "invalid UTF-8"
	}
	for _, r := range s {
		if r != '\n' && r != '\t' && cmdutil.Sanitize(string(r)) != string(r) {
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

	run(cmdutil.ExitOK, "login", "--password-stdin", "-u", email)
	check("login", "Logged in as "+visUser+" <"+visEmail+">")
	run(cmdutil.ExitOK, "whoami")
	check("whoami", visUser)
	run(cmdutil.ExitOK, "status")
	check("status", visUser)
	run(cmdutil.ExitOK, "servers")
	check("servers", visSrv)
	run(cmdutil.ExitOK, "connect", srvName)
	check("connect", "Connected to "+visSrv)
	run(cmdutil.ExitOK, "home", "users")
	check("home users", visUser)
	run(cmdutil.ExitOK, "source-info", srvName, "--server", srvName)
	check("source-info", "  name:              "+visSrv)

	// Error lines: a server name in a usage error, an HTML <title>, a
	// plex.tv error message.
	run(cmdutil.ExitFailure, "connect", srvName+"x")
	check("connect unknown", `srv\x1b]0;pwned`)
	fake.InjectFault("GET /api/v2/user", plextest.Fault{Statuses: []int{503, 503, 503}, ContentType: "text/html",
		Body: "<html><title>down" + hostile + "</title></html>"})
	run(cmdutil.ExitFailure, "whoami")
	check("whoami HTML error", `down\x1b]0;pwned\x07\x1b[2J`)
	fake.InjectFault("GET /api/v2/user", plextest.Fault{Statuses: []int{503, 503, 503}, ContentType: "application/json",
		Body: `{"errors":[{"code":1,"message":"msg\u001b]0;pwned\u0007\u009b","status":503}]}`})
	run(cmdutil.ExitFailure, "status")
	check("status JSON error", `msg\x1b]0;pwned\x07\u009b`)
	fake.ClearFaults()

	// JSON keeps the exact values.
	run(cmdutil.ExitOK, "servers", "--json")
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
	run(cmdutil.ExitOK, "whoami", "--json")
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

// TestTextOutputIsSanitized checks that the commands print text through
// cmdutil's sanitizing output only: a direct fmt.Print*/Fprint* (or
// io.WriteString) could show a network string raw. login's QR code is
// the one exception it allows, by name.
func TestTextOutputIsSanitized(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	n := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		n++
		file, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		ast.Inspect(file, func(node ast.Node) bool {
			sel, ok := node.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			id, ok := sel.X.(*ast.Ident)
			if !ok {
				return true
			}
			name := sel.Sel.Name
			if id.Name == "fmt" && (strings.HasPrefix(name, "Print") || strings.HasPrefix(name, "Fprint")) ||
				(id.Name == "io" || id.Name == "stdio") && name == "WriteString" && !qrCode(fset, file, sel) {
				t.Errorf("%s: %s.%s: print text with cmdutil.Textf or IOStreams.Printf (sanitized)", fset.Position(sel.Pos()), id.Name, name)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 12 {
		t.Fatalf("checked %d files under internal/cmd, want every command", n)
	}
}

// qrCode reports whether the call at sel writes the QR code, the one
// drawing plexauth makes itself.
func qrCode(fset *token.FileSet, file *ast.File, sel *ast.SelectorExpr) bool {
	line := fset.Position(sel.Pos()).Line
	for _, cg := range file.Comments {
		if l := fset.Position(cg.End()).Line; l == line-1 && strings.Contains(cg.Text(), "QR") {
			return true
		}
	}
	return false
}
