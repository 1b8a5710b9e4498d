package sdkerrors

import "errors"

// Redirect sentinels, matched by [RedirectError.Is].
var (
	// ErrRedirectRefused matches a redirect the client refused to follow
	// because it would have sent the token or the request body (a password,
	// a 2FA code) to another origin, or the token over plain http.
	ErrRedirectRefused = errors.New("redirect refused")
	// ErrTooManyRedirects matches a redirect chain that did not end after
	// MaxRedirects hops, a redirect loop included.
	ErrTooManyRedirects = errors.New("too many redirects")
)

// MaxRedirects is the number of redirects the client follows for one
// request before it gives up with ErrTooManyRedirects.
const MaxRedirects = 10

// RedirectError is returned (wrapped) when the client stops at a redirect.
// It names origins (scheme://host:port) only: never a path, a query or
// userinfo, which may hold secrets.
type RedirectError struct {
	// From is the origin of the request that was redirected.
	From string
	// To is the origin the redirect pointed to.
	To string
	// StatusCode is the redirect's HTTP status (301, 302, 303, 307, 308),
	// or 0 when unknown.
	StatusCode int
	// Reason says why the redirect was not followed.
	Reason string
	// TooMany is set when the chain was too long or a loop
	// (ErrTooManyRedirects); otherwise the redirect was refused
	// (ErrRedirectRefused).
	TooMany bool
}

// Error describes the refused redirect without secrets.
func (e *RedirectError) Error() string {
	kind := ErrRedirectRefused.Error()
	if e.TooMany {
		kind = ErrTooManyRedirects.Error()
	}
	s := kind + ": " + e.Reason
	if e.From != "" || e.To != "" {
		s += " (" + e.From + " -> " + e.To + ")"
	}
	return s
}

// Is matches ErrRedirectRefused or ErrTooManyRedirects.
func (e *RedirectError) Is(target error) bool {
	if e.TooMany {
		return target == ErrTooManyRedirects
	}
	return target == ErrRedirectRefused
}
