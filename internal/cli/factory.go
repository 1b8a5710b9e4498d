package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/internal/redact"
	"github.com/plexkit/plexgo/models/components"
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
)

// GlobalOptions are the flags every command accepts.
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
}

// Factory builds the dependencies of a command lazily: nothing touches the
// disk or the network until a command asks. Exported fields may be set
// before a run to inject test doubles; unset ones get their defaults.
type Factory struct {
	// IO are the standard streams.
	IO IOStreams
	// Getenv reads the environment.
	Getenv func(string) string
	// Browser opens the login URL (default: $BROWSER or the platform
	// opener).
	Browser Browser
	// Prompter asks for logins, passwords and codes (default: stderr
	// prompts, stdin answers, no echo for secrets on a terminal).
	Prompter Prompter
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Version is the version plexauth reports.
	Version string
	// HTTPClient, when set, is the HTTP client of every SDK client.
	HTTPClient plexgo.HTTPClient
	// TokenStore, when set, replaces the file store in the config
	// directory.
	TokenStore auth.TokenStore
	// Opts are the global flags, filled in by the root command.
	Opts GlobalOptions

	mu      sync.Mutex
	lines   *LineReader
	store   auth.TokenStore
	ident   *auth.Identity
	logger  *slog.Logger
	session *Session
	jwtSrc  map[string]securitySource // by profile
}

// NewFactory returns a factory over the given streams and environment.
func NewFactory(streams IOStreams, getenv func(string) string) *Factory {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	return &Factory{IO: streams, Getenv: getenv, Version: plexgo.Version, Opts: GlobalOptions{Profile: auth.DefaultProfile}}
}

// reset drops what a previous run built, so that every run sees its own
// flags.
func (f *Factory) reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.store, f.ident, f.logger, f.session, f.jwtSrc = nil, nil, nil, nil, nil
}

func (f *Factory) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// Lines returns the shared reader of standard input.
func (f *Factory) Lines() *LineReader {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.lines == nil {
		f.lines = NewLineReader(f.IO.In)
	}
	return f.lines
}

func (f *Factory) prompter() Prompter {
	if f.Prompter != nil {
		return f.Prompter
	}
	return &termPrompter{io: f.IO, lines: f.Lines()}
}

func (f *Factory) browser() Browser {
	if f.Browser != nil {
		return f.Browser
	}
	return newSystemBrowser(f.Getenv)
}

// ConfigDir returns the directory of the token store and the device
// identity: --config-dir, else $PLEXAUTH_CONFIG_DIR, else auth.DefaultDir().
//
// A directory that exists and is shared (sticky, or writable by group or
// others, such as /tmp) is refused, never changed: the token store would
// otherwise tighten its mode and lock the other users out.
func (f *Factory) ConfigDir() (string, error) {
	d := f.Opts.ConfigDir
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

// checkConfigDir refuses an existing directory that others share. A
// missing one is fine (the store creates it with mode 0700).
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

// PlexTVURL returns the plex.tv base URL in use: --plextv-url, else
// $PLEXAUTH_PLEXTV_URL, else https://plex.tv.
func (f *Factory) PlexTVURL() string {
	if f.Opts.PlexTVURL != "" {
		return strings.TrimSuffix(f.Opts.PlexTVURL, "/")
	}
	if u := f.Getenv(EnvPlexTVURL); u != "" {
		return strings.TrimSuffix(u, "/")
	}
	return plexgo.DefaultPlexTVURL
}

// Store returns the token store.
func (f *Factory) Store() (auth.TokenStore, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.TokenStore != nil {
		return f.TokenStore, nil
	}
	if f.store == nil {
		dir, err := f.ConfigDir()
		if err != nil {
			return nil, err
		}
		f.store = auth.NewFileStore(dir)
	}
	return f.store, nil
}

// Identity returns this install's device identity, created on first use
// and kept in the config directory. --client-id replaces its client
// identifier for this run only.
func (f *Factory) Identity() (auth.Identity, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ident == nil {
		dir, err := f.ConfigDir()
		if err != nil {
			return auth.Identity{}, err
		}
		id, err := auth.LoadOrCreateIdentity(dir, Product, f.Version)
		if err != nil {
			return auth.Identity{}, &ExitError{Code: ExitFailure, What: "load the device identity", Err: err}
		}
		if f.Opts.ClientID != "" {
			id.ClientIdentifier = f.Opts.ClientID
		}
		f.ident = &id
	}
	return *f.ident, nil
}

// Logger returns the logger: debug to stderr with --verbose (secrets
// redacted), else a discarding one.
func (f *Factory) Logger() *slog.Logger {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.logger == nil {
		if f.Opts.Verbose {
			f.logger = slog.New(slog.NewTextHandler(f.IO.ErrOut, &slog.HandlerOptions{
				Level:       slog.LevelDebug,
				ReplaceAttr: redactAttr,
			}))
		} else {
			f.logger = slog.New(slog.DiscardHandler)
		}
	}
	return f.logger
}

// redactAttr hides the value of any attribute whose key names a secret
// (see redact.IsSecretName) and the secrets in URL values.
func redactAttr(groups []string, a slog.Attr) slog.Attr { return redact.ReplaceAttr(groups, a) }

// SDK returns a plexgo client for plex.tv with this install's identity,
// without a token unless opts add one.
func (f *Factory) SDK(opts ...plexgo.SDKOption) (*plexgo.PlexAPI, error) {
	id, err := f.Identity()
	if err != nil {
		return nil, err
	}
	return f.sdkFor(id.ClientIdentifier, f.PlexTVURL(), opts...), nil
}

func (f *Factory) sdkFor(clientID, plexTVURL string, opts ...plexgo.SDKOption) *plexgo.PlexAPI {
	return plexgo.New(append(f.baseOptions(clientID, plexTVURL), opts...)...)
}

// baseOptions are the SDK options every client of this run shares:
// plex.tv URL, identity headers, logger, HTTP client, timeout.
func (f *Factory) baseOptions(clientID, plexTVURL string) []plexgo.SDKOption {
	f.mu.Lock()
	id := auth.Identity{}
	if f.ident != nil {
		id = *f.ident
	}
	f.mu.Unlock()
	base := []plexgo.SDKOption{
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

// Session is the login a command runs with: the stored credentials of the
// profile, or PLEX_TOKEN. It never prints the token.
type Session struct {
	// Profile is the profile name.
	Profile string
	// FromEnv is true when the token comes from PLEX_TOKEN.
	FromEnv bool
	// Source says where the token came from, for status output.
	Source string
	// Creds are the credentials; Creds.Token is the secret.
	Creds auth.Credentials
}

// String describes the session without its token.
func (s *Session) String() string {
	return fmt.Sprintf("Session{Profile:%s Source:%s Kind:%s}", s.Profile, s.Source, s.Creds.Kind)
}

// Kind returns the token kind (legacy or jwt).
func (s *Session) Kind() auth.TokenKind {
	if s.Creds.Kind != "" {
		return s.Creds.Kind
	}
	return tokenKindOf(s.Creds.Token)
}

func tokenKindOf(tok string) auth.TokenKind {
	if strings.Count(tok, ".") == 2 {
		return auth.TokenKindJWT
	}
	return auth.TokenKindLegacy
}

// Session returns the login for this run, checking it exists. It is the
// one place where commands that need a token get it: PLEX_TOKEN wins
// (and is never stored), else the profile's stored credentials.
func (f *Factory) Session(ctx context.Context) (*Session, error) {
	f.mu.Lock()
	s := f.session
	f.mu.Unlock()
	if s != nil {
		return s, nil
	}
	if tok := strings.TrimSpace(f.Getenv(EnvPlexToken)); tok != "" {
		s = &Session{Profile: f.Opts.Profile, FromEnv: true, Source: EnvPlexToken,
			Creds: auth.Credentials{Token: tok, Kind: tokenKindOf(tok), PlexTVURL: f.PlexTVURL()}}
	} else {
		store, err := f.Store()
		if err != nil {
			return nil, err
		}
		c, err := store.Load(ctx, f.Opts.Profile)
		if errors.Is(err, auth.ErrNotLoggedIn) {
			return nil, &ExitError{Code: ExitAuth, What: fmt.Sprintf("not logged in (profile %q)", f.Opts.Profile),
				Hint: loginHint(f.Opts.Profile)}
		}
		if err != nil {
			return nil, &ExitError{Code: ExitFailure, What: "read the stored login", Err: err}
		}
		if !sameBase(c.PlexTVURL, f.PlexTVURL()) {
			return nil, &ExitError{Code: ExitAuth,
				What: fmt.Sprintf("the login of profile %q is for %s, not %s", f.Opts.Profile, orDefault(c.PlexTVURL), f.PlexTVURL()),
				Hint: loginHint(f.Opts.Profile) + " (or use the matching --plextv-url)"}
		}
		src := "profile " + f.Opts.Profile
		if fs, ok := store.(*auth.FileStore); ok {
			src += " in " + fs.Path()
		}
		s = &Session{Profile: f.Opts.Profile, Source: src, Creds: c}
	}
	f.mu.Lock()
	f.session = s
	f.mu.Unlock()
	return s, nil
}

func loginHint(profile string) string {
	if profile == auth.DefaultProfile {
		return "run plexauth login"
	}
	return "run plexauth login --profile " + profile
}

func orDefault(u string) string {
	if u == "" {
		return plexgo.DefaultPlexTVURL
	}
	return u
}

// sameBase compares two plex.tv base URLs ("" is https://plex.tv).
func sameBase(a, b string) bool {
	norm := func(s string) string {
		s = orDefault(s)
		u, err := url.Parse(s)
		if err != nil {
			return s
		}
		return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host) + strings.TrimSuffix(u.Path, "/")
	}
	return norm(a) == norm(b)
}

// sessionClientID is the client identifier to present with the session's
// token: the device the token was issued to, unless --client-id is given.
func (f *Factory) sessionClientID(s *Session) (string, error) {
	id, err := f.Identity()
	if err != nil {
		return "", err
	}
	if s.Creds.ClientIdentifier != "" && f.Opts.ClientID == "" {
		return s.Creds.ClientIdentifier, nil
	}
	return id.ClientIdentifier, nil
}

func (s *Session) renews() bool {
	return !s.FromEnv && s.Kind() == auth.TokenKindJWT && len(s.Creds.DeviceKey) > 0
}

// SessionSDK returns a plexgo client without a token that presents the
// session's device, for calls that take the token as an argument.
func (f *Factory) SessionSDK(ctx context.Context) (*plexgo.PlexAPI, error) {
	s, err := f.Session(ctx)
	if err != nil {
		return nil, err
	}
	return f.sdkForSession(ctx, s, false)
}

// AuthSDK returns a plexgo client carrying the session's token. A JWT
// login with a device key renews itself (and the stored credentials)
// when it nears expiry.
func (f *Factory) AuthSDK(ctx context.Context) (*plexgo.PlexAPI, error) {
	s, err := f.Session(ctx)
	if err != nil {
		return nil, err
	}
	return f.sdkForSession(ctx, s, true)
}

func (f *Factory) sdkForSession(ctx context.Context, s *Session, withToken bool) (*plexgo.PlexAPI, error) {
	clientID, err := f.sessionClientID(s)
	if err != nil {
		return nil, err
	}
	switch {
	case !withToken:
		return f.sdkFor(clientID, f.PlexTVURL()), nil
	case s.renews():
		src, err := f.jwtSource(ctx, s, clientID)
		if err != nil {
			return nil, err
		}
		return f.sdkFor(clientID, f.PlexTVURL(), plexgo.WithSecuritySource(src)), nil
	}
	return f.sdkFor(clientID, f.PlexTVURL(), plexgo.WithSecurity(s.Creds.Token)), nil
}

// Token returns the session's current token, renewing a JWT that is
// about to expire.
func (f *Factory) Token(ctx context.Context) (string, error) {
	s, err := f.Session(ctx)
	if err != nil {
		return "", err
	}
	return f.tokenFor(ctx, s)
}

func (f *Factory) tokenFor(ctx context.Context, s *Session) (string, error) {
	if !s.renews() {
		return s.Creds.Token, nil
	}
	clientID, err := f.sessionClientID(s)
	if err != nil {
		return "", err
	}
	src, err := f.jwtSource(ctx, s, clientID)
	if err != nil {
		return "", err
	}
	sec, err := src(ctx)
	if err != nil {
		return "", err
	}
	return sec.GetAccessToken(), nil
}

// currentCreds returns the session's credentials as stored now (a JWT
// renewal saves new ones), or the session's own when they cannot be read.
func (f *Factory) currentCreds(ctx context.Context, s *Session) auth.Credentials {
	if s.FromEnv {
		return s.Creds
	}
	store, err := f.Store()
	if err != nil {
		return s.Creds
	}
	c, err := store.Load(ctx, s.Profile)
	if err != nil {
		return s.Creds
	}
	return c
}

// securitySource is what plexgo.WithSecuritySource takes.
type securitySource = func(context.Context) (components.Security, error)
