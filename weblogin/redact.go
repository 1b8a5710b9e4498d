package weblogin

import (
	"fmt"
	"log/slog"

	"github.com/plexkit/plexgo/internal/redact"
)

// String describes the handler by its client identifier; its session
// keys, the owner's token and pending PINs are never shown.
func (h *Handler) String() string {
	if h == nil {
		return "weblogin.Handler(nil)"
	}
	return "weblogin.Handler{ClientIdentifier:" + h.clientID + "}"
}

// GoString is String: %#v shows no secret either.
func (h *Handler) GoString() string { return h.String() }

// Format implements [fmt.Formatter]: every verb prints String, so no verb
// reaches the session keys or the owner's token.
func (h *Handler) Format(f fmt.State, verb rune) { redact.Format(f, verb, h) }

// LogValue implements [slog.LogValuer]: the client identifier only.
func (h *Handler) LogValue() slog.Value {
	if h == nil {
		return slog.StringValue("<nil>")
	}
	return slog.GroupValue(slog.String("clientIdentifier", h.clientID))
}

var (
	_ fmt.Formatter  = (*Handler)(nil)
	_ slog.LogValuer = (*Handler)(nil)
)
