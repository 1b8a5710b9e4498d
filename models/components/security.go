// Package components holds the models shared by several plexgo operations:
// the security scheme, the plex.tv user account and its parts, and the
// small tolerant types used to decode fields whose wire type wobbles.
//
// Enumerations are open: a value this package does not know decodes as it
// is (each enum type has an IsKnown method), so a new feature name or
// profile value from plex.tv never fails a decode.
package components

import (
	"fmt"

	"github.com/plexkit/plexgo/internal/redact"
)

// Security holds the credentials sent with a request: the X-Plex-Token,
// which goes in the X-Plex-Token header (never the URL).
type Security struct {
	AccessToken *string
}

// GetAccessToken returns the token or "".
func (s *Security) GetAccessToken() string {
	if s == nil || s.AccessToken == nil {
		return ""
	}
	return *s.AccessToken
}

// String never shows the token.
func (s Security) String() string {
	if s.AccessToken == nil || *s.AccessToken == "" {
		return "Security{}"
	}
	return "Security{AccessToken:REDACTED}"
}

// GoString never shows the token.
func (s Security) GoString() string { return s.String() }

// Format makes every fmt verb print the redacted form (see
// internal/redact's Format).
func (s Security) Format(f fmt.State, verb rune) { redact.Format(f, verb, s) }
