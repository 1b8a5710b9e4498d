package auth

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// Private files: 0700 directories, 0600 atomic writes and checked reads, shared by FileStore and the identity file.

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
// it exists with group/other read or search bits, clears those bits. A
// directory that others share (sticky, or writable by group or others,
// such as /tmp) is refused with ErrInsecurePermissions and left as it is:
// making it private would lock the other users out, and anyone who can
// write to it could replace the files in it.
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
	if m := fi.Mode(); checkPerms && (m&fs.ModeSticky != 0 || m.Perm()&0o022 != 0) {
		mode := uint32(m.Perm())
		if m&fs.ModeSticky != 0 {
			mode |= 0o1000
		}
		return fmt.Errorf("%w: directory %s is shared with other users (mode %04o) and is left as it is; keep tokens in a directory of your own, e.g. auth.AppDir",
			ErrInsecurePermissions, dir, mode)
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
