package plextest

import (
	"log/slog"
	"sync"
	"time"
)

// Clock is the time source of the fake. Every expiry (PINs, nonces,
// transient tokens, JWTs, sign-in lock-outs, rate limits) is measured on it.
type Clock interface {
	Now() time.Time
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

// FakeClock is a manually driven Clock, safe for concurrent use.
type FakeClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewFakeClock returns a FakeClock that reads t until it is advanced or set.
func NewFakeClock(t time.Time) *FakeClock { return &FakeClock{now: t} }

// Now returns the clock's current time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d (backward if d is negative).
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Set sets the clock to t.
func (c *FakeClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// config holds the settings changed by Options.
type config struct {
	plexTVAddr     string
	pmsAddr        string
	clock          Clock
	logger         *slog.Logger
	pinNormal      time.Duration
	pinStrong      time.Duration
	lockoutMax     int
	lockoutCool    time.Duration
	rateN          int
	ratePer        time.Duration
	maxBody        int64
	maxHeaderBytes int
	reqLogSize     int
}

func defaultConfig() config {
	return config{
		plexTVAddr:     "127.0.0.1:0",
		pmsAddr:        "127.0.0.1:0",
		clock:          realClock{},
		logger:         slog.New(slog.DiscardHandler),
		pinNormal:      900 * time.Second,
		pinStrong:      1800 * time.Second,
		lockoutMax:     5,
		lockoutCool:    15 * time.Minute,
		rateN:          100,
		ratePer:        10 * time.Second,
		maxBody:        1 << 20,
		maxHeaderBytes: 64 << 10,
		reqLogSize:     DefaultRequestLogSize,
	}
}

// Option configures a Server created by New or NewServer.
type Option func(*config)

// WithPlexTVAddr sets the listen address of the plex.tv listener
// (default "127.0.0.1:0", a random loopback port).
func WithPlexTVAddr(addr string) Option { return func(c *config) { c.plexTVAddr = addr } }

// WithPMSAddr sets the listen address of the default server's main (local)
// PMS connection (default "127.0.0.1:0").
func WithPMSAddr(addr string) Option { return func(c *config) { c.pmsAddr = addr } }

// WithClock sets the time source (default: the system clock). Pass a
// *FakeClock to drive expiries from a test.
func WithClock(c Clock) Option {
	return func(cfg *config) {
		if c != nil {
			cfg.clock = c
		}
	}
}

// WithLogger sets the logger for the fake's own diagnostics (default: discard).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l != nil {
			c.logger = l
		}
	}
}

// WithPINLifetime sets how long PINs live: normal (4-character) PINs and
// strong PINs (defaults 900 s and 1800 s).
func WithPINLifetime(normal, strong time.Duration) Option {
	return func(c *config) { c.pinNormal, c.pinStrong = normal, strong }
}

// WithSignInLockout sets the sign-in lock-out: after maxFailures consecutive
// failed sign-ins, further sign-ins fail with code 1031 for cooldown
// (defaults 5 failures, 15 minutes).
//
// The lock-out is keyed by the client's IP address, as on the real service
// (its 1031 message says "This IP appears to be having trouble signing
// in"): changing X-Plex-Client-Identifier does not escape it. Every Server
// has its own table, so parallel tests with their own fakes do not
// interfere.
func WithSignInLockout(maxFailures int, cooldown time.Duration) Option {
	return func(c *config) { c.lockoutMax, c.lockoutCool = maxFailures, cooldown }
}

// WithSignInRateLimit sets the sign-in rate limit: at most n sign-in
// attempts per period per client IP address (default 100 per 10 s); more
// get 429 with a Retry-After header in seconds. The same limit, counted
// separately, applies to GET /api/v2/auth/nonce.
func WithSignInRateLimit(n int, per time.Duration) Option {
	return func(c *config) { c.rateN, c.ratePer = n, per }
}

// WithMaxBodyBytes bounds request bodies (default 1 MiB); larger bodies are
// answered with 413 and a plex.tv error body.
func WithMaxBodyBytes(n int64) Option { return func(c *config) { c.maxBody = n } }

// WithRequestLogSize sets how many requests the request log (Requests,
// CountRequests, GET /__plextest/requests) keeps: when it is full the
// oldest entry is dropped (default DefaultRequestLogSize, 10 000). Zero or
// less keeps none.
func WithRequestLogSize(n int) Option { return func(c *config) { c.reqLogSize = n } }
