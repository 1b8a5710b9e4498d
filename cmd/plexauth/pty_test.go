//go:build unix

package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/internal/testutil"
	"github.com/plexkit/plexgo/plextest"
)

// These tests run plexauth (this test binary under the name plexauth, see
// TestMain) on a real pseudo-terminal of a given size, as a person would
// see it: the login screen at 80x24, Enter to open the browser, the
// interactive profile pick, Ctrl-D and Ctrl-C.

// ptyRun is plexauth running on a pseudo-terminal.
type ptyRun struct {
	t    *testing.T
	cmd  *exec.Cmd
	tty  *os.File
	mu   sync.Mutex
	out  bytes.Buffer
	done chan struct{} // the process ended
	read chan struct{} // its output was read to the end
	err  error
}

// ptyEnv is what every pty test needs: a fake, a config dir, plexauth and
// record-browser on PATH.
type ptyEnv struct {
	fake    *plextest.Server
	dir     string
	bin     string
	browser string // the browser log
	term    string // $TERM ("": xterm-256color)
}

func newPTYEnv(t *testing.T) *ptyEnv {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	for _, name := range []string{"plexauth", "record-browser"} {
		if err := os.Symlink(exe, filepath.Join(bin, name)); err != nil {
			t.Fatal(err)
		}
	}
	work := t.TempDir()
	return &ptyEnv{fake: plextest.NewServer(t), dir: filepath.Join(work, "config"), bin: bin, browser: filepath.Join(work, "browser.log")}
}

// start runs plexauth args on a new pty of cols x rows.
func (e *ptyEnv) start(t *testing.T, cols, rows int, args ...string) *ptyRun {
	t.Helper()
	cmd := exec.Command(filepath.Join(e.bin, "plexauth"), args...)
	cmd.Env = []string{
		"PATH=" + e.bin + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME=" + e.dir, "TERM=" + cmp.Or(e.term, "xterm-256color"),
		"PLEXAUTH_PLEXTV_URL=" + e.fake.PlexTVURL, "PLEXAUTH_CONFIG_DIR=" + e.dir,
		"BROWSER=record-browser", "BROWSER_LOG=" + e.browser,
		"GORACE=atexit_sleep_ms=0",
	}
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)})
	if err != nil {
		t.Logf("no pseudo-terminal: %v", err)
		testutil.Require(t, "a pseudo-terminal", "/dev/ptmx (in a container, mount devpts)", false)
	}
	r := &ptyRun{t: t, cmd: cmd, tty: tty, done: make(chan struct{}), read: make(chan struct{})}
	go func() {
		defer close(r.read)
		buf := make([]byte, 4096)
		for {
			n, err := tty.Read(buf)
			r.mu.Lock()
			r.out.Write(buf[:n])
			r.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	go func() {
		r.err = cmd.Wait()
		close(r.done)
	}()
	t.Cleanup(func() {
		select {
		case <-r.done:
		default:
			_ = cmd.Process.Kill()
			<-r.done
		}
		_ = tty.Close()
	})
	return r
}

// screen returns what was written so far.
func (r *ptyRun) screen() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.out.String()
}

// waitFor waits (bounded) until the output contains s.
func (r *ptyRun) waitFor(s string) string {
	r.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if out := r.screen(); strings.Contains(out, s) {
			return out
		}
		select {
		case <-r.done:
			select {
			case <-r.read:
			case <-time.After(5 * time.Second):
			}
			if out := r.screen(); strings.Contains(out, s) {
				return out
			}
			r.t.Fatalf("plexauth exited (%v) before printing %q; output:\n%s", r.err, s, r.screen())
		case <-time.After(20 * time.Millisecond):
		}
	}
	r.t.Fatalf("no %q within 30s; output:\n%s", s, r.screen())
	return ""
}

// exitCode waits (bounded) for the end and returns the exit code.
func (r *ptyRun) exitCode() int {
	r.t.Helper()
	select {
	case <-r.done:
	case <-time.After(60 * time.Second):
		r.t.Fatalf("plexauth did not exit; output:\n%s", r.screen())
	}
	var ee *exec.ExitError
	switch {
	case r.err == nil:
		return 0
	case errors.As(r.err, &ee):
		return ee.ExitCode()
	}
	r.t.Fatalf("wait: %v", r.err)
	return -1
}

func (r *ptyRun) send(s string) {
	r.t.Helper()
	if _, err := r.tty.Write([]byte(s)); err != nil {
		r.t.Fatalf("write to the pty: %v", err)
	}
}

var ansi = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`)

// rowsUsed is how many terminal rows text takes at width cols (lines
// wrap), ANSI sequences and carriage returns removed.
func rowsUsed(text string, cols int) int {
	text = strings.ReplaceAll(ansi.ReplaceAllString(text, ""), "\r", "")
	rows := 0
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		n := len([]rune(line))
		rows += max(1, (n+cols-1)/cols)
	}
	return rows
}

// approve approves the pending PIN as alice (bounded wait).
func approve(t *testing.T, fake *plextest.Server) {
	t.Helper()
	acct, _ := fake.Account(plextest.DefaultLogin)
	for range 1500 {
		if pins := fake.PendingPINs(); len(pins) > 0 {
			if err := fake.ApprovePIN(pins[0].Code, acct.AuthToken); err != nil {
				t.Fatal(err)
			}
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("no pending PIN")
}

// TestPTYLoginScreen80x24: on 80x24 the whole login screen (URL, code,
// the Enter line and the countdown) fits, with no QR code and a line
// saying --qr shows it; Enter opens the browser (and only Enter).
func TestPTYLoginScreen80x24(t *testing.T) {
	t.Parallel()
	e := newPTYEnv(t)
	r := e.start(t, 80, 24, "login", "--poll-interval", "200ms")
	r.waitFor("Waiting for approval")
	out := r.screen()
	before, _, _ := strings.Cut(out, "\r\x1b[K")
	if strings.Contains(out, "▄") {
		t.Error("a QR code was drawn on 80x24")
	}
	for _, want := range []string{"--qr=always shows it", "https://app.plex.tv/auth#?clientID=", "Code: ", "Press Enter to open plex.tv in your browser"} {
		if !strings.Contains(before, want) {
			t.Errorf("login screen lacks %q:\n%s", want, before)
		}
	}
	if n := rowsUsed(before, 80) + 1; n > 24 {
		t.Errorf("the login screen takes %d rows of 24:\n%s", n, before)
	}
	if _, err := os.Stat(e.browser); err == nil {
		t.Fatal("the browser was opened before Enter")
	}
	r.send("\r")
	r.waitFor("Opened your browser.")
	var log []byte
	var err error
	for range 1500 { // the browser is started, not waited for
		if log, err = os.ReadFile(e.browser); err == nil && len(log) > 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil || !strings.Contains(string(log), "https://app.plex.tv/auth#?clientID=") {
		t.Errorf("browser log = %q, %v", log, err)
	}
	approve(t, e.fake)
	r.waitFor("Logged in as alice")
	if code := r.exitCode(); code != 0 {
		t.Errorf("exit %d", code)
	}
}

// TestPTYLoginScreenLarge: a terminal with room shows the QR code first,
// then the URL and the code, all on screen.
func TestPTYLoginScreenLarge(t *testing.T) {
	t.Parallel()
	e := newPTYEnv(t)
	r := e.start(t, 120, 60, "login", "--poll-interval", "200ms")
	r.waitFor("Waiting for approval")
	out := r.screen()
	before, _, _ := strings.Cut(out, "\r\x1b[K")
	qr, url := strings.Index(before, "▄"), strings.Index(before, "https://app.plex.tv/auth")
	if qr < 0 || url < qr {
		t.Fatalf("want the QR code, then the URL:\n%s", before)
	}
	if n := rowsUsed(before, 120) + 1; n > 60 {
		t.Errorf("the login screen takes %d rows of 60", n)
	}
	approve(t, e.fake)
	if code := r.exitCode(); code != 0 {
		t.Errorf("exit %d; output:\n%s", code, r.screen())
	}
	if _, err := os.Stat(e.browser); err == nil {
		t.Error("the browser was opened without Enter")
	}
}

// TestPTYLoginDumbTerminal: with TERM=dumb the login screen is plain
// text even on a terminal with room: no QR code, no spinner or other
// escape sequences, the countdown as lines.
func TestPTYLoginDumbTerminal(t *testing.T) {
	t.Parallel()
	e := newPTYEnv(t)
	e.term = "dumb"
	r := e.start(t, 120, 60, "login", "--poll-interval", "200ms")
	out := r.waitFor("Waiting for approval (the code expires in")
	for _, want := range []string{"https://app.plex.tv/auth#?clientID=", "Code: "} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q on the screen:\n%s", want, out)
		}
	}
	if strings.ContainsAny(out, "▀▄█") {
		t.Errorf("TERM=dumb got a QR code:\n%s", out)
	}
	if strings.Contains(out, "\x1b[") {
		t.Errorf("TERM=dumb got escape sequences: %q", out)
	}
	approve(t, e.fake)
	if code := r.exitCode(); code != 0 {
		t.Errorf("exit %d; output:\n%s", code, r.screen())
	}
	if strings.Contains(r.screen(), "\x1b[") {
		t.Errorf("TERM=dumb got escape sequences: %q", r.screen())
	}
}

// TestPTYSignals: Ctrl-D at the login prompt is end of input (exit 8);
// Ctrl-C while waiting is an interrupt (exit 130).
func TestPTYSignals(t *testing.T) {
	t.Parallel()
	e := newPTYEnv(t)
	r := e.start(t, 80, 24, "login", "--password")
	r.waitFor("Plex e-mail or username: ")
	r.send("\x04")
	if code := r.exitCode(); code != 8 {
		t.Errorf("Ctrl-D: exit %d, want 8; output:\n%s", code, r.screen())
	}
	r = e.start(t, 80, 24, "login", "--poll-interval", "200ms")
	r.waitFor("Waiting for approval")
	r.send("\x03")
	if code := r.exitCode(); code != 130 {
		t.Errorf("Ctrl-C: exit %d, want 130; output:\n%s", code, r.screen())
	}
	r.waitFor("plexauth: interrupted")
}

// storeLogins stores a login of alice for each profile (each its own
// device).
func storeLogins(t *testing.T, e *ptyEnv, profiles ...string) {
	t.Helper()
	store := auth.NewFileStore(e.dir, auth.FileStoreOptions{})
	for _, p := range profiles {
		tok, err := e.fake.IssueToken(plextest.DefaultLogin, "pty-"+p)
		if err != nil {
			t.Fatal(err)
		}
		c := auth.Credentials{Token: tok, Kind: auth.TokenKindLegacy, ClientIdentifier: "pty-" + p, Username: "alice", PlexTVURL: e.fake.PlexTVURL}
		if err := store.Save(context.Background(), p, c); err != nil {
			t.Fatal(err)
		}
	}
}

// TestPTYClaimAndUnclaim: claim counts the token's 4 minutes down on a
// terminal (Ctrl-C ends it with 130); unclaim asks first.
func TestPTYClaimAndUnclaim(t *testing.T) {
	t.Parallel()
	e := newPTYEnv(t)
	storeLogins(t, e, "default")
	r := e.start(t, 80, 24, "claim")
	r.waitFor("Expires in 3:5")
	r.send("\x03")
	if code := r.exitCode(); code != 130 {
		t.Errorf("claim: exit %d; output:\n%s", code, r.screen())
	}
	r = e.start(t, 80, 24, "unclaim", "--server", e.fake.PMSURL)
	r.waitFor("(it leaves the account and its shares end)? [y/N] ")
	r.send("n\r")
	r.waitFor("cancelled: nothing was changed")
	if code := r.exitCode(); code != 1 {
		t.Errorf("unclaim answered n: exit %d", code)
	}
	r = e.start(t, 80, 24, "unclaim", "--server", e.fake.PMSURL)
	r.waitFor("[y/N] ")
	r.send("y\r")
	r.waitFor("Unclaimed the server at")
	if code := r.exitCode(); code != 0 {
		t.Errorf("unclaim answered y: exit %d; output:\n%s", code, r.screen())
	}
}

// TestPTYSwitchPick: switch without a profile lists the stored ones and
// takes a number.
func TestPTYSwitchPick(t *testing.T) {
	t.Parallel()
	e := newPTYEnv(t)
	storeLogins(t, e, "default", "work")
	r := e.start(t, 80, 24, "switch")
	out := r.waitFor("Profile to use by default [1-2]: ")
	if !strings.Contains(out, "* 1. default") || !strings.Contains(out, "  2. work") {
		t.Errorf("list:\n%s", out)
	}
	r.send("3\r")
	r.waitFor("Type a number from 1 to 2")
	r.send("2\r")
	r.waitFor("Default profile is now work (was default).")
	if code := r.exitCode(); code != 0 {
		t.Errorf("exit %d", code)
	}
	r = e.start(t, 80, 24, "status")
	r.waitFor("work (default): valid")
	if code := r.exitCode(); code != 0 {
		t.Errorf("status: exit %d; output:\n%s", code, r.screen())
	}
}

// TestPTYDevicesRevokeAsks: devices revoke asks on a terminal; "n"
// changes nothing, "y" signs the other devices out.
func TestPTYDevicesRevokeAsks(t *testing.T) {
	t.Parallel()
	e := newPTYEnv(t)
	storeLogins(t, e, "default", "other")
	r := e.start(t, 80, 24, "devices", "revoke", "--all-others")
	r.waitFor("(every one but this)? [y/N] ")
	r.send("n\r")
	r.waitFor("cancelled: nothing was changed")
	if code := r.exitCode(); code != 1 {
		t.Errorf("answered n: exit %d; output:\n%s", code, r.screen())
	}
	if code := e.start(t, 80, 24, "whoami", "--profile", "other").exitCode(); code != 0 {
		t.Fatalf("after n, whoami --profile other: exit %d", code)
	}
	r = e.start(t, 80, 24, "devices", "revoke", "--all-others")
	r.waitFor("[y/N] ")
	r.send("y\r")
	r.waitFor("Signed out device")
	if code := r.exitCode(); code != 0 {
		t.Errorf("answered y: exit %d; output:\n%s", code, r.screen())
	}
	if code := e.start(t, 80, 24, "whoami", "--profile", "other").exitCode(); code != 3 {
		t.Errorf("after y, whoami --profile other: exit %d, want 3", code)
	}
}
