package auth

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
)

// Token stores: the interface, profile names and the errors all stores share.

// DefaultProfile is the profile name used when an application keeps a single
// login.
const DefaultProfile = "default"

// MaxProfileLen is the maximum length of a profile name, in bytes.
const MaxProfileLen = 64

// 1 MiB

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

// checkCall is the entry check the TokenStore methods share: ctx has not
// ended and profile is a valid name.
func checkCall(ctx context.Context, profile string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return ValidateProfile(profile)
}

// checkSave is checkCall plus what every Save refuses: credentials that
// are not worth storing.
func checkSave(ctx context.Context, profile string, c Credentials) error {
	if err := checkCall(ctx, profile); err != nil {
		return err
	}
	return checkSaveable(c)
}

// checkSaveable rejects credentials that are not worth storing.
func checkSaveable(c Credentials) error {
	if c.Token == "" {
		return errors.New("auth: refusing to save credentials with an empty token")
	}
	return nil
}

func sortedKeys(m map[string]Credentials) []string {
	names := slices.Collect(maps.Keys(m))
	if names == nil {
		names = []string{}
	}
	slices.Sort(names)
	return names
}

var (
	_ TokenStore = (*FileStore)(nil)
	_ TokenStore = (*MemoryStore)(nil)
)
