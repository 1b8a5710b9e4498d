package cmdutil

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/internal/redact"
)

// Product is the X-Plex-Product plexauth presents: the name users see in
// their Authorized Devices.
const Product = "plexauth"

// Environment variables plexauth reads.
const (
	EnvPlexTVURL = "PLEXAUTH_PLEXTV_URL" // same as --plextv-url
	EnvConfigDir = "PLEXAUTH_CONFIG_DIR" // same as --config-dir
	EnvPlexToken = "PLEX_TOKEN"          // a token to use instead of the stored one; never stored
	EnvBrowser   = "BROWSER"             // program that opens the login URL
	// EnvInsecureStorage=1 keeps tokens in the 0600 file, not the OS
	// keyring (same as --insecure-storage).
	EnvInsecureStorage = "PLEXAUTH_INSECURE_STORAGE"
)

// GlobalOptions are the flags every command accepts. The root command
// binds them; commands read them when they run.
type GlobalOptions struct {
	// JSON prints one JSON document on stdout (--json).
	JSON bool
	// Profile names the stored login to use (--profile).
	Profile string
	// PlexTVURL is the plex.tv base URL (--plextv-url).
	PlexTVURL string
	// ClientID replaces the persisted client identifier (--client-id).
	ClientID string
	// Verbose logs requests to stderr, secrets redacted (--verbose).
	Verbose bool
	// ConfigDir holds the token store and identity (--config-dir).
	ConfigDir string
	// InsecureStorage keeps new secrets in the file instead of the OS
	// keyring (--insecure-storage).
	InsecureStorage bool
}

// Factory holds the dependencies of one plexauth run. [New] builds every
// func field once; each builds its value on first use (nothing touches
// the disk or the network until a command asks) and keeps it for the
// run. A test replaces a field with its own func before the run; a new
// run gets a new Factory.
type Factory struct {
	// IOStreams are the standard streams.
	IOStreams *IOStreams
	// Getenv reads the environment.
	Getenv func(string) string
	// Version is the version plexauth reports.
	Version string
	// Now is the clock.
	Now func() time.Time
	// HTTPClient, when not nil, is the HTTP client of every SDK client.
	HTTPClient plexgo.HTTPClient
	// Options are the global flags, filled in by the root command.
	Options *GlobalOptions

	// Lines is the one reader of standard input.
	Lines func() *LineReader
	// Prompter asks for logins, passwords and codes.
	Prompter func() Prompter
	// Browser opens the login URL ($BROWSER or the platform opener).
	Browser func() Browser
	// ConfigDir is the directory of the token store and the identity:
	// --config-dir, else $PLEXAUTH_CONFIG_DIR, else auth.DefaultDir().
	ConfigDir func() (string, error)
	// PlexTVURL is the plex.tv base URL in use: --plextv-url, else
	// $PLEXAUTH_PLEXTV_URL, else https://plex.tv.
	PlexTVURL func() string
	// Store is the token store: secrets in the OS keyring (Keyring), the
	// rest in the file store in ConfigDir; the file alone when no keyring
	// answers (announced in one line) or with --insecure-storage.
	Store func() (auth.TokenStore, error)
	// Keyring is the OS keyring the store uses.
	Keyring func() auth.Keyring
	// Identity is this install's device identity, created on first use;
	// --client-id replaces its client identifier for the run.
	Identity func() (auth.Identity, error)
	// Logger logs to stderr with --verbose (secrets redacted), else
	// nowhere.
	Logger func() *slog.Logger
	// NewSDK returns a client for plexTVURL presenting clientID, with the
	// run's identity headers, logger, HTTP client and timeout.
	NewSDK NewSDKFunc
	// SDK returns a client for PlexTVURL with this install's identity
	// and no token.
	SDK func() (*plexgo.PlexAPI, error)
	// Session is the login of the run: PLEX_TOKEN, else the stored
	// credentials of --profile. It fails with exit code 3 when there is
	// none.
	Session func(ctx context.Context) (*Session, error)
	// StoredSession is the session of stored credentials c of profile
	// (status checks every profile with it).
	StoredSession func(profile string, c auth.Credentials) *Session
	// Exec runs a whole plexauth command line with another factory and
	// returns its exit code (the demo runs its steps with it). The root
	// package sets it.
	Exec func(ctx context.Context, f *Factory, args []string) int
}

// InsecureStorage reports whether new secrets go to the file on purpose
// (--insecure-storage or PLEXAUTH_INSECURE_STORAGE=1).
func (f *Factory) InsecureStorage() bool {
	if f.Options.InsecureStorage {
		return true
	}
	switch strings.ToLower(strings.TrimSpace(f.Getenv(EnvInsecureStorage))) {
	case "1", "true", "yes":
		return true
	}
	return false
}

// DeviceOptions are the SDK options of profile's own device: when the
// profile is not the install's identity (see "each profile is a device"),
// its X-Plex-Device-Name is the install's followed by the profile's name,
// so the account's device list tells the profiles apart.
func (f *Factory) DeviceOptions(profile, clientID string) []SDKOption {
	id, err := f.Identity()
	if err != nil || clientID == id.ClientIdentifier || id.DeviceName == "" {
		return nil
	}
	return []SDKOption{plexgo.WithDeviceName(id.DeviceName + " (" + profile + ")")}
}

// SDKOption is an option of plexgo.New.
type SDKOption = plexgo.SDKOption

// NewSDKFunc returns a client for plexTVURL presenting clientID (see
// Factory.NewSDK).
type NewSDKFunc = func(clientID, plexTVURL string, opts ...SDKOption) *plexgo.PlexAPI

// New returns the factory of one run over the given streams and
// environment (nil: an empty one).
func New(streams IOStreams, getenv func(string) string) *Factory {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	streams.Dumb = streams.Dumb || getenv("TERM") == "dumb"
	f := &Factory{
		IOStreams: &streams,
		Getenv:    getenv,
		Version:   plexgo.Version,
		Now:       time.Now,
		Options:   &GlobalOptions{Profile: auth.DefaultProfile},
	}
	f.Lines = sync.OnceValue(func() *LineReader { return NewLineReader(f.IOStreams.In) })
	f.Prompter = func() Prompter { return NewTermPrompter(f.IOStreams, f.Lines()) }
	f.Browser = func() Browser { return NewSystemBrowser(f.Getenv) }
	f.ConfigDir = func() (string, error) { return configDir(f) }
	f.PlexTVURL = func() string { return plexTVURL(f) }
	f.Keyring = auth.SystemKeyring
	f.Store = sync.OnceValues(func() (auth.TokenStore, error) {
		dir, err := f.ConfigDir()
		if err != nil {
			return nil, err
		}
		return auth.NewKeyringStore(auth.NewFileStore(dir, auth.FileStoreOptions{}), auth.KeyringOptions{
			Keyring:         f.Keyring(),
			InsecureStorage: f.InsecureStorage(),
			OnFallback: func(fb *auth.KeyringFallback) {
				f.IOStreams.Eprintf("Note: %s.\n", fb.Error())
			},
		}), nil
	})
	identity, loaded := identityFunc(f)
	f.Identity = identity
	f.Logger = sync.OnceValue(func() *slog.Logger { return newLogger(f) })
	f.NewSDK = func(clientID, plexTVURL string, opts ...SDKOption) *plexgo.PlexAPI {
		return plexgo.New(append(baseOptions(f, loaded(), clientID, plexTVURL), opts...)...)
	}
	f.SDK = func() (*plexgo.PlexAPI, error) {
		id, err := f.Identity()
		if err != nil {
			return nil, err
		}
		return f.NewSDK(id.ClientIdentifier, f.PlexTVURL()), nil
	}
	f.Session = sessionFunc(f)
	f.StoredSession = func(profile string, c auth.Credentials) *Session {
		s := &Session{Profile: profile, Source: "profile " + profile, Creds: c, f: f}
		if store, err := f.Store(); err == nil {
			s.Storage = StorageOf(store, profile)
		}
		return s
	}
	return f
}

func configDir(f *Factory) (string, error) {
	d := f.Options.ConfigDir
	if d == "" {
		d = f.Getenv(EnvConfigDir)
	}
	if d == "" {
		var err error
		if d, err = auth.DefaultDir(); err != nil {
			return "", &ExitError{Code: ExitFailure, What: "locate the config directory", Err: err, Hint: "set --config-dir or " + EnvConfigDir}
		}
	}
	if err := checkConfigDir(d); err != nil {
		return "", err
	}
	return d, nil
}

// checkConfigDir refuses an existing directory that others share (sticky,
// or writable by group or others, such as /tmp): the token store would
// otherwise tighten its mode and lock the other users out. A missing one
// is fine (the store creates it with mode 0700).
func checkConfigDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() {
		return nil // the store reports what is wrong with it
	}
	m := fi.Mode()
	if m&fs.ModeSticky == 0 && m.Perm()&0o022 == 0 {
		return nil
	}
	mode := uint32(m.Perm())
	if m&fs.ModeSticky != 0 {
		mode |= 0o1000
	}
	return &ExitError{Code: ExitFailure,
		What: fmt.Sprintf("the config directory %s is shared with other users (mode %04o): plexauth keeps tokens only in a private directory and does not change this one", dir, mode),
		Hint: "use a directory of your own with --config-dir or " + EnvConfigDir + " (e.g. one made with mkdir -m 700)"}
}

func plexTVURL(f *Factory) string {
	if f.Options.PlexTVURL != "" {
		return strings.TrimSuffix(f.Options.PlexTVURL, "/")
	}
	if u := f.Getenv(EnvPlexTVURL); u != "" {
		return strings.TrimSuffix(u, "/")
	}
	return plexgo.DefaultPlexTVURL
}

// identityFunc returns the Identity func and one that returns the
// identity if it was loaded (for the SDK's device headers), else a zero
// one.
func identityFunc(f *Factory) (func() (auth.Identity, error), func() auth.Identity) {
	var mu sync.Mutex
	var ident *auth.Identity
	load := func() (auth.Identity, error) {
		mu.Lock()
		defer mu.Unlock()
		if ident != nil {
			return *ident, nil
		}
		dir, err := f.ConfigDir()
		if err != nil {
			return auth.Identity{}, err
		}
		id, err := auth.LoadOrCreateIdentity(dir, Product, f.Version)
		if err != nil {
			return auth.Identity{}, &ExitError{Code: ExitFailure, What: "load the device identity", Err: err}
		}
		if f.Options.ClientID != "" {
			id.ClientIdentifier = f.Options.ClientID
		}
		ident = &id
		return id, nil
	}
	loaded := func() auth.Identity {
		mu.Lock()
		defer mu.Unlock()
		if ident == nil {
			return auth.Identity{}
		}
		return *ident
	}
	return load, loaded
}

func newLogger(f *Factory) *slog.Logger {
	if !f.Options.Verbose {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(f.IOStreams.ErrOut, &slog.HandlerOptions{
		Level:       slog.LevelDebug,
		ReplaceAttr: RedactAttr,
	}))
}

// RedactAttr is a slog ReplaceAttr that hides the value of any attribute
// whose key names a secret (see redact.IsSecretName) and the secrets in URL
// values.
func RedactAttr(groups []string, a slog.Attr) slog.Attr { return redact.ReplaceAttr(groups, a) }

// baseOptions are the SDK options every client of a run shares: plex.tv
// URL, identity headers, logger, HTTP client, timeout.
func baseOptions(f *Factory, id auth.Identity, clientID, plexTVURL string) []SDKOption {
	base := []SDKOption{
		plexgo.WithPlexTVURL(plexTVURL),
		plexgo.WithXPlexClientIdentifier(clientID),
		plexgo.WithProduct(Product),
		plexgo.WithVersion(f.Version),
		plexgo.WithLogger(f.Logger()),
		plexgo.WithTimeout(2 * time.Minute),
	}
	if id.Platform != "" {
		base = append(base, plexgo.WithPlatform(id.Platform))
	}
	if id.PlatformVersion != "" {
		base = append(base, plexgo.WithPlatformVersion(id.PlatformVersion))
	}
	if id.Device != "" {
		base = append(base, plexgo.WithDevice(id.Device))
	}
	if id.DeviceName != "" {
		base = append(base, plexgo.WithDeviceName(id.DeviceName))
	}
	if f.HTTPClient != nil {
		base = append(base, plexgo.WithClient(f.HTTPClient))
	}
	return base
}
