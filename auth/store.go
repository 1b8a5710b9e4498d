package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/gofrs/flock"
)

// DefaultProfile is the profile name used when an application keeps a single
// login.
const DefaultProfile = "default"

// MaxProfileLen is the maximum length of a profile name, in bytes.
const MaxProfileLen = 64

// maxFileSize bounds how much of a credentials or identity file is read.
const maxFileSize = 1 << 20 // 1 MiB

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

var (
	// ErrNotLoggedIn is returned (wrapped) by [TokenStore.Load] when no
	// credentials are stored for the profile. Test with errors.Is.
	ErrNotLoggedIn = errors.New("auth: no stored credentials")

	// ErrInsecurePermissions is returned (wrapped) when a credentials or
	// identity file can be read or written by users other than its owner,
	// or when a directory that should hold one cannot be made private. The
	// wrapping error names the path and the command that fixes it. The
	// check is skipped on Windows, where Unix permission bits do not apply.
	ErrInsecurePermissions = errors.New("auth: insecure file permissions (accessible by group or others)")

	// ErrInvalidProfile is returned (wrapped) for a profile name that
	// [ValidateProfile] rejects.
	ErrInvalidProfile = errors.New("auth: invalid profile name")

	// ErrCorrupt is returned (wrapped) when a credentials or identity file
	// exists but cannot be used: malformed JSON, missing required fields,
	// an unknown format version, or a size above the 1 MiB limit. The file
	// is never modified or replaced in that case; fix or remove it.
	ErrCorrupt = errors.New("auth: malformed file")
)

// TokenStore keeps [Credentials] per named profile.
//
// Implementations must be safe for concurrent use by multiple goroutines.
type TokenStore interface {
	// Load returns the credentials stored for profile, or an error wrapping
	// ErrNotLoggedIn when there are none.
	Load(ctx context.Context, profile string) (Credentials, error)
	// Save stores c for profile, replacing any previous credentials.
	Save(ctx context.Context, profile string, c Credentials) error
	// Delete removes the credentials of profile. Deleting a profile that
	// has none is not an error.
	Delete(ctx context.Context, profile string) error
	// Profiles returns the names of the profiles with stored credentials,
	// sorted.
	Profiles(ctx context.Context) ([]string, error)
}

// ValidateProfile reports whether name is an acceptable profile name: 1 to
// [MaxProfileLen] bytes of ASCII letters, digits, '.', '_' and '-', not
// starting with '.'. The returned error wraps [ErrInvalidProfile].
func ValidateProfile(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("%w: empty", ErrInvalidProfile)
	case len(name) > MaxProfileLen:
		// Do not echo it: a long "name" may be a token pasted by mistake.
		return fmt.Errorf("%w: %d bytes long, the maximum is %d", ErrInvalidProfile, len(name), MaxProfileLen)
	case name[0] == '.':
		return fmt.Errorf("%w: %q starts with '.'", ErrInvalidProfile, name)
	}
	for _, c := range name {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-' {
			continue
		}
		return fmt.Errorf("%w: %q contains %q; use only ASCII letters, digits, '.', '_' and '-'", ErrInvalidProfile, name, c)
	}
	return nil
}

// checkSaveable rejects credentials that are not worth storing.
func checkSaveable(c Credentials) error {
	if c.Token == "" {
		return errors.New("auth: refusing to save credentials with an empty token")
	}
	return nil
}

// DefaultDir returns the directory the plexauth command line tool keeps its
// files in: "plexgo" inside [os.UserConfigDir] ($XDG_CONFIG_HOME or
// ~/.config on Linux and other Unix systems, ~/Library/Application Support
// on macOS, %AppData% on Windows). It does not create the directory.
//
// Applications should not use it: they would share plexauth's device and
// logins (logging out of one signs the other out). Use [AppDir].
func DefaultDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("auth: locate user config directory: %w", err)
	}
	return filepath.Join(base, "plexgo"), nil
}

// FileStore is a [TokenStore] that keeps all profiles in one JSON file,
// credentials.json, in a directory.
//
// Security: the file is written with mode 0600. The directory is created with
// mode 0700 when missing; when it already exists and grants any permission to
// group or others, the first write tightens it by clearing those bits (use a
// directory dedicated to the application, such as [AppDir], never a shared
// one), and fails with [ErrInsecurePermissions] if that is not possible.
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
	if err := ctx.Err(); err != nil {
		return Credentials{}, err
	}
	if err := ValidateProfile(profile); err != nil {
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
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := ValidateProfile(profile); err != nil {
		return err
	}
	if err := checkSaveable(c); err != nil {
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
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := ValidateProfile(profile); err != nil {
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

func sortedKeys(m map[string]Credentials) []string {
	names := slices.Collect(maps.Keys(m))
	if names == nil {
		names = []string{}
	}
	slices.Sort(names)
	return names
}

// MemoryStore is a [TokenStore] that keeps credentials in memory only, for
// tests and short-lived programs. It is safe for concurrent use. The zero
// value is ready to use.
type MemoryStore struct {
	mu       sync.RWMutex
	profiles map[string]Credentials
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{}
}

// Load implements [TokenStore].
func (m *MemoryStore) Load(ctx context.Context, profile string) (Credentials, error) {
	if err := ctx.Err(); err != nil {
		return Credentials{}, err
	}
	if err := ValidateProfile(profile); err != nil {
		return Credentials{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	c, ok := m.profiles[profile]
	if !ok {
		return Credentials{}, fmt.Errorf("%w for profile %q", ErrNotLoggedIn, profile)
	}
	return c.clone(), nil
}

// Save implements [TokenStore], with the same rules as [FileStore.Save].
func (m *MemoryStore) Save(ctx context.Context, profile string, c Credentials) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := ValidateProfile(profile); err != nil {
		return err
	}
	if err := checkSaveable(c); err != nil {
		return err
	}
	if c.SavedAt.IsZero() {
		c.SavedAt = time.Now().UTC().Truncate(time.Second)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.profiles == nil {
		m.profiles = map[string]Credentials{}
	}
	m.profiles[profile] = c.clone()
	return nil
}

// Delete implements [TokenStore].
func (m *MemoryStore) Delete(ctx context.Context, profile string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := ValidateProfile(profile); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.profiles, profile)
	return nil
}

// Profiles implements [TokenStore].
func (m *MemoryStore) Profiles(ctx context.Context) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	return sortedKeys(m.profiles), nil
}

var (
	_ TokenStore = (*FileStore)(nil)
	_ TokenStore = (*MemoryStore)(nil)
)

// ---- private file helpers, shared with identity.go ----

// checkPerms is false on Windows, where Unix permission bits are not
// meaningful.
var checkPerms = runtime.GOOS != "windows"

// fileOps lets tests inject failures into writeFileAtomic. The zero value
// uses the os package.
type fileOps struct {
	write  func(f *os.File, data []byte) (int, error)
	rename func(oldpath, newpath string) error
	link   func(oldname, newname string) error
}

func (o *fileOps) doWrite(f *os.File, data []byte) (int, error) {
	if o != nil && o.write != nil {
		return o.write(f, data)
	}
	return f.Write(data)
}

func (o *fileOps) doRename(oldpath, newpath string) error {
	if o != nil && o.rename != nil {
		return o.rename(oldpath, newpath)
	}
	return os.Rename(oldpath, newpath)
}

func (o *fileOps) doLink(oldname, newname string) error {
	if o != nil && o.link != nil {
		return o.link(oldname, newname)
	}
	return os.Link(oldname, newname)
}

// ensurePrivateDir creates dir (and missing parents) with mode 0700, or, if
// it exists with group/other permission bits, clears those bits.
func ensurePrivateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("auth: create directory: %w", err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("auth: %s is not a directory", dir)
	}
	if perm := fi.Mode().Perm(); checkPerms && perm&0o077 != 0 {
		if err := os.Chmod(dir, perm&^0o077); err != nil {
			return fmt.Errorf("%w: directory %s has mode %04o and could not be made private (%v); fix with: chmod 700 %s",
				ErrInsecurePermissions, dir, perm, err, dir)
		}
	}
	return nil
}

// readPrivateFile reads a regular file of at most maxFileSize bytes, refusing
// one that group or others may access. A missing file gives an error
// wrapping fs.ErrNotExist.
func readPrivateFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("auth: %s is not a regular file", path)
	}
	if perm := fi.Mode().Perm(); checkPerms && perm&0o077 != 0 {
		return nil, fmt.Errorf("%w: %s has mode %04o; fix with: chmod 600 %s",
			ErrInsecurePermissions, path, perm, path)
	}
	if fi.Size() > maxFileSize {
		return nil, fmt.Errorf("%w: %s is %d bytes, larger than the %d-byte limit", ErrCorrupt, path, fi.Size(), maxFileSize)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("auth: read %s: %w", path, err)
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("%w: %s is larger than the %d-byte limit", ErrCorrupt, path, maxFileSize)
	}
	return data, nil
}

// writeTemp writes data to a new mode-0600 temporary file next to path and
// syncs it. It returns the temporary file's name.
func writeTemp(path string, data []byte, ops *fileOps) (_ string, err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, tempPattern(path))
	if err != nil {
		return "", fmt.Errorf("auth: create temporary file: %w", err)
	}
	name := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(name)
		}
	}()
	// CreateTemp already uses 0600; make it explicit regardless.
	if checkPerms {
		if err = f.Chmod(0o600); err != nil {
			return "", fmt.Errorf("auth: chmod temporary file: %w", err)
		}
	}
	n, err := ops.doWrite(f, data)
	if err == nil && n != len(data) {
		err = io.ErrShortWrite
	}
	if err != nil {
		return "", fmt.Errorf("auth: write %s: %w", name, err)
	}
	if err = f.Sync(); err != nil {
		return "", fmt.Errorf("auth: sync %s: %w", name, err)
	}
	if err = f.Close(); err != nil {
		return "", fmt.Errorf("auth: close %s: %w", name, err)
	}
	return name, nil
}

// writeFileAtomic replaces path with data: temporary file in the same
// directory, fsync, rename, then a best-effort fsync of the directory. On
// failure the previous file is untouched and no temporary file is left.
func writeFileAtomic(path string, data []byte, ops *fileOps) error {
	tmp, err := writeTemp(path, data, ops)
	if err != nil {
		return err
	}
	if err := ops.doRename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("auth: replace %s: %w", path, err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// errAlreadyExists is returned by createFileExclusive when path exists.
var errAlreadyExists = errors.New("auth: file already exists")

// createFileExclusive atomically creates path with data unless it already
// exists, in which case it returns errAlreadyExists and changes nothing. It
// hard-links a complete temporary file into place, which fails if the target
// exists; on file systems without hard links it falls back to a rename,
// where a concurrent creator in another process could win the race.
func createFileExclusive(path string, data []byte, ops *fileOps) error {
	tmp, err := writeTemp(path, data, ops)
	if err != nil {
		return err
	}
	defer func() { _ = os.Remove(tmp) }()
	err = ops.doLink(tmp, path)
	switch {
	case err == nil:
	case errors.Is(err, fs.ErrExist):
		return errAlreadyExists
	default:
		if _, statErr := os.Lstat(path); statErr == nil {
			return errAlreadyExists
		}
		if err := ops.doRename(tmp, path); err != nil {
			return fmt.Errorf("auth: create %s: %w", path, err)
		}
	}
	syncDir(filepath.Dir(path))
	return nil
}

// syncDir flushes a directory entry change to disk where supported.
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
