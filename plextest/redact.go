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

// accountString is the String of Account and StateAccount (type name),
// with the credentials redacted.
func accountString(typ string, id int64, username, login, password, token, code, pin string) string {
	return typ + "{ID:" + strconv.FormatInt(id, 10) + " Username:" + username + " Login:" + login +
		" Password:" + redact.Mark(password) + " AuthToken:" + redact.Mark(token) +
		" VerificationCode:" + redact.Mark(code) + " PIN:" + redact.Mark(pin) + "}"
}

// accountValue is the LogValue of Account and StateAccount.
func accountValue(id int64, username, login, token string) slog.Value {
	return slog.GroupValue(slog.Int64("id", id), slog.String("username", username), slog.String("login", login),
		slog.String("authToken", redact.Mark(token)))
}

// serverString is the String of ServerInfo and StateServer (type name),
// with the token redacted.
func serverString(typ, name, machineIdentifier, token string) string {
	return typ + "{Name:" + name + " MachineIdentifier:" + machineIdentifier + " AccessToken:" + redact.Mark(token) + "}"
}

// serverValue is the LogValue of ServerInfo and StateServer.
func serverValue(name, machineIdentifier, token string) slog.Value {
	return slog.GroupValue(slog.String("name", name), slog.String("machineIdentifier", machineIdentifier),
		slog.String("accessToken", redact.Mark(token)))
}

// String identifies the account without its credentials.
func (a Account) String() string {
	return accountString("plextest.Account", a.ID, a.Username, a.Login, a.Password, a.AuthToken, a.VerificationCode, a.PIN)
}

// GoString is String.
func (a Account) GoString() string { return a.String() }

// Format implements [fmt.Formatter]: every verb prints String.
func (a Account) Format(f fmt.State, verb rune) { redact.Format(f, verb, a) }

// LogValue implements [slog.LogValuer]: the account without credentials.
func (a Account) LogValue() slog.Value { return accountValue(a.ID, a.Username, a.Login, a.AuthToken) }

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
	return serverString("plextest.ServerInfo", i.Name, i.MachineIdentifier, i.AccessToken)
}

// GoString is String.
func (i ServerInfo) GoString() string { return i.String() }

// Format implements [fmt.Formatter]: every verb prints String.
func (i ServerInfo) Format(f fmt.State, verb rune) { redact.Format(f, verb, i) }

// LogValue implements [slog.LogValuer]: the server without its token.
func (i ServerInfo) LogValue() slog.Value {
	return serverValue(i.Name, i.MachineIdentifier, i.AccessToken)
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

// String identifies the account without its credentials.
func (a StateAccount) String() string {
	return accountString("plextest.StateAccount", a.ID, a.Username, a.Login, a.Password, a.AuthToken, a.VerificationCode, a.PIN)
}

// GoString is String.
func (a StateAccount) GoString() string { return a.String() }

// Format implements [fmt.Formatter]: every verb prints String.
func (a StateAccount) Format(f fmt.State, verb rune) { redact.Format(f, verb, a) }

// LogValue implements [slog.LogValuer]: the account without credentials.
func (a StateAccount) LogValue() slog.Value {
	return accountValue(a.ID, a.Username, a.Login, a.AuthToken)
}

// String identifies the server without its token.
func (s StateServer) String() string {
	return serverString("plextest.StateServer", s.Name, s.MachineIdentifier, s.AccessToken)
}

// GoString is String.
func (s StateServer) GoString() string { return s.String() }

// Format implements [fmt.Formatter]: every verb prints String.
func (s StateServer) Format(f fmt.State, verb rune) { redact.Format(f, verb, s) }

// LogValue implements [slog.LogValuer]: the server without its token.
func (s StateServer) LogValue() slog.Value {
	return serverValue(s.Name, s.MachineIdentifier, s.AccessToken)
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
