package cmdutil

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDefaultProfileFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if got := DefaultProfile(dir); got != "default" {
		t.Errorf("no file: %q", got)
	}
	if err := SetDefaultProfile(dir, "work"); err != nil {
		t.Fatal(err)
	}
	if got := DefaultProfile(dir); got != "work" {
		t.Errorf("after switch: %q", got)
	}
	fi, err := os.Stat(filepath.Join(dir, ConfigFileName))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("config.json: %v, mode %v", err, fi.Mode())
	}
	// A damaged or hostile file falls back to "default", never panics.
	for _, body := range []string{"", "{", `{"defaultProfile":"bad name"}`, `{"defaultProfile":123}`, `[]`} {
		if err := os.WriteFile(filepath.Join(dir, ConfigFileName), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if got := DefaultProfile(dir); got != "default" {
			t.Errorf("config.json %q: default profile %q", body, got)
		}
	}
}

func TestServerCache(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if got := LoadServerCache(dir); got != nil {
		t.Errorf("no cache: %v", got)
	}
	want := []CachedServer{{Name: "Living Room", MachineIdentifier: "abc"}}
	SaveServerCache(dir, want)
	got := LoadServerCache(dir)
	if len(got) != 1 || got[0] != want[0] {
		t.Errorf("cache = %v", got)
	}
	if err := os.WriteFile(filepath.Join(dir, ServerCacheFileName), []byte("not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := LoadServerCache(dir); got != nil {
		t.Errorf("damaged cache: %v", got)
	}
}
