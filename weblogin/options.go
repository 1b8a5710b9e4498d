package weblogin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/plexkit/plexgo/internal/ctxsleep"
	"github.com/plexkit/plexgo/internal/urlcheck"
)

// Defaults of the options.
const (
	// DefaultPrefix is where the handler's routes live: {prefix}/login,
	// /callback, /status and /logout.
	DefaultPrefix = "/auth/plex"
	// DefaultSessionTTL is how long a session lasts after sign-in.
	DefaultSessionTTL = 7 * 24 * time.Hour
	// DefaultRevalidateEvery is how often a session's account and
	// membership are checked again with plex.tv.
	DefaultRevalidateEvery = time.Hour
	// DefaultStateTTL is how long a started sign-in may take.
	DefaultStateTTL = 10 * time.Minute
	// DefaultOwnerCacheTTL is how long the owner-side membership data
	// (the owner's account and /api/users) is reused.
	DefaultOwnerCacheTTL = 5 * time.Minute
	// MinCheckInterval is the shortest time between two plex.tv checks of
	// one pending sign-in.
	MinCheckInterval = time.Second
)

// Option configures a [Handler].
type Option func(*config) error

type config struct {
	keys            [][]byte
	prefix          string
	product         string
	authAppURL      string
	publicURL       *url.URL
	policy          Policy
	ownerToken      string
	sessionTTL      time.Duration
	revalidateEvery time.Duration
	stateTTL        time.Duration
	ownerCacheTTL   time.Duration
	secure          *bool
	keepToken       bool
	onSignIn        func(ctx context.Context, u User, token string) error
	onDeny          func(ctx context.Context, u User, d *Denial)
	tokenLookup     func(ctx context.Context, u User) (string, error)
	logger          *slog.Logger
	now             func() time.Time
	sleep           func(ctx context.Context, d time.Duration) error
	sessionCookie   string
	stateCookie     string
	callbackChecks  int
}

func defaultConfig() config {
	return config{
		prefix:          DefaultPrefix,
		product:         "plexgo",
		sessionTTL:      DefaultSessionTTL,
		revalidateEvery: DefaultRevalidateEvery,
		stateTTL:        DefaultStateTTL,
		ownerCacheTTL:   DefaultOwnerCacheTTL,
		logger:          slog.New(slog.DiscardHandler),
		now:             time.Now,
		sleep:           ctxsleep.Sleep,
		sessionCookie:   "plex_session",
		stateCookie:     "plex_signin",
		callbackChecks:  3,
	}
}

// WithKeys sets the session keys, each KeySize (32) random bytes. The
// first key seals new cookies; every key opens them, so a key is rotated
// by putting the new key first and keeping the old one until the
// sessions it sealed have expired. Required. Every replica behind a load
// balancer must have the same keys.
func WithKeys(keys ...[]byte) Option {
	return func(c *config) error {
		c.keys = nil
		for _, k := range keys {
			c.keys = append(c.keys, append([]byte(nil), k...))
		}
		return nil
	}
}

// WithPrefix sets the path under which the handler serves login,
// callback, status and logout (default DefaultPrefix). Mount the handler
// there, e.g. mux.Handle("/auth/plex/", h).
func WithPrefix(prefix string) Option {
	return func(c *config) error {
		p := "/" + strings.Trim(prefix, "/")
		if p == "/" || strings.ContainsAny(p, "?#\\") || hasControl(p) {
			return fmt.Errorf("weblogin: WithPrefix: %q is not a usable path prefix", prefix)
		}
		c.prefix = p
		return nil
	}
}

// WithProduct names the application on the Plex approval page (default
// "plexgo"). Use the value of plexgo.WithProduct.
func WithProduct(product string) Option {
	return func(c *config) error {
		if product == "" {
			return errors.New("weblogin: WithProduct: empty product")
		}
		c.product = product
		return nil
	}
}

// WithAuthAppURL sets the Plex auth app page (default
// https://app.plex.tv/auth); tests point it at plextest's stand-in.
func WithAuthAppURL(u string) Option {
	return func(c *config) error {
		if _, err := parseHTTPURL(u); err != nil {
			return fmt.Errorf("weblogin: WithAuthAppURL: %w", err)
		}
		c.authAppURL = u
		return nil
	}
}

// WithPublicURL sets the app's external base URL (e.g.
// "https://app.example.com"), used to build the absolute callback URL the
// auth app forwards to, and the origin logout accepts. Without it both
// come from the request (scheme from TLS, host from the Host header);
// set it behind a reverse proxy.
func WithPublicURL(u string) Option {
	return func(c *config) error {
		p, err := parseHTTPURL(u)
		if err != nil {
			return fmt.Errorf("weblogin: WithPublicURL: %w", err)
		}
		p.Path, p.RawQuery, p.Fragment = strings.TrimRight(p.Path, "/"), "", ""
		c.publicURL = p
		return nil
	}
}

// WithPolicy decides who may sign in (default AnyAccount()).
func WithPolicy(p Policy) Option {
	return func(c *config) error {
		c.policy = p
		return nil
	}
}

// WithOwnerToken gives the handler the token of the account that owns
// the policy's servers, for the owner-side membership check (/api/users),
// which is cached for WithOwnerCacheTTL. Without it only the user-side
// check (the user's own resources) decides. A secret: it is never logged.
func WithOwnerToken(token string) Option {
	return func(c *config) error {
		c.ownerToken = token
		return nil
	}
}

// WithOwnerCacheTTL sets how long owner-side data is reused (default
// DefaultOwnerCacheTTL).
func WithOwnerCacheTTL(d time.Duration) Option {
	return durationOpt("WithOwnerCacheTTL", d, func(c *config) *time.Duration { return &c.ownerCacheTTL })
}

// WithSessionTTL sets how long a session lasts (default
// DefaultSessionTTL).
func WithSessionTTL(d time.Duration) Option {
	return durationOpt("WithSessionTTL", d, func(c *config) *time.Duration { return &c.sessionTTL })
}

// WithRevalidateEvery sets how often a session is checked again with
// plex.tv (default DefaultRevalidateEvery). Page views in between make
// no plex.tv request.
func WithRevalidateEvery(d time.Duration) Option {
	return durationOpt("WithRevalidateEvery", d, func(c *config) *time.Duration { return &c.revalidateEvery })
}

// WithStateTTL sets how long a started sign-in may take (default
// DefaultStateTTL).
func WithStateTTL(d time.Duration) Option {
	return durationOpt("WithStateTTL", d, func(c *config) *time.Duration { return &c.stateTTL })
}

func durationOpt(name string, d time.Duration, field func(*config) *time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("weblogin: %s: %s is not positive", name, d)
		}
		*field(c) = d
		return nil
	}
}

// WithSecureCookies forces the Secure attribute on (true) or off (false).
// By default cookies are Secure when the request came over TLS or
// WithPublicURL is https.
func WithSecureCookies(secure bool) Option {
	return func(c *config) error {
		c.secure = &secure
		return nil
	}
}

// WithKeepToken keeps the user's Plex token sealed inside the session
// cookie (off by default: the token is then not kept at all). With it,
// sessions re-validate with the user's own token, and [Token] returns it.
func WithKeepToken() Option {
	return func(c *config) error {
		c.keepToken = true
		return nil
	}
}

// WithOnSignIn registers a hook called once per successful sign-in,
// before the session is set, with the account and its Plex token (the only
// place the app sees the token unless WithKeepToken). An error aborts the
// sign-in: no session is set and the user sees a generic error page.
func WithOnSignIn(fn func(ctx context.Context, u User, token string) error) Option {
	return func(c *config) error {
		c.onSignIn = fn
		return nil
	}
}

// WithOnDeny registers a hook called when the policy refuses an account,
// with the reason.
func WithOnDeny(fn func(ctx context.Context, u User, d *Denial)) Option {
	return func(c *config) error {
		c.onDeny = fn
		return nil
	}
}

// WithTokenLookup lets re-validation use a token the app stored (from
// WithOnSignIn). Return "" when the app has none.
func WithTokenLookup(fn func(ctx context.Context, u User) (string, error)) Option {
	return func(c *config) error {
		c.tokenLookup = fn
		return nil
	}
}

// WithLogger sets the logger (default: discard). Tokens and PIN codes
// are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("weblogin: WithLogger: nil logger")
		}
		c.logger = l
		return nil
	}
}

// WithClock sets the clock (default time.Now), for tests.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("weblogin: WithClock: nil clock")
		}
		c.now = now
		return nil
	}
}

// WithSleep sets how the callback waits between its bounded re-checks of a
// PIN (default: a timer that ends early with ctx), for tests.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *config) error {
		if sleep == nil {
			return errors.New("weblogin: WithSleep: nil func")
		}
		c.sleep = sleep
		return nil
	}
}

// WithCookieNames sets the names of the session and the sign-in state
// cookies (default "plex_session" and "plex_signin").
func WithCookieNames(session, state string) Option {
	return func(c *config) error {
		for _, n := range []string{session, state} {
			if n == "" || strings.ContainsAny(n, " \t;,=\"\\()<>@:/[]?{}") || hasControl(n) {
				return fmt.Errorf("weblogin: WithCookieNames: %q is not a valid cookie name", n)
			}
		}
		if session == state {
			return errors.New("weblogin: WithCookieNames: the two names must differ")
		}
		c.sessionCookie, c.stateCookie = session, state
		return nil
	}
}

// parseHTTPURL is plexgo's one absolute-http(s) URL check (no userinfo),
// with the scheme in lower case.
func parseHTTPURL(raw string) (*url.URL, error) {
	u, err := urlcheck.HTTP(raw)
	if err != nil {
		return nil, err
	}
	u.Scheme = strings.ToLower(u.Scheme)
	return u, nil
}

func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return true
		}
	}
	return false
}
