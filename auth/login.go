package auth

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/internal/redact"
	"github.com/plexkit/plexgo/models/components"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/models/sdkerrors"
)

// Login results: what every login flow returns, and the helpers the flows share.

// LoginResult is what a successful login returns: the plex.tv token and
// the account it belongs to.
//
// Token is a secret. Formatting a LoginResult with fmt (any verb), calling
// String or GoString, or logging it with log/slog never shows it, nor the
// copy in Account.AuthToken.
type LoginResult struct {
	// Token is the plex.tv authentication token (X-Plex-Token). Secret.
	Token string
	// Account is the signed-in account. It is never nil in a result
	// returned without error.
	Account *components.UserPlexAccount
	// JWT holds the verified claims of the Plex JWT of a
	// [LoginWithPINJWT] login (nil for other logins).
	JWT *PlexJWTClaims
	// ClientIdentifier is the client identifier the token was issued to
	// (the SDK's X-Plex-Client-Identifier).
	ClientIdentifier string
	// PlexTVURL is the plex.tv base URL the token belongs to (the SDK's).
	PlexTVURL string
	// DeviceKey is the JWT device key of a JWT login ([LoginWithPINJWT]);
	// nil for a legacy token. Secret.
	DeviceKey *DeviceKey
	// ExpiresAt is when a Plex JWT expires; zero for a legacy token.
	ExpiresAt time.Time
}

// Credentials returns the store credentials for this login: the token
// (kind legacy), the account's id, UUID, username and e-mail, the plex.tv
// URL, and the client identifier the token was issued to: clientID, or
// r.ClientIdentifier when clientID is empty. For a JWT login (DeviceKey
// set) the kind is [TokenKindJWT], with the expiry (of the verified
// claims when ExpiresAt is zero) and the device key.
// Save them with a [TokenStore].
func (r *LoginResult) Credentials(clientID string) Credentials {
	c := Credentials{Kind: TokenKindLegacy, ClientIdentifier: clientID}
	if r == nil {
		return c
	}
	if c.ClientIdentifier == "" {
		c.ClientIdentifier = r.ClientIdentifier
	}
	c.PlexTVURL = r.PlexTVURL
	c.Token = r.Token
	if r.DeviceKey.usable() {
		c.Kind = TokenKindJWT
		exp := r.ExpiresAt
		if exp.IsZero() && r.JWT != nil {
			exp = r.JWT.ExpiresAt
		}
		if !exp.IsZero() {
			c.ExpiresAt = exp.UTC()
		}
		if r.JWT != nil && r.JWT.Username != "" {
			c.Username = r.JWT.Username
		}
		if r.JWT != nil && r.JWT.UserID != 0 {
			c.AccountID = r.JWT.UserID
		}
		r.DeviceKey.Store(&c)
	}
	if a := r.Account; a != nil {
		c.AccountID = a.ID
		c.AccountUUID = a.UUID
		c.Username = a.Username
		c.Title = a.Title
		c.Email = a.Email
	}
	return c
}

// String describes the result with the token redacted. It is also what
// %v, %+v and %s print.
func (r LoginResult) String() string {
	var b strings.Builder
	b.WriteString("auth.LoginResult{Token:")
	b.WriteString(RedactToken(r.Token))
	if a := r.Account; a != nil {
		b.WriteString(" AccountID:")
		b.WriteString(strconv.FormatInt(a.ID, 10))
		if a.Username != "" {
			b.WriteString(" Username:")
			b.WriteString(a.Username)
		}
	}
	b.WriteString("}")
	return b.String()
}

// GoString is String: %#v shows no secret either.
func (r LoginResult) GoString() string { return r.String() }

// Format implements [fmt.Formatter] so that no verb prints the token.
func (r LoginResult) Format(f fmt.State, verb rune) { redact.Format(f, verb, r) }

// LogValue implements [slog.LogValuer] with the token redacted.
func (r LoginResult) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("token", RedactToken(r.Token))}
	if a := r.Account; a != nil {
		attrs = append(attrs, slog.Int64("accountId", a.ID), slog.String("username", a.Username))
	}
	return slog.GroupValue(attrs...)
}

var (
	_ fmt.Stringer   = LoginResult{}
	_ fmt.GoStringer = LoginResult{}
	_ fmt.Formatter  = LoginResult{}
	_ slog.LogValuer = LoginResult{}
)

// readAccount reads the account of a token a PIN yielded.
func readAccount(ctx context.Context, sdk *plexgo.PlexAPI, label string, id int64, token string) (*LoginResult, error) {
	details, err := sdk.Authentication.GetTokenDetails(ctx, operations.WithToken(token))
	if err != nil {
		return nil, fmt.Errorf("auth: %s: PIN %d approved, but reading the account failed: %w", label, id, err)
	}
	if details.UserPlexAccount == nil {
		return nil, fmt.Errorf("auth: %s: PIN %d approved, but reading the account failed: %w", label, id, sdkerrors.ErrUnexpectedContent)
	}
	return newLoginResult(sdk, token, details.UserPlexAccount), nil
}

// newLoginResult is a LoginResult that records the SDK's client
// identifier and plex.tv URL.
func newLoginResult(sdk *plexgo.PlexAPI, token string, acct *components.UserPlexAccount) *LoginResult {
	return &LoginResult{Token: token, Account: acct, ClientIdentifier: sdk.ClientIdentifier(), PlexTVURL: sdk.PlexTVURL()}
}

// sdkClientID resolves the client identifier a flow uses: given, which
// must then equal the SDK's when the SDK has one, or else the SDK's. what
// names the option in errors.
func sdkClientID(sdk *plexgo.PlexAPI, given, label, what string) (string, error) {
	if sdk == nil {
		return "", fmt.Errorf("auth: %s: nil SDK", label)
	}
	own := sdk.ClientIdentifier()
	switch {
	case given == "" && own == "":
		return "", fmt.Errorf("auth: %s: no client identifier: set plexgo.WithXPlexClientIdentifier on the SDK (or %s)", label, what)
	case given == "":
		return own, nil
	case own != "" && given != own:
		return "", fmt.Errorf("auth: %s: %s %q differs from the SDK's client identifier %q; tokens are bound to one identifier, so use the same value (or leave %s empty)",
			label, what, given, own, what)
	}
	return given, nil
}
