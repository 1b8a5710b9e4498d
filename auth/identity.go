package auth

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"unicode"
)

// Device identity: the client identifier and the X-Plex-* device fields.

// identityFileName is the name of the identity file in its directory.
const identityFileName = "identity.json"

// maxClientIdentifierLen bounds the client identifier accepted from an
// identity file.
const maxClientIdentifierLen = 256

// Identity describes this application install to Plex. Its fields map to the
// X-Plex-* headers of the same names (X-Plex-Client-Identifier,
// X-Plex-Product, X-Plex-Version, X-Plex-Platform, X-Plex-Platform-Version,
// X-Plex-Device, X-Plex-Device-Name, X-Plex-Model).
type Identity struct {
	// ClientIdentifier uniquely identifies this install; plex.tv shows each
	// identifier as one entry in the user's Authorized Devices. Create it
	// once with [NewClientIdentifier] and keep it forever.
	ClientIdentifier string `json:"clientIdentifier"`
	// Product is the application name.
	Product string `json:"product"`
	// Version is the application version.
	Version string `json:"version,omitempty"`
	// Platform is the operating system, e.g. "Linux", "macOS", "Windows".
	Platform string `json:"platform,omitempty"`
	// PlatformVersion is the operating system version.
	PlatformVersion string `json:"platformVersion,omitempty"`
	// Device is the kind of device, e.g. "linux/amd64".
	Device string `json:"device,omitempty"`
	// DeviceName is the user-visible device name, e.g. the host name.
	DeviceName string `json:"deviceName,omitempty"`
	// Model is the device model.
	Model string `json:"model,omitempty"`
}

// NewClientIdentifier returns a new random client identifier: 128 bits from
// crypto/rand formatted as a lowercase RFC 9562 version 4 UUID
// ("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"), of which the version and variant
// fields overwrite 6 bits, leaving 122 random bits.
func NewClientIdentifier() (string, error) {
	var u [16]byte
	if _, err := rand.Read(u[:]); err != nil {
		return "", fmt.Errorf("auth: generate client identifier: %w", err)
	}
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // variant 10xx (RFC 9562)
	var buf [36]byte
	hex.Encode(buf[0:8], u[0:4])
	buf[8] = '-'
	hex.Encode(buf[9:13], u[4:6])
	buf[13] = '-'
	hex.Encode(buf[14:18], u[6:8])
	buf[18] = '-'
	hex.Encode(buf[19:23], u[8:10])
	buf[23] = '-'
	hex.Encode(buf[24:36], u[10:16])
	return string(buf[:]), nil
}

// platformName returns the Plex-style platform name for a GOOS value.
func platformName(goos string) string {
	switch goos {
	case "linux":
		return "Linux"
	case "darwin":
		return "macOS"
	case "windows":
		return "Windows"
	case "ios":
		return "iOS"
	case "android":
		return "Android"
	case "freebsd":
		return "FreeBSD"
	case "openbsd":
		return "OpenBSD"
	case "netbsd":
		return "NetBSD"
	case "dragonfly":
		return "DragonFly BSD"
	case "solaris":
		return "Solaris"
	case "illumos":
		return "illumos"
	case "aix":
		return "AIX"
	case "plan9":
		return "Plan 9"
	case "js":
		return "JavaScript"
	case "wasip1":
		return "WASI"
	case "":
		return ""
	}
	return strings.ToUpper(goos[:1]) + goos[1:]
}

// DefaultIdentity returns an identity with a fresh random ClientIdentifier
// (see [NewClientIdentifier]), the given product and version, Platform set
// from runtime.GOOS ("Linux", "macOS", "Windows", ...), Device set to
// runtime.GOOS/runtime.GOARCH (e.g. "linux/amd64") and DeviceName set to the
// host name, or to product when the host name is unavailable.
// PlatformVersion and Model are left empty.
//
// Each call creates a new device as far as plex.tv is concerned; use
// [LoadOrCreateIdentity] to keep the identity across runs.
func DefaultIdentity(product, version string) (Identity, error) {
	if strings.TrimSpace(product) == "" {
		return Identity{}, errors.New("auth: identity product name must not be empty")
	}
	id, err := NewClientIdentifier()
	if err != nil {
		return Identity{}, err
	}
	ident := Identity{
		ClientIdentifier: id,
		Product:          product,
		Version:          version,
	}
	ident.fillDefaults()
	return ident, nil
}

// fillDefaults sets the platform-derived fields that are empty.
func (ident *Identity) fillDefaults() {
	if ident.Platform == "" {
		ident.Platform = platformName(runtime.GOOS)
	}
	if ident.Device == "" {
		ident.Device = runtime.GOOS + "/" + runtime.GOARCH
	}
	if ident.DeviceName == "" {
		if h, err := os.Hostname(); err == nil && strings.TrimSpace(h) != "" {
			ident.DeviceName = h
		} else {
			ident.DeviceName = ident.Product
		}
	}
}

// validClientIdentifier reports whether s can be used as a stored client
// identifier: non-empty, bounded, printable, no spaces (it goes into an HTTP
// header).
func validClientIdentifier(s string) bool {
	if s == "" || len(s) > maxClientIdentifierLen {
		return false
	}
	for _, r := range s {
		if r > unicode.MaxASCII || !unicode.IsPrint(r) || r == ' ' {
			return false
		}
	}
	return true
}

// LoadOrCreateIdentity returns the identity stored in dir/identity.json,
// creating it with [DefaultIdentity] on first use.
//
// The file is created atomically with mode 0600, in a directory created with
// mode 0700 (an existing directory with group/other permission bits is
// tightened, and a shared one refused, as for [FileStore]). Creation is exclusive: if another process
// creates the file at the same moment, its identity is used, so one install
// never registers two devices (on file systems without hard links, a
// process creating it at the very same moment may still win the race).
//
// On later calls the stored ClientIdentifier is kept, always. When product or
// version differ from the stored ones, they are updated and the file is
// rewritten; empty Platform, Device and DeviceName fields are filled in.
// Other stored values, such as a DeviceName edited by the user, are kept.
//
// A file that cannot be parsed or lacks a usable clientIdentifier is an error
// wrapping [ErrCorrupt]; it is never replaced silently, since a new
// identifier would appear as a new device in the user's Authorized Devices.
// A file accessible to group or others yields [ErrInsecurePermissions].
// The caller chooses dir, usually with [AppDir]; an empty dir is an error.
func LoadOrCreateIdentity(dir, product, version string) (Identity, error) {
	return loadOrCreateIdentity(dir, product, version, &fileOps{})
}

// loadOrCreateIdentity is LoadOrCreateIdentity with injectable file
// operations (tests use them to simulate failures and races). Concurrent
// callers need no lock: creation is exclusive and updates are atomic
// renames of identical content.
func loadOrCreateIdentity(dir, product, version string, ops *fileOps) (Identity, error) {
	if strings.TrimSpace(product) == "" {
		return Identity{}, errors.New("auth: identity product name must not be empty")
	}
	if dir == "" {
		return Identity{}, errNoDir
	}
	path := filepath.Join(dir, identityFileName)

	// Two rounds at most: if another process creates the file between our
	// read and our create, read it again.
	for range 2 {
		ident, err := readIdentity(path)
		if errors.Is(err, fs.ErrNotExist) {
			ident, err = DefaultIdentity(product, version)
			if err != nil {
				return Identity{}, err
			}
			data, err := marshalIdentity(ident)
			if err != nil {
				return Identity{}, err
			}
			if err := ensurePrivateDir(dir); err != nil {
				return Identity{}, err
			}
			err = createFileExclusive(path, data, ops)
			if errors.Is(err, errAlreadyExists) {
				continue
			}
			if err != nil {
				return Identity{}, err
			}
			return ident, nil
		}
		if err != nil {
			return Identity{}, err
		}

		updated := ident
		updated.Product = product
		updated.Version = version
		updated.fillDefaults()
		if updated == ident {
			return ident, nil
		}
		data, err := marshalIdentity(updated)
		if err != nil {
			return Identity{}, err
		}
		if err := ensurePrivateDir(dir); err != nil {
			return Identity{}, err
		}
		if err := writeFileAtomic(path, data, ops); err != nil {
			return Identity{}, err
		}
		return updated, nil
	}
	return Identity{}, fmt.Errorf("auth: %s keeps appearing and disappearing; giving up", path)
}

func marshalIdentity(ident Identity) ([]byte, error) {
	data, err := json.MarshalIndent(ident, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("auth: encode identity: %w", err)
	}
	return append(data, '\n'), nil
}

// readIdentity reads and validates an identity file. A missing file gives
// an error wrapping fs.ErrNotExist.
func readIdentity(path string) (Identity, error) {
	data, err := readPrivateFile(path)
	if err != nil {
		return Identity{}, err
	}
	var ident Identity
	if err := json.Unmarshal(data, &ident); err != nil {
		return Identity{}, fmt.Errorf("%w: %s: %v (the file is kept: regenerating it would register a new device; fix it, or remove it to accept a new device)",
			ErrCorrupt, path, err)
	}
	if !validClientIdentifier(ident.ClientIdentifier) {
		return Identity{}, fmt.Errorf("%w: %s: missing or invalid clientIdentifier (the file is kept: regenerating it would register a new device; fix it, or remove it to accept a new device)",
			ErrCorrupt, path)
	}
	return ident, nil
}
