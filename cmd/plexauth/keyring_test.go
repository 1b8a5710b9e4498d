//go:build unix

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/internal/testutil"
	"github.com/plexkit/plexgo/plextest"
)

// needSecretService skips (or, with PLEXGO_CI=1, fails) unless a Secret
// Service answers on the session bus.
func needSecretService(t *testing.T) {
	t.Helper()
	const how = "apt-get install dbus gnome-keyring, then run under " +
		"dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; go test ./cmd/plexauth/'"
	fail := func(why string) {
		t.Helper()
		testutil.Require(t, "a Secret Service ("+why+")", how, false)
	}
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		fail("no session bus (DBUS_SESSION_BUS_ADDRESS is unset)")
	}
	kr := auth.SystemKeyring()
	done := make(chan error, 1)
	go func() {
		err := kr.Set("plexgo-test-probe", "probe", "x")
		if err == nil {
			err = kr.Delete("plexgo-test-probe", "probe")
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			fail("the Secret Service refused a test item: " + err.Error())
		}
	case <-time.After(auth.DefaultKeyringTimeout):
		fail("the Secret Service did not answer in 3s")
	}
}

// With a real Secret Service, login keeps the token in the OS keyring
// (not in credentials.json, no fallback notice), status says "keyring",
// and logout removes the item.
func TestSecretServiceStorage(t *testing.T) {
	needSecretService(t)
	e := newPTYEnv(t)
	run := func(stdin string, args ...string) (string, string) {
		t.Helper()
		cmd := exec.Command(filepath.Join(e.bin, "plexauth"), args...)
		cmd.Env = []string{"PATH=" + e.bin, "HOME=" + e.dir, "PLEXAUTH_PLEXTV_URL=" + e.fake.PlexTVURL, "PLEXAUTH_CONFIG_DIR=" + e.dir,
			"DBUS_SESSION_BUS_ADDRESS=" + os.Getenv("DBUS_SESSION_BUS_ADDRESS"), "GORACE=atexit_sleep_ms=0"}
		if x := os.Getenv("XDG_RUNTIME_DIR"); x != "" {
			cmd.Env = append(cmd.Env, "XDG_RUNTIME_DIR="+x)
		}
		cmd.Stdin = strings.NewReader(stdin)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Run(); err != nil {
			t.Fatalf("plexauth %v: %v\n%s", args, err, errOut.String())
		}
		return out.String(), errOut.String()
	}
	_, stderr := run(plextest.DefaultPassword+"\n", "login", "--password-stdin", "--username", plextest.DefaultLogin)
	if strings.Contains(stderr, "not in the OS keyring") {
		t.Fatalf("fell back to the file with a Secret Service: %s", stderr)
	}
	service := "plexgo:" + e.dir
	t.Cleanup(func() { _ = auth.SystemKeyring().Delete(service, auth.DefaultProfile) })
	item, err := auth.SystemKeyring().Get(service, auth.DefaultProfile)
	if err != nil || item == "" {
		t.Fatalf("no keyring item for the profile: %v", err)
	}
	store := auth.NewKeyringStore(auth.NewFileStore(e.dir, auth.FileStoreOptions{}), auth.KeyringOptions{})
	c, err := store.Load(t.Context(), auth.DefaultProfile)
	if err != nil || c.Token == "" {
		t.Fatalf("load: %v", err)
	}
	raw, err := os.ReadFile(filepath.Join(e.dir, "credentials.json"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), c.Token) {
		t.Error("the token is in credentials.json")
	}
	out, _ := run("", "status")
	if !strings.Contains(out, "valid, alice <alice@example.com> (legacy) [keyring]") {
		t.Errorf("status:\n%s", out)
	}
	out, _ = run("", "whoami")
	if !strings.Contains(out, "storage:      keyring") {
		t.Errorf("whoami:\n%s", out)
	}
	run("", "logout")
	if _, err := auth.SystemKeyring().Get(service, auth.DefaultProfile); !errors.Is(err, auth.ErrKeyringNotFound) {
		t.Errorf("after logout the keyring item: %v, want not found", err)
	}
}
