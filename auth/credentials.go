package auth

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/plexkit/plexgo/internal/redact"
)

// Credentials: what a login leaves to store, and how it prints.

// TokenKind says which kind of plex.tv token a [Credentials] value holds.
type TokenKind string

const (
	// TokenKindLegacy is the classic, non-expiring 20-character
	// X-Plex-Token.
	TokenKindLegacy TokenKind = "legacy"
	// TokenKindJWT is a short-lived JWT obtained with JWT device
	// authentication; it expires at Credentials.ExpiresAt and is renewed
	// with the device key.
	TokenKindJWT TokenKind = "jwt"
)

// Credentials is what a login leaves behind for one profile.
//
// Token and DeviceKey are secrets. Formatting a Credentials value with fmt
// (any verb, including %v, %+v, %#v and %s), calling String or GoString, or
// logging it with log/slog redacts both (see [RedactToken]). Encoding it with
// encoding/json does NOT redact: that is how stores persist it, so never log
// its JSON form.
type Credentials struct {
	// Token is the plex.tv authentication token (X-Plex-Token). Secret.
	Token string `json:"token"`
	// Kind is the token kind: TokenKindLegacy or TokenKindJWT.
	Kind TokenKind `json:"kind"`
	// ExpiresAt is when the token expires; zero for legacy tokens.
	ExpiresAt time.Time `json:"expiresAt,omitzero"`
	// AccountID is the numeric plex.tv account id.
	AccountID int64 `json:"accountId,omitempty"`
	// AccountUUID is the plex.tv account UUID.
	AccountUUID string `json:"accountUuid,omitempty"`
	// Username is the plex.tv user name. It is empty for a managed Plex
	// Home user, which plex.tv names only by its Title.
	Username string `json:"username,omitempty"`
	// Title is the account's display name (a managed Home user's only
	// name).
	Title string `json:"title,omitempty"`
	// Email is the account e-mail address.
	Email string `json:"email,omitempty"`
	// ClientIdentifier is the client identifier the token was issued to.
	// Tokens are bound to it, so it should match the [Identity] in use.
	ClientIdentifier string `json:"clientIdentifier,omitempty"`
	// PlexTVURL is the base URL the token belongs to; empty means
	// https://plex.tv.
	PlexTVURL string `json:"plextvUrl,omitempty"`
	// DeviceKey is the Ed25519 private key (or its seed) used for JWT device
	// authentication. Secret.
	DeviceKey []byte `json:"deviceKey,omitempty"`
	// DeviceKeyID is the key id (kid) registered for DeviceKey.
	DeviceKeyID string `json:"deviceKeyId,omitempty"`
	// SavedAt is when the credentials were saved. Stores set it when it is
	// zero.
	SavedAt time.Time `json:"savedAt,omitzero"`
}

// Expired reports whether the token has an expiry time that is not after
// now. Tokens without an expiry (legacy tokens) never expire.
func (c Credentials) Expired(now time.Time) bool {
	return !c.ExpiresAt.IsZero() && !now.Before(c.ExpiresAt)
}

// Name is how to name the account to a person: its Username, or its
// Title for a managed Home user (which has no username); "" when the
// login recorded neither.
func (c Credentials) Name() string {
	if c.Username != "" {
		return c.Username
	}
	return c.Title
}

// clone returns a copy of c that shares no memory with it.
func (c Credentials) clone() Credentials {
	if c.DeviceKey != nil {
		c.DeviceKey = append([]byte(nil), c.DeviceKey...)
	}
	return c
}

// RedactToken returns a placeholder for a secret that reveals nothing about
// it except its length: "" for an empty secret, otherwise
// "[REDACTED len=N]" where N is the length in bytes. The length is kept
// because it tells a legacy token (20 bytes) from a JWT and exposes
// truncation, without helping anyone guess the value.
func RedactToken(tok string) string { return redact.Token(tok) }

func redactLen(n int) string { return redact.Len(n) }

// String returns a one-line description of c with the token and device key
// redacted. It is also what %v, %+v and %s print.
func (c Credentials) String() string {
	var b strings.Builder
	b.WriteString("auth.Credentials{")
	for i, f := range c.shown() {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString(f.name)
		b.WriteString(":")
		switch v := f.v.(type) {
		case time.Time:
			b.WriteString(v.Format(time.RFC3339))
		case int64:
			b.WriteString(strconv.FormatInt(v, 10))
		case string:
			b.WriteString(v)
		}
	}
	b.WriteString("}")
	return b.String()
}

// shownField is one field of Credentials as String and LogValue show it.
type shownField struct {
	name, key string // in String, in log/slog
	v         any    // a string (secrets already redacted), int64 or time.Time
}

// shown lists what String and LogValue show of c, in order, with the
// secrets redacted and the empty optional fields left out: one list, so
// that the two cannot disagree about what is a secret.
func (c Credentials) shown() []shownField {
	all := []shownField{
		{"Token", "token", RedactToken(c.Token)},
		{"Kind", "kind", string(c.Kind)},
		{"ExpiresAt", "expiresAt", c.ExpiresAt},
		{"AccountID", "accountId", c.AccountID},
		{"AccountUUID", "accountUuid", c.AccountUUID},
		{"Username", "username", c.Username},
		{"Title", "title", c.Title},
		{"Email", "email", c.Email},
		{"ClientIdentifier", "clientIdentifier", c.ClientIdentifier},
		{"PlexTVURL", "plextvUrl", c.PlexTVURL},
		{"DeviceKey", "deviceKey", redactLen(len(c.DeviceKey))},
		{"DeviceKeyID", "deviceKeyId", c.DeviceKeyID},
		{"SavedAt", "savedAt", c.SavedAt},
	}
	out := all[:2] // Token and Kind are always shown
	for _, f := range all[2:] {
		switch v := f.v.(type) {
		case time.Time:
			if v.IsZero() {
				continue
			}
		case int64:
			if v == 0 {
				continue
			}
		case string:
			if v == "" {
				continue
			}
		}
		out = append(out, f)
	}
	return out
}

// GoString returns a Go-syntax representation of c with the token and device
// key replaced by placeholders. It is what %#v prints.
func (c Credentials) GoString() string {
	dk := "nil"
	if c.DeviceKey != nil {
		dk = strconv.Quote(redactLen(len(c.DeviceKey)))
	}
	return fmt.Sprintf("auth.Credentials{Token:%q, Kind:%q, ExpiresAt:%#v, AccountID:%d, "+
		"AccountUUID:%q, Username:%q, Title:%q, Email:%q, ClientIdentifier:%q, PlexTVURL:%q, "+
		"DeviceKey:%s, DeviceKeyID:%q, SavedAt:%#v}",
		RedactToken(c.Token), string(c.Kind), c.ExpiresAt, c.AccountID,
		c.AccountUUID, c.Username, c.Title, c.Email, c.ClientIdentifier, c.PlexTVURL,
		dk, c.DeviceKeyID, c.SavedAt)
}

// Format implements [fmt.Formatter] so that no verb can print the secrets:
// %v, %+v and %s print [Credentials.String], %#v prints
// [Credentials.GoString], %q prints the quoted String, and any other verb
// prints a %!verb(...) marker around the redacted String.
func (c Credentials) Format(f fmt.State, verb rune) { redact.Format(f, verb, c) }

// LogValue implements [slog.LogValuer]: credentials are logged as a group
// with the token and device key redacted.
func (c Credentials) LogValue() slog.Value {
	shown := c.shown()
	attrs := make([]slog.Attr, len(shown))
	for i, f := range shown {
		attrs[i] = slog.Any(f.key, f.v)
	}
	return slog.GroupValue(attrs...)
}

var (
	_ fmt.Stringer   = Credentials{}
	_ fmt.GoStringer = Credentials{}
	_ fmt.Formatter  = Credentials{}
	_ slog.LogValuer = Credentials{}
)
