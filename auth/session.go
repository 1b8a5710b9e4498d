package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/internal/redact"
	"github.com/plexkit/plexgo/models/components"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/models/sdkerrors"
)

// Session: a stored login that validates, refreshes and re-logs in on demand.

// DefaultValidateEvery is how often a [Session] asks plex.tv whether its
// token is still valid, unless SessionOptions.ValidateEvery says otherwise.
const DefaultValidateEvery = time.Hour

// ErrTokenRejected is matched (errors.Is) by the error a [Session] passes
// to SessionOptions.OnInvalid: plex.tv rejected the token (revoked, for
// example after a password reset).
var ErrTokenRejected = errors.New("auth: plex.tv rejected the token")

// SessionOptions configures [NewSession].
type SessionOptions struct {
	// Login obtains a new login when there is none, plex.tv says the
	// stored one is invalid, or the app called Reject: typically a PIN
	// login (LoginWithPIN, LoginWithPINJWT) that asks a person, or a
	// password login. It runs once for all concurrent callers of Token,
	// with the first caller's context. Required.
	Login func(ctx context.Context) (*LoginResult, error)
	// ValidateEvery: the stored token is checked with plex.tv (GET
	// /api/v2/user) when first used and then at most once per
	// ValidateEvery (default DefaultValidateEvery; negative: never). A
	// failed check (network, 5xx, timeout) keeps the token: unknown is
	// not invalid.
	ValidateEvery time.Duration
	// KeepAlive, when positive, pings plex.tv (GET /api/v2/ping) with the
	// current token at this interval, from a goroutine that Close stops.
	// A ping plex.tv rejects (401, 498) marks the token invalid (the next
	// Token logs in again) and is reported to OnInvalid.
	KeepAlive time.Duration
	// OnInvalid, when set, hears of every token plex.tv rejected (at
	// validation or keep-alive), with an error matching ErrTokenRejected,
	// for apps that must ask a person to sign in again. It is called on a
	// goroutine of its own.
	OnInvalid func(profile string, err error)
	// Now is the clock (default time.Now); it also drives the JWT source.
	Now func() time.Time
	// Logger receives debug records of validations and logins (never
	// tokens). Default: discard.
	Logger *slog.Logger
}

// Session keeps a Plex login alive for a long-running app: the x/oauth2
// ReuseTokenSource of Plex. Token returns the token stored for the
// profile, validated against plex.tv now and then; when there is none,
// plex.tv rejected it, or the app rejected it ([Session.Reject], after a
// 401), it runs SessionOptions.Login once for all concurrent callers,
// saves the result (with the SDK's client identifier and plex.tv URL) and
// returns it. JWT profiles (Kind TokenKindJWT with a device key) are kept
// fresh by a [JWTSource].
//
// Plug it into the SDK with plexgo.WithSecuritySource(session.Security).
// Use a client made without that option (or the same one: calls the
// session makes itself never ask it for a token) for NewSession.
//
// A Session is safe for concurrent use. Callers wait while the stored
// login is loaded and validated (once per ValidateEvery) and while a
// Login runs.
type Session struct {
	sdk     *plexgo.PlexAPI
	store   TokenStore
	profile string
	opts    SessionOptions
	logger  *slog.Logger
	err     error

	mu        sync.Mutex
	loaded    bool
	creds     Credentials // the current login; Token is empty when none
	jwt       *JWTSource  // for a JWT profile
	validated time.Time   // last validation (or login)
	rejected  bool        // the current login must not be used again
	refresh   bool        // the JWT was rejected: refresh it before use
	last      string      // the token Token last returned
	flight    *loginFlight

	stop   context.CancelFunc
	kaOnce sync.Once
	kaDone chan struct{}
	kaCtx  context.Context
}

type loginFlight struct {
	done  chan struct{}
	token string
	err   error
}

// sessionInternal marks the contexts of the calls a Session makes itself,
// so that Security does not ask the session for a token (which would wait
// for the very login or validation in progress).
type sessionInternal struct{}

// NewSession returns a session for profile (DefaultProfile when empty) of
// store, using sdk for plex.tv. Invalid arguments are reported by Token.
func NewSession(sdk *plexgo.PlexAPI, store TokenStore, profile string, opts SessionOptions) *Session {
	if profile == "" {
		profile = DefaultProfile
	}
	s := &Session{sdk: sdk, store: store, profile: profile, opts: opts, kaDone: make(chan struct{})}
	switch {
	case sdk == nil:
		s.err = errors.New("auth: session: nil SDK")
	case store == nil:
		s.err = errors.New("auth: session: nil token store")
	case opts.Login == nil:
		s.err = errors.New("auth: session: SessionOptions.Login is required")
	case opts.KeepAlive < 0:
		s.err = fmt.Errorf("auth: session: negative KeepAlive %s", opts.KeepAlive)
	}
	if s.err == nil {
		if err := ValidateProfile(profile); err != nil {
			s.err = fmt.Errorf("auth: session: %w", err)
		}
	}
	if s.opts.ValidateEvery == 0 {
		s.opts.ValidateEvery = DefaultValidateEvery
	}
	if s.opts.Now == nil {
		s.opts.Now = time.Now
	}
	s.logger = opts.Logger
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	s.kaCtx, s.stop = context.WithCancel(context.WithValue(context.Background(), sessionInternal{}, true))
	return s
}

// Profile returns the session's profile name.
func (s *Session) Profile() string { return s.profile }

// Token returns a usable token for the profile, logging in when needed
// (see Session). A JWT profile's token is refreshed before it expires.
func (s *Session) Token(ctx context.Context) (string, error) {
	if err := callable(ctx, s == nil, "session: nil session", func() error { return s.err }); err != nil {
		return "", err
	}
	s.mu.Lock()
	if s.flight == nil {
		if err := s.prepareLocked(ctx); err != nil {
			s.mu.Unlock()
			return "", err
		}
		if !s.rejected && s.creds.Token != "" {
			jwt, tok, refresh := s.jwt, s.creds.Token, s.refresh
			s.refresh = false
			if jwt == nil {
				s.last = tok
			}
			s.mu.Unlock()
			s.startKeepAlive()
			if jwt != nil {
				return s.jwtToken(ctx, jwt, refresh)
			}
			return tok, nil
		}
		s.flight = &loginFlight{done: make(chan struct{})}
		go s.login(ctx, s.flight)
	}
	f := s.flight
	s.mu.Unlock()
	if err := await(ctx, f.done); err != nil {
		return "", err
	}
	if f.err == nil {
		s.startKeepAlive()
	}
	return f.token, f.err
}

// prepareLocked loads the stored login on first use and validates the
// current token when due; afterwards s.creds.Token is empty or s.rejected
// is set when a login is needed. Errors other than "not logged in" (a
// corrupt store, a keyring that does not answer) are returned.
func (s *Session) prepareLocked(ctx context.Context) error {
	if !s.loaded {
		c, err := s.store.Load(ctx, s.profile)
		switch {
		case errors.Is(err, ErrNotLoggedIn):
		case err != nil:
			return fmt.Errorf("auth: session: loading profile %q: %w", s.profile, err)
		case !s.sameDevice(c):
			s.logger.Debug("auth: session: stored login belongs to another client identifier or plex.tv; logging in again", "profile", s.profile)
		default:
			s.setLocked(c, time.Time{})
		}
		s.loaded = true
	}
	if s.creds.Token == "" || s.rejected || s.opts.ValidateEvery < 0 {
		return nil
	}
	now := s.opts.Now()
	if !s.validated.IsZero() && now.Sub(s.validated) < s.opts.ValidateEvery {
		return nil
	}
	tok := s.creds.Token
	if s.jwt != nil {
		if t, err := s.jwt.Token(s.internal(ctx)); err == nil {
			tok = t
		}
	}
	v, _, err := ValidateToken(s.internal(ctx), s.sdk, tok)
	s.validated = now
	switch v {
	case ValidityInvalid:
		s.rejected = true
		s.report(ErrTokenRejected)
	case ValidityUnknown:
		if ctx.Err() != nil {
			return ctx.Err()
		}
		s.logger.Debug("auth: session: validation failed; keeping the token", "profile", s.profile, "err", err)
	}
	return nil
}

// sameDevice reports whether stored credentials were issued to the SDK's
// client identifier and plex.tv (empty stored values match).
func (s *Session) sameDevice(c Credentials) bool {
	if c.ClientIdentifier != "" && c.ClientIdentifier != s.sdk.ClientIdentifier() {
		return false
	}
	url := c.PlexTVURL
	if url == "" {
		url = plexgo.DefaultPlexTVURL
	}
	return url == s.sdk.PlexTVURL()
}

// setLocked makes c the current login, validated at validated (zero: not
// yet), with a JWT source when it is a JWT profile.
func (s *Session) setLocked(c Credentials, validated time.Time) {
	s.creds, s.validated, s.rejected, s.jwt = c, validated, false, nil
	if c.Kind != TokenKindJWT || len(c.DeviceKey) == 0 {
		return
	}
	key, err := DeviceKeyFromCredentials(c)
	if err != nil {
		s.logger.Debug("auth: session: JWT profile without a usable device key; using its token as is", "profile", s.profile, "err", err)
		return
	}
	s.jwt = NewJWTSource(s.sdk, key, c.ClientIdentifier, JWTSourceOptions{
		Initial: c.Token, Store: s.store, Profile: s.profile, Now: s.opts.Now, Logger: s.opts.Logger,
	})
}

// jwtToken gets the JWT profile's token (refreshed first when refresh);
// a refresh that fails because plex.tv no longer accepts the device marks
// the login rejected and logs in.
func (s *Session) jwtToken(ctx context.Context, src *JWTSource, refresh bool) (string, error) {
	get := src.Token
	if refresh {
		get = src.Refresh
	}
	tok, err := get(s.internal(ctx))
	if err == nil {
		s.mu.Lock()
		if s.jwt == src {
			s.last = tok
		}
		s.mu.Unlock()
		return tok, nil
	}
	if errors.Is(err, sdkerrors.ErrUnauthorized) || errors.Is(err, sdkerrors.ErrUnprocessable) || errors.Is(err, sdkerrors.ErrTokenExpired) {
		s.mu.Lock()
		again := s.jwt == src && !s.rejected
		if again {
			s.rejected = true
		}
		s.mu.Unlock()
		if again {
			return s.Token(ctx)
		}
	}
	return "", fmt.Errorf("auth: session: %w", err)
}

// login runs SessionOptions.Login for f and saves its result.
func (s *Session) login(ctx context.Context, f *loginFlight) {
	defer close(f.done)
	res, err := s.opts.Login(s.internal(ctx))
	if err == nil && (res == nil || res.Token == "") {
		err = errors.New("auth: session: Login returned no token")
	}
	if err != nil {
		f.err = fmt.Errorf("auth: session: login: %w", err)
		s.mu.Lock()
		s.flight = nil
		s.mu.Unlock()
		return
	}
	c := res.Credentials("")
	if c.ClientIdentifier == "" {
		c.ClientIdentifier = s.sdk.ClientIdentifier()
	}
	if c.PlexTVURL == "" {
		c.PlexTVURL = s.sdk.PlexTVURL()
	}
	c.SavedAt = time.Now().UTC().Truncate(time.Second)
	saveErr := s.store.Save(s.internal(ctx), s.profile, c)
	s.mu.Lock()
	s.setLocked(c, s.opts.Now())
	s.loaded, s.flight, s.last = true, nil, c.Token
	jwt := s.jwt
	s.mu.Unlock()
	f.token = c.Token
	if jwt != nil {
		if f.token, f.err = jwt.Token(s.internal(ctx)); f.err != nil {
			f.err = fmt.Errorf("auth: session: the new login's JWT: %w", f.err)
		}
	}
	if saveErr != nil {
		f.token, f.err = "", fmt.Errorf("auth: session: logged in, but saving profile %q failed (the login is kept for this run): %w", s.profile, saveErr)
	}
	s.logger.Debug("auth: session: logged in", "profile", s.profile, "account", c.Name())
}

// Reject tells the session that token was refused (the app got a 401 with
// it): the next Token does not return it again but logs in (a JWT profile
// first tries to refresh). A token that is no longer the current one is
// ignored, so many callers rejecting the same token cause one login.
func (s *Session) Reject(token string) {
	if s == nil || token == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case token != s.last || s.rejected:
		return
	case s.jwt != nil:
		s.refresh = true // refresh the JWT first; a login follows if that fails
	default:
		s.rejected = true
	}
	s.last = ""
}

// Security returns the session's token as the SDK's security value, for
// plexgo.WithSecuritySource. Calls the session makes itself (login,
// validation, keep-alive) get an empty security value.
func (s *Session) Security(ctx context.Context) (components.Security, error) {
	if ctx.Value(sessionInternal{}) != nil {
		return components.Security{}, nil
	}
	tok, err := s.Token(ctx)
	if err != nil {
		return components.Security{}, err
	}
	return components.Security{AccessToken: &tok}, nil
}

// Close stops the keep-alive pings, if any, and waits for them to end.
// The session still works afterwards, without keep-alive.
func (s *Session) Close() error {
	if s == nil || s.stop == nil {
		return nil
	}
	s.stop()
	s.kaOnce.Do(func() { close(s.kaDone) })
	<-s.kaDone
	return nil
}

// internal marks ctx as one of the session's own calls.
func (s *Session) internal(ctx context.Context) context.Context {
	return context.WithValue(ctx, sessionInternal{}, true)
}

// report passes a rejection to OnInvalid.
func (s *Session) report(err error) {
	if s.opts.OnInvalid != nil {
		go s.opts.OnInvalid(s.profile, fmt.Errorf("%w (profile %q)", err, s.profile))
	}
}

// startKeepAlive starts the keep-alive goroutine once, when configured.
func (s *Session) startKeepAlive() {
	if s.opts.KeepAlive <= 0 {
		return
	}
	s.kaOnce.Do(func() {
		if s.kaCtx.Err() != nil {
			close(s.kaDone)
			return
		}
		go s.keepAlive()
	})
}

// keepAlive pings plex.tv with the current token every KeepAlive until
// Close.
func (s *Session) keepAlive() {
	defer close(s.kaDone)
	t := time.NewTicker(s.opts.KeepAlive)
	defer t.Stop()
	for {
		select {
		case <-s.kaCtx.Done():
			return
		case <-t.C:
		}
		s.mu.Lock()
		tok, rejected, jwt := s.creds.Token, s.rejected, s.jwt
		s.mu.Unlock()
		if jwt != nil {
			tok, _ = jwt.Token(s.kaCtx)
		}
		if tok == "" || rejected {
			continue
		}
		_, err := s.sdk.Authentication.Ping(s.kaCtx, operations.WithToken(tok))
		switch {
		case err == nil, s.kaCtx.Err() != nil:
		case errors.Is(err, sdkerrors.ErrUnauthorized), errors.Is(err, sdkerrors.ErrTokenExpired):
			s.mu.Lock()
			if (jwt == nil && s.creds.Token == tok) || (jwt != nil && s.jwt == jwt) {
				s.rejected = true
			}
			s.mu.Unlock()
			s.report(fmt.Errorf("%w: keep-alive: %w", ErrTokenRejected, err))
		default:
			s.logger.Debug("auth: session: keep-alive ping failed", "profile", s.profile, "err", err)
		}
	}
}

// String describes the session without its token: the profile only.
func (s *Session) String() string {
	if s == nil {
		return "auth.Session(nil)"
	}
	return "auth.Session{Profile:" + s.profile + "}"
}

// GoString is String: %#v shows no secret either.
func (s *Session) GoString() string { return s.String() }

// Format implements [fmt.Formatter] so that no verb prints the token.
func (s *Session) Format(f fmt.State, verb rune) { redact.Format(f, verb, s) }

// LogValue implements [slog.LogValuer]: the profile only.
func (s *Session) LogValue() slog.Value {
	if s == nil {
		return slog.StringValue("<nil>")
	}
	return slog.GroupValue(slog.String("profile", s.profile))
}
