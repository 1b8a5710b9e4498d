// Package testutil holds the helpers shared by the module's tests: a
// buffer safe for concurrent writes, the secret-leak check that never
// prints the secret it found, the PLEXGO_CI require-or-skip rule for
// tests that need a real component, the one place fixtures are read
// from, and the URL of a port that refuses connections.
//
// Only tests import it: no release binary links it (it imports testing).
package testutil

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/plexkit/plexgo/internal/deadport"
)

// SyncBuffer is a bytes.Buffer safe for concurrent use, for the writes of
// a logger or a server goroutine read by the test.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns what was written so far.
func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// NoSecret fails t (t.Errorf, the test goes on) for each non-empty secret
// that out contains as is. The message names where and the secret's index
// in secrets, never the secret nor out, so a failing test does not leak it
// either.
func NoSecret(t testing.TB, where, out string, secrets ...string) {
	t.Helper()
	for i, s := range secrets {
		if s != "" && strings.Contains(out, s) {
			t.Errorf("%s: secret #%d leaked", where, i)
		}
	}
}

// LeakForm returns how secret s shows in out, or "" when it does not:
// "raw" (any 8-byte window of it), "hex" or "HEX" (of such a window),
// "decimal bytes" (the start of %d of a []byte) or "base64". s must be at
// least 12 bytes long. The result names an encoding, never the secret.
func LeakForm(out, s string) string {
	for i := 0; i+8 <= len(s); i++ {
		w := s[i : i+8]
		switch {
		case strings.Contains(out, w):
			return "raw"
		case strings.Contains(out, fmt.Sprintf("%x", w)):
			return "hex"
		case strings.Contains(out, fmt.Sprintf("%X", w)):
			return "HEX"
		}
	}
	if strings.Contains(out, strings.Trim(fmt.Sprint([]byte(s[:6])), "[]")) {
		return "decimal bytes"
	}
	if strings.Contains(out, base64.StdEncoding.EncodeToString([]byte(s))[:12]) {
		return "base64"
	}
	return ""
}

// Require makes a test that needs a real component (Secret Service,
// Chromium, a pty) run only when available is true. Otherwise the test
// fails when PLEXGO_CI=1 (CI must have the component) and is skipped
// elsewhere; both say "needs COMPONENT: INSTALLHINT".
func Require(t testing.TB, component, installHint string, available bool) {
	t.Helper()
	if available {
		return
	}
	msg := "needs " + component + ": " + installHint
	if os.Getenv("PLEXGO_CI") == "1" {
		t.Fatal(msg + " (PLEXGO_CI=1: required)")
		return
	}
	t.Skip(msg)
}

// Fixture returns the response example called name (such as
// "signin-201.json") from its one home in the module, testdata/ or
// plextest/seed/, whichever test reads it.
func Fixture(t testing.TB, name string) []byte {
	t.Helper()
	root := ModuleRoot(t)
	// Each example is stored once: plextest/seed holds those the fake
	// embeds, testdata the others.
	homes := []string{"testdata", filepath.Join("plextest", "seed")}
	for _, home := range homes {
		data, err := os.ReadFile(filepath.Join(root, home, name))
		if err == nil {
			return data
		}
		if !os.IsNotExist(err) {
			t.Fatalf("fixture %s: %v", name, err)
		}
	}
	t.Fatalf("fixture %s: in none of %v", name, homes)
	return nil
}

// ModuleRoot returns the directory of the module's go.mod (found from
// this source file's location).
func ModuleRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("testutil: no caller information")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Chromium returns the browser for the real-browser tests: $PLEXGO_CHROMIUM
// when set, else /usr/bin/chromium, else "chromium" on $PATH. Without one
// the test fails under PLEXGO_CI=1 and is skipped elsewhere ([Require]).
func Chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("PLEXGO_CHROMIUM"); p != "" {
		_, err := os.Stat(p)
		Require(t, "chromium at $PLEXGO_CHROMIUM", "apt-get install chromium, or unset PLEXGO_CHROMIUM", err == nil)
		return p
	}
	p := "/usr/bin/chromium"
	if _, err := os.Stat(p); err != nil {
		found, lerr := exec.LookPath("chromium")
		Require(t, "chromium", "apt-get install chromium (or set PLEXGO_CHROMIUM)", lerr == nil)
		p = found
	}
	return p
}

// DeadURL returns "http://127.0.0.1:PORT", a loopback URL whose
// connections are refused. On Unix the port stays reserved until t's
// cleanup ([deadport.Reserve]), so no listener of a parallel test can be
// given it and answer in its place; elsewhere it is only free when
// returned ([deadport.Held] is false).
func DeadURL(t testing.TB) string {
	t.Helper()
	bound, release, err := deadport.Reserve("127.0.0.1:0")
	if err != nil {
		t.Fatalf("testutil: dead URL: %v", err)
	}
	t.Cleanup(release)
	return "http://" + bound.String()
}
