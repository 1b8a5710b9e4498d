package servers

import (
	"fmt"
	"log/slog"

	"github.com/plexkit/plexgo/internal/redact"
)

// Redaction: Server and ConnectResult hold a server's access token; both
// print without it under every fmt verb (fmt.Formatter) and under
// log/slog (slog.LogValuer).

// Format implements [fmt.Formatter]: every verb prints String, which
// never shows the token.
func (s Server) Format(f fmt.State, verb rune) { redact.Format(f, verb, s) }

// LogValue implements [slog.LogValuer]: the server without its token.
func (s Server) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", s.Name), slog.String("machineIdentifier", s.MachineIdentifier), slog.Bool("owned", s.Owned),
		slog.Int("connections", len(s.Connections)), slog.String("accessToken", redact.Mark(s.AccessToken)))
}

// Format implements [fmt.Formatter]: every verb prints String, which
// never shows a token.
func (r ConnectResult) Format(f fmt.State, verb rune) { redact.Format(f, verb, r) }

// LogValue implements [slog.LogValuer]: the server and the chosen URI
// without tokens.
func (r ConnectResult) LogValue() slog.Value {
	return slog.GroupValue(slog.Any("server", r.Server), slog.String("uri", redact.URL(r.URI)), slog.Duration("latency", r.Latency))
}

var _ = []redact.Redacted{Server{}, ConnectResult{}}
