package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/internal/redact"
	"github.com/plexkit/plexgo/models/components"
)

// JWTSource: a Plex JWT kept fresh for an SDK client.

// DefaultJWTRefreshMargin is how long before expiry a [JWTSource]
// refreshes its Plex JWT unless told otherwise: one day, as
// python-plexapi does.
const DefaultJWTRefreshMargin = 24 * time.Hour

// DefaultJWTRetryInterval is how long a [JWTSource] waits after a refresh
// before it tries again while its token is still valid.
const DefaultJWTRetryInterval = time.Minute

// DefaultJWTRefreshTimeout bounds one refresh (nonce, exchange and key
// fetch) of a [JWTSource].
const DefaultJWTRefreshTimeout = 2 * time.Minute

// JWTSourceOptions configures [NewJWTSource]. The zero value works.
type JWTSourceOptions struct {
	// Initial is the current Plex JWT, if any. Its expiry is read from
	// the token without verifying it (it is the caller's own stored
	// token). When empty and Store is set, the source loads the token of
	// Profile on first use.
	Initial string
	// RefreshMargin: the token is refreshed once less than this is left
	// before it expires (default DefaultJWTRefreshMargin). An expired
	// token is always refreshed.
	RefreshMargin time.Duration
	// Now is the clock (default time.Now). It also dates device JWTs and
	// checks Plex JWT expiry.
	Now func() time.Time
	// Store, when set, receives every refreshed token under Profile
	// (Kind TokenKindJWT, ExpiresAt, the device key); the other fields
	// stored for Profile are kept.
	Store TokenStore
	// Profile is the store profile (default DefaultProfile).
	Profile string
	// OnRefresh is called after each successful refresh (after the store
	// was updated), on the refreshing goroutine, before the callers that
	// waited for the refresh get the new token. It may use the source.
	OnRefresh func(claims *PlexJWTClaims)
	// Logger receives refresh outcomes (debug) and failures (warn). Tokens
	// and keys are never logged. Default: discard.
	Logger *slog.Logger
	// RetryInterval is the least time between two refreshes while the
	// current token is still valid, so a failing plex.tv is not hammered
	// (default DefaultJWTRetryInterval). It does not delay the refresh of
	// an expired token.
	RetryInterval time.Duration
	// RefreshTimeout bounds one refresh (default DefaultJWTRefreshTimeout).
	RefreshTimeout time.Duration
	// Verifier, when set, is used to verify new tokens (sharing its key
	// cache); by default the source has its own.
	Verifier *JWTVerifier
}

// JWTSource provides a Plex JWT that it keeps fresh, for
// plexgo.WithSecuritySource:
//
//	src := auth.NewJWTSource(sdk, key, clientID, auth.JWTSourceOptions{Store: store})
//	client := plexgo.New(plexgo.WithSecuritySource(src.Security), …)
//
// The sdk given to NewJWTSource is used only for calls that carry no token
// (nonce, exchange, keys), so it may be the client that uses the source.
// Plex JWTs are for plex.tv only; give Plex Media Servers their own access
// token (operations.WithToken).
//
// A JWTSource is safe for concurrent use. However many goroutines ask for
// a token while it needs refreshing, exactly one refresh runs; the others
// wait for it (or for their context).
type JWTSource struct {
	sdk      *plexgo.PlexAPI
	key      *DeviceKey
	clientID string
	opts     JWTSourceOptions
	verifier *JWTVerifier
	logger   *slog.Logger
	err      error // invalid configuration

	mu      sync.Mutex
	loaded  bool // Initial or the stored token has been read
	token   string
	expires time.Time
	nextTry time.Time  // earliest margin-triggered refresh
	flight  *jwtFlight // the refresh in progress, if any
}

type jwtFlight struct {
	done  chan struct{}
	token string
	err   error
}

// NewJWTSource returns a source that refreshes the Plex JWT with sdk, the
// device key and clientID (the X-Plex-Client-Identifier sdk sends; see
// [ExchangeJWT]). Invalid arguments are reported by Token.
func NewJWTSource(sdk *plexgo.PlexAPI, key *DeviceKey, clientID string, opts JWTSourceOptions) *JWTSource {
	s := &JWTSource{sdk: sdk, key: key, clientID: clientID}
	switch {
	case sdk == nil:
		s.err = errors.New("auth: JWT source: nil SDK client")
	case !key.usable():
		s.err = fmt.Errorf("auth: JWT source: %w", ErrNoDeviceKey)
	}
	if s.err == nil {
		if s.clientID, s.err = sdkClientID(sdk, clientID, "JWT source", "the clientID argument"); s.err == nil {
			clientID = s.clientID
		}
	}
	switch {
	case opts.RefreshMargin < 0:
		s.err = fmt.Errorf("auth: JWT source: negative RefreshMargin %s", opts.RefreshMargin)
	case opts.RetryInterval < 0:
		s.err = fmt.Errorf("auth: JWT source: negative RetryInterval %s", opts.RetryInterval)
	case opts.RefreshTimeout < 0:
		s.err = fmt.Errorf("auth: JWT source: negative RefreshTimeout %s", opts.RefreshTimeout)
	}
	if opts.RefreshMargin == 0 {
		opts.RefreshMargin = DefaultJWTRefreshMargin
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Profile == "" {
		opts.Profile = DefaultProfile
	}
	if opts.RetryInterval == 0 {
		opts.RetryInterval = DefaultJWTRetryInterval
	}
	if opts.RefreshTimeout == 0 {
		opts.RefreshTimeout = DefaultJWTRefreshTimeout
	}
	s.logger = opts.Logger
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if opts.Store != nil && s.err == nil {
		if err := ValidateProfile(opts.Profile); err != nil {
			s.err = fmt.Errorf("auth: JWT source: %w", err)
		}
	}
	s.verifier = opts.Verifier
	if s.verifier == nil {
		s.verifier = NewJWTVerifier(sdk, clientID, JWTVerifierOptions{Now: opts.Now})
	}
	s.opts = opts
	return s
}

// Token returns a valid Plex JWT. When the token has less than
// RefreshMargin left, has expired, or there is none, it refreshes it
// (or waits for the refresh already running). If a refresh fails while
// the old token is still valid, the old token is returned and the error
// is logged; once it has expired, the error is returned.
//
// The expiry is the token's own. If plex.tv rejects a token earlier
// (sdkerrors.ErrTokenExpired or ErrUnauthorized: revoked, or the device
// removed), call Refresh.
func (s *JWTSource) Token(ctx context.Context) (string, error) {
	if err := s.lockLoaded(ctx); err != nil {
		return "", err
	}
	now := s.opts.Now()
	valid := s.token != "" && now.Before(s.expires)
	if valid && (s.expires.Sub(now) > s.opts.RefreshMargin || (s.flight == nil && now.Before(s.nextTry))) {
		tok := s.token
		s.mu.Unlock()
		return tok, nil
	}
	f := s.startLocked(ctx)
	s.mu.Unlock()
	if err := await(ctx, f.done); err != nil {
		return "", err
	}
	if f.err == nil {
		return f.token, nil
	}
	if valid {
		s.mu.Lock()
		tok, ok := s.token, s.token != "" && s.opts.Now().Before(s.expires)
		s.mu.Unlock()
		if ok {
			return tok, nil
		}
	}
	return "", f.err
}

// Refresh obtains a new Plex JWT now, whatever the current one's expiry,
// joining a refresh already in progress.
func (s *JWTSource) Refresh(ctx context.Context) (string, error) {
	if err := s.lockLoaded(ctx); err != nil {
		return "", err
	}
	f := s.startLocked(ctx)
	s.mu.Unlock()
	if err := await(ctx, f.done); err != nil {
		return "", err
	}
	return f.token, f.err
}

// ExpiresAt returns when the current token expires (zero when there is
// none yet).
func (s *JWTSource) ExpiresAt() time.Time {
	if s == nil {
		return time.Time{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.expires
}

// Security returns the current Plex JWT as the SDK's security value; pass
// it to plexgo.WithSecuritySource.
func (s *JWTSource) Security(ctx context.Context) (components.Security, error) {
	tok, err := s.Token(ctx)
	if err != nil {
		return components.Security{}, err
	}
	return components.Security{AccessToken: &tok}, nil
}

// lockLoaded is the start of Token and Refresh: the entry check, then
// s.mu held (on success only) with the initial token read.
func (s *JWTSource) lockLoaded(ctx context.Context) error {
	if err := callable(ctx, s == nil, "JWT source: nil source", func() error { return s.err }); err != nil {
		return err
	}
	s.mu.Lock()
	if !s.loaded {
		s.loadLocked(ctx)
	}
	return nil
}

// loadLocked reads the initial token: Initial, or the stored one.
func (s *JWTSource) loadLocked(ctx context.Context) {
	s.loaded = true
	tok := s.opts.Initial
	var stored time.Time
	if tok == "" && s.opts.Store != nil {
		c, err := s.opts.Store.Load(ctx, s.opts.Profile)
		switch {
		case errors.Is(err, ErrNotLoggedIn):
			return
		case err != nil:
			s.logger.WarnContext(ctx, "plex JWT source: cannot read the stored token", "profile", s.opts.Profile, "err", err)
			return
		case c.Kind != TokenKindJWT || c.Token == "":
			return
		case c.DeviceKeyID != "" && c.DeviceKeyID != s.key.KeyID():
			s.logger.WarnContext(ctx, "plex JWT source: stored token belongs to another device key", "profile", s.opts.Profile)
			return
		case c.ClientIdentifier != "" && c.ClientIdentifier != s.clientID:
			s.logger.WarnContext(ctx, "plex JWT source: stored token belongs to another client identifier", "profile", s.opts.Profile)
			return
		}
		tok, stored = c.Token, c.ExpiresAt
	}
	if tok == "" {
		return
	}
	exp := stored
	var rc jwt.RegisteredClaims
	if _, _, err := jwt.NewParser().ParseUnverified(tok, &rc); err == nil && rc.ExpiresAt != nil {
		exp = rc.ExpiresAt.Time
	}
	if exp.IsZero() {
		// Unknown expiry: use it no longer than it takes to refresh.
		s.logger.WarnContext(ctx, "plex JWT source: initial token has no readable expiry; refreshing it")
		return
	}
	s.token, s.expires = tok, exp
}

// startLocked returns the refresh in flight, starting one if needed. The
// refresh runs on its own goroutine, detached from ctx's cancellation but
// bounded by RefreshTimeout, so that a caller giving up does not fail the
// others waiting for it.
func (s *JWTSource) startLocked(ctx context.Context) *jwtFlight {
	if s.flight != nil {
		return s.flight
	}
	f := &jwtFlight{done: make(chan struct{})}
	s.flight = f
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.opts.RefreshTimeout)
	go func() {
		defer cancel()
		s.refresh(rctx, f)
	}()
	return f
}

func (s *JWTSource) refresh(ctx context.Context, f *jwtFlight) {
	defer close(f.done)
	tok, claims, err := ExchangeJWT(ctx, s.sdk, s.key, s.clientID, JWTExchangeOptions{Now: s.opts.Now, Verifier: s.verifier})
	s.mu.Lock()
	s.flight = nil
	s.nextTry = s.opts.Now().Add(s.opts.RetryInterval)
	if err == nil {
		s.token, s.expires = tok, claims.ExpiresAt
	}
	f.token, f.err = tok, err
	s.mu.Unlock()
	if err != nil {
		s.logger.WarnContext(ctx, "plex JWT refresh failed", "kid", s.key.KeyID(), "err", err)
		return
	}
	s.logger.DebugContext(ctx, "plex JWT refreshed", "kid", s.key.KeyID(), "expiresAt", claims.ExpiresAt)
	// The callers waiting for this refresh are released only after the
	// store and OnRefresh have seen the new token; new callers get it at
	// once.
	if s.opts.Store != nil {
		if perr := s.persist(ctx, tok, claims); perr != nil {
			s.logger.WarnContext(ctx, "plex JWT source: cannot store the refreshed token", "profile", s.opts.Profile, "err", perr)
		}
	}
	if s.opts.OnRefresh != nil {
		s.opts.OnRefresh(claims)
	}
}

// persist saves the refreshed token, keeping the other stored fields.
func (s *JWTSource) persist(ctx context.Context, tok string, claims *PlexJWTClaims) error {
	c, err := s.opts.Store.Load(ctx, s.opts.Profile)
	if err != nil && !errors.Is(err, ErrNotLoggedIn) {
		return err // never overwrite credentials we could not read
	}
	if err != nil {
		c = NewJWTCredentials(tok, claims, s.key, s.clientID)
	} else {
		c.Token, c.Kind, c.ExpiresAt, c.ClientIdentifier = tok, TokenKindJWT, claims.ExpiresAt.UTC(), s.clientID
		s.key.Store(&c)
	}
	c.SavedAt = time.Time{}
	return s.opts.Store.Save(ctx, s.opts.Profile, c)
}

// String describes the source by its client identifier and device key
// id; the token and the private key are never shown.
func (s *JWTSource) String() string {
	if s == nil {
		return "auth.JWTSource(nil)"
	}
	return "auth.JWTSource{ClientIdentifier:" + s.clientID + " KeyID:" + s.key.KeyID() + "}"
}

// GoString is String: %#v shows no secret either.
func (s *JWTSource) GoString() string { return s.String() }

// Format implements [fmt.Formatter]: every verb prints String.
func (s *JWTSource) Format(f fmt.State, verb rune) { redact.Format(f, verb, s) }

// LogValue implements [slog.LogValuer]: the client identifier and key id
// only.
func (s *JWTSource) LogValue() slog.Value {
	if s == nil {
		return slog.StringValue("<nil>")
	}
	return slog.GroupValue(slog.String("clientIdentifier", s.clientID), slog.String("kid", s.key.KeyID()))
}

// String describes the options with the initial token redacted.
func (o JWTSourceOptions) String() string {
	return fmt.Sprintf("auth.JWTSourceOptions{Initial:%s RefreshMargin:%s Profile:%s RetryInterval:%s RefreshTimeout:%s Store:%t}",
		RedactToken(o.Initial), o.RefreshMargin, o.Profile, o.RetryInterval, o.RefreshTimeout, o.Store != nil)
}

// GoString is String: %#v shows no secret either.
func (o JWTSourceOptions) GoString() string { return o.String() }

// Format implements [fmt.Formatter]: every verb prints String.
func (o JWTSourceOptions) Format(f fmt.State, verb rune) { redact.Format(f, verb, o) }

// LogValue implements [slog.LogValuer] with the initial token redacted.
func (o JWTSourceOptions) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("initial", RedactToken(o.Initial)),
		slog.Duration("refreshMargin", o.RefreshMargin),
		slog.String("profile", o.Profile),
	)
}

var (
	_ fmt.Formatter  = (*JWTSource)(nil)
	_ slog.LogValuer = (*JWTSource)(nil)
	_ fmt.Formatter  = JWTSourceOptions{}
	_ slog.LogValuer = JWTSourceOptions{}
)

// callable is the entry check that Session and JWTSource methods share: a
// nil receiver (isNil; nilMsg names it), a configuration error (cfgErr,
// called only for a non-nil receiver) and a context that already ended are
// reported before any work.
func callable(ctx context.Context, isNil bool, nilMsg string, cfgErr func() error) error {
	if isNil {
		return errors.New("auth: " + nilMsg)
	}
	if err := cfgErr(); err != nil {
		return err
	}
	return ctx.Err()
}

// await waits for done (a refresh or login in flight) or for the end of
// ctx, whichever comes first; it returns ctx's error in the latter case.
func await(ctx context.Context, done <-chan struct{}) error {
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
