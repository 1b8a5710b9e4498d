package components

import (
	"fmt"
	"log/slog"

	"github.com/plexkit/plexgo/internal/redact"
)

// Redaction: every type of this package that holds a secret (Security,
// UserPlexAccount, Service) prints it as REDACTED under every fmt verb
// (it implements fmt.Formatter) and under log/slog (slog.LogValuer), as a
// value and through a pointer. encoding/json and encoding/xml are not
// affected: they are the wire form.

// LogValue implements [slog.LogValuer]: the token is redacted.
func (s Security) LogValue() slog.Value {
	return slog.GroupValue(slog.String("accessToken", redact.Mark(s.GetAccessToken())))
}

// Format implements [fmt.Formatter]: every verb prints the redacted
// String (see [UserPlexAccount.String]).
func (u UserPlexAccount) Format(f fmt.State, verb rune) { redact.Format(f, verb, u) }

// LogValue implements [slog.LogValuer]: the account's identity, with its
// token and PIN redacted.
func (u UserPlexAccount) LogValue() slog.Value {
	return slog.GroupValue(slog.Int64("id", u.ID), slog.String("uuid", u.UUID), slog.String("username", u.Username),
		slog.String("email", u.Email), slog.Bool("home", u.Home), slog.Bool("restricted", u.Restricted),
		slog.String("authToken", redact.Mark(u.AuthToken)), slog.String("pin", redact.Mark(u.Pin)))
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// String identifies the service without its token and secret.
func (s Service) String() string {
	return "Service{Identifier:" + s.Identifier + " Endpoint:" + s.Endpoint + " Status:" + string(s.Status) +
		" Token:" + redact.Mark(deref(s.Token)) + " Secret:" + redact.Mark(deref(s.Secret)) + "}"
}

// GoString is String: %#v shows no secret either.
func (s Service) GoString() string { return s.String() }

// Format implements [fmt.Formatter]: every verb prints the redacted String.
func (s Service) Format(f fmt.State, verb rune) { redact.Format(f, verb, s) }

// LogValue implements [slog.LogValuer] with the token and secret redacted.
func (s Service) LogValue() slog.Value {
	return slog.GroupValue(slog.String("identifier", s.Identifier), slog.String("endpoint", s.Endpoint), slog.String("status", string(s.Status)),
		slog.String("token", redact.Mark(deref(s.Token))), slog.String("secret", redact.Mark(deref(s.Secret))))
}

var _ = []redact.Redacted{Security{}, UserPlexAccount{}, Service{}}
