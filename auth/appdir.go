package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Where an application keeps its files.

// maxAppSlugLen bounds the readable part of an [AppDir] directory name.
const maxAppSlugLen = 40

// errNoDir is the error of NewFileStore and LoadOrCreateIdentity when they
// are given no directory.
var errNoDir = errors.New("auth: no directory given; choose one, e.g. auth.AppDir(\"My App\")")

// AppDir returns the directory an application named product keeps its
// identity and tokens in: a directory inside [os.UserConfigDir]
// ($XDG_CONFIG_HOME or ~/.config on Linux and other Unix systems,
// ~/Library/Application Support on macOS, %AppData% on Windows) named
// after the product: a lowercase ASCII slug of it, a dash and a short hash
// of the exact product string, e.g. "my-bot-3f2a9c1d0b7e" for "My Bot".
//
// Any product string is safe: the name holds only [a-z0-9-], so it never
// climbs out of the config directory, and the hash keeps two different
// products ("My Bot", "my-bot") apart. No product's directory is the one
// plexauth uses ([DefaultDir]). AppDir does not create the directory; the
// stores create it, private, on first write. An empty product is an error.
//
//	dir, err := auth.AppDir("My Bot")
//	ident, err := auth.LoadOrCreateIdentity(dir, "My Bot", "1.0")
//	store := auth.NewFileStore(dir, auth.FileStoreOptions{})
func AppDir(product string) (string, error) {
	if strings.TrimSpace(product) == "" {
		return "", errors.New("auth: app directory: empty product name")
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("auth: locate user config directory: %w", err)
	}
	return filepath.Join(base, appDirName(product)), nil
}

// appDirName is the directory name AppDir uses for product.
func appDirName(product string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(product) {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() >= maxAppSlugLen {
			break
		}
	}
	slug := strings.TrimRight(b.String(), "-")
	if slug == "" {
		slug = "app"
	}
	sum := sha256.Sum256([]byte(product))
	return slug + "-" + hex.EncodeToString(sum[:6])
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
