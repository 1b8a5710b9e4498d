package auth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeKeyring is an in-memory Keyring that can fail or hang.
type fakeKeyring struct {
	mu    sync.Mutex
	items map[string]string
	calls int
	down  error         // every call fails with it
	hang  chan struct{} // every call blocks until it is closed
}

func newFakeKeyring() *fakeKeyring { return &fakeKeyring{items: map[string]string{}} }

func (f *fakeKeyring) enter() error {
	f.mu.Lock()
	f.calls++
	hang, down := f.hang, f.down
	f.mu.Unlock()
	if hang != nil {
		<-hang
	}
	return down
}

func (f *fakeKeyring) Get(service, user string) (string, error) {
	if err := f.enter(); err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.items[service+"\x00"+user]
	if !ok {
		return "", ErrKeyringNotFound
	}
	return s, nil
}

func (f *fakeKeyring) Set(service, user, secret string) error {
	if err := f.enter(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.items[service+"\x00"+user] = secret
	return nil
}

func (f *fakeKeyring) Delete(service, user string) error {
	if err := f.enter(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.items[service+"\x00"+user]; !ok {
		return ErrKeyringNotFound
	}
	delete(f.items, service+"\x00"+user)
	return nil
}

func (f *fakeKeyring) set(down error, hang chan struct{}) {
	f.mu.Lock()
	f.down, f.hang = down, hang
	f.mu.Unlock()
}

func (f *fakeKeyring) len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.items)
}

// fileHolds reports whether the store's file contains s (never printed).
func fileHolds(t *testing.T, path string, s []byte) bool {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Contains(data, s)
}

func TestKeyringStoreSecretsInKeyring(t *testing.T) {
	ctx := context.Background()
	kr := newFakeKeyring()
	file := NewFileStore(t.TempDir(), FileStoreOptions{})
	var notices []*KeyringFallback
	s := NewKeyringStore(file, KeyringOptions{Keyring: kr, OnFallback: func(f *KeyringFallback) { notices = append(notices, f) }})
	c := sampleCredentials()
	if err := s.Save(ctx, "laptop", c); err != nil {
		t.Fatalf("Save: %v", err)
	}
	if len(notices) != 0 {
		t.Errorf("fallback reported with a working keyring")
	}
	if fileHolds(t, file.Path(), []byte(testToken)) || fileHolds(t, file.Path(), []byte(c.DeviceKeyID)) == false {
		t.Error("the file holds the token, or lacks the rest of the profile")
	}
	if kr.len() != 1 {
		t.Errorf("%d keyring items, want 1", kr.len())
	}
	got, err := s.Load(ctx, "laptop")
	if err != nil || !credsEqual(got, withSavedAt(c, got.SavedAt)) {
		t.Fatalf("Load = %v, %v; want the saved credentials", got, err)
	}
	if loc, err := s.SecretLocation(ctx, "laptop"); err != nil || loc != "keyring" {
		t.Errorf("SecretLocation = %q, %v", loc, err)
	}
	// A plain FileStore knows the secret is elsewhere.
	if _, err := file.Load(ctx, "laptop"); !errors.Is(err, ErrSecretInKeyring) {
		t.Errorf("FileStore.Load of a keyring profile: %v, want ErrSecretInKeyring", err)
	}
	if names, err := s.Profiles(ctx); err != nil || len(names) != 1 || names[0] != "laptop" {
		t.Errorf("Profiles = %v, %v", names, err)
	}
	// The keyring lost the item: not logged in.
	kr.mu.Lock()
	kr.items = map[string]string{}
	kr.mu.Unlock()
	if _, err := s.Load(ctx, "laptop"); !errors.Is(err, ErrNotLoggedIn) {
		t.Errorf("Load with the keyring item gone: %v, want ErrNotLoggedIn", err)
	}
	if err := s.Save(ctx, "laptop", c); err != nil {
		t.Fatal(err)
	}
	// Delete removes both.
	if err := s.Delete(ctx, "laptop"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if kr.len() != 0 {
		t.Errorf("%d keyring items after Delete", kr.len())
	}
	if _, err := s.Load(ctx, "laptop"); !errors.Is(err, ErrNotLoggedIn) {
		t.Errorf("Load after Delete: %v", err)
	}
}

func withSavedAt(c Credentials, at time.Time) Credentials { c.SavedAt = at; return c }

func TestKeyringStoreFallback(t *testing.T) {
	ctx := context.Background()
	for _, mode := range []string{"error", "hang"} {
		t.Run(mode, func(t *testing.T) {
			kr := newFakeKeyring()
			hang := make(chan struct{})
			defer close(hang)
			if mode == "error" {
				kr.set(errors.New("org.freedesktop.DBus.Error.ServiceUnknown: no Secret Service"), nil)
			} else {
				kr.set(nil, hang)
			}
			file := NewFileStore(t.TempDir(), FileStoreOptions{})
			var notices []*KeyringFallback
			s := NewKeyringStore(file, KeyringOptions{Keyring: kr, Timeout: 20 * time.Millisecond,
				OnFallback: func(f *KeyringFallback) { notices = append(notices, f) }})
			c := sampleCredentials()
			if err := s.Save(ctx, DefaultProfile, c); err != nil {
				t.Fatalf("Save without a keyring: %v", err)
			}
			if len(notices) != 1 {
				t.Fatalf("%d fallback notices, want 1", len(notices))
			}
			n := notices[0]
			msg := n.Error()
			if n.Path != file.Path() || !strings.Contains(msg, file.Path()) || strings.Contains(msg, "\n") || !errors.Is(n, ErrKeyringUnavailable) {
				t.Errorf("notice = %q (path %q), want one line naming %s", msg, n.Path, file.Path())
			}
			if strings.Contains(msg, testToken) || strings.Contains(fmt.Sprintf("%+v", n), testToken) {
				t.Error("the notice holds the token")
			}
			if !fileHolds(t, file.Path(), []byte(testToken)) {
				t.Error("the fallback file does not hold the token")
			}
			got, err := s.Load(ctx, DefaultProfile)
			if err != nil || got.Token != testToken {
				t.Errorf("Load from the fallback file: %v", err)
			}
			if loc, _ := s.SecretLocation(ctx, DefaultProfile); loc != file.Path() {
				t.Errorf("SecretLocation = %q, want the file", loc)
			}
			if err := s.Delete(ctx, DefaultProfile); err != nil {
				t.Errorf("Delete of a file-held profile without a keyring: %v", err)
			}
		})
	}
}

// A keyring that answers again takes the secret, which leaves the file.
func TestKeyringStoreMigratesAndDeletes(t *testing.T) {
	ctx := context.Background()
	kr := newFakeKeyring()
	kr.set(errors.New("down"), nil)
	file := NewFileStore(t.TempDir(), FileStoreOptions{})
	s := NewKeyringStore(file, KeyringOptions{Keyring: kr})
	c := sampleCredentials()
	if err := s.Save(ctx, DefaultProfile, c); err != nil {
		t.Fatal(err)
	}
	kr.set(nil, nil)
	if err := s.Save(ctx, DefaultProfile, c); err != nil {
		t.Fatal(err)
	}
	if fileHolds(t, file.Path(), []byte(testToken)) {
		t.Error("the token stayed in the file after a Save with a working keyring")
	}
	// Delete while the keyring is down: the record goes, the error says
	// the keyring item may remain.
	kr.set(errors.New("down"), nil)
	err := s.Delete(ctx, DefaultProfile)
	if err == nil || !errors.Is(err, ErrKeyringUnavailable) || !strings.Contains(err.Error(), "keyring") {
		t.Errorf("Delete with the keyring down: %v", err)
	}
	if _, err := s.Load(ctx, DefaultProfile); !errors.Is(err, ErrNotLoggedIn) {
		t.Errorf("Load after Delete: %v", err)
	}
	// Loading a keyring profile while the keyring is down says so.
	kr.set(nil, nil)
	if err := s.Save(ctx, "p", c); err != nil {
		t.Fatal(err)
	}
	kr.set(errors.New("down"), nil)
	if _, err := s.Load(ctx, "p"); !errors.Is(err, ErrKeyringUnavailable) {
		t.Errorf("Load with the keyring down: %v", err)
	}
}

func TestKeyringStoreInsecureStorage(t *testing.T) {
	ctx := context.Background()
	kr := newFakeKeyring()
	file := NewFileStore(t.TempDir(), FileStoreOptions{})
	called := false
	s := NewKeyringStore(file, KeyringOptions{Keyring: kr, InsecureStorage: true, OnFallback: func(*KeyringFallback) { called = true }})
	if err := s.Save(ctx, DefaultProfile, sampleCredentials()); err != nil {
		t.Fatal(err)
	}
	if called || kr.len() != 0 || !fileHolds(t, file.Path(), []byte(testToken)) {
		t.Errorf("InsecureStorage: notice %v, %d keyring items; want the file only", called, kr.len())
	}
	if NewKeyringStore(nil, KeyringOptions{}).Save(ctx, DefaultProfile, sampleCredentials()) == nil {
		t.Error("nil file store accepted")
	}
	if NewKeyringStore(NewFileStore("", FileStoreOptions{}), KeyringOptions{}).Save(ctx, DefaultProfile, sampleCredentials()) == nil {
		t.Error("file store without a directory accepted")
	}
	var nilStore *KeyringStore
	if _, err := nilStore.Profiles(ctx); err == nil {
		t.Error("nil store: Profiles succeeded")
	}
}

// TestKeyringSecretService runs against the real OS keyring (a Secret
// Service on Linux). It fails when PLEXGO_CI=1 and none answers.
func TestKeyringSecretService(t *testing.T) {
	kr := SystemKeyring()
	probeSvc := fmt.Sprintf("plexgo-test-probe-%d", time.Now().UnixNano())
	probe := NewKeyringStore(NewFileStore(t.TempDir(), FileStoreOptions{}), KeyringOptions{Keyring: kr, Service: probeSvc})
	if err := probe.call(context.Background(), "probe", func() error { return kr.Set(probeSvc, "probe", "x") }); err != nil {
		if os.Getenv("PLEXGO_CI") == "1" {
			t.Fatalf("PLEXGO_CI=1 but no Secret Service answered: %v", err)
		}
		t.Skipf("needs a Secret Service: apt-get install dbus gnome-keyring, then run under "+
			"dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets; go test ./auth -run Keyring' (%v)", err)
	}
	_ = kr.Delete(probeSvc, "probe")

	ctx := context.Background()
	file := NewFileStore(t.TempDir(), FileStoreOptions{})
	s := NewKeyringStore(file, KeyringOptions{Keyring: kr, Service: probeSvc + "-store",
		OnFallback: func(f *KeyringFallback) { t.Errorf("fell back with a Secret Service running: %v", f.Err) }})
	c := sampleCredentials()
	if err := s.Save(ctx, "real", c); err != nil {
		t.Fatalf("Save: %v", err)
	}
	t.Cleanup(func() { _ = kr.Delete(s.Service(), "real") })
	if fileHolds(t, file.Path(), []byte(testToken)) || fileHolds(t, file.Path(), []byte(testKey)) {
		t.Error("the file holds a secret")
	}
	raw, err := kr.Get(s.Service(), "real")
	if err != nil || !strings.Contains(raw, testToken) {
		t.Errorf("the Secret Service does not hold the token (%v)", err)
	}
	got, err := NewKeyringStore(NewFileStore(file.dir, FileStoreOptions{}), KeyringOptions{Keyring: kr, Service: s.Service()}).Load(ctx, "real")
	if err != nil || got.Token != testToken || !bytes.Equal(got.DeviceKey, c.DeviceKey) {
		t.Fatalf("Load through another store: %v", err)
	}
	if err := s.Delete(ctx, "real"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := kr.Get(s.Service(), "real"); !errors.Is(err, ErrKeyringNotFound) {
		t.Errorf("the Secret Service still holds the item after Delete (%v)", err)
	}
}

// The fallback is announced once per move into the file: re-saving a
// profile the file already holds (a refresh, plexauth logout's check that
// the store is writable) stays quiet; a profile whose secret was in the
// keyring, or a new profile, is announced.
func TestKeyringStoreFallbackAnnouncedOnce(t *testing.T) {
	ctx := context.Background()
	kr := newFakeKeyring()
	file := NewFileStore(t.TempDir(), FileStoreOptions{})
	var notices []string
	s := NewKeyringStore(file, KeyringOptions{Keyring: kr,
		OnFallback: func(f *KeyringFallback) { notices = append(notices, f.Profile) }})
	c := sampleCredentials()
	// In the keyring first: no notice.
	if err := s.Save(ctx, "moved", c); err != nil {
		t.Fatal(err)
	}
	kr.set(errors.New("org.freedesktop.DBus.Error.ServiceUnknown"), nil)
	for i := 0; i < 3; i++ {
		for _, p := range []string{"moved", "new"} {
			if err := s.Save(ctx, p, c); err != nil {
				t.Fatalf("Save %s #%d: %v", p, i, err)
			}
		}
	}
	if got := strings.Join(notices, ","); got != "moved,new" {
		t.Errorf("fallback notices for %q, want one each for moved,new", got)
	}
	// Deleted and saved again: it moves into the file anew.
	if err := s.Delete(ctx, "new"); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, "new", c); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(notices, ","); got != "moved,new,new" {
		t.Errorf("fallback notices for %q after Delete and Save, want moved,new,new", got)
	}
	// Chosen on purpose first, then without InsecureStorage: the secret
	// does not move, nothing to announce.
	insecure := NewKeyringStore(file, KeyringOptions{Keyring: kr, InsecureStorage: true})
	if err := insecure.Save(ctx, "onpurpose", c); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, "onpurpose", c); err != nil {
		t.Fatal(err)
	}
	if len(notices) != 3 {
		t.Errorf("%d notices after re-saving a file-held profile, want 3", len(notices))
	}
}
