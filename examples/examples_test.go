// Package examples_test builds the documented examples and runs each one
// against plextest's fake plex.tv and Plex Media Server.
package examples_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The examples and what each prints against the fake.
var examples = map[string]*regexp.Regexp{
	"getTransientToken":              regexp.MustCompile(`^status 200: transient token received: true\n$`),
	"getSourceConnectionInformation": regexp.MustCompile(`^source "plextest": 3 connections, access token received: true\n$`),
	"getTokenDetails":                regexp.MustCompile(`^token belongs to alice \(id \d+\), Plex Pass: true\n$`),
	"postUsersSignInData":            regexp.MustCompile(`^signed in as bob \(2FA: true\), token received: true\n$`),
}

// TestExamples builds every example binary once and runs it in fake mode,
// selected by the -fake flag and by PLEXGO_EXAMPLE_FAKE=1.
func TestExamples(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("go tool not found: %v", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	t.Cleanup(cancel)
	bin := t.TempDir()
	build := exec.CommandContext(ctx, goTool, "build", "-o", bin+string(filepath.Separator), "./...")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./examples/...: %v\n%s", err, out)
	}
	for name, want := range examples {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			exe := filepath.Join(bin, name)
			if runtime.GOOS == "windows" {
				exe += ".exe"
			}
			for _, mode := range []struct {
				args []string
				env  string
			}{
				{[]string{"-fake"}, "PLEXGO_EXAMPLE_FAKE="},
				{nil, "PLEXGO_EXAMPLE_FAKE=1"},
			} {
				cmd := exec.CommandContext(ctx, exe, mode.args...)
				cmd.Env = append(os.Environ(), mode.env)
				var stderr strings.Builder
				cmd.Stderr = &stderr
				out, err := cmd.Output()
				if err != nil {
					t.Fatalf("%s %v (%s): %v\nstderr: %s", name, mode.args, mode.env, err, stderr.String())
				}
				if !want.Match(out) {
					t.Errorf("%s %v (%s) printed %q, want %s", name, mode.args, mode.env, out, want)
				}
			}
		})
	}
}

// TestDocumentedExamplesCompile type-checks the four examples exactly as
// the upstream Authentication reference prints them, with only the import
// path changed. They are kept verbatim (not even gofmt'd) as
// testdata/documented/NAME/main.go.txt and compiled through a build
// overlay as NAME/main.go. It is the proof that code written from that page
// compiles against this module.
func TestDocumentedExamplesCompile(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("go tool not found: %v", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	t.Cleanup(cancel)
	dir, err := filepath.Abs(filepath.Join("testdata", "documented"))
	if err != nil {
		t.Fatal(err)
	}
	overlay := struct{ Replace map[string]string }{Replace: map[string]string{}}
	args := []string{"vet"}
	for name := range examples {
		src := filepath.Join(dir, name, "main.go.txt")
		if _, err := os.Stat(src); err != nil {
			t.Fatalf("documented example %s: %v", name, err)
		}
		overlay.Replace[filepath.Join(dir, name, "main.go")] = src
		args = append(args, "./testdata/documented/"+name)
	}
	data, err := json.Marshal(overlay)
	if err != nil {
		t.Fatal(err)
	}
	ovFile := filepath.Join(t.TempDir(), "overlay.json")
	if err := os.WriteFile(ovFile, data, 0o600); err != nil {
		t.Fatal(err)
	}
	args = append(args[:1], append([]string{"-overlay", ovFile}, args[1:]...)...)
	if out, err := exec.CommandContext(ctx, goTool, args...).CombinedOutput(); err != nil {
		t.Fatalf("the documented examples do not compile against this module: %v\n%s", err, out)
	}
}
