package auth

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A shared directory (sticky like /tmp, or writable by group or others) is
// refused by the file store and the identity file, and its mode is left
// alone: chmod'ing it to 0700 would lock the other users out (issue 10
// point 11, library side of plexauth's --config-dir check).
func TestSharedDirIsRefused(t *testing.T) {
	requirePerms(t)
	ctx := context.Background()
	for _, mode := range []os.FileMode{0o777 | os.ModeSticky, 0o755 | os.ModeSticky, 0o777, 0o770, 0o702} {
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
		err = NewFileStore(dir, FileStoreOptions{}).Save(ctx, DefaultProfile, sampleCredentials())
		if !errors.Is(err, ErrInsecurePermissions) || !strings.Contains(err.Error(), "shared") || !strings.Contains(err.Error(), dir) {
			t.Errorf("mode %v: Save = %v, want ErrInsecurePermissions naming the shared directory", before.Mode(), err)
		}
		if err != nil && strings.Contains(err.Error(), testToken) {
			t.Errorf("mode %v: the error holds the token", before.Mode())
		}
		if _, err := LoadOrCreateIdentity(dir, "Shared", "1.0"); !errors.Is(err, ErrInsecurePermissions) {
			t.Errorf("mode %v: LoadOrCreateIdentity = %v, want ErrInsecurePermissions", before.Mode(), err)
		}
		after, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		if after.Mode() != before.Mode() {
			t.Errorf("mode %v: the directory's mode changed to %v", before.Mode(), after.Mode())
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("mode %v: %d files written to the shared directory", before.Mode(), len(entries))
		}
	}
}
