package root

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/internal/cmdutil"
	"github.com/plexkit/plexgo/plextest"
)

// A token pasted as --profile or --save-as is refused and never echoed.
func TestProfileLikeATokenIsNotEchoed(t *testing.T) {
	t.Parallel()
	const tok = "xZyA1b2C3d4E5f6G7h8i"
	for _, args := range [][]string{
		{"whoami", "--profile", tok},
		{"--profile", tok, "logout"},
		{"status", "--profile", tok},
		{"login", "--profile", tok, "--password-stdin", "-u", "alice"},
		{"home", "switch", "kid", "--save-as", tok},
	} {
		streams, out, errOut := testStreams("pw\n")
		env := fakeEnv(map[string]string{cmdutil.EnvConfigDir: t.TempDir(), cmdutil.EnvPlexTVURL: "http://127.0.0.1:9"})
		if code := Main(t.Context(), args, streams, env); code != cmdutil.ExitUsage {
			t.Errorf("%s: exit %d, want %d", args[0], code, cmdutil.ExitUsage)
		}
		all := out.String() + errOut.String()
		if strings.Contains(all, tok[:6]) {
			t.Errorf("%s: the token-like profile was echoed", args[0])
		}
		if !strings.Contains(errOut.String(), "looks like a token") {
			t.Errorf("%s: stderr does not say why", args[0])
		}
	}
}

// A shared config directory (sticky, or writable by others) is refused,
// and its mode is left alone.
func TestSharedConfigDirIsRefused(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	for _, mode := range []os.FileMode{0o777 | os.ModeSticky, 0o777, 0o770, 0o702} {
		dir := filepath.Join(t.TempDir(), "shared")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, mode); err != nil {
			t.Fatal(err)
		}
		before, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		streams, out, errOut := testStreams(plextest.DefaultPassword + "\n")
		env := fakeEnv(map[string]string{cmdutil.EnvPlexTVURL: fake.PlexTVURL})
		code := Main(t.Context(), []string{"--config-dir", dir, "login", "--password-stdin", "-u", plextest.DefaultLogin}, streams, env)
		if code != cmdutil.ExitFailure {
			t.Errorf("mode %v: exit %d, want %d; stdout %q", mode, code, cmdutil.ExitFailure, out)
		}
		if !strings.Contains(errOut.String(), "is shared with other users") || !strings.Contains(errOut.String(), "--config-dir") {
			t.Errorf("mode %v: stderr = %q", mode, errOut)
		}
		after, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		if after.Mode() != before.Mode() {
			t.Errorf("mode %v: the directory's mode changed to %v", before.Mode(), after.Mode())
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("mode %v: %d files written to the shared directory", mode, len(entries))
		}
	}
}

// whoami and status interrupted while plex.tv is slow exit 130, not 1
// with "check the network".
func TestWhoamiAndStatusInterrupted(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"whoami", "status"} {
		t.Run(cmd, func(t *testing.T) {
			t.Parallel()
			f, fake, _, errOut := newFakeFactory(t, plextest.DefaultPassword+"\n")
			if code := f.Run(t.Context(), []string{"login", "--password-stdin", "-u", plextest.DefaultLogin}); code != cmdutil.ExitOK {
				t.Fatalf("login: exit %d: %s", code, errOut)
			}
			errOut.Reset()
			fake.InjectFault("GET /api/v2/user", plextest.Fault{Latency: time.Hour})
			before := fake.CountRequests("GET", "/api/v2/user")
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			go func() {
				for range 3000 {
					if fake.CountRequests("GET", "/api/v2/user") > before {
						break
					}
					time.Sleep(10 * time.Millisecond)
				}
				cancel()
			}()
			if code := f.Run(ctx, []string{cmd}); code != cmdutil.ExitCancelled {
				t.Errorf("exit %d, want %d", code, cmdutil.ExitCancelled)
			}
			if !strings.HasSuffix(errOut.String(), "plexauth: interrupted\n") || strings.Contains(errOut.String(), "network") {
				t.Errorf("stderr = %q", errOut)
			}
		})
	}
}

// readOnlyStore is a token store that can be read but not changed, like
// a credentials file on a read-only file system.
type readOnlyStore struct{ auth.TokenStore }

var errReadOnly = errors.New("read-only file system")

func (readOnlyStore) Save(context.Context, string, auth.Credentials) error { return errReadOnly }
func (readOnlyStore) Delete(context.Context, string) error                 { return errReadOnly }

// logout with a store it cannot change does not sign the token out (it
// would stay stored, dead) and says what happened.
func TestLogoutReadOnlyStore(t *testing.T) {
	t.Parallel()
	f, fake, out, errOut := newFakeFactory(t, "")
	const clientID = "read-only-device"
	tok, err := fake.IssueToken(plextest.DefaultLogin, clientID)
	if err != nil {
		t.Fatal(err)
	}
	mem := &auth.MemoryStore{}
	if err := mem.Save(t.Context(), auth.DefaultProfile, auth.Credentials{Token: tok, Kind: auth.TokenKindLegacy,
		ClientIdentifier: clientID, PlexTVURL: fake.PlexTVURL, Username: "alice"}); err != nil {
		t.Fatal(err)
	}
	f.store = readOnlyStore{mem}
	if code := f.Run(t.Context(), []string{"logout"}); code != cmdutil.ExitFailure {
		t.Errorf("exit %d, want %d", code, cmdutil.ExitFailure)
	}
	if n := fake.CountRequests("DELETE", "/api/v2/users/signout"); n != 0 {
		t.Errorf("%d sign-out requests: the token was revoked although it stays stored", n)
	}
	stderr := errOut.String()
	if !strings.Contains(stderr, "the stored login cannot be changed, so nothing was signed out") || !strings.Contains(stderr, "read-only") {
		t.Errorf("stderr = %q", stderr)
	}
	if strings.Contains(stderr, "revoked later") || out.Len() != 0 {
		t.Errorf("misleading output: stdout %q stderr %q", out, stderr)
	}
	// The token still works.
	f.store = mem
	out.Reset()
	if code := f.Run(t.Context(), []string{"whoami"}); code != cmdutil.ExitOK {
		t.Errorf("whoami after the refused logout: exit %d: %s", code, errOut)
	}
	noSecrets(t, f, fake, out.String(), errOut.String())
}
