// Package sdkerrors holds the errors returned by plexgo operations.
//
// Every HTTP failure is an [*APIError] (or one of the per-operation types
// that embed it, such as [GetTokenDetailsUnauthorized]). It carries the
// operation, the HTTP status, the plex.tv error codes from the body (JSON
// or XML) and the Retry-After delay, and it matches the sentinels below
// with [errors.Is]:
//
//	res, err := s.Authentication.PostUsersSignInData(ctx, nil, body)
//	switch {
//	case errors.Is(err, sdkerrors.ErrVerificationCodeRequired):
//		// ask for the 2FA code and try again
//	case errors.Is(err, sdkerrors.ErrSignInLocked), errors.Is(err, sdkerrors.ErrRateLimited):
//		var apiErr *sdkerrors.APIError
//		if errors.As(err, &apiErr) {
//			fmt.Println("try again in", apiErr.RetryAfter)
//		}
//	}
//
// Error strings never contain a token, password, verification code or
// request URL query.
package sdkerrors

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// plex.tv error codes seen on the wire.
const (
	CodeClientIdentifierMissing = 1000 // X-Plex-Client-Identifier is missing (400)
	CodeNotAuthenticated        = 1001 // bad credentials or invalid token (401)
	CodePINNotFound             = 1020 // PIN code not found or expired (404)
	CodeInvalidVerificationCode = 1028 // wrong 2FA code (401)
	CodeVerificationRequired    = 1029 // 2FA code required (401)
	CodeSignInLocked            = 1031 // repeated failures from this client (401)
	CodeInvalidPIN              = 1041 // wrong Plex Home PIN (403)
)

// Sentinels matched by [APIError.Is]. Compare with errors.Is, never ==.
var (
	// ErrUnauthorized matches any HTTP 401: an invalid, revoked or missing
	// token, or a failed sign-in. A PMS answers 401 with an HTML page; it
	// matches too.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden matches HTTP 403 (a token without enough access, a wrong
	// Plex Home PIN).
	ErrForbidden = errors.New("forbidden")
	// ErrNotFound matches HTTP 404.
	ErrNotFound = errors.New("not found")
	// ErrClientIdentifierMissing matches plex.tv code 1000.
	ErrClientIdentifierMissing = errors.New("X-Plex-Client-Identifier missing")
	// ErrBadCredentials matches plex.tv code 1001 on a 401.
	ErrBadCredentials = errors.New("user could not be authenticated")
	// ErrPINNotFound matches plex.tv code 1020: the PIN is unknown or expired.
	ErrPINNotFound = errors.New("PIN not found or expired")
	// ErrInvalidVerificationCode matches plex.tv code 1028: a wrong 2FA code.
	ErrInvalidVerificationCode = errors.New("invalid verification code")
	// ErrVerificationCodeRequired matches plex.tv code 1029: the account has
	// two-factor authentication and the request had no code.
	ErrVerificationCodeRequired = errors.New("verification code required")
	// ErrSignInLocked matches plex.tv code 1031: too many failed sign-ins
	// from this client; wait before trying again.
	ErrSignInLocked = errors.New("sign-in locked after repeated failures")
	// ErrInvalidPIN matches plex.tv code 1041: a wrong Plex Home user PIN.
	ErrInvalidPIN = errors.New("invalid Plex Home PIN")
	// ErrRateLimited matches HTTP 429. APIError.RetryAfter holds the delay
	// the server asked for, when it gave one.
	ErrRateLimited = errors.New("rate limited")
	// ErrTokenExpired matches HTTP 498: an expired Plex JWT.
	ErrTokenExpired = errors.New("token expired")
	// ErrUnprocessable matches HTTP 422: plex.tv rejected a JWT signature,
	// a nonce or a device key (for example "Thumbprint Already Taken").
	ErrUnprocessable = errors.New("unprocessable")
	// ErrServer matches any HTTP 5xx.
	ErrServer = errors.New("server error")

	// ErrResponseTooLarge is returned (wrapped) when a response body is
	// larger than the configured limit.
	ErrResponseTooLarge = errors.New("response body too large")
	// ErrUnexpectedContent is returned (wrapped) when a successful response
	// cannot be decoded: HTML where JSON or XML was expected, a truncated or
	// malformed body.
	ErrUnexpectedContent = errors.New("unexpected response content")
)

// PlexError is one entry of a plex.tv error body:
// {"errors":[{"code":1001,"message":"…","status":401}]} or
// <errors><error code="1001" message="…" status="401"/></errors>.
type PlexError struct {
	Code    int    `json:"code" xml:"code,attr"`
	Message string `json:"message" xml:"message,attr"`
	Status  int    `json:"status,omitempty" xml:"status,attr,omitempty"`
}

// APIError is an HTTP error answer from plex.tv or a Plex Media Server.
type APIError struct {
	// Op is the operation id, e.g. "getTokenDetails".
	Op string
	// StatusCode is the HTTP status.
	StatusCode int
	// ContentType is the response Content-Type.
	ContentType string
	// Message is a short human description: the first plex.tv error
	// message, the HTML title, or the HTTP status text.
	Message string
	// Errors are the plex.tv error entries, when the body had any.
	Errors []PlexError
	// RetryAfter is the delay from a Retry-After header (0 if none).
	RetryAfter time.Duration
	// Attempts is how many requests were sent, retries included.
	Attempts int
	// Body is the start of the response body (at most 4 KiB). It is not
	// part of Error().
	Body string
	// RawResponse is the HTTP response. Its Body has been read and closed;
	// it is replaced by a reader over what was read.
	RawResponse *http.Response
}

// Error describes the failure without secrets: operation, status, plex.tv
// codes and message.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("plexgo: ")
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	b.WriteString(strconv.Itoa(e.StatusCode))
	if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteByte(' ')
		b.WriteString(t)
	}
	if c := e.Code(); c != 0 {
		b.WriteString(" (plex.tv code ")
		b.WriteString(strconv.Itoa(c))
		b.WriteByte(')')
	}
	if e.Message != "" && e.Message != http.StatusText(e.StatusCode) {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

// Code returns the first plex.tv error code, or 0 when the body had none.
func (e *APIError) Code() int {
	if len(e.Errors) == 0 {
		return 0
	}
	return e.Errors[0].Code
}

// HasCode reports whether any plex.tv error entry has the code.
func (e *APIError) HasCode(code int) bool {
	for _, pe := range e.Errors {
		if pe.Code == code {
			return true
		}
	}
	return false
}

// Is matches the package sentinels by HTTP status (ErrServer: any 5xx)
// and by plex.tv code, as sentinels lists them.
func (e *APIError) Is(target error) bool {
	if target == ErrServer {
		return e.StatusCode >= 500 && e.StatusCode <= 599
	}
	for _, s := range sentinels {
		if target == s.err { // == and not a map: target may be of an unhashable type
			return (s.status != 0 && e.StatusCode == s.status) || (s.code != 0 && e.HasCode(s.code))
		}
	}
	return false
}

// sentinels are the HTTP status or the plex.tv code each sentinel but
// ErrServer matches. Read only.
var sentinels = []struct {
	err          error
	status, code int
}{
	{err: ErrUnauthorized, status: http.StatusUnauthorized}, {err: ErrForbidden, status: http.StatusForbidden},
	{err: ErrNotFound, status: http.StatusNotFound}, {err: ErrRateLimited, status: http.StatusTooManyRequests},
	{err: ErrTokenExpired, status: 498}, {err: ErrUnprocessable, status: http.StatusUnprocessableEntity},
	{err: ErrClientIdentifierMissing, code: CodeClientIdentifierMissing}, {err: ErrBadCredentials, code: CodeNotAuthenticated},
	{err: ErrPINNotFound, code: CodePINNotFound}, {err: ErrInvalidVerificationCode, code: CodeInvalidVerificationCode},
	{err: ErrVerificationCodeRequired, code: CodeVerificationRequired}, {err: ErrSignInLocked, code: CodeSignInLocked},
	{err: ErrInvalidPIN, code: CodeInvalidPIN},
}

// As lets errors.As find the *APIError inside every per-operation error
// type, so callers can write one errors.As(err, &apiErr) for all of them.
func (e *APIError) As(target any) bool {
	if p, ok := target.(**APIError); ok {
		*p = e
		return true
	}
	return false
}

// Temporary reports whether trying again later may succeed: 429, 5xx and
// the sign-in lock-out.
func (e *APIError) Temporary() bool {
	return e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500 || e.HasCode(CodeSignInLocked)
}
