package auth

import (
	"fmt"
	"log/slog"

	"github.com/plexkit/plexgo/internal/redact"
)

// Redaction: every type of this package that holds a secret (Credentials,
// DeviceKey, LoginResult, PasswordOptions, JWTSourceOptions, JWTSource,
// MemoryStore) prints it redacted under every fmt verb (fmt.Formatter)
// and under log/slog (slog.LogValuer). JWTSource and MemoryStore hold a
// mutex and are used through pointers only; their methods have pointer
// receivers and read none of the guarded state, so formatting one never
// blocks.

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

// String describes the store without its credentials.
func (m *MemoryStore) String() string { return "auth.MemoryStore{}" }

// GoString is String: %#v shows no secret either.
func (m *MemoryStore) GoString() string { return m.String() }

// Format implements [fmt.Formatter]: every verb prints String.
func (m *MemoryStore) Format(f fmt.State, verb rune) { redact.Format(f, verb, m) }

// LogValue implements [slog.LogValuer]: nothing of the credentials.
func (m *MemoryStore) LogValue() slog.Value { return slog.StringValue(m.String()) }

// LogValue implements [slog.LogValuer]: the login only.
func (o PasswordOptions) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("login", o.Login),
		slog.String("password", RedactToken(o.Password)),
		slog.String("verificationCode", RedactToken(o.VerificationCode)),
	)
}

var (
	_ fmt.Formatter  = (*JWTSource)(nil)
	_ slog.LogValuer = (*JWTSource)(nil)
	_ fmt.Formatter  = JWTSourceOptions{}
	_ slog.LogValuer = JWTSourceOptions{}
	_ fmt.Formatter  = (*MemoryStore)(nil)
	_ slog.LogValuer = (*MemoryStore)(nil)
	_ slog.LogValuer = PasswordOptions{}
)

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
