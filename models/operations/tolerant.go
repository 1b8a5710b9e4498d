package operations

import (
	"bytes"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/plexkit/plexgo/internal/redact"
)

// flexBool decodes the booleans of plex.tv's v1 and PMS JSON, which come
// as true/false, 0/1 or "0"/"1" (and null for false).
type flexBool bool

// UnmarshalJSON accepts true, false, null, numbers (non-zero is true) and
// the strings "true", "false", "1", "0" and "".
func (b *flexBool) UnmarshalJSON(data []byte) error {
	s := string(bytes.TrimSpace(data))
	if unq, err := strconv.Unquote(s); err == nil {
		s = strings.TrimSpace(unq)
	}
	switch strings.ToLower(s) {
	case "true":
		*b = true
		return nil
	case "false", "null", "":
		*b = false
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("operations: %.20q is not a boolean", s)
	}
	*b = f != 0
	return nil
}

// flexInt decodes integers that plex.tv sends as numbers or as strings of
// digits (and null or "" for zero).
type flexInt int64

// UnmarshalJSON accepts a number, a numeric string, null or "".
func (n *flexInt) UnmarshalJSON(data []byte) error {
	s := string(bytes.TrimSpace(data))
	if unq, err := strconv.Unquote(s); err == nil {
		s = strings.TrimSpace(unq)
	}
	if s == "" || s == "null" {
		*n = 0
		return nil
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		*n = flexInt(v)
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != float64(int64(f)) {
		return fmt.Errorf("operations: %.20q is not an integer", s)
	}
	*n = flexInt(int64(f))
	return nil
}

// logSecret is the slog attribute of a secret: its redacted form.
func logSecret(key, secret string) slog.Attr { return slog.String(key, redact.Mark(secret)) }
