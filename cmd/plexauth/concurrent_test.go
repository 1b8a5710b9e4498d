//go:build unix

package main

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/plextest"
)

// Ten plexauth processes logging in to ten profiles of one config
// directory at once keep all ten, each its own device with its own token,
// and every one valid.
func TestConcurrentLoginsKeepEveryProfile(t *testing.T) {
	t.Parallel()
	e := newPTYEnv(t)
	const n = 10
	var wg sync.WaitGroup
	errs := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(filepath.Join(e.bin, "plexauth"), "login", "--password-stdin", "--username", plextest.DefaultLogin, "--profile", fmt.Sprintf("p%d", i))
			cmd.Env = []string{"PATH=" + e.bin, "HOME=" + e.dir, "PLEXAUTH_PLEXTV_URL=" + e.fake.PlexTVURL, "PLEXAUTH_CONFIG_DIR=" + e.dir,
				"PLEXAUTH_INSECURE_STORAGE=1", "GORACE=atexit_sleep_ms=0"}
			cmd.Stdin = strings.NewReader(plextest.DefaultPassword + "\n")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Run(); err != nil {
				errs[i] = fmt.Sprintf("login p%d: %v: %s", i, err, stderr.String())
			}
		}()
	}
	wg.Wait()
	for _, e := range errs {
		if e != "" {
			t.Error(e)
		}
	}
	store := auth.NewFileStore(e.dir, auth.FileStoreOptions{})
	ctx := context.Background()
	profiles, err := store.Profiles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(profiles) != n {
		t.Fatalf("%d profiles stored, want %d: %v", len(profiles), n, profiles)
	}
	tokens, devices := map[string]bool{}, map[string]bool{}
	for _, p := range profiles {
		c, err := store.Load(ctx, p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		tokens[c.Token], devices[c.ClientIdentifier] = true, true
	}
	if len(tokens) != n || len(devices) != n {
		t.Errorf("%d distinct tokens and %d devices for %d profiles", len(tokens), len(devices), n)
	}
	cmd := exec.Command(filepath.Join(e.bin, "plexauth"), "status")
	cmd.Env = []string{"PATH=" + e.bin, "HOME=" + e.dir, "PLEXAUTH_PLEXTV_URL=" + e.fake.PlexTVURL, "PLEXAUTH_CONFIG_DIR=" + e.dir, "GORACE=atexit_sleep_ms=0"}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("status: %v\n%s", err, out)
	}
	if got := strings.Count(string(out), ": valid, alice"); got != n {
		t.Errorf("status shows %d valid logins, want %d:\n%s", got, n, out)
	}
}
