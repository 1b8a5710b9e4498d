package retry

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"testing"
	"time"
)

// TestNext is the retry decision as a table, in the way go-retryablehttp
// tests CheckRetry: attempt, retry class, status or error, Retry-After and
// elapsed time in; wait and whether to retry out.
func TestNext(t *testing.T) {
	t.Parallel()
	p := Config{
		MaxAttempts: 3, InitialInterval: 100 * time.Millisecond, MaxInterval: time.Second, Multiplier: 2,
		MaxElapsedTime: 10 * time.Second, MaxRetryAfter: 5 * time.Second, RetryConnectionErrors: true,
	}
	noConn := p
	noConn.RetryConnectionErrors = false
	eager := p
	eager.RetryNonIdempotent = true
	refused := &url.Error{Op: "Get", URL: "u", Err: errors.New("dial tcp: connection refused")}
	badCert := &url.Error{Op: "Get", URL: "u", Err: errors.New("tls: failed to verify certificate: x509")}
	one := func() float64 { return 1 }
	cases := []struct {
		name   string
		policy Config
		a      Attempt
		wait   time.Duration
		ok     bool
	}{
		{"503 first attempt", p, Attempt{Number: 1, Retryable: true, Status: 503}, 100 * time.Millisecond, true},
		{"503 second attempt backs off", p, Attempt{Number: 2, Retryable: true, Status: 503}, 200 * time.Millisecond, true},
		{"503 last attempt", p, Attempt{Number: 3, Retryable: true, Status: 503}, 0, false},
		{"429 with Retry-After", p, Attempt{Number: 1, Retryable: true, Status: 429, RetryAfter: 2 * time.Second}, 2 * time.Second, true},
		{"Retry-After shorter than backoff", p, Attempt{Number: 2, Retryable: true, Status: 429, RetryAfter: time.Millisecond}, 200 * time.Millisecond, true},
		{"Retry-After at the cap", p, Attempt{Number: 1, Retryable: true, Status: 503, RetryAfter: 5 * time.Second}, 5 * time.Second, true},
		{"Retry-After over the cap", p, Attempt{Number: 1, Retryable: true, Status: 503, RetryAfter: 6 * time.Second}, 0, false},
		{"501 is not retried", p, Attempt{Number: 1, Retryable: true, Status: 501}, 0, false},
		{"4xx is not retried", p, Attempt{Number: 1, Retryable: true, Status: 401}, 0, false},
		{"not retryable", p, Attempt{Number: 1, Status: 503}, 0, false},
		{"not retryable, RetryNonIdempotent", eager, Attempt{Number: 1, Status: 503}, 100 * time.Millisecond, true},
		{"connection refused", p, Attempt{Number: 1, Retryable: true, Err: refused}, 100 * time.Millisecond, true},
		{"connection error, not retried by policy", noConn, Attempt{Number: 1, Retryable: true, Err: refused}, 0, false},
		{"bad certificate never heals", p, Attempt{Number: 1, Retryable: true, Err: badCert}, 0, false},
		{"connection error, not retryable", p, Attempt{Number: 1, Err: refused}, 0, false},
		{"budget left", p, Attempt{Number: 1, Retryable: true, Status: 503, Elapsed: 9900 * time.Millisecond}, 100 * time.Millisecond, true},
		{"budget exhausted", p, Attempt{Number: 1, Retryable: true, Status: 503, Elapsed: 9901 * time.Millisecond}, 0, false},
		{"Retry-After past the budget", p, Attempt{Number: 1, Retryable: true, Status: 429, RetryAfter: 3 * time.Second, Elapsed: 8 * time.Second}, 0, false},
		{"no budget", Config{MaxAttempts: 2, InitialInterval: time.Second}, Attempt{Number: 1, Retryable: true, Status: 500, Elapsed: time.Hour}, time.Second, true},
		{"zero policy never retries", Config{}, Attempt{Number: 1, Retryable: true, Status: 503}, 0, false},
		{"None never retries", None(), Attempt{Number: 1, Retryable: true, Err: refused}, 0, false},
	}
	for _, tc := range cases {
		tc.a.Jitter = one
		wait, ok := tc.policy.Next(tc.a)
		if wait != tc.wait || ok != tc.ok {
			t.Errorf("%s: Next = %v, %v; want %v, %v", tc.name, wait, ok, tc.wait, tc.ok)
		}
	}
	// Jitter spreads the backoff but never the server's Retry-After.
	half := func() float64 { return 0.5 }
	if w, _ := p.Next(Attempt{Number: 2, Retryable: true, Status: 503, Jitter: half}); w != 100*time.Millisecond {
		t.Errorf("jittered wait %v, want 100ms", w)
	}
	if w, _ := p.Next(Attempt{Number: 1, Retryable: true, Status: 429, RetryAfter: time.Second, Jitter: half}); w != time.Second {
		t.Errorf("jittered Retry-After %v, want 1s", w)
	}
}

func TestHealable(t *testing.T) {
	t.Parallel()
	cases := []struct {
		err  error
		want bool
	}{
		{errors.New("connection refused"), true},
		{&url.Error{Op: "Get", URL: "u", Err: errors.New("dial tcp: connection refused")}, true},
		{&url.Error{Op: "Get", URL: "u", Err: errors.New("stopped after 10 redirects")}, false},
		{&url.Error{Op: "Get", URL: "u", Err: errors.New(`unsupported protocol scheme "ftp"`)}, false},
		{&url.Error{Op: "Get", URL: "u", Err: errors.New("tls: failed to verify certificate: x509")}, false},
		{fmt.Errorf("wrapped: %w", &url.Error{Op: "Get", URL: "u", Err: context.DeadlineExceeded}), true},
	}
	for _, tc := range cases {
		if got := healable(tc.err); got != tc.want {
			t.Errorf("healable(%v) = %v", tc.err, got)
		}
	}
}
