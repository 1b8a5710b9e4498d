package operations

import (
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/plexkit/plexgo/internal/redact"
)

// Redaction: every type of this package that holds a secret prints it as
// REDACTED under every fmt verb (fmt.Formatter) and under log/slog
// (slog.LogValuer), as a value and through a pointer; so do the responses
// that carry one (an account, a PIN, a resource, a device, a token).
// encoding/json and encoding/xml are not affected: they are the wire form.

// Format implements [fmt.Formatter]: every verb prints REDACTED (or ""
// for an empty secret); %#v prints it quoted.
func (s Secret) Format(f fmt.State, verb rune) { redact.Format(f, verb, s) }

// LogValue implements [slog.LogValuer]: the secret is logged as REDACTED.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// String describes the options with the token redacted and the server
// URL's secrets (userinfo, token query parameters) redacted.
func (o Options) String() string {
	s := "Options{"
	if o.ServerURL != nil {
		s += "ServerURL:" + redact.URL(*o.ServerURL) + " "
	}
	if o.Retries != nil {
		s += fmt.Sprintf("Retries:%+v ", *o.Retries)
	}
	if o.Timeout != nil {
		s += "Timeout:" + o.Timeout.String() + " "
	}
	return s + "Token:" + o.Token.String() + "}"
}

// GoString is String: %#v shows no secret either.
func (o Options) GoString() string { return o.String() }

// Format implements [fmt.Formatter]: every verb prints the redacted String.
func (o Options) Format(f fmt.State, verb rune) { redact.Format(f, verb, o) }

// LogValue implements [slog.LogValuer] with the token and the server URL's
// secrets redacted.
func (o Options) LogValue() slog.Value {
	var attrs []slog.Attr
	if o.ServerURL != nil {
		attrs = append(attrs, slog.String("serverURL", redact.URL(*o.ServerURL)))
	}
	if o.Timeout != nil {
		attrs = append(attrs, slog.Duration("timeout", *o.Timeout))
	}
	return slog.GroupValue(append(attrs, slog.String("token", o.Token.String()))...)
}

// GoString is String: %#v shows no token either.
func (p Pin) GoString() string { return p.String() }

// Format implements [fmt.Formatter]: every verb prints String, which
// never shows the token.
func (p Pin) Format(f fmt.State, verb rune) { redact.Format(f, verb, p) }

// LogValue implements [slog.LogValuer]: the PIN without its token.
func (p Pin) LogValue() slog.Value {
	return slog.GroupValue(slog.Int64("id", p.ID), slog.String("code", p.Code), slog.String("clientIdentifier", p.ClientIdentifier),
		slog.String("expiresAt", p.ExpiresAt.Format(time.RFC3339)), slog.Bool("approved", p.Approved()))
}

// Format implements [fmt.Formatter]: every verb prints String, which
// never shows the token.
func (r Resource) Format(f fmt.State, verb rune) { redact.Format(f, verb, r) }

// LogValue implements [slog.LogValuer]: the resource without its token.
func (r Resource) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", r.Name), slog.String("clientIdentifier", r.ClientIdentifier), slog.String("provides", r.Provides),
		slog.Bool("owned", r.Owned), slog.Int("connections", len(r.Connections)), slog.String("accessToken", redact.Mark(r.AccessToken)))
}

// Format implements [fmt.Formatter]: every verb prints String, which
// never shows the token.
func (d Device) Format(f fmt.State, verb rune) { redact.Format(f, verb, d) }

// LogValue implements [slog.LogValuer]: the device without its token.
func (d Device) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", d.Name), slog.String("clientIdentifier", d.ClientIdentifier), slog.Int("connections", len(d.Connections)),
		slog.String("accessToken", redact.Mark(d.AccessToken)))
}

// String describes the container without the device's token.
func (m GetSourceConnectionInformationMediaContainer) String() string {
	dev := "<nil>"
	if m.Device != nil {
		dev = m.Device.String()
	}
	return "GetSourceConnectionInformationMediaContainer{Size:" + strconv.Itoa(m.Size) + " Device:" + dev + "}"
}

// GoString is String: %#v shows no token either.
func (m GetSourceConnectionInformationMediaContainer) GoString() string { return m.String() }

// Format implements [fmt.Formatter]: every verb prints the redacted String.
func (m GetSourceConnectionInformationMediaContainer) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, m)
}

// LogValue implements [slog.LogValuer]: the device without its token.
func (m GetSourceConnectionInformationMediaContainer) LogValue() slog.Value {
	attrs := []slog.Attr{slog.Int("size", m.Size)}
	if m.Device != nil {
		attrs = append(attrs, slog.Any("device", *m.Device))
	}
	return slog.GroupValue(attrs...)
}

// Format implements [fmt.Formatter]: every verb prints String, which
// never shows the token.
func (m GetTransientTokenMediaContainer) Format(f fmt.State, verb rune) { redact.Format(f, verb, m) }

// LogValue implements [slog.LogValuer]: the token is redacted.
func (m GetTransientTokenMediaContainer) LogValue() slog.Value {
	return slog.GroupValue(slog.Int("size", m.Size), slog.String("token", redact.Mark(m.Token)))
}

// Format implements [fmt.Formatter]: every verb prints String, which shows
// the login only.
func (b PostUsersSignInDataRequestBody) Format(f fmt.State, verb rune) { redact.Format(f, verb, b) }

// LogValue implements [slog.LogValuer]: the login only, with the password
// and the verification code redacted.
func (b PostUsersSignInDataRequestBody) LogValue() slog.Value {
	code := ""
	if b.VerificationCode != nil {
		code = *b.VerificationCode
	}
	return slog.GroupValue(slog.String("login", b.Login), slog.String("password", redact.Mark(b.Password)), slog.String("verificationCode", redact.Mark(code)))
}

// Format implements [fmt.Formatter]: every verb prints String, which
// never shows the token.
func (r ExchangeDeviceJWTResponse) Format(f fmt.State, verb rune) { redact.Format(f, verb, r) }

// LogValue implements [slog.LogValuer]: the token is redacted.
func (r ExchangeDeviceJWTResponse) LogValue() slog.Value {
	return slog.GroupValue(slog.Int("statusCode", r.StatusCode), slog.String("authToken", redact.Mark(r.AuthToken)))
}

// responseValue is the slog form of a response: its status, content type
// and, when present, its payload (which logs itself redacted).
func responseValue[T slog.LogValuer](m HTTPMeta, key string, payload *T) slog.Value {
	attrs := []slog.Attr{slog.Int("statusCode", m.StatusCode), slog.String("contentType", m.ContentType)}
	if payload != nil {
		attrs = append(attrs, slog.Any(key, *payload))
	}
	return slog.GroupValue(attrs...)
}

// LogValue implements [slog.LogValuer]: the transient token is redacted.
func (r GetTransientTokenResponse) LogValue() slog.Value {
	return responseValue(r.HTTPMeta, "mediaContainer", r.MediaContainer)
}

// LogValue implements [slog.LogValuer]: the device's token is redacted.
func (r GetSourceConnectionInformationResponse) LogValue() slog.Value {
	return responseValue(r.HTTPMeta, "mediaContainer", r.MediaContainer)
}

// LogValue implements [slog.LogValuer]: the account's token is redacted.
func (r GetTokenDetailsResponse) LogValue() slog.Value {
	return responseValue(r.HTTPMeta, "userPlexAccount", r.UserPlexAccount)
}

// LogValue implements [slog.LogValuer]: the account's token is redacted.
func (r PostUsersSignInDataResponse) LogValue() slog.Value {
	return responseValue(r.HTTPMeta, "userPlexAccount", r.UserPlexAccount)
}

// LogValue implements [slog.LogValuer]: the account's token is redacted.
func (r SwitchHomeUserResponse) LogValue() slog.Value {
	return responseValue(r.HTTPMeta, "userPlexAccount", r.UserPlexAccount)
}

// LogValue implements [slog.LogValuer]: the PIN's token is redacted.
func (r CreatePinResponse) LogValue() slog.Value { return responseValue(r.HTTPMeta, "pin", r.Pin) }

// LogValue implements [slog.LogValuer]: the PIN's token is redacted.
func (r GetPinResponse) LogValue() slog.Value { return responseValue(r.HTTPMeta, "pin", r.Pin) }

// LogValue implements [slog.LogValuer]: the resources' tokens are
// redacted.
func (r GetResourcesResponse) LogValue() slog.Value {
	return slog.GroupValue(slog.Int("statusCode", r.StatusCode), slog.String("contentType", r.ContentType),
		list("resources", r.Resources))
}

var _ = []redact.Redacted{Secret(""), Options{}, Pin{}, Resource{}, Device{}}
var _ = []fmt.Formatter{GetSourceConnectionInformationMediaContainer{}, GetTransientTokenMediaContainer{}, PostUsersSignInDataRequestBody{}, ExchangeDeviceJWTResponse{}}
var _ = []slog.LogValuer{GetTokenDetailsResponse{}, PostUsersSignInDataResponse{}}

// String identifies the device without its token.
func (d AccountDevice) String() string {
	return "AccountDevice{ID:" + strconv.FormatInt(d.ID, 10) + " Name:" + d.Name + " Product:" + d.Product +
		" ClientIdentifier:" + d.ClientIdentifier + " Provides:" + d.Provides + " Token:" + redact.Mark(d.Token) + "}"
}

// GoString is String: %#v shows no secret either.
func (d AccountDevice) GoString() string { return "operations." + d.String() }

// Format implements fmt.Formatter: no verb prints the token.
func (d AccountDevice) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, d)
}

// LogValue implements slog.LogValuer with the token redacted.
func (d AccountDevice) LogValue() slog.Value {
	return slog.GroupValue(slog.Int64("id", d.ID), slog.String("name", d.Name), slog.String("product", d.Product),
		slog.String("clientIdentifier", d.ClientIdentifier), logSecret("token", d.Token))
}

var _ = []redact.Redacted{AccountDevice{}}

// String never shows the token.
func (c ClaimToken) String() string { return "ClaimToken{Token:" + redact.Mark(c.Token) + "}" }

// GoString is String: %#v shows no secret either.
func (c ClaimToken) GoString() string { return "operations." + c.String() }

// Format implements fmt.Formatter: no verb prints the token.
func (c ClaimToken) Format(f fmt.State, verb rune) { redact.Format(f, verb, c) }

// LogValue implements slog.LogValuer with the token redacted.
func (c ClaimToken) LogValue() slog.Value { return slog.GroupValue(logSecret("token", c.Token)) }

var _ = []redact.Redacted{ClaimToken{}}

// String identifies the user without the token.
func (u SwitchedHomeUser) String() string {
	return "SwitchedHomeUser{ID:" + strconv.FormatInt(u.ID, 10) + " UUID:" + u.UUID + " Title:" + u.Title +
		" AuthenticationToken:" + redact.Mark(u.AuthenticationToken) + "}"
}

// GoString is String: %#v shows no secret either.
func (u SwitchedHomeUser) GoString() string { return "operations." + u.String() }

// Format implements fmt.Formatter: no verb prints the token.
func (u SwitchedHomeUser) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, u)
}

// LogValue implements slog.LogValuer with the token redacted.
func (u SwitchedHomeUser) LogValue() slog.Value {
	return slog.GroupValue(slog.Int64("id", u.ID), slog.String("uuid", u.UUID), slog.String("title", u.Title),
		logSecret("authenticationToken", u.AuthenticationToken))
}

var _ = []redact.Redacted{SwitchedHomeUser{}}

// String identifies the share without its token.
func (s SharedServer) String() string {
	return "SharedServer{ID:" + strconv.FormatInt(s.ID, 10) + " UserID:" + strconv.FormatInt(s.UserID, 10) +
		" Username:" + s.Username + " Name:" + s.Name + " AccessToken:" + redact.Mark(s.AccessToken) +
		" Sections:" + strconv.Itoa(len(s.Sections)) + "}"
}

// GoString is String: %#v shows no secret either.
func (s SharedServer) GoString() string { return "operations." + s.String() }

// Format implements fmt.Formatter: no verb prints the token.
func (s SharedServer) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, s)
}

// LogValue implements slog.LogValuer with the token redacted.
func (s SharedServer) LogValue() slog.Value {
	return slog.GroupValue(slog.Int64("id", s.ID), slog.Int64("userId", s.UserID), slog.String("username", s.Username),
		slog.String("name", s.Name), logSecret("accessToken", s.AccessToken), slog.Int("sections", len(s.Sections)))
}

var _ = []redact.Redacted{SharedServer{}}

// String describes the account without its token.
func (a MyPlexAccount) String() string {
	return "MyPlexAccount{Username:" + a.Username + " SignInState:" + string(a.SignInState) +
		" MappingState:" + string(a.MappingState) + " AuthToken:" + redact.Mark(a.AuthToken) + "}"
}

// GoString is String: %#v shows no secret either.
func (a MyPlexAccount) GoString() string { return "operations." + a.String() }

// Format implements fmt.Formatter: no verb prints the token.
func (a MyPlexAccount) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, a)
}

// LogValue implements slog.LogValuer with the token redacted.
func (a MyPlexAccount) LogValue() slog.Value {
	return slog.GroupValue(slog.String("username", a.Username), slog.String("signInState", string(a.SignInState)),
		slog.String("mappingState", string(a.MappingState)), logSecret("authToken", a.AuthToken))
}

var _ = []redact.Redacted{MyPlexAccount{}}
