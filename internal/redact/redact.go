// Package redact is plexgo's one place for hiding secrets in output: it
// decides which names (query parameters, headers, form fields, JSON
// members, log attribute keys) hold secrets, rewrites URLs, headers, form
// values and JSON values with those secrets replaced, provides a
// [log/slog] ReplaceAttr that does the same for log attributes, and
// implements the [fmt.Formatter] body
// shared by every exported type that holds a secret.
//
// What counts as a secret name is documented on [IsSecretName]; every
// caller uses that one list.
package redact

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
)

// Placeholder replaces a secret value in URLs, headers, forms and logs.
const Placeholder = "REDACTED"

// secretSubstrings make a name secret wherever they occur in it (compared
// in lower case with '-', '_' and '.' removed).
var secretSubstrings = []string{
	"token", "jwt", "password", "passwd", "secret", "cookie", "authorization",
	"privatekey", "devicekey", "verificationcode", "pincode", "authcode",
}

// secretWords make a name secret when they are a whole word of it
// (words are split at case changes, digits and punctuation): "pin" as in
// "pin", "X-Plex-Pin", "homePin" (not "ping"), and "otp".
var secretWords = map[string]bool{"pin": true, "otp": true}

// IsSecretName reports whether a query parameter, header, form field or
// log attribute called name may hold a secret. It is true when name,
// compared in lower case without '-', '_' and '.', contains token, jwt,
// password, passwd, secret, cookie, authorization, privatekey, devicekey,
// verificationcode, pincode or authcode; when it is exactly "code" (so
// "statusCode" is not secret); or when one of its words is "pin" or "otp"
// (X-Plex-Pin, pin, homePin; not ping or footprint).
func IsSecretName(name string) bool {
	flat := strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '.' {
			return -1
		}
		return unicode.ToLower(r)
	}, name)
	if flat == "code" {
		return true
	}
	for _, s := range secretSubstrings {
		if strings.Contains(flat, s) {
			return true
		}
	}
	for _, w := range words(name) {
		if secretWords[w] {
			return true
		}
	}
	return false
}

// words splits name into lower-case words at case changes and at any rune
// that is not a letter.
func words(name string) []string {
	var out []string
	start := -1
	rs := []rune(name)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r):
			if start >= 0 {
				out = append(out, strings.ToLower(string(rs[start:i])))
			}
			start = -1
		case start < 0:
			start = i
		case unicode.IsUpper(r) && !unicode.IsUpper(rs[i-1]):
			out = append(out, strings.ToLower(string(rs[start:i])))
			start = i
		}
	}
	if start >= 0 {
		out = append(out, strings.ToLower(string(rs[start:])))
	}
	return out
}

// Len returns the placeholder for a secret of n bytes: "" when n is 0,
// otherwise "[REDACTED len=N]". The length tells a 20-byte legacy token
// from a JWT and shows truncation without helping anyone guess the value.
func Len(n int) string {
	if n <= 0 {
		return ""
	}
	return "[REDACTED len=" + strconv.Itoa(n) + "]"
}

// Token returns [Len] of the secret's length.
func Token(secret string) string { return Len(len(secret)) }

// Mark returns "" for an empty secret and [Placeholder] otherwise.
func Mark(secret string) string {
	if secret == "" {
		return ""
	}
	return Placeholder
}

// URL returns raw with any userinfo replaced by REDACTED and the value of
// every query parameter whose name [IsSecretName] replaced by REDACTED
// (the query is then re-encoded, sorted by key). A fragment of the form
// "path?query" (as in https://app.plex.tv/auth#?clientID=…&code=…) has its
// query redacted the same way. A URL that does not parse is returned as
// "(unparseable URL)".
func URL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	if u.User != nil {
		u.User = url.User(Placeholder)
	}
	if u.RawQuery != "" {
		u.RawQuery = Values(u.Query()).Encode()
	}
	if path, query, ok := strings.Cut(u.Fragment, "?"); ok {
		q, err := url.ParseQuery(query)
		if err != nil {
			u.Fragment = path + "?" + Placeholder
		} else {
			u.Fragment = path + "?" + Values(q).Encode()
		}
		u.RawFragment = ""
	}
	return u.String()
}

// Values returns a copy of v in which the values of secret names (see
// [IsSecretName]) are replaced by a single REDACTED.
func Values(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		if IsSecretName(k) {
			out[k] = []string{Placeholder}
			continue
		}
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// Header returns a copy of h in which the values of secret headers
// (X-Plex-Token, Authorization, Cookie, … see [IsSecretName]) are
// replaced by a single REDACTED.
func Header(h http.Header) http.Header {
	out := h.Clone()
	for k := range out {
		if IsSecretName(k) {
			out[k] = []string{Placeholder}
		}
	}
	return out
}

// ReplaceAttr is a [slog.HandlerOptions] ReplaceAttr: the value of an
// attribute whose key [IsSecretName] becomes REDACTED, and a string value
// that looks like a URL (contains "://") is passed through [URL].
func ReplaceAttr(_ []string, a slog.Attr) slog.Attr {
	if IsSecretName(a.Key) {
		return slog.String(a.Key, Placeholder)
	}
	if a.Value.Kind() == slog.KindString {
		if s := a.Value.String(); strings.Contains(s, "://") {
			return slog.String(a.Key, URL(s))
		}
	}
	return a
}

// Redacted is what every exported type holding a secret implements: a
// redacting fmt.Formatter (see [Format]) and slog.LogValuer. Packages
// assert it at compile time: var _ = []redact.Redacted{T{}, …}.
type Redacted interface {
	fmt.Formatter
	slog.LogValuer
}

// Format is the body of the Format method ([fmt.Formatter]) of a type
// that holds secrets; v is the value, whose String method must already be
// redacted (and its GoString, if it has one). %v, %+v and %s print
// String (with the verb's width and flags), %#v prints GoString (String
// when v has none), %q quotes String, and every other verb (%d, %x, %t,
// …) prints "%!verb(String)", so no verb reaches the raw fields.
func Format(f fmt.State, verb rune, v fmt.Stringer) {
	switch verb {
	case 'v':
		if f.Flag('#') {
			if g, ok := v.(fmt.GoStringer); ok {
				_, _ = io.WriteString(f, g.GoString())
				return
			}
			_, _ = io.WriteString(f, v.String())
			return
		}
		_, _ = fmt.Fprintf(f, fmt.FormatString(f, 's'), v.String())
	case 's', 'q':
		_, _ = fmt.Fprintf(f, fmt.FormatString(f, verb), v.String())
	default:
		_, _ = io.WriteString(f, "%!"+string(verb)+"("+v.String()+")")
	}
}
