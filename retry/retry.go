// Package retry configures how plexgo retries failed requests.
//
// Retries apply to idempotent requests only (reads, and writes that are
// safe to repeat) on connection errors, HTTP 429 and HTTP 5xx (except 501).
// Sign-in and the JWT token exchange are never retried unless
// [Config.RetryNonIdempotent] is set: repeating a password attempt is how
// clients get locked out by plex.tv (error 1031), and a JWT nonce is single
// use.
//
// Waits grow exponentially with full jitter, honour Retry-After (seconds or
// an HTTP date) up to [Config.MaxRetryAfter], and end as soon as the
// request's context is done.
package retry

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// RetryAfterLimit caps every Retry-After plexgo honours or reports (in
// sdkerrors.APIError.RetryAfter and in the sign-in cool-down): a server
// asking for more, up to year-9999 dates and MaxInt64 seconds, gets an
// hour.
const RetryAfterLimit = time.Hour

// LockoutCoolDown is how long a client refuses further sign-ins locally
// after plex.tv locked sign-in out (error 1031) without saying for how
// long: every attempt during a lock-out prolongs it.
const LockoutCoolDown = 30 * time.Second

// Config is a retry policy. The zero value means "no retries".
type Config struct {
	// MaxAttempts is the total number of requests, the first included.
	// 0 or 1 disables retries.
	MaxAttempts int
	// InitialInterval is the base wait before the first retry.
	InitialInterval time.Duration
	// MaxInterval caps a single computed wait.
	MaxInterval time.Duration
	// Multiplier grows the wait per attempt (2 when 0).
	Multiplier float64
	// MaxElapsedTime stops retrying once this much time has passed since the
	// first attempt (0: no limit besides MaxAttempts and the context).
	MaxElapsedTime time.Duration
	// MaxRetryAfter is the longest Retry-After the client will wait for.
	// A longer one ends the retries and the error carries the delay
	// (0 means 60 seconds).
	MaxRetryAfter time.Duration
	// RetryConnectionErrors retries requests that failed before a response
	// arrived (refused, reset, timed out).
	RetryConnectionErrors bool
	// RetryNonIdempotent also retries requests that are not safe to repeat,
	// such as password sign-in. Leave it false unless you know why.
	RetryNonIdempotent bool
}

// Default is the policy plexgo uses when none is given: 3 attempts,
// 250ms initial wait growing to at most 5s, at most 30s in all, Retry-After
// honoured up to 60s, connection errors retried.
func Default() Config {
	return Config{
		MaxAttempts:           3,
		InitialInterval:       250 * time.Millisecond,
		MaxInterval:           5 * time.Second,
		Multiplier:            2,
		MaxElapsedTime:        30 * time.Second,
		MaxRetryAfter:         60 * time.Second,
		RetryConnectionErrors: true,
	}
}

// None is a policy that never retries.
func None() Config { return Config{MaxAttempts: 1} }

// Attempts returns the number of attempts the policy allows (at least 1).
func (c Config) Attempts() int {
	if c.MaxAttempts < 1 {
		return 1
	}
	return c.MaxAttempts
}

// RetryAfterCap returns the longest Retry-After the policy will wait for.
func (c Config) RetryAfterCap() time.Duration {
	if c.MaxRetryAfter <= 0 {
		return 60 * time.Second
	}
	return c.MaxRetryAfter
}

// Backoff returns the wait before retry number attempt (1 for the first
// retry). jitter must return a value in [0,1); the result is uniformly
// spread over [0, min(MaxInterval, InitialInterval*Multiplier^(attempt-1))]
// ("full jitter"), so many clients retrying at once do not stampede.
func (c Config) Backoff(attempt int, jitter func() float64) time.Duration {
	base := c.InitialInterval
	if base <= 0 {
		base = 100 * time.Millisecond
	}
	mult := c.Multiplier
	if mult < 1 {
		mult = 2
	}
	max := c.MaxInterval
	if max <= 0 {
		max = 30 * time.Second
	}
	if attempt < 1 {
		attempt = 1
	}
	d := float64(base) * math.Pow(mult, float64(attempt-1))
	if d > float64(max) || math.IsInf(d, 0) || math.IsNaN(d) {
		d = float64(max)
	}
	if jitter != nil {
		d *= jitter()
	}
	return time.Duration(d)
}

// Attempt describes a request attempt that failed, for Next.
type Attempt struct {
	// Number counts the attempts, 1 for the first request.
	Number int
	// Retryable says the request may be sent again (it is idempotent, or
	// safe to repeat). Config.RetryNonIdempotent retries the others too.
	Retryable bool
	// Status is the HTTP status of the answer, 0 when none arrived (or its
	// body could not be read).
	Status int
	// Err is the transport error when Status is 0.
	Err error
	// RetryAfter is the server's Retry-After (0 when none).
	RetryAfter time.Duration
	// Elapsed is the time since the first attempt started.
	Elapsed time.Duration
	// Jitter returns values in [0,1) that spread the backoff (nil: none).
	Jitter func() float64
}

// Next is the retry decision: whether the request of a failed attempt is
// sent again, and after how long. It retries a request that may be
// retried (a.Retryable or RetryNonIdempotent), while attempts remain,
// when the answer has a retryable status (RetryableStatus) and a
// Retry-After within RetryAfterCap, or when no answer arrived, if
// RetryConnectionErrors is set and the error may heal (not a bad
// certificate, scheme or header). The wait is the backoff, or the
// Retry-After when longer; no retry is made whose wait would end after
// MaxElapsedTime.
func (c Config) Next(a Attempt) (wait time.Duration, ok bool) {
	if (!a.Retryable && !c.RetryNonIdempotent) || a.Number >= c.Attempts() {
		return 0, false
	}
	switch {
	case a.Status == 0:
		if !c.RetryConnectionErrors || !healable(a.Err) {
			return 0, false
		}
	case !RetryableStatus(a.Status) || a.RetryAfter > c.RetryAfterCap():
		return 0, false
	}
	wait = max(c.Backoff(a.Number, a.Jitter), a.RetryAfter)
	if c.MaxElapsedTime > 0 && a.Elapsed+wait > c.MaxElapsedTime {
		return 0, false
	}
	return wait, true
}

// healable reports whether a transport error may go away on retry: not
// one about the certificate, the URL scheme, a header or the redirects.
func healable(err error) bool {
	var ue *url.Error
	if errors.As(err, &ue) {
		msg := ue.Err.Error()
		if strings.Contains(msg, "stopped after") || strings.Contains(msg, "unsupported protocol scheme") ||
			strings.Contains(msg, "invalid header") || strings.Contains(msg, "certificate") {
			return false
		}
	}
	return true
}

// RetryableStatus reports whether an HTTP status is worth retrying: 429
// and every 5xx except 501 Not Implemented.
func RetryableStatus(code int) bool {
	return code == http.StatusTooManyRequests || (code >= 500 && code <= 599 && code != http.StatusNotImplemented)
}

// ParseRetryAfter parses a Retry-After header value: delay-seconds or an
// HTTP date. It reports false for an empty, negative or malformed value.
// A date in the past gives 0. It does not cap the delay; plexgo's
// transport caps what it uses at RetryAfterLimit.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		if n > int64(math.MaxInt64/int64(time.Second)) {
			return time.Duration(math.MaxInt64), true
		}
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if d := t.Sub(now); d > 0 {
		return d, true
	}
	return 0, true
}
