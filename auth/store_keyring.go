package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/zalando/go-keyring"
)

// KeyringStore: secrets in the OS keyring, the rest in a FileStore.

// DefaultKeyringTimeout bounds each call a [KeyringStore] makes to the OS
// keyring. A keyring that does not answer in time (a Secret Service that
// waits for an unlock prompt nobody sees, a wedged D-Bus) counts as no
// keyring.
const DefaultKeyringTimeout = 3 * time.Second

var (
	// ErrKeyringUnavailable is matched (errors.Is) by the errors of a
	// [KeyringStore] when the OS keyring did not answer (no Secret Service
	// on a headless Linux, a locked or wedged keyring, a timeout), and by
	// [KeyringFallback].
	ErrKeyringUnavailable = errors.New("auth: no OS keyring answered")

	// ErrKeyringNotFound is what a [Keyring] returns for an item it does
	// not hold.
	ErrKeyringNotFound = errors.New("auth: not in the OS keyring")
)

// Keyring is the part of an OS keyring a [KeyringStore] uses: one secret
// string per (service, user). [SystemKeyring] is the real one; tests use
// their own. Get and Delete return an error wrapping [ErrKeyringNotFound]
// for a missing item. Implementations need not honour a timeout: the
// store bounds every call.
type Keyring interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
}

// SystemKeyring returns the OS keyring (github.com/zalando/go-keyring):
// the Secret Service over D-Bus on Linux and BSD (GNOME Keyring, KWallet),
// the Keychain on macOS, the Credential Manager on Windows.
func SystemKeyring() Keyring { return systemKeyring{} }

type systemKeyring struct{}

func (systemKeyring) Get(service, user string) (string, error) {
	s, err := keyring.Get(service, user)
	return s, mapKeyringErr(err)
}

func (systemKeyring) Set(service, user, secret string) error {
	return mapKeyringErr(keyring.Set(service, user, secret))
}

func (systemKeyring) Delete(service, user string) error {
	return mapKeyringErr(keyring.Delete(service, user))
}

func mapKeyringErr(err error) error {
	if errors.Is(err, keyring.ErrNotFound) {
		return ErrKeyringNotFound
	}
	return err
}

// KeyringFallback reports that a [KeyringStore] kept a profile's secrets
// in its file because no OS keyring answered. Its Error is one line, for
// the user: it names the file. It matches [ErrKeyringUnavailable].
type KeyringFallback struct {
	// Profile is the profile saved.
	Profile string
	// Path is the file that now holds the token (mode 0600).
	Path string
	// Err is why the keyring was not used.
	Err error
}

// Error says where the secret went and why, in one line.
func (f *KeyringFallback) Error() string {
	return fmt.Sprintf("the token of profile %q is stored in %s (mode 0600), not in the OS keyring: %v", f.Profile, f.Path, f.Err)
}

// Unwrap returns ErrKeyringUnavailable and the keyring's error.
func (f *KeyringFallback) Unwrap() []error { return []error{ErrKeyringUnavailable, f.Err} }

// KeyringOptions configures [NewKeyringStore]. The zero value works.
type KeyringOptions struct {
	// Keyring is the keyring (default SystemKeyring()).
	Keyring Keyring
	// Service is the keyring's service name for the items (default
	// "plexgo:" followed by the absolute path of the file store's
	// directory, so two apps, or two stores, never share items). Each
	// profile is one item, named after the profile.
	Service string
	// Timeout bounds each keyring call (default DefaultKeyringTimeout, 3s).
	Timeout time.Duration
	// InsecureStorage keeps every secret in the file, on purpose, without
	// trying the keyring (plexauth's --insecure-storage). Secrets already
	// in the keyring are still read and deleted.
	InsecureStorage bool
	// OnFallback, when set, is called after Save moved a profile's
	// secrets into the file because no keyring answered: for a new
	// profile, or one whose secrets were in the keyring. A Save that
	// finds them in the file already does not call it again. Print it: it
	// is one line naming the file.
	OnFallback func(*KeyringFallback)
}

// KeyringStore is a [TokenStore] that keeps each profile's secrets (the
// token and the JWT device key) in the OS keyring and the rest of the
// profile (account, client identifier, plex.tv URL, expiry) in a
// [FileStore], which lists the profiles. When no keyring answers, Save
// keeps the whole profile in the file (mode 0600) instead and reports it
// ([KeyringOptions.OnFallback], [KeyringFallback]); Load reads a profile
// from wherever its secret is, and Delete removes it from both.
//
// Every keyring call runs under [KeyringOptions.Timeout]; a call that
// times out is abandoned (its goroutine ends when the keyring answers).
// A KeyringStore is safe for concurrent use; the file's read-modify-writes
// are locked across processes (see FileStore), the keyring items are one
// per profile.
type KeyringStore struct {
	file *FileStore
	opts KeyringOptions
	err  error
}

// NewKeyringStore returns a store that keeps secrets in the OS keyring and
// the rest in file. A nil file makes every method fail.
func NewKeyringStore(file *FileStore, opts KeyringOptions) *KeyringStore {
	k := &KeyringStore{file: file, opts: opts}
	if opts.Keyring == nil {
		k.opts.Keyring = SystemKeyring()
	}
	if opts.Timeout <= 0 {
		k.opts.Timeout = DefaultKeyringTimeout
	}
	switch {
	case file == nil:
		k.err = errors.New("auth: keyring store: nil file store")
	case file.err != nil:
		k.err = file.err
	case opts.Service == "":
		dir, err := filepath.Abs(file.dir)
		if err != nil {
			dir = file.dir
		}
		k.opts.Service = "plexgo:" + dir
	}
	return k
}

// Service returns the keyring service name the items are stored under.
func (k *KeyringStore) Service() string { return k.opts.Service }

// keyringSecret is what one keyring item holds.
type keyringSecret struct {
	Token     string `json:"token"`
	DeviceKey []byte `json:"deviceKey,omitempty"`
}

// call runs fn under the store's timeout and ctx.
func (k *KeyringStore) call(ctx context.Context, what string, fn func() error) error {
	done := make(chan error, 1)
	go func() { done <- fn() }()
	t := time.NewTimer(k.opts.Timeout)
	defer t.Stop()
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, ErrKeyringNotFound) {
			return fmt.Errorf("%w: %s: %v", ErrKeyringUnavailable, what, err)
		}
		return err
	case <-t.C:
		return fmt.Errorf("%w: %s: no answer within %s", ErrKeyringUnavailable, what, k.opts.Timeout)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Save implements [TokenStore]: the secrets go to the keyring and the rest
// to the file; without a keyring (or with InsecureStorage) everything goes
// to the file, and OnFallback hears of it (not for InsecureStorage).
func (k *KeyringStore) Save(ctx context.Context, profile string, c Credentials) error {
	if err := k.check(ctx, profile); err != nil {
		return err
	}
	if err := checkSaveable(c); err != nil {
		return err
	}
	if k.opts.InsecureStorage {
		return k.saveInFile(ctx, profile, c)
	}
	blob, err := json.Marshal(keyringSecret{Token: c.Token, DeviceKey: c.DeviceKey})
	if err != nil {
		return fmt.Errorf("auth: keyring store: encode secret: %w", err)
	}
	err = k.call(ctx, "store the secret", func() error { return k.opts.Keyring.Set(k.opts.Service, profile, string(blob)) })
	switch {
	case err == nil:
		rest := c
		rest.Token, rest.DeviceKey = "", nil
		return k.file.saveRecord(ctx, profile, rest, true)
	case ctx.Err() != nil:
		return err
	}
	// Announce the fallback only when it moves the secret into the file:
	// re-saving a profile whose secret the file already holds (a refresh,
	// plexauth logout's writability check) says nothing new.
	announce := k.opts.OnFallback != nil && !k.fileHoldsSecret(profile)
	if ferr := k.saveInFile(ctx, profile, c); ferr != nil {
		return ferr
	}
	if announce {
		k.opts.OnFallback(&KeyringFallback{Profile: profile, Path: k.file.Path(), Err: err})
	}
	return nil
}

// fileHoldsSecret reports whether the file already keeps profile's token
// (rather than the keyring, or no record at all).
func (k *KeyringStore) fileHoldsSecret(profile string) bool {
	c, inKeyring, err := k.file.loadRecord(profile)
	return err == nil && !inKeyring && c.Token != ""
}

// saveInFile keeps the whole profile in the file and removes any keyring
// item left from an earlier Save (best effort).
func (k *KeyringStore) saveInFile(ctx context.Context, profile string, c Credentials) error {
	if err := k.file.saveRecord(ctx, profile, c, false); err != nil {
		return err
	}
	_ = k.call(ctx, "remove the old secret", func() error { return k.opts.Keyring.Delete(k.opts.Service, profile) })
	return nil
}

// Load implements [TokenStore]. A profile whose secret is in the keyring
// fails with an error wrapping ErrKeyringUnavailable when the keyring does
// not answer, and ErrNotLoggedIn when the keyring lost the item.
func (k *KeyringStore) Load(ctx context.Context, profile string) (Credentials, error) {
	if err := k.check(ctx, profile); err != nil {
		return Credentials{}, err
	}
	c, inKeyring, err := k.file.loadRecord(profile)
	if err != nil || !inKeyring {
		return c, err
	}
	var blob string
	err = k.call(ctx, "read the secret", func() error {
		var err error
		blob, err = k.opts.Keyring.Get(k.opts.Service, profile)
		return err
	})
	switch {
	case errors.Is(err, ErrKeyringNotFound):
		return Credentials{}, fmt.Errorf("%w: the OS keyring has no secret for profile %q (service %q); log in again", ErrNotLoggedIn, profile, k.opts.Service)
	case err != nil:
		return Credentials{}, fmt.Errorf("auth: profile %q: %w", profile, err)
	}
	var sec keyringSecret
	if err := json.Unmarshal([]byte(blob), &sec); err != nil || sec.Token == "" {
		return Credentials{}, fmt.Errorf("%w: the OS keyring's item for profile %q (service %q) is not a plexgo secret", ErrCorrupt, profile, k.opts.Service)
	}
	c.Token, c.DeviceKey = sec.Token, sec.DeviceKey
	return c, nil
}

// Delete implements [TokenStore]: it removes the profile's keyring item
// and its file record. When the keyring does not answer for a profile
// whose secret is there, the file record is still removed and the error
// says the keyring item may remain.
func (k *KeyringStore) Delete(ctx context.Context, profile string) error {
	if err := k.check(ctx, profile); err != nil {
		return err
	}
	_, inKeyring, lerr := k.file.loadRecord(profile)
	if lerr != nil && !errors.Is(lerr, ErrNotLoggedIn) {
		return lerr
	}
	kerr := k.call(ctx, "remove the secret", func() error { return k.opts.Keyring.Delete(k.opts.Service, profile) })
	if errors.Is(kerr, ErrKeyringNotFound) || (kerr != nil && !inKeyring) {
		kerr = nil
	}
	if err := k.file.Delete(ctx, profile); err != nil {
		return err
	}
	if kerr != nil {
		return fmt.Errorf("auth: profile %q removed from %s, but its secret may remain in the OS keyring (service %q): %w", profile, k.file.Path(), k.opts.Service, kerr)
	}
	return nil
}

// Profiles implements [TokenStore]: the profiles listed in the file.
func (k *KeyringStore) Profiles(ctx context.Context) ([]string, error) {
	if k == nil || k.err != nil {
		return nil, k.errOrNil()
	}
	return k.file.Profiles(ctx)
}

// SecretLocation says where profile's secret is kept: "keyring", or the
// path of the file. It reads only the file.
func (k *KeyringStore) SecretLocation(ctx context.Context, profile string) (string, error) {
	if err := k.check(ctx, profile); err != nil {
		return "", err
	}
	_, inKeyring, err := k.file.loadRecord(profile)
	if err != nil {
		return "", err
	}
	if inKeyring {
		return "keyring", nil
	}
	return k.file.Path(), nil
}

func (k *KeyringStore) check(ctx context.Context, profile string) error {
	if k == nil || k.err != nil {
		return k.errOrNil()
	}
	return checkCall(ctx, profile)
}

func (k *KeyringStore) errOrNil() error {
	if k == nil {
		return errors.New("auth: nil keyring store")
	}
	return k.err
}

var _ TokenStore = (*KeyringStore)(nil)
