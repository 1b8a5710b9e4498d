package testutil

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/plexkit/plexgo/internal/deadport"
)

// recorder is a testing.TB that records what the helpers report.
type recorder struct {
	testing.TB
	errors, fatals, skips []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatal(args ...any) { r.fatals = append(r.fatals, fmt.Sprint(args...)) }
func (r *recorder) Fatalf(format string, args ...any) {
	r.fatals = append(r.fatals, fmt.Sprintf(format, args...))
}
func (r *recorder) Skip(args ...any) { r.skips = append(r.skips, fmt.Sprint(args...)) }

func TestNoSecretNeverPrintsIt(t *testing.T) {
	const secret = "Qz00Vb9Lm4Rt6Yw2Np8HsKj"
	r := &recorder{}
	NoSecret(r, "the log", "a line with "+secret+" in it", "", "other-secret-1", secret)
	if len(r.errors) != 1 {
		t.Fatalf("%d failures, want 1", len(r.errors))
	}
	if strings.Contains(r.errors[0], secret) || strings.Contains(r.errors[0], "a line") {
		t.Error("the failure message shows the secret or the output")
	}
	if !strings.Contains(r.errors[0], "the log") || !strings.Contains(r.errors[0], "#2") {
		t.Errorf("message %q names neither the place nor the secret's index", r.errors[0])
	}
	r = &recorder{}
	NoSecret(r, "clean", "nothing here", secret)
	if len(r.errors) != 0 {
		t.Errorf("clean output failed: %v", r.errors)
	}
}

func TestLeakForm(t *testing.T) {
	const s = "Qz00Vb9Lm4Rt6Yw2Np8HsKj"
	for out, want := range map[string]string{
		"x" + s[3:11] + "x":                     "raw",
		fmt.Sprintf("%x", s):                    "hex",
		fmt.Sprintf("%X", s):                    "HEX",
		fmt.Sprintf("%d", []byte(s)):            "decimal bytes",
		"YmFzZTY0:UXowMFZiOUxtNFJ0Nll3Mk5wOEhz": "base64",
		"REDACTED":                              "",
	} {
		if got := LeakForm(out, s); got != want {
			t.Errorf("LeakForm(%.12q…) = %q, want %q", out, got, want)
		}
	}
}

func TestRequire(t *testing.T) {
	for _, tc := range []struct {
		ci, available bool
		fatals, skips int
	}{
		{ci: false, available: true},
		{ci: true, available: true},
		{ci: false, available: false, skips: 1},
		{ci: true, available: false, fatals: 1},
	} {
		t.Run(fmt.Sprintf("ci=%t/available=%t", tc.ci, tc.available), func(t *testing.T) {
			if tc.ci {
				t.Setenv("PLEXGO_CI", "1")
			} else {
				t.Setenv("PLEXGO_CI", "")
			}
			r := &recorder{}
			Require(r, "chromium", "apt-get install chromium", tc.available)
			if len(r.fatals) != tc.fatals || len(r.skips) != tc.skips {
				t.Fatalf("fatals %v, skips %v", r.fatals, r.skips)
			}
			for _, m := range append(r.fatals, r.skips...) {
				if !strings.Contains(m, "needs chromium: apt-get install chromium") {
					t.Errorf("message %q does not say what to install", m)
				}
			}
		})
	}
}

func TestSyncBuffer(t *testing.T) {
	t.Parallel()
	var b SyncBuffer
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				_, _ = b.Write([]byte("x"))
				_ = b.String()
			}
		})
	}
	wg.Wait()
	if n := len(b.String()); n != 800 {
		t.Errorf("%d bytes, want 800", n)
	}
}

func TestFixture(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"signin-201.json", "transient-token-200.json"} {
		if data := Fixture(t, name); len(data) == 0 || data[0] != '{' {
			t.Errorf("%s: %.20q", name, data)
		}
	}
	r := &recorder{}
	Fixture(r, "no-such-fixture.json")
	if len(r.fatals) != 1 {
		t.Errorf("a missing fixture: fatals %v", r.fatals)
	}
}

func TestChromiumMissingFailsInCI(t *testing.T) {
	t.Setenv("PLEXGO_CHROMIUM", t.TempDir()+"/no-such-chromium")
	for _, ci := range []string{"1", ""} {
		t.Setenv("PLEXGO_CI", ci)
		r := &recorder{}
		Chromium(r)
		if ci == "1" && (len(r.fatals) != 1 || len(r.skips) != 0) || ci == "" && (len(r.skips) != 1 || len(r.fatals) != 0) {
			t.Fatalf("PLEXGO_CI=%q: fatals %v, skips %v", ci, r.fatals, r.skips)
		}
		if m := append(r.fatals, r.skips...); len(m) == 1 && !strings.Contains(m[0], "needs chromium") {
			t.Errorf("message %q does not name chromium", m[0])
		}
	}
}

// A DeadURL refuses connections, and on Unix its port can be listened on
// by nobody until the test that asked for it ends, and then again.
func TestDeadURL(t *testing.T) {
	t.Parallel()
	var host string
	t.Run("held", func(t *testing.T) {
		u := DeadURL(t)
		p, err := url.Parse(u)
		if err != nil || p.Scheme != "http" || p.Hostname() != "127.0.0.1" || p.Port() == "" || p.Port() == "0" || p.Path != "" {
			t.Fatalf("DeadURL = %q, want http://127.0.0.1:PORT", u)
		}
		host = p.Host
		c := &http.Client{Timeout: 5 * time.Second}
		resp, err := c.Get(u + "/")
		if err == nil {
			_ = resp.Body.Close()
			t.Fatalf("GET on the dead URL answered %d", resp.StatusCode)
		}
		if !deadport.Held {
			return
		}
		if !errors.Is(err, syscall.ECONNREFUSED) {
			t.Fatalf("GET on the dead URL: %v, want connection refused", err)
		}
		if ln, err := net.Listen("tcp", host); err == nil {
			_ = ln.Close()
			t.Fatalf("the dead URL's port %s could be listened on", host)
		}
	})
	if !deadport.Held || t.Failed() {
		return
	}
	ln, err := net.Listen("tcp", host)
	if err != nil {
		t.Fatalf("the dead URL's port is still held after its test ended: %v", err)
	}
	_ = ln.Close()
}
