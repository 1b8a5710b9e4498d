package auth

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestNewClientIdentifier(t *testing.T) {
	seen := make(map[string]bool)
	for range 1000 {
		id, err := NewClientIdentifier()
		if err != nil {
			t.Fatal(err)
		}
		if !uuidV4.MatchString(id) {
			t.Fatalf("NewClientIdentifier() = %q, not a lowercase UUIDv4", id)
		}
		if seen[id] {
			t.Fatalf("duplicate identifier %q", id)
		}
		seen[id] = true
	}
}

func TestPlatformName(t *testing.T) {
	for goos, want := range map[string]string{
		"linux": "Linux", "darwin": "macOS", "windows": "Windows", "freebsd": "FreeBSD",
		"ios": "iOS", "android": "Android", "hurd": "Hurd", "": "",
	} {
		if got := platformName(goos); got != want {
			t.Errorf("platformName(%q) = %q, want %q", goos, got, want)
		}
	}
}

func TestDefaultIdentity(t *testing.T) {
	a, err := DefaultIdentity("MyApp", "1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	if !uuidV4.MatchString(a.ClientIdentifier) {
		t.Errorf("ClientIdentifier = %q", a.ClientIdentifier)
	}
	if a.Product != "MyApp" || a.Version != "1.2.3" {
		t.Errorf("Product/Version = %q/%q", a.Product, a.Version)
	}
	if a.Platform != platformName(runtime.GOOS) || a.Platform == "" {
		t.Errorf("Platform = %q", a.Platform)
	}
	if a.Device != runtime.GOOS+"/"+runtime.GOARCH {
		t.Errorf("Device = %q", a.Device)
	}
	if a.DeviceName == "" {
		t.Error("DeviceName empty")
	}
	if h, err := os.Hostname(); err == nil && h != "" && a.DeviceName != h {
		t.Errorf("DeviceName = %q, want host name %q", a.DeviceName, h)
	}
	b, err := DefaultIdentity("MyApp", "1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	if a.ClientIdentifier == b.ClientIdentifier {
		t.Error("DefaultIdentity reused a client identifier")
	}
	if _, err := DefaultIdentity("  ", "1"); err == nil {
		t.Error("DefaultIdentity accepted an empty product")
	}
}

func readIdentityFile(t *testing.T, dir string) Identity {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "identity.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ident Identity
	if err := json.Unmarshal(data, &ident); err != nil {
		t.Fatal(err)
	}
	return ident
}

func TestLoadOrCreateIdentityPersists(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cfg", "plexgo")
	first, err := LoadOrCreateIdentity(dir, "MyApp", "1.0")
	if err != nil {
		t.Fatal(err)
	}
	if !uuidV4.MatchString(first.ClientIdentifier) {
		t.Fatalf("ClientIdentifier = %q", first.ClientIdentifier)
	}
	if onDisk := readIdentityFile(t, dir); onDisk != first {
		t.Errorf("file holds %+v, returned %+v", onDisk, first)
	}
	if runtime.GOOS != "windows" {
		fi, _ := os.Stat(filepath.Join(dir, "identity.json"))
		if perm := fi.Mode().Perm(); perm != 0o600 {
			t.Errorf("identity.json mode = %04o, want 0600", perm)
		}
		di, _ := os.Stat(dir)
		if perm := di.Mode().Perm(); perm != 0o700 {
			t.Errorf("dir mode = %04o, want 0700", perm)
		}
	}

	second, err := LoadOrCreateIdentity(dir, "MyApp", "1.0")
	if err != nil {
		t.Fatal(err)
	}
	if second != first {
		t.Errorf("second call = %+v, want %+v", second, first)
	}

	// A new version and even a new product name keep the identifier.
	third, err := LoadOrCreateIdentity(dir, "MyApp Renamed", "2.0")
	if err != nil {
		t.Fatal(err)
	}
	if third.ClientIdentifier != first.ClientIdentifier {
		t.Fatalf("ClientIdentifier changed: %q -> %q", first.ClientIdentifier, third.ClientIdentifier)
	}
	if third.Product != "MyApp Renamed" || third.Version != "2.0" {
		t.Errorf("product/version not updated: %+v", third)
	}
	if onDisk := readIdentityFile(t, dir); onDisk != third {
		t.Errorf("file not updated: %+v", onDisk)
	}
	if names := dirEntries(t, dir); !slices.Equal(names, []string{"identity.json"}) {
		t.Errorf("directory holds %v", names)
	}
}

func TestLoadOrCreateIdentityKeepsUserEdits(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "identity.json")
	writeRaw(t, path, []byte(`{"clientIdentifier":"my-own-id","product":"Old","deviceName":"Living room","model":"NUC"}`))
	ident, err := LoadOrCreateIdentity(dir, "MyApp", "3.1")
	if err != nil {
		t.Fatal(err)
	}
	if ident.ClientIdentifier != "my-own-id" || ident.DeviceName != "Living room" || ident.Model != "NUC" {
		t.Errorf("stored values lost: %+v", ident)
	}
	if ident.Product != "MyApp" || ident.Version != "3.1" || ident.Platform == "" || ident.Device == "" {
		t.Errorf("not updated/filled: %+v", ident)
	}
}

func TestLoadOrCreateIdentityCorrupt(t *testing.T) {
	cases := map[string]string{
		"not json":       "{{{",
		"empty":          "",
		"no id":          `{"product":"MyApp"}`,
		"empty id":       `{"clientIdentifier":"","product":"MyApp"}`,
		"id with space":  `{"clientIdentifier":"a b","product":"MyApp"}`,
		"id wrong type":  `{"clientIdentifier":123,"product":"MyApp"}`,
		"id with ctrl":   `{"clientIdentifier":"a\nb","product":"MyApp"}`,
		"trailing junk":  `{"clientIdentifier":"abc","product":"MyApp"}x`,
		"id way too big": `{"clientIdentifier":"` + strings.Repeat("a", 300) + `"}`,
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "identity.json")
			writeRaw(t, path, []byte(content))
			_, err := LoadOrCreateIdentity(dir, "MyApp", "1.0")
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("err = %v, want ErrCorrupt", err)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error does not name the file: %v", err)
			}
			got, _ := os.ReadFile(path)
			if string(got) != content {
				t.Error("corrupt identity file was replaced")
			}
		})
	}
}

func TestLoadOrCreateIdentityOversized(t *testing.T) {
	dir := t.TempDir()
	writeRaw(t, filepath.Join(dir, "identity.json"), make([]byte, maxFileSize+10))
	if _, err := LoadOrCreateIdentity(dir, "MyApp", "1.0"); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("err = %v, want ErrCorrupt", err)
	}
}

func TestLoadOrCreateIdentityInsecure(t *testing.T) {
	requirePerms(t)
	dir := t.TempDir()
	if _, err := LoadOrCreateIdentity(dir, "MyApp", "1.0"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "identity.json")
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadOrCreateIdentity(dir, "MyApp", "1.0")
	if !errors.Is(err, ErrInsecurePermissions) || !strings.Contains(err.Error(), "chmod 600 "+path) {
		t.Fatalf("err = %v, want ErrInsecurePermissions naming the fix", err)
	}
}

func TestLoadOrCreateIdentityEmptyProduct(t *testing.T) {
	if _, err := LoadOrCreateIdentity(t.TempDir(), "", "1.0"); err == nil {
		t.Fatal("empty product accepted")
	}
}

func TestLoadOrCreateIdentityDefaultDir(t *testing.T) {
	switch runtime.GOOS {
	case "windows", "darwin", "ios", "plan9":
		t.Skip("depends on Unix XDG rules")
	}
	xdg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", xdg)
	// "" no longer means plexauth's directory (issue 13): an error naming
	// AppDir, and nothing written.
	if _, err := LoadOrCreateIdentity("", "MyApp", "1.0"); err == nil || !strings.Contains(err.Error(), "AppDir") {
		t.Fatalf("empty dir: err = %v, want an error naming AppDir", err)
	}
	if ents, _ := os.ReadDir(xdg); len(ents) != 0 {
		t.Errorf("the config directory holds %d entries, want none", len(ents))
	}
	// plexauth passes DefaultDir explicitly and keeps its users' file.
	dir, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	ident, err := LoadOrCreateIdentity(dir, "MyApp", "1.0")
	if err != nil {
		t.Fatal(err)
	}
	if got := readIdentityFile(t, filepath.Join(xdg, "plexgo")); got.ClientIdentifier != ident.ClientIdentifier {
		t.Errorf("identity not stored in DefaultDir")
	}
}

func TestLoadOrCreateIdentityConcurrent(t *testing.T) {
	dir := t.TempDir()
	const n = 20
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			ident, err := LoadOrCreateIdentity(dir, "MyApp", "1.0")
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = ident.ClientIdentifier
		})
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("concurrent calls returned different identifiers: %v", ids)
		}
	}
}

// Another process creating identity.json between our read and our create
// must win: we adopt its identifier instead of replacing it.
func TestLoadOrCreateIdentityLosesCreationRace(t *testing.T) {
	dir := t.TempDir()
	ops := &fileOps{link: func(oldname, newname string) error {
		writeRaw(t, newname, []byte(`{"clientIdentifier":"other-process-id","product":"MyApp","version":"1.0"}`))
		return os.Link(oldname, newname)
	}}

	ident, err := loadOrCreateIdentity(dir, "MyApp", "1.0", ops)
	if err != nil {
		t.Fatal(err)
	}
	if ident.ClientIdentifier != "other-process-id" {
		t.Fatalf("ClientIdentifier = %q, want the other process's", ident.ClientIdentifier)
	}
	if got := readIdentityFile(t, dir); got.ClientIdentifier != "other-process-id" {
		t.Errorf("file overwritten: %+v", got)
	}
	if names := dirEntries(t, dir); !slices.Equal(names, []string{"identity.json"}) {
		t.Errorf("directory holds %v", names)
	}
}

// Without hard-link support the file is still created (by rename).
func TestLoadOrCreateIdentityNoHardLinks(t *testing.T) {
	dir := t.TempDir()
	ops := &fileOps{link: func(string, string) error { return errors.ErrUnsupported }}
	first, err := loadOrCreateIdentity(dir, "MyApp", "1.0", ops)
	if err != nil {
		t.Fatal(err)
	}
	second, err := loadOrCreateIdentity(dir, "MyApp", "1.0", ops)
	if err != nil {
		t.Fatal(err)
	}
	if first.ClientIdentifier != second.ClientIdentifier {
		t.Error("identifier changed")
	}
	if names := dirEntries(t, dir); !slices.Equal(names, []string{"identity.json"}) {
		t.Errorf("directory holds %v", names)
	}
}

func TestLoadOrCreateIdentityFailedUpdateKeepsFile(t *testing.T) {
	dir := t.TempDir()
	first, err := LoadOrCreateIdentity(dir, "MyApp", "1.0")
	if err != nil {
		t.Fatal(err)
	}
	ops := &fileOps{rename: func(string, string) error { return errors.New("injected") }}
	if _, err := loadOrCreateIdentity(dir, "MyApp", "2.0", ops); err == nil {
		t.Fatal("update succeeded despite injected failure")
	}
	if got := readIdentityFile(t, dir); got != first {
		t.Errorf("file changed: %+v", got)
	}
	if names := dirEntries(t, dir); !slices.Equal(names, []string{"identity.json"}) {
		t.Errorf("directory holds %v", names)
	}
}
