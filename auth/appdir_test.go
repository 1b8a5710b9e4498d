package auth

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestAppDir(t *testing.T) {
	xdg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", xdg)
	base, err := os.UserConfigDir()
	if err != nil {
		t.Fatal(err)
	}
	legacy, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	products := []string{
		"My Bot", "my-bot", "my bot", "MY BOT", "plexauth", "plexgo", "Plex Bot",
		"../../etc/passwd", "..", ".", "/", `C:\Windows`, "a/b", "\x00nul", "ÜNICODE ☃", "☃",
		strings.Repeat("long name ", 50), "tab\there", "new\nline",
	}
	seen := map[string]string{}
	for _, p := range products {
		dir, err := AppDir(p)
		if err != nil {
			t.Fatalf("AppDir(%q): %v", p, err)
		}
		if filepath.Dir(dir) != base {
			t.Errorf("AppDir(%q) = %q, not directly inside %q", p, dir, base)
		}
		name := filepath.Base(dir)
		for _, r := range name {
			if !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '-') {
				t.Errorf("AppDir(%q) = %q: %q in the name", p, dir, r)
			}
		}
		if len(name) > 60 || strings.HasPrefix(name, "-") {
			t.Errorf("AppDir(%q) = %q", p, dir)
		}
		if dir == legacy || strings.HasPrefix(legacy, dir+string(filepath.Separator)) || strings.HasPrefix(dir, legacy+string(filepath.Separator)) {
			t.Errorf("AppDir(%q) = %q overlaps plexauth's directory %q", p, dir, legacy)
		}
		if other, ok := seen[dir]; ok {
			t.Errorf("AppDir(%q) = AppDir(%q) = %q", p, other, dir)
		}
		seen[dir] = p
		again, _ := AppDir(p)
		if again != dir {
			t.Errorf("AppDir(%q) is not stable: %q then %q", p, dir, again)
		}
	}
	if d, _ := AppDir("My Bot"); !strings.HasPrefix(filepath.Base(d), "my-bot-") {
		t.Errorf("AppDir(\"My Bot\") = %q, want a name starting with my-bot-", d)
	}
	for _, p := range []string{"", "   "} {
		if _, err := AppDir(p); err == nil {
			t.Errorf("AppDir(%q): no error", p)
		}
	}
}

// Two apps and plexauth in one HOME never touch each other's files.
func TestAppDirsAreSeparate(t *testing.T) {
	switch runtime.GOOS {
	case "windows", "darwin", "ios", "plan9":
		t.Skip("depends on Unix XDG rules")
	}
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	ctx := context.Background()
	legacy, _ := DefaultDir()
	bot, _ := AppDir("Plex Bot")
	other, _ := AppDir("Other App")
	type app struct{ dir, product string }
	apps := []app{{legacy, "plexauth"}, {bot, "Plex Bot"}, {other, "Other App"}}
	ids := map[string]string{}
	for _, a := range apps {
		ident, err := LoadOrCreateIdentity(a.dir, a.product, "1.0")
		if err != nil {
			t.Fatal(err)
		}
		c := sampleCredentials()
		c.Username = a.product
		c.ClientIdentifier = ident.ClientIdentifier
		if err := NewFileStore(a.dir, FileStoreOptions{}).Save(ctx, DefaultProfile, c); err != nil {
			t.Fatal(err)
		}
		ids[a.dir] = ident.ClientIdentifier
	}
	for _, a := range apps {
		ident, err := LoadOrCreateIdentity(a.dir, a.product, "1.0")
		if err != nil {
			t.Fatal(err)
		}
		if ident.ClientIdentifier != ids[a.dir] || ident.Product != a.product {
			t.Errorf("%s: identity changed by another app", a.product)
		}
		c, err := NewFileStore(a.dir, FileStoreOptions{}).Load(ctx, DefaultProfile)
		if err != nil || c.Username != a.product {
			t.Errorf("%s: login = %q, %v; another app's login leaked in", a.product, c.Username, err)
		}
	}
	if ids[legacy] == ids[bot] || ids[bot] == ids[other] {
		t.Error("two apps share a client identifier")
	}
}
