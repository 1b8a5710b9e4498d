package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/models/components"
)

// Session is a login a command runs with: the stored credentials of a
// profile, or PLEX_TOKEN. It never prints the token. Get one from
// [Factory.Session] or [Factory.StoredSession].
type Session struct {
	// Profile is the profile name.
	Profile string
	// Source says where the token came from, for status output:
	// EnvPlexToken, or "profile NAME".
	Source string
	// Storage says where the stored secret is kept: "keyring" or the
	// file's path ("" for PLEX_TOKEN).
	Storage string
	// Creds are the credentials; Creds.Token is the secret.
	Creds auth.Credentials

	f   *Factory
	mu  sync.Mutex
	jwt securitySource // the renewing source of a JWT login, once built
}

// securitySource is what plexgo.WithSecuritySource takes.
type securitySource = func(context.Context) (components.Security, error)

// FromEnv reports whether the token comes from PLEX_TOKEN. It is derived
// from Source (no state of its own).
func (s *Session) FromEnv() bool { return s.Source == EnvPlexToken }

// String describes the session without its token.
func (s *Session) String() string {
	return fmt.Sprintf("Session{Profile:%s Source:%s Kind:%s}", s.Profile, s.Source, s.Creds.Kind)
}

// Kind returns the token kind (legacy or jwt).
func (s *Session) Kind() auth.TokenKind {
	if s.Creds.Kind != "" {
		return s.Creds.Kind
	}
	return TokenKindOf(s.Creds.Token)
}

// TokenKindOf guesses a token's kind from its shape (a JWT has two dots).
func TokenKindOf(tok string) auth.TokenKind {
	if strings.Count(tok, ".") == 2 {
		return auth.TokenKindJWT
	}
	return auth.TokenKindLegacy
}

// Renews reports whether the session is a stored JWT login with a device
// key, which renews itself (and the stored credentials) near expiry.
func (s *Session) Renews() bool {
	return !s.FromEnv() && s.Kind() == auth.TokenKindJWT && len(s.Creds.DeviceKey) > 0
}

func sessionFunc(f *Factory) func(context.Context) (*Session, error) {
	var mu sync.Mutex
	var cached *Session
	return func(ctx context.Context) (*Session, error) {
		mu.Lock()
		defer mu.Unlock()
		if cached != nil {
			return cached, nil
		}
		s, err := loadSession(ctx, f)
		if err != nil {
			return nil, err
		}
		cached = s
		return s, nil
	}
}

// loadSession is where commands that need a token get it: PLEX_TOKEN wins
// (and is never stored), else the profile's stored credentials.
func loadSession(ctx context.Context, f *Factory) (*Session, error) {
	profile := f.Options.Profile
	if tok := strings.TrimSpace(f.Getenv(EnvPlexToken)); tok != "" {
		return &Session{Profile: profile, Source: EnvPlexToken, f: f,
			Creds: auth.Credentials{Token: tok, Kind: TokenKindOf(tok), PlexTVURL: f.PlexTVURL()}}, nil
	}
	store, err := f.Store()
	if err != nil {
		return nil, err
	}
	c, err := store.Load(ctx, profile)
	if errors.Is(err, auth.ErrNotLoggedIn) {
		return nil, &ExitError{Code: ExitAuth, What: fmt.Sprintf("not logged in (profile %q)", profile), Hint: LoginHint(profile)}
	}
	if err != nil {
		return nil, &ExitError{Code: ExitFailure, What: "read the stored login", Err: err}
	}
	if !SameBase(c.PlexTVURL, f.PlexTVURL()) {
		return nil, &ExitError{Code: ExitAuth,
			What: fmt.Sprintf("the login of profile %q is for %s, not %s", profile, OrDefault(c.PlexTVURL), f.PlexTVURL()),
			Hint: LoginHint(profile) + " (or use the matching --plextv-url)"}
	}
	return &Session{Profile: profile, Source: "profile " + profile, Storage: StorageOf(store, profile), Creds: c, f: f}, nil
}

// StorageOf says where store keeps profile's secret: "keyring", or the
// path of the file.
func StorageOf(store auth.TokenStore, profile string) string {
	if ks, ok := store.(*auth.KeyringStore); ok {
		loc, err := ks.SecretLocation(context.Background(), profile)
		if err != nil {
			return ""
		}
		return loc
	}
	if fs, ok := store.(*auth.FileStore); ok {
		return fs.Path()
	}
	return ""
}

// OrDefault returns u, or https://plex.tv for "".
func OrDefault(u string) string {
	if u == "" {
		return plexgo.DefaultPlexTVURL
	}
	return u
}

// SameBase compares two plex.tv base URLs ("" is https://plex.tv).
func SameBase(a, b string) bool {
	norm := func(s string) string {
		s = OrDefault(s)
		u, err := url.Parse(s)
		if err != nil {
			return s
		}
		return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host) + strings.TrimSuffix(u.Path, "/")
	}
	return norm(a) == norm(b)
}

// ClientID is the client identifier to present with the session's
// token: the device the token was issued to, unless --client-id is given.
func (s *Session) ClientID() (string, error) {
	id, err := s.f.Identity()
	if err != nil {
		return "", err
	}
	if s.Creds.ClientIdentifier != "" && s.f.Options.ClientID == "" {
		return s.Creds.ClientIdentifier, nil
	}
	return id.ClientIdentifier, nil
}

// SDK returns a plex.tv client without a token that presents the
// session's device, for calls that take the token as an argument.
func (s *Session) SDK() (*plexgo.PlexAPI, error) {
	clientID, err := s.ClientID()
	if err != nil {
		return nil, err
	}
	return s.f.NewSDK(clientID, s.f.PlexTVURL(), s.f.DeviceOptions(s.Profile, clientID)...), nil
}

// AuthSDK returns a plex.tv client carrying the session's token. A JWT
// login with a device key renews itself (and the stored credentials)
// when it nears expiry.
func (s *Session) AuthSDK(ctx context.Context) (*plexgo.PlexAPI, error) {
	clientID, err := s.ClientID()
	if err != nil {
		return nil, err
	}
	if !s.Renews() {
		return s.f.NewSDK(clientID, s.f.PlexTVURL(), append(s.f.DeviceOptions(s.Profile, clientID), plexgo.WithSecurity(s.Creds.Token))...), nil
	}
	src, err := s.jwtSource(ctx, clientID)
	if err != nil {
		return nil, err
	}
	return s.f.NewSDK(clientID, s.f.PlexTVURL(), append(s.f.DeviceOptions(s.Profile, clientID), plexgo.WithSecuritySource(src))...), nil
}

// Token returns the session's current token, renewing a JWT that is
// about to expire.
func (s *Session) Token(ctx context.Context) (string, error) {
	if !s.Renews() {
		return s.Creds.Token, nil
	}
	clientID, err := s.ClientID()
	if err != nil {
		return "", err
	}
	src, err := s.jwtSource(ctx, clientID)
	if err != nil {
		return "", err
	}
	sec, err := src(ctx)
	if err != nil {
		return "", err
	}
	return sec.GetAccessToken(), nil
}

// CurrentCreds returns the session's credentials as stored now (a JWT
// renewal saves new ones), or the session's own when they cannot be read.
func (s *Session) CurrentCreds(ctx context.Context) auth.Credentials {
	if s.FromEnv() {
		return s.Creds
	}
	store, err := s.f.Store()
	if err != nil {
		return s.Creds
	}
	c, err := store.Load(ctx, s.Profile)
	if err != nil {
		return s.Creds
	}
	return c
}

// jwtSource returns the token source of a JWT login, built once per
// session: it hands out the Plex JWT stored now (ctx bounds reading it)
// and renews it with the device key, saving the new one, when it nears
// expiry.
func (s *Session) jwtSource(ctx context.Context, clientID string) (securitySource, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.jwt != nil {
		return s.jwt, nil
	}
	key, err := auth.DeviceKeyFromCredentials(s.Creds)
	if err != nil {
		return nil, &ExitError{Code: ExitAuth, What: "read the stored device key", Err: err, Hint: LoginHint(s.Profile) + " --jwt"}
	}
	store, err := s.f.Store()
	if err != nil {
		return nil, err
	}
	initial := s.Creds.Token
	if c, err := store.Load(ctx, s.Profile); err == nil && c.Token != "" && c.Kind == auth.TokenKindJWT {
		initial = c.Token // renewed since the session was read
	} else if err := ctx.Err(); err != nil {
		return nil, err
	}
	src := auth.NewJWTSource(s.f.NewSDK(clientID, s.f.PlexTVURL(), s.f.DeviceOptions(s.Profile, clientID)...), key, clientID, auth.JWTSourceOptions{
		Initial: initial,
		Now:     s.f.Now,
		Store:   store,
		Profile: s.Profile,
		Logger:  s.f.Logger(),
	})
	s.jwt = src.Security
	return s.jwt, nil
}

// ServerSDK returns a client for the Plex Media Server at serverURL that
// carries the session's token (only to that server and plex.tv).
func (s *Session) ServerSDK(ctx context.Context, serverURL string) (*plexgo.PlexAPI, error) {
	clientID, err := s.ClientID()
	if err != nil {
		return nil, err
	}
	tok, err := s.Token(ctx)
	if err != nil {
		return nil, err
	}
	return s.f.NewSDK(clientID, s.f.PlexTVURL(), append(s.f.DeviceOptions(s.Profile, clientID), plexgo.WithServerURL(serverURL), plexgo.WithSecurity(tok))...), nil
}
