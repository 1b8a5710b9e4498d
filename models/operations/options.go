// Package operations holds the request and response types of every plexgo
// operation, and the per-call options.
package operations

import (
	"errors"
	"fmt"
	"time"

	"github.com/plexkit/plexgo/internal/urlcheck"
	"github.com/plexkit/plexgo/retry"
)

// Option changes one call. Options are applied in order; an invalid one
// makes the call fail before anything is sent.
type Option func(*Options) error

// Options is the set of per-call settings. Build it with the With…
// functions; the zero value means "use the SDK's settings".
type Options struct {
	// ServerURL replaces the base URL of the operation's host (the Plex
	// Media Server for PMS operations, plex.tv for plex.tv operations).
	ServerURL *string
	// Retries replaces the SDK's retry policy for this call.
	Retries *retry.Config
	// Timeout bounds the whole call, retries included.
	Timeout *time.Duration
	// Token replaces the SDK's token for this call (for example a server's
	// own access token from the resources list). Never printed.
	Token Secret
}

// Secret is a string that never prints: every fmt verb shows REDACTED.
type Secret string

// String returns "REDACTED" for a non-empty secret.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "REDACTED"
}

// GoString returns "REDACTED" for a non-empty secret.
func (s Secret) GoString() string { return `"` + s.String() + `"` }

// Reveal returns the secret's value.
func (s Secret) Reveal() string { return string(s) }

// WithServerURL sends this call to serverURL instead of the configured
// base URL. It must be an absolute http or https URL without userinfo.
func WithServerURL(serverURL string) Option {
	return func(o *Options) error {
		if _, err := urlcheck.HTTP(serverURL); err != nil {
			return fmt.Errorf("operations: WithServerURL: %w", err)
		}
		o.ServerURL = &serverURL
		return nil
	}
}

// WithRetries sets the retry policy for this call.
func WithRetries(config retry.Config) Option {
	return func(o *Options) error {
		o.Retries = &config
		return nil
	}
}

// WithOperationTimeout bounds this call, retries included.
func WithOperationTimeout(timeout time.Duration) Option {
	return func(o *Options) error {
		if timeout <= 0 {
			return errors.New("operations: WithOperationTimeout needs a positive duration")
		}
		o.Timeout = &timeout
		return nil
	}
}

// WithToken sends token as X-Plex-Token for this call instead of the SDK's
// token. Use it for a server's access token or a transient token.
func WithToken(token string) Option {
	return func(o *Options) error {
		if token == "" {
			return errors.New("operations: WithToken needs a non-empty token")
		}
		o.Token = Secret(token)
		return nil
	}
}
