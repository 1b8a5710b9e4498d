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
	// Username is the plex.tv user name.
	Username string `json:"username,omitempty"`
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
	b.WriteString("auth.Credentials{Token:")
	b.WriteString(RedactToken(c.Token))
	b.WriteString(" Kind:")
	b.WriteString(string(c.Kind))
	if !c.ExpiresAt.IsZero() {
		b.WriteString(" ExpiresAt:")
		b.WriteString(c.ExpiresAt.Format(time.RFC3339))
	}
	if c.AccountID != 0 {
		b.WriteString(" AccountID:")
		b.WriteString(strconv.FormatInt(c.AccountID, 10))
	}
	field := func(name, v string) {
		if v != "" {
			b.WriteString(" ")
			b.WriteString(name)
			b.WriteString(":")
			b.WriteString(v)
		}
	}
	field("AccountUUID", c.AccountUUID)
	field("Username", c.Username)
	field("Email", c.Email)
	field("ClientIdentifier", c.ClientIdentifier)
	field("PlexTVURL", c.PlexTVURL)
	field("DeviceKey", redactLen(len(c.DeviceKey)))
	field("DeviceKeyID", c.DeviceKeyID)
	if !c.SavedAt.IsZero() {
		b.WriteString(" SavedAt:")
		b.WriteString(c.SavedAt.Format(time.RFC3339))
	}
	b.WriteString("}")
	return b.String()
}

// GoString returns a Go-syntax representation of c with the token and device
// key replaced by placeholders. It is what %#v prints.
func (c Credentials) GoString() string {
	dk := "nil"
	if c.DeviceKey != nil {
		dk = strconv.Quote(redactLen(len(c.DeviceKey)))
	}
	return fmt.Sprintf("auth.Credentials{Token:%q, Kind:%q, ExpiresAt:%#v, AccountID:%d, "+
		"AccountUUID:%q, Username:%q, Email:%q, ClientIdentifier:%q, PlexTVURL:%q, "+
		"DeviceKey:%s, DeviceKeyID:%q, SavedAt:%#v}",
		RedactToken(c.Token), string(c.Kind), c.ExpiresAt, c.AccountID,
		c.AccountUUID, c.Username, c.Email, c.ClientIdentifier, c.PlexTVURL,
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
	attrs := []slog.Attr{
		slog.String("token", RedactToken(c.Token)),
		slog.String("kind", string(c.Kind)),
	}
	if !c.ExpiresAt.IsZero() {
		attrs = append(attrs, slog.Time("expiresAt", c.ExpiresAt))
	}
	if c.AccountID != 0 {
		attrs = append(attrs, slog.Int64("accountId", c.AccountID))
	}
	str := func(k, v string) {
		if v != "" {
			attrs = append(attrs, slog.String(k, v))
		}
	}
	str("accountUuid", c.AccountUUID)
	str("username", c.Username)
	str("email", c.Email)
	str("clientIdentifier", c.ClientIdentifier)
	str("plextvUrl", c.PlexTVURL)
	str("deviceKey", redactLen(len(c.DeviceKey)))
	str("deviceKeyId", c.DeviceKeyID)
	if !c.SavedAt.IsZero() {
		attrs = append(attrs, slog.Time("savedAt", c.SavedAt))
	}
	return slog.GroupValue(attrs...)
}

var (
	_ fmt.Stringer   = Credentials{}
	_ fmt.GoStringer = Credentials{}
	_ fmt.Formatter  = Credentials{}
	_ slog.LogValuer = Credentials{}
)
