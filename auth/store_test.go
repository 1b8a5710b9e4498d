package auth

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testToken = "tok-SECRET-7f3a9c2e1b"
	testKey   = "KEY-SECRET-0123456789abcdef012345"
)

func sampleCredentials() Credentials {
	return Credentials{
		Token:            testToken,
		Kind:             TokenKindJWT,
		ExpiresAt:        time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC),
		AccountID:        42,
		AccountUUID:      "acct-uuid",
		Username:         "alice",
		Email:            "alice@example.com",
		ClientIdentifier: "0f7c0d9c-5b7e-4b8e-9c3a-2d1e0f9a8b7c",
		PlexTVURL:        "https://plex.tv",
		DeviceKey:        []byte(testKey),
		DeviceKeyID:      "kid-1",
		SavedAt:          time.Date(2029, 5, 6, 7, 8, 9, 0, time.UTC),
	}
}

func credsEqual(a, b Credentials) bool {
	if !a.ExpiresAt.Equal(b.ExpiresAt) || !a.SavedAt.Equal(b.SavedAt) {
		return false
	}
	a.ExpiresAt, b.ExpiresAt, a.SavedAt, b.SavedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return a.Token == b.Token && a.Kind == b.Kind && a.AccountID == b.AccountID &&
		a.AccountUUID == b.AccountUUID && a.Username == b.Username && a.Email == b.Email &&
		a.ClientIdentifier == b.ClientIdentifier && a.PlexTVURL == b.PlexTVURL &&
		bytes.Equal(a.DeviceKey, b.DeviceKey) && a.DeviceKeyID == b.DeviceKeyID
}

type namedStore struct {
	name string
	new  func(t *testing.T) TokenStore
}

func allStores() []namedStore {
	return []namedStore{
		{"FileStore", func(t *testing.T) TokenStore {
			return NewFileStore(filepath.Join(t.TempDir(), "cfg"), FileStoreOptions{})
		}},
		{"MemoryStore", func(t *testing.T) TokenStore { return NewMemoryStore() }},
		{"MemoryStoreZero", func(t *testing.T) TokenStore { return new(MemoryStore) }},
	}
}

func TestStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	for _, ns := range allStores() {
		t.Run(ns.name, func(t *testing.T) {
			s := ns.new(t)

			names, err := s.Profiles(ctx)
			if err != nil || len(names) != 0 {
				t.Fatalf("Profiles on empty store = %v, %v; want empty, nil", names, err)
			}
			if _, err := s.Load(ctx, DefaultProfile); !errors.Is(err, ErrNotLoggedIn) {
				t.Fatalf("Load on empty store: err = %v, want ErrNotLoggedIn", err)
			}
			if err := s.Delete(ctx, DefaultProfile); err != nil {
				t.Fatalf("Delete on empty store: %v", err)
			}

			c1 := sampleCredentials()
			c2 := Credentials{Token: "legacy-token-20chars", Kind: TokenKindLegacy, Username: "bob"}
			if err := s.Save(ctx, DefaultProfile, c1); err != nil {
				t.Fatal(err)
			}
			if err := s.Save(ctx, "work", c2); err != nil {
				t.Fatal(err)
			}
			if err := s.Save(ctx, "alpha", c2); err != nil {
				t.Fatal(err)
			}

			got, err := s.Load(ctx, DefaultProfile)
			if err != nil {
				t.Fatal(err)
			}
			if !credsEqual(got, c1) {
				t.Errorf("Load(default) = %#v, want %#v", got, c1)
			}
			got2, err := s.Load(ctx, "work")
			if err != nil {
				t.Fatal(err)
			}
			if got2.SavedAt.IsZero() {
				t.Error("Save did not set SavedAt")
			}
			if got2.Token != c2.Token || got2.Kind != TokenKindLegacy || !got2.ExpiresAt.IsZero() {
				t.Errorf("Load(work) = %#v", got2)
			}

			names, err = s.Profiles(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if want := []string{"alpha", DefaultProfile, "work"}; !slices.Equal(names, want) {
				t.Errorf("Profiles = %v, want %v", names, want)
			}

			// Overwrite.
			c1b := c1
			c1b.Token = "replaced-token"
			if err := s.Save(ctx, DefaultProfile, c1b); err != nil {
				t.Fatal(err)
			}
			if got, _ := s.Load(ctx, DefaultProfile); got.Token != "replaced-token" {
				t.Errorf("after overwrite token = %q", got.Token)
			}

			if err := s.Delete(ctx, "work"); err != nil {
				t.Fatal(err)
			}
			if err := s.Delete(ctx, "work"); err != nil {
				t.Fatalf("second Delete: %v", err)
			}
			if _, err := s.Load(ctx, "work"); !errors.Is(err, ErrNotLoggedIn) {
				t.Errorf("Load after Delete: err = %v, want ErrNotLoggedIn", err)
			}
			names, _ = s.Profiles(ctx)
			if want := []string{"alpha", DefaultProfile}; !slices.Equal(names, want) {
				t.Errorf("Profiles after Delete = %v, want %v", names, want)
			}
			for _, p := range names {
				if err := s.Delete(ctx, p); err != nil {
					t.Fatal(err)
				}
			}
			if names, _ := s.Profiles(ctx); len(names) != 0 {
				t.Errorf("Profiles after deleting all = %v", names)
			}
		})
	}
}

func TestStoreRejects(t *testing.T) {
	for _, ns := range allStores() {
		t.Run(ns.name, func(t *testing.T) {
			s := ns.new(t)
			ctx := context.Background()
			if err := s.Save(ctx, DefaultProfile, Credentials{}); err == nil {
				t.Error("Save with empty token succeeded")
			}
			if err := s.Save(ctx, "../evil", sampleCredentials()); !errors.Is(err, ErrInvalidProfile) {
				t.Errorf("Save with bad profile: err = %v, want ErrInvalidProfile", err)
			}
			if _, err := s.Load(ctx, ""); !errors.Is(err, ErrInvalidProfile) {
				t.Errorf("Load with empty profile: err = %v, want ErrInvalidProfile", err)
			}
			if err := s.Delete(ctx, "a/b"); !errors.Is(err, ErrInvalidProfile) {
				t.Errorf("Delete with bad profile: err = %v, want ErrInvalidProfile", err)
			}

			cctx, cancel := context.WithCancel(ctx)
			cancel()
			if err := s.Save(cctx, DefaultProfile, sampleCredentials()); !errors.Is(err, context.Canceled) {
				t.Errorf("Save with canceled ctx: err = %v", err)
			}
			if _, err := s.Load(cctx, DefaultProfile); !errors.Is(err, context.Canceled) {
				t.Errorf("Load with canceled ctx: err = %v", err)
			}
			if _, err := s.Profiles(cctx); !errors.Is(err, context.Canceled) {
				t.Errorf("Profiles with canceled ctx: err = %v", err)
			}
			if err := s.Delete(cctx, DefaultProfile); !errors.Is(err, context.Canceled) {
				t.Errorf("Delete with canceled ctx: err = %v", err)
			}
		})
	}
}

func TestMemoryStoreCopies(t *testing.T) {
	ctx := context.Background()
	s := NewMemoryStore()
	c := sampleCredentials()
	if err := s.Save(ctx, DefaultProfile, c); err != nil {
		t.Fatal(err)
	}
	c.DeviceKey[0] = 'X'
	got, _ := s.Load(ctx, DefaultProfile)
	if string(got.DeviceKey) != testKey {
		t.Fatalf("store aliased caller's DeviceKey: %q", got.DeviceKey)
	}
	got.DeviceKey[0] = 'Y'
	again, _ := s.Load(ctx, DefaultProfile)
	if string(again.DeviceKey) != testKey {
		t.Fatalf("Load returned store's own DeviceKey slice")
	}
}

func requirePerms(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("Unix permission bits are not checked on Windows")
	}
}

func TestFileStorePermissions(t *testing.T) {
	requirePerms(t)
	dir := filepath.Join(t.TempDir(), "a", "b")
	s := NewFileStore(dir, FileStoreOptions{})
	if want := filepath.Join(dir, "credentials.json"); s.Path() != want {
		t.Fatalf("Path = %q, want %q", s.Path(), want)
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("NewFileStore created the directory: %v", err)
	}
	if err := s.Save(context.Background(), DefaultProfile, sampleCredentials()); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("file mode = %04o, want 0600", perm)
	}
	di, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := di.Mode().Perm(); perm != 0o700 {
		t.Errorf("dir mode = %04o, want 0700", perm)
	}
	// The whole file must not be readable by anyone but the owner after a
	// rewrite either.
	if err := s.Save(context.Background(), "other", sampleCredentials()); err != nil {
		t.Fatal(err)
	}
	fi, _ = os.Stat(s.Path())
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("file mode after rewrite = %04o, want 0600", perm)
	}
}

func TestFileStoreTightensExistingDir(t *testing.T) {
	requirePerms(t)
	dir := filepath.Join(t.TempDir(), "loose")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil { // defeat umask
		t.Fatal(err)
	}
	s := NewFileStore(dir, FileStoreOptions{})
	if err := s.Save(context.Background(), DefaultProfile, sampleCredentials()); err != nil {
		t.Fatal(err)
	}
	di, _ := os.Stat(dir)
	if perm := di.Mode().Perm(); perm != 0o700 {
		t.Errorf("dir mode = %04o, want 0700", perm)
	}
}

func TestFileStoreRefusesInsecureFile(t *testing.T) {
	requirePerms(t)
	ctx := context.Background()
	s := NewFileStore(t.TempDir(), FileStoreOptions{})
	if err := s.Save(ctx, DefaultProfile, sampleCredentials()); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []fs.FileMode{0o644, 0o640, 0o604, 0o620, 0o602} {
		if err := os.Chmod(s.Path(), mode); err != nil {
			t.Fatal(err)
		}
		before, _ := os.ReadFile(s.Path())
		_, err := s.Load(ctx, DefaultProfile)
		if !errors.Is(err, ErrInsecurePermissions) {
			t.Fatalf("mode %04o: Load err = %v, want ErrInsecurePermissions", mode, err)
		}
		msg := err.Error()
		if !strings.Contains(msg, s.Path()) || !strings.Contains(msg, "chmod 600 "+s.Path()) {
			t.Errorf("error does not name the path and the fix: %q", msg)
		}
		if strings.Contains(msg, testToken) {
			t.Error("error contains the token (not shown)")
		}
		if err := s.Save(ctx, "x", sampleCredentials()); !errors.Is(err, ErrInsecurePermissions) {
			t.Errorf("mode %04o: Save err = %v, want ErrInsecurePermissions", mode, err)
		}
		if _, err := s.Profiles(ctx); !errors.Is(err, ErrInsecurePermissions) {
			t.Errorf("mode %04o: Profiles err = %v, want ErrInsecurePermissions", mode, err)
		}
		after, _ := os.ReadFile(s.Path())
		if !bytes.Equal(before, after) {
			t.Errorf("mode %04o: file modified", mode)
		}
	}
	if err := os.Chmod(s.Path(), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx, DefaultProfile); err != nil {
		t.Errorf("after chmod 600: %v", err)
	}
}

// writeRaw writes a credentials file directly, with mode 0600.
func writeRaw(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestFileStoreCorruptFile(t *testing.T) {
	ctx := context.Background()
	cases := map[string]string{
		"truncated":     `{"version":1,"profiles":{"default":{"token":"` + testToken,
		"not json":      "hello " + testToken,
		"wrong type":    `{"version":1,"profiles":{"default":{"token":"` + testToken + `","accountId":"` + testToken + `"}}}`,
		"token number":  `{"version":1,"profiles":{"default":{"token":12345}}}`,
		"array":         `[1,2,3]`,
		"empty":         ``,
		"trailing":      `{"version":1,"profiles":{}} {"x":1}`,
		"no version":    `{"profiles":{}}`,
		"newer version": `{"version":99,"profiles":{}}`,
		"bad profile":   `{"version":1,"profiles":{"../x":{"token":"t"}}}`,
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			s := NewFileStore(t.TempDir(), FileStoreOptions{})
			writeRaw(t, s.Path(), []byte(content))
			_, err := s.Load(ctx, DefaultProfile)
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Load err = %v, want ErrCorrupt", err)
			}
			if errors.Is(err, ErrNotLoggedIn) {
				t.Errorf("corrupt file reported as not logged in")
			}
			if !strings.Contains(err.Error(), s.Path()) {
				t.Errorf("error does not name the file: %v", err)
			}
			if strings.Contains(err.Error(), testToken) {
				t.Errorf("error contains the token: %v", err)
			}
			if err := s.Save(ctx, DefaultProfile, sampleCredentials()); !errors.Is(err, ErrCorrupt) {
				t.Errorf("Save over corrupt file: err = %v, want ErrCorrupt", err)
			}
			if err := s.Delete(ctx, DefaultProfile); !errors.Is(err, ErrCorrupt) {
				t.Errorf("Delete on corrupt file: err = %v, want ErrCorrupt", err)
			}
			if _, err := s.Profiles(ctx); !errors.Is(err, ErrCorrupt) {
				t.Errorf("Profiles on corrupt file: err = %v, want ErrCorrupt", err)
			}
			got, _ := os.ReadFile(s.Path())
			if string(got) != content {
				t.Errorf("corrupt file was modified")
			}
		})
	}
}

func TestFileStoreOversizedFile(t *testing.T) {
	s := NewFileStore(t.TempDir(), FileStoreOptions{})
	big := bytes.Repeat([]byte(" "), maxFileSize+1)
	writeRaw(t, s.Path(), big)
	_, err := s.Load(context.Background(), DefaultProfile)
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "limit") {
		t.Fatalf("Load err = %v, want ErrCorrupt mentioning the limit", err)
	}
	// Exactly at the limit is read (and here fails only as malformed JSON).
	writeRaw(t, s.Path(), big[:maxFileSize])
	_, err = s.Load(context.Background(), DefaultProfile)
	if !errors.Is(err, ErrCorrupt) || strings.Contains(err.Error(), "limit") {
		t.Fatalf("Load at limit: err = %v, want a parse error", err)
	}
}

func TestFileStoreNotRegularFile(t *testing.T) {
	s := NewFileStore(t.TempDir(), FileStoreOptions{})
	if err := os.Mkdir(s.Path(), 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(context.Background(), DefaultProfile); err == nil || errors.Is(err, ErrNotLoggedIn) {
		t.Fatalf("Load with a directory in place of the file: err = %v", err)
	}
}

// dirEntries lists the names in dir.
func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func TestFileStoreFailedSaveKeepsOldFile(t *testing.T) {
	ctx := context.Background()
	errInjected := errors.New("injected failure")
	hooks := map[string]fileOps{
		"rename fails": {rename: func(string, string) error { return errInjected }},
		"write fails": {write: func(f *os.File, data []byte) (int, error) {
			n, _ := f.Write(data[:len(data)/2]) // half-written temp file
			return n, errInjected
		}},
		"short write": {write: func(f *os.File, data []byte) (int, error) {
			return f.Write(data[:len(data)/2])
		}},
	}
	for name, ops := range hooks {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			s := NewFileStore(dir, FileStoreOptions{})
			if err := s.Save(ctx, DefaultProfile, sampleCredentials()); err != nil {
				t.Fatal(err)
			}
			old, err := os.ReadFile(s.Path())
			if err != nil {
				t.Fatal(err)
			}

			s.ops = ops
			c := sampleCredentials()
			c.Token = "new-token"
			err = s.Save(ctx, "second", c)
			if err == nil {
				t.Fatal("Save succeeded despite injected failure")
			}
			if strings.Contains(err.Error(), testToken) || strings.Contains(err.Error(), "new-token") {
				t.Errorf("error contains a token: %v", err)
			}
			if err := s.Delete(ctx, DefaultProfile); err == nil {
				t.Fatal("Delete succeeded despite injected failure")
			}
			now, _ := os.ReadFile(s.Path())
			if !bytes.Equal(old, now) {
				t.Errorf("file changed after failed write:\nold: %s\nnew: %s", old, now)
			}
			if names := dirEntries(t, dir); !slices.Equal(names, []string{".credentials.json.lock", "credentials.json"}) {
				t.Errorf("directory holds %v, want only credentials.json (temp file left behind?)", names)
			}

			s.ops = fileOps{}
			if _, err := s.Load(ctx, DefaultProfile); err != nil {
				t.Errorf("Load after failed Save: %v", err)
			}
			if _, err := s.Load(ctx, "second"); !errors.Is(err, ErrNotLoggedIn) {
				t.Errorf("failed Save was partially applied: %v", err)
			}
		})
	}
}

func TestFileStoreConcurrentSaves(t *testing.T) {
	ctx := context.Background()
	for _, ns := range allStores() {
		t.Run(ns.name, func(t *testing.T) {
			s := ns.new(t)
			const n = 50
			var wg sync.WaitGroup
			errs := make(chan error, 2*n)
			for i := range n {
				wg.Go(func() {
					c := sampleCredentials()
					c.Token = fmt.Sprintf("token-%02d", i)
					if err := s.Save(ctx, fmt.Sprintf("p%02d", i), c); err != nil {
						errs <- err
					}
					// Interleave reads with the writes.
					if _, err := s.Profiles(ctx); err != nil {
						errs <- err
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			names, err := s.Profiles(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(names) != n {
				t.Fatalf("got %d profiles, want %d: %v", len(names), n, names)
			}
			for i := range n {
				c, err := s.Load(ctx, fmt.Sprintf("p%02d", i))
				if err != nil {
					t.Fatal(err)
				}
				if want := fmt.Sprintf("token-%02d", i); c.Token != want {
					t.Errorf("p%02d token = %q, want %q", i, c.Token, want)
				}
			}
		})
	}
}

// Two FileStores on one file model two processes: updates may be lost, but
// every read sees a complete file and no temporary files remain.
func TestFileStoreTwoWritersNeverCorrupt(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, b := NewFileStore(dir, FileStoreOptions{}), NewFileStore(dir, FileStoreOptions{})
	if err := a.Save(ctx, DefaultProfile, sampleCredentials()); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for i := range 20 {
		for _, s := range []*FileStore{a, b} {
			wg.Go(func() {
				c := sampleCredentials()
				c.Token = fmt.Sprintf("t%d", i)
				if err := s.Save(ctx, DefaultProfile, c); err != nil {
					errs <- err
				}
				if _, err := s.Load(ctx, DefaultProfile); err != nil {
					errs <- err
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if names := dirEntries(t, dir); !slices.Equal(names, []string{".credentials.json.lock", "credentials.json"}) {
		t.Errorf("directory holds %v", names)
	}
}

func TestFileStoreJSONLayout(t *testing.T) {
	s := NewFileStore(t.TempDir(), FileStoreOptions{})
	c := Credentials{Token: "abc", Kind: TokenKindLegacy, SavedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	if err := s.Save(context.Background(), DefaultProfile, c); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(s.Path())
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	if raw["version"] != float64(1) {
		t.Errorf("version = %v", raw["version"])
	}
	prof := raw["profiles"].(map[string]any)["default"].(map[string]any)
	if _, ok := prof["expiresAt"]; ok {
		t.Error("zero expiresAt was written (omitzero)")
	}
	if prof["token"] != "abc" || prof["kind"] != "legacy" || prof["savedAt"] != "2025-01-01T00:00:00Z" {
		t.Errorf("unexpected layout: %s", data)
	}
}

func TestValidateProfile(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"default", true},
		{"work-2", true},
		{"a.b_c-D9", true},
		{"x", true},
		{strings.Repeat("a", 64), true},
		{"", false},
		{strings.Repeat("a", 65), false},
		{".", false},
		{"..", false},
		{".hidden", false},
		{"a/b", false},
		{`a\b`, false},
		{"../etc", false},
		{"a b", false},
		{"tab\t", false},
		{"nul\x00", false},
		{"ünïcode", false},
		{"semi;colon", false},
		{"new\nline", false},
	}
	for _, tt := range tests {
		err := ValidateProfile(tt.name)
		if (err == nil) != tt.ok {
			t.Errorf("ValidateProfile(%q) = %v, want ok=%v", tt.name, err, tt.ok)
		}
		if err != nil && !errors.Is(err, ErrInvalidProfile) {
			t.Errorf("ValidateProfile(%q) error does not wrap ErrInvalidProfile: %v", tt.name, err)
		}
	}
	// A too-long name is not echoed (it could be a pasted token).
	long := strings.Repeat("s", 100)
	if err := ValidateProfile(long); err == nil || strings.Contains(err.Error(), long) {
		t.Errorf("long profile error = %v", err)
	}
}

func TestDefaultDir(t *testing.T) {
	xdg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", xdg)
	dir, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(dir) != "plexgo" {
		t.Errorf("DefaultDir = %q, want .../plexgo", dir)
	}
	switch runtime.GOOS {
	case "windows", "darwin", "ios", "plan9":
	default:
		if want := filepath.Join(xdg, "plexgo"); dir != want {
			t.Errorf("DefaultDir = %q, want %q", dir, want)
		}
		// plexauth passes its directory explicitly (issue 13: "" no
		// longer means plexauth's directory).
		s := NewFileStore(dir, FileStoreOptions{})
		if want := filepath.Join(xdg, "plexgo", "credentials.json"); s.Path() != want {
			t.Errorf("NewFileStore(DefaultDir(), FileStoreOptions{}).Path() = %q, want %q", s.Path(), want)
		}
		if err := s.Save(context.Background(), DefaultProfile, sampleCredentials()); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(s.Path()); err != nil {
			t.Error(err)
		}
	}
}

func TestDefaultDirError(t *testing.T) {
	switch runtime.GOOS {
	case "windows", "darwin", "ios", "plan9":
		t.Skip("depends on Unix XDG rules")
	}
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("HOME", "")
	if _, err := DefaultDir(); err == nil {
		t.Skip("os.UserConfigDir found a directory anyway")
	}
	if _, err := AppDir("My App"); err == nil {
		t.Error("AppDir succeeded without a config directory")
	}
}

// An empty directory is an error naming AppDir, for every method; nothing
// is written anywhere (issue 13: it used to mean plexauth's directory).
func TestFileStoreNeedsDir(t *testing.T) {
	xdg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", xdg)
	s := NewFileStore("", FileStoreOptions{})
	ctx := context.Background()
	if s.Path() != "" {
		t.Errorf("Path = %q, want empty", s.Path())
	}
	errs := []error{s.Save(ctx, DefaultProfile, sampleCredentials()), s.Delete(ctx, DefaultProfile)}
	_, err := s.Load(ctx, DefaultProfile)
	errs = append(errs, err)
	_, err = s.Profiles(ctx)
	errs = append(errs, err)
	for i, err := range errs {
		if err == nil || errors.Is(err, ErrNotLoggedIn) || !strings.Contains(err.Error(), "AppDir") {
			t.Errorf("call %d: err = %v, want an error naming AppDir", i, err)
		}
	}
	if ents, _ := os.ReadDir(xdg); len(ents) != 0 {
		t.Errorf("the config directory holds %d entries, want none", len(ents))
	}
}

func TestRedactToken(t *testing.T) {
	tests := map[string]string{
		"":                     "",
		"a":                    "[REDACTED len=1]",
		"abcdefghijklmnopqrst": "[REDACTED len=20]",
	}
	for in, want := range tests {
		if got := RedactToken(in); got != want {
			t.Errorf("RedactToken(%q) = %q, want %q", in, got, want)
		}
	}
}

// assertNoSecret fails if s contains the token or the device key in any
// obvious encoding.
func assertNoSecret(t *testing.T, what, s string) {
	t.Helper()
	for i, secret := range []string{
		testToken, "SECRET",
		testKey,
		hex.EncodeToString([]byte(testKey)),
		base64.StdEncoding.EncodeToString([]byte(testKey)),
		fmt.Sprint([]byte(testKey)),
		fmt.Sprint([]byte(testKey)[:4]),
	} {
		if strings.Contains(s, secret) {
			t.Errorf("%s leaks secret #%d (not shown)", what, i)
		}
	}
}

func TestCredentialsFormattingRedacts(t *testing.T) {
	c := sampleCredentials()
	pc := &c
	type wrapper struct {
		Name  string
		Creds Credentials
		Ptr   *Credentials
	}
	w := wrapper{"w", c, pc}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %v", "%10v", "%-40s"} {
		for name, arg := range map[string]any{"value": c, "pointer": pc, "nested": w, "slice": []Credentials{c}, "map": map[string]Credentials{"k": c}} {
			out := fmt.Sprintf(verb, arg)
			assertNoSecret(t, fmt.Sprintf("Sprintf(%q, %s)", verb, name), out)
		}
	}
	for name, s := range map[string]string{
		"String":   c.String(),
		"GoString": c.GoString(),
		"Sprint":   fmt.Sprint(c),
		"Sprintln": fmt.Sprintln(c, pc),
		"Errorf":   fmt.Errorf("login: %v", c).Error(),
	} {
		assertNoSecret(t, name, s)
	}

	// The redacted output still says what is there.
	for _, verb := range []string{"%v", "%+v", "%s", "%#v"} {
		out := fmt.Sprintf(verb, c)
		for _, want := range []string{"[REDACTED len=21]", "[REDACTED len=33]", "alice", "jwt", "kid-1"} {
			if !strings.Contains(out, want) {
				t.Errorf("Sprintf(%q) = %s; missing %q", verb, out, want)
			}
		}
	}
	if got := fmt.Sprintf("%#v", c); !strings.HasPrefix(got, "auth.Credentials{") {
		t.Errorf("%%#v = %s", got)
	}
	if got := fmt.Sprintf("%#v", Credentials{}); !strings.Contains(got, "DeviceKey:nil") || !strings.Contains(got, `Token:""`) {
		t.Errorf("%%#v of zero value = %s", got)
	}
	if got := fmt.Sprintf("%d", c); !strings.HasPrefix(got, "%!d(") {
		t.Errorf("%%d = %s", got)
	}
}

func TestCredentialsSlogRedacts(t *testing.T) {
	c := sampleCredentials()
	var buf bytes.Buffer
	for name, h := range map[string]slog.Handler{
		"text": slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}),
		"json": slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}),
	} {
		buf.Reset()
		l := slog.New(h)
		l.Info("saved", "creds", c, "ptr", &c, slog.Any("any", c))
		l.With("creds", c).Debug("with")
		l.WithGroup("g").Info("group", "creds", c)
		out := buf.String()
		assertNoSecret(t, "slog "+name, out)
		for _, want := range []string{"[REDACTED len=21]", "alice", "kid-1"} {
			if !strings.Contains(out, want) {
				t.Errorf("slog %s output missing %q: %s", name, want, out)
			}
		}
	}
}

// Name is the Username, or the Title of a managed Home user (which has no
// username), and String shows the Title.
func TestCredentialsName(t *testing.T) {
	for _, tc := range []struct {
		c    Credentials
		want string
	}{
		{Credentials{Username: "alice", Title: "Alice A."}, "alice"},
		{Credentials{Title: "kid"}, "kid"},
		{Credentials{}, ""},
	} {
		if got := tc.c.Name(); got != tc.want {
			t.Errorf("%v.Name() = %q, want %q", tc.c, got, tc.want)
		}
	}
	if got := (Credentials{Title: "kid"}).String(); !strings.Contains(got, "Title:kid") {
		t.Errorf("String = %s; missing the title", got)
	}
	if got := (Credentials{Title: "kid"}).GoString(); !strings.Contains(got, `Title:"kid"`) {
		t.Errorf("GoString = %s; missing the title", got)
	}
}

func TestCredentialsExpired(t *testing.T) {
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	if (Credentials{}).Expired(now) {
		t.Error("legacy credentials (no expiry) reported expired")
	}
	if !(Credentials{ExpiresAt: now}).Expired(now) {
		t.Error("credentials expiring now not expired")
	}
	if (Credentials{ExpiresAt: now.Add(time.Minute)}).Expired(now) {
		t.Error("future expiry reported expired")
	}
}

// A non-ASCII character is named as itself, not as one of its bytes.
func TestValidateProfileNamesRune(t *testing.T) {
	err := ValidateProfile("défaut")
	if !errors.Is(err, ErrInvalidProfile) || !strings.Contains(err.Error(), "'é'") {
		t.Fatalf("ValidateProfile(défaut) = %v, want ErrInvalidProfile naming 'é'", err)
	}
}

// plantStaleTemps creates n temporary files like the ones a writer killed
// in the middle of FileStore.Save leaves behind, dated an hour ago.
func plantStaleTemps(t *testing.T, s *FileStore, n int) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(s.Path()), 0o700); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	for i := range n {
		name := filepath.Join(filepath.Dir(s.Path()), fmt.Sprintf(".%s.tmp-%d", credentialsFileName, 1000+i))
		if err := os.WriteFile(name, []byte(`{"version":1,"profiles":{"x":{"token":"`+testToken+`"}}}`), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(name, old, old); err != nil {
			t.Fatal(err)
		}
	}
}

func staleTemps(t *testing.T, s *FileStore) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(filepath.Dir(s.Path()), "."+credentialsFileName+".tmp-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestFileStoreRemovesStaleTemps(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "store")
	s := NewFileStore(dir, FileStoreOptions{})
	keep := filepath.Join(dir, "other.tmp-1")
	plantStaleTemps(t, s, 3)
	if err := os.WriteFile(keep, []byte("not ours"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, "a", sampleCredentials()); err != nil {
		t.Fatalf("Save: %v", err)
	}
	if left := staleTemps(t, s); len(left) != 0 {
		t.Errorf("Save left %d stale temporary files", len(left))
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("Save removed a file that is not the store's: %v", err)
	}

	// Logout (Delete) removes them too, also for a profile that is not stored.
	for _, profile := range []string{"a", "never-saved"} {
		plantStaleTemps(t, s, 2)
		if err := s.Delete(ctx, profile); err != nil {
			t.Fatalf("Delete(%s): %v", profile, err)
		}
		if left := staleTemps(t, s); len(left) != 0 {
			t.Errorf("Delete(%s) left %d stale temporary files", profile, len(left))
		}
	}
	if got, err := s.Profiles(ctx); err != nil || len(got) != 0 {
		t.Errorf("Profiles = %v, %v", got, err)
	}
}
