package plextest

import (
	"fmt"
	"log/slog"
	"strconv"

	"github.com/plexkit/plexgo/internal/redact"
)

// Redaction: the fake's exported types that hold credentials (Account,
// AccountSpec, ServerInfo, State and its parts, and *Server) print them
// as REDACTED under every fmt verb (fmt.Formatter) and under log/slog
// (slog.LogValuer), so a test failure or a log line never shows a seeded
// password or token. Read the fields (or the control API's JSON) to use
// them.

// String identifies the account without its credentials.
func (a Account) String() string {
	return "plextest.Account{ID:" + strconv.FormatInt(a.ID, 10) + " Username:" + a.Username + " Login:" + a.Login +
		" Password:" + redact.Mark(a.Password) + " AuthToken:" + redact.Mark(a.AuthToken) +
		" VerificationCode:" + redact.Mark(a.VerificationCode) + " PIN:" + redact.Mark(a.PIN) + "}"
}

// GoString is String.
func (a Account) GoString() string { return a.String() }

// Format implements [fmt.Formatter]: every verb prints String.
func (a Account) Format(f fmt.State, verb rune) { redact.Format(f, verb, a) }

// LogValue implements [slog.LogValuer]: the account without credentials.
func (a Account) LogValue() slog.Value {
	return slog.GroupValue(slog.Int64("id", a.ID), slog.String("username", a.Username), slog.String("login", a.Login),
		slog.String("authToken", redact.Mark(a.AuthToken)))
}

// String describes the spec without its password.
func (s AccountSpec) String() string {
	return "plextest.AccountSpec{Username:" + s.Username + " Email:" + s.Email + " Password:" + redact.Mark(s.Password) + "}"
}

// GoString is String.
func (s AccountSpec) GoString() string { return s.String() }

// Format implements [fmt.Formatter]: every verb prints String.
func (s AccountSpec) Format(f fmt.State, verb rune) { redact.Format(f, verb, s) }

// LogValue implements [slog.LogValuer]: the spec without its password.
func (s AccountSpec) LogValue() slog.Value {
	return slog.GroupValue(slog.String("username", s.Username), slog.String("email", s.Email),
		slog.String("password", redact.Mark(s.Password)))
}

// String identifies the server without its token.
func (i ServerInfo) String() string {
	return "plextest.ServerInfo{Name:" + i.Name + " MachineIdentifier:" + i.MachineIdentifier + " AccessToken:" + redact.Mark(i.AccessToken) + "}"
}

// GoString is String.
func (i ServerInfo) GoString() string { return i.String() }

// Format implements [fmt.Formatter]: every verb prints String.
func (i ServerInfo) Format(f fmt.State, verb rune) { redact.Format(f, verb, i) }

// LogValue implements [slog.LogValuer]: the server without its token.
func (i ServerInfo) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", i.Name), slog.String("machineIdentifier", i.MachineIdentifier),
		slog.String("accessToken", redact.Mark(i.AccessToken)))
}

// String describes the snapshot's URLs and sizes, without credentials.
func (s State) String() string {
	return "plextest.State{PlexTV:" + s.PlexTV + " PMS:" + s.PMS + " Accounts:" + strconv.Itoa(len(s.Accounts)) +
		" Servers:" + strconv.Itoa(len(s.Servers)) + "}"
}

// GoString is String.
func (s State) GoString() string { return s.String() }

// Format implements [fmt.Formatter]: every verb prints String.
func (s State) Format(f fmt.State, verb rune) { redact.Format(f, verb, s) }

// LogValue implements [slog.LogValuer]: URLs and sizes only.
func (s State) LogValue() slog.Value {
	return slog.GroupValue(slog.String("plextv", s.PlexTV), slog.String("pms", s.PMS),
		slog.Int("accounts", len(s.Accounts)), slog.Int("servers", len(s.Servers)))
}

// String describes the fake by its URLs; its accounts, tokens and PINs
// are never shown.
func (s *Server) String() string {
	if s == nil {
		return "plextest.Server(nil)"
	}
	return "plextest.Server{PlexTVURL:" + s.PlexTVURL + " PMSURL:" + s.PMSURL + "}"
}

// GoString is String.
func (s *Server) GoString() string { return s.String() }

// Format implements [fmt.Formatter]: every verb prints String.
func (s *Server) Format(f fmt.State, verb rune) { redact.Format(f, verb, s) }

// LogValue implements [slog.LogValuer]: the URLs only.
func (s *Server) LogValue() slog.Value {
	if s == nil {
		return slog.StringValue("<nil>")
	}
	return slog.GroupValue(slog.String("plextv", s.PlexTVURL), slog.String("pms", s.PMSURL))
}

var _ = []redact.Redacted{Account{}, (*Server)(nil)}
