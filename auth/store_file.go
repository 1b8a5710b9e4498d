package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/gofrs/flock"
)

// FileStore: all profiles in one 0600 JSON file under an OS file lock.

// maxFileSize bounds how much of a credentials or identity file is read.
const maxFileSize = 1 << 20

// credentialsFileName is the name of the file a FileStore keeps in its
// directory.
const credentialsFileName = "credentials.json"

// credentialsFileVersion is the format version written to credentials.json
// when every secret is in the file; credentialsFileVersionKeyring when
// some profile keeps its secrets in the OS keyring (see [KeyringStore]),
// so that older readers refuse the file instead of seeing empty tokens.
const (
	credentialsFileVersion        = 1
	credentialsFileVersionKeyring = 2
)

// FileStore is a [TokenStore] that keeps all profiles in one JSON file,
// credentials.json, in a directory.
//
// Security: the file is written with mode 0600. The directory is created with
// mode 0700 when missing; when it already exists and lets group or others
// read or search it, the first write tightens it by clearing those bits (use
// a directory dedicated to the application, such as [AppDir]), and fails
// with [ErrInsecurePermissions] if that is not possible. A shared directory
// (sticky, or writable by group or others, such as /tmp) is never changed:
// writes into it fail with [ErrInsecurePermissions].
// Reading refuses, with [ErrInsecurePermissions], a file whose mode grants
// any access to group or others. Permission checks are skipped on Windows.
//
// Writes are atomic: the new content goes to a temporary file in the same
// directory, is synced, and is renamed over the old file, so readers see
// either the old or the new file, and a failed Save leaves the old file
// intact. Temporary files that a crashed writer left behind (they hold
// tokens) are removed by the next Save and by Delete.
// A file that cannot be parsed is reported with [ErrCorrupt] and is
// never overwritten, not even by Save or Delete.
//
// A FileStore is safe for concurrent use by multiple goroutines and by
// multiple processes: each read-modify-write (Save, Delete) holds an OS
// file lock on .credentials.json.lock in the directory (flock on Unix,
// LockFileEx on Windows) as well as a mutex, so concurrent writers never
// lose each other's profiles. A writer that cannot get the lock within the
// lock timeout (FileStoreOptions.LockTimeout, default [DefaultLockTimeout]) fails with
// an error wrapping [ErrStoreLocked]. Reads take no lock: they see the
// last complete write.
type FileStore struct {
	dir      string
	path     string
	lockPath string
	err      error // when NewFileStore was given no directory

	lockTimeout time.Duration

	mu  sync.Mutex
	ops fileOps // test hooks; zero value uses the os package
}

// DefaultLockTimeout is how long a [FileStore] write waits for the store's
// file lock held by another process.
const DefaultLockTimeout = 10 * time.Second

// ErrStoreLocked is returned (wrapped) by [FileStore] writes that could not
// get the store's file lock within the lock timeout: another process holds
// it (or a file system does not support locks). The wrapping error names
// the lock file.
var ErrStoreLocked = errors.New("auth: the credentials store is locked by another process")

// FileStoreOptions configures [NewFileStore]. The zero value works.
type FileStoreOptions struct {
	// LockTimeout is how long a write waits for the store's file lock
	// (default DefaultLockTimeout; zero or negative means the default).
	LockTimeout time.Duration
}

// NewFileStore returns a store that keeps its file at dir/credentials.json.
// The caller chooses dir, usually with [AppDir]; an empty dir makes every
// method fail with an error that says so. Nothing is created until the
// first Save.
func NewFileStore(dir string, opts FileStoreOptions) *FileStore {
	s := &FileStore{dir: dir, lockTimeout: DefaultLockTimeout}
	if opts.LockTimeout > 0 {
		s.lockTimeout = opts.LockTimeout
	}
	if dir == "" {
		s.err = errNoDir
		return s
	}
	s.path = filepath.Join(s.dir, credentialsFileName)
	s.lockPath = filepath.Join(s.dir, "."+credentialsFileName+".lock")
	return s
}

// Path returns the path of the credentials file (empty if no directory was
// given).
func (s *FileStore) Path() string { return s.path }

// lock takes the store's file lock, creating the directory when needed,
// and returns the function that releases it. Callers hold s.mu.
func (s *FileStore) lock(ctx context.Context) (unlock func(), err error) {
	if s.err != nil {
		return nil, s.err
	}
	if err := ensurePrivateDir(s.dir); err != nil {
		return nil, err
	}
	fl := flock.New(s.lockPath, flock.SetPermissions(0o600))
	lctx, cancel := context.WithTimeout(ctx, s.lockTimeout)
	defer cancel()
	ok, err := fl.TryLockContext(lctx, 10*time.Millisecond)
	switch {
	case ctx.Err() != nil:
		_ = fl.Close()
		return nil, ctx.Err()
	case err != nil && lctx.Err() == nil:
		_ = fl.Close()
		return nil, fmt.Errorf("auth: lock %s: %w", s.lockPath, err)
	case !ok || err != nil:
		_ = fl.Close()
		return nil, fmt.Errorf("%w: %s still held after %s (is another plexgo program writing? remove the lock file only if none is running)",
			ErrStoreLocked, s.lockPath, s.lockTimeout)
	}
	return func() { _ = fl.Unlock(); _ = fl.Close() }, nil
}

// update runs one read-modify-write of the file under the store's mutex
// and file lock: fn changes the file's content and reports whether to
// write it. Stale temporary files are removed first.
func (s *FileStore) update(ctx context.Context, fn func(f *credentialsFile) (bool, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	unlock, err := s.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	s.removeStaleTemps()
	f, _, err := s.readFile()
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	write, err := fn(f)
	if err != nil || !write {
		return err
	}
	return s.write(f)
}

// credentialsFile is the on-disk format of credentials.json.
type credentialsFile struct {
	Version  int                    `json:"version"`
	Profiles map[string]Credentials `json:"profiles"`
	// Keyring lists the profiles whose token and device key are in the
	// OS keyring rather than in Profiles (see KeyringStore), sorted.
	Keyring []string `json:"keyring,omitempty"`
}

func (f *credentialsFile) inKeyring(profile string) bool { return slices.Contains(f.Keyring, profile) }

// setKeyring records whether profile's secrets are in the OS keyring.
func (f *credentialsFile) setKeyring(profile string, in bool) {
	f.Keyring = slices.DeleteFunc(f.Keyring, func(p string) bool { return p == profile })
	if in {
		f.Keyring = append(f.Keyring, profile)
		slices.Sort(f.Keyring)
	}
}

// read loads the file's profiles. A missing file yields an empty set of
// profiles and exists == false. Callers hold s.mu.
func (s *FileStore) read() (profiles map[string]Credentials, exists bool, err error) {
	f, exists, err := s.readFile()
	if err != nil {
		return nil, exists, err
	}
	return f.Profiles, exists, nil
}

// readFile loads and checks the file. Callers hold s.mu.
func (s *FileStore) readFile() (*credentialsFile, bool, error) {
	if s.err != nil {
		return nil, false, s.err
	}
	data, err := readPrivateFile(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return &credentialsFile{Version: credentialsFileVersion, Profiles: map[string]Credentials{}}, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	var f credentialsFile
	if err := json.Unmarshal(data, &f); err != nil {
		// encoding/json errors describe the position and the Go type, not
		// the offending value, so no token ends up in the message.
		return nil, true, fmt.Errorf("%w: %s: %v (fix or remove the file, then log in again)", ErrCorrupt, s.path, err)
	}
	switch {
	case f.Version > credentialsFileVersionKeyring:
		return nil, true, fmt.Errorf("%w: %s has format version %d, written by a newer plexgo (this one reads versions up to %d)",
			ErrCorrupt, s.path, f.Version, credentialsFileVersionKeyring)
	case f.Version != credentialsFileVersion && f.Version != credentialsFileVersionKeyring:
		return nil, true, fmt.Errorf("%w: %s has missing or invalid format version %d", ErrCorrupt, s.path, f.Version)
	}
	for name := range f.Profiles {
		if err := ValidateProfile(name); err != nil {
			return nil, true, fmt.Errorf("%w: %s: %v", ErrCorrupt, s.path, err)
		}
	}
	if f.Profiles == nil {
		f.Profiles = map[string]Credentials{}
	}
	// Keep only keyring entries of existing profiles.
	f.Keyring = slices.DeleteFunc(f.Keyring, func(p string) bool { _, ok := f.Profiles[p]; return !ok })
	slices.Sort(f.Keyring)
	f.Keyring = slices.Compact(f.Keyring)
	return &f, true, nil
}

// write replaces the file with f. Callers hold s.mu and the file lock.
func (s *FileStore) write(f *credentialsFile) error {
	f.Version = credentialsFileVersion
	if len(f.Keyring) > 0 {
		f.Version = credentialsFileVersionKeyring
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		// Marshal errors name types, not values.
		return fmt.Errorf("auth: encode credentials: %w", err)
	}
	data = append(data, '\n')
	return writeFileAtomic(s.path, data, &s.ops)
}

// removeStaleTemps removes the temporary files a writer that crashed in
// the middle of a write left next to the credentials file (they hold
// tokens). Every writer holds the file lock while its temporary file
// exists, so under the lock any such file is stale. Errors are ignored:
// it is best effort. Callers hold s.mu and the file lock.
func (s *FileStore) removeStaleTemps() {
	if s.err != nil {
		return
	}
	for _, m := range s.staleTemps() {
		_ = os.Remove(m)
	}
}

// staleTemps lists the store's temporary files.
func (s *FileStore) staleTemps() []string {
	matches, _ := filepath.Glob(filepath.Join(s.dir, tempPattern(s.path)))
	var out []string
	for _, m := range matches {
		if fi, err := os.Lstat(m); err == nil && fi.Mode().IsRegular() {
			out = append(out, m)
		}
	}
	return out
}

// tempPattern is the os.CreateTemp pattern of path's temporary files.
func tempPattern(path string) string { return "." + filepath.Base(path) + ".tmp-*" }

// Load implements [TokenStore]. It returns an error wrapping
// [ErrNotLoggedIn] when the file or the profile does not exist.
func (s *FileStore) Load(ctx context.Context, profile string) (Credentials, error) {
	if err := checkCall(ctx, profile); err != nil {
		return Credentials{}, err
	}
	c, inKeyring, err := s.loadRecord(profile)
	if err != nil {
		return Credentials{}, err
	}
	if inKeyring {
		return Credentials{}, fmt.Errorf("%w: profile %q in %s (read it with a KeyringStore)", ErrSecretInKeyring, profile, s.path)
	}
	return c, nil
}

// ErrSecretInKeyring is returned (wrapped) by [FileStore.Load] for a
// profile whose token and device key a [KeyringStore] keeps in the OS
// keyring: the file holds only the rest of the profile.
var ErrSecretInKeyring = errors.New("auth: the profile's secret is kept in the OS keyring")

// loadRecord returns profile's record as stored in the file, and whether
// its secrets are in the OS keyring (then the record holds none).
func (s *FileStore) loadRecord(profile string) (Credentials, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, _, err := s.readFile()
	if err != nil {
		return Credentials{}, false, err
	}
	c, ok := f.Profiles[profile]
	if !ok {
		return Credentials{}, false, fmt.Errorf("%w for profile %q in %s", ErrNotLoggedIn, profile, s.path)
	}
	return c, f.inKeyring(profile), nil
}

// Save implements [TokenStore]. c.Token must not be empty. If c.SavedAt is
// zero it is set to the current time. Other profiles in the file are kept.
// Save fails, without touching the file, if the existing file is unreadable
// or malformed.
func (s *FileStore) Save(ctx context.Context, profile string, c Credentials) error {
	if err := checkSave(ctx, profile, c); err != nil {
		return err
	}
	return s.saveRecord(ctx, profile, c, false)
}

// saveRecord stores c for profile; inKeyring records that its secrets
// are in the OS keyring (c then holds none). Callers validated profile.
func (s *FileStore) saveRecord(ctx context.Context, profile string, c Credentials, inKeyring bool) error {
	if c.SavedAt.IsZero() {
		c.SavedAt = time.Now().UTC().Truncate(time.Second)
	}
	c = c.clone()
	return s.update(ctx, func(f *credentialsFile) (bool, error) {
		f.Profiles[profile] = c
		f.setKeyring(profile, inKeyring)
		return true, nil
	})
}

// Delete implements [TokenStore]. Deleting a profile that is not stored, or
// from a store whose file does not exist, is not an error and writes
// nothing (it still removes stale temporary files). The file is kept
// (possibly with no profiles) after its last profile is deleted.
func (s *FileStore) Delete(ctx context.Context, profile string) error {
	if err := checkCall(ctx, profile); err != nil {
		return err
	}
	s.mu.Lock()
	profiles, _, err := s.read()
	_, stored := profiles[profile]
	temps := err == nil && len(s.staleTemps()) > 0
	s.mu.Unlock()
	if err != nil {
		return err
	}
	if !stored && !temps {
		return nil
	}
	return s.update(ctx, func(f *credentialsFile) (bool, error) {
		if _, ok := f.Profiles[profile]; !ok {
			return false, nil
		}
		delete(f.Profiles, profile)
		f.setKeyring(profile, false)
		return true, nil
	})
}

// Profiles implements [TokenStore]. It returns an empty slice when the file
// does not exist.
func (s *FileStore) Profiles(ctx context.Context) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	profiles, _, err := s.read()
	if err != nil {
		return nil, err
	}
	return sortedKeys(profiles), nil
}
