package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/models/sdkerrors"
)

// Exit codes of plexauth. Scripts can rely on them.
const (
	// ExitOK: success.
	ExitOK = 0
	// ExitFailure: any failure without a more specific code (network,
	// server, storage).
	ExitFailure = 1
	// ExitUsage: bad command line (unknown command or flag, missing or
	// conflicting arguments).
	ExitUsage = 2
	// ExitAuth: not logged in, or the token was rejected (revoked,
	// expired, signed out). Run plexauth login.
	ExitAuth = 3
	// ExitBadCredentials: wrong login or password, or wrong Plex Home PIN.
	ExitBadCredentials = 4
	// ExitBadCode: the two-factor verification code is wrong, or was
	// required and not given.
	ExitBadCode = 5
	// ExitLocked: plex.tv locked sign-in after repeated failures (code
	// 1031). Wait before trying again.
	ExitLocked = 6
	// ExitRateLimited: plex.tv asked to slow down (HTTP 429).
	ExitRateLimited = 7
	// ExitInputClosed: standard input ended (end of file, Ctrl-D) before
	// an answer plexauth needed.
	ExitInputClosed = 8
	// ExitCancelled: interrupted (Ctrl-C, SIGINT or SIGTERM).
	ExitCancelled = 130
)

// ExitCodeTable documents the exit codes, one per line, for --help and
// the README.
const ExitCodeTable = `Exit codes:
  0    ok
  1    error (network, server, storage)
  2    usage (unknown command or flag, bad arguments)
  3    not logged in, or the token was rejected
  4    wrong login or password, or wrong Plex Home PIN
  5    wrong or missing two-factor code
  6    sign-in locked by plex.tv after repeated failures
  7    rate limited by plex.tv
  8    end of input (stdin closed before an answer)
  130  interrupted (Ctrl-C)`

// CodeName is the stable name of an exit code, the "code" of a JSON
// error document.
func CodeName(code int) string {
	switch code {
	case ExitOK:
		return "ok"
	case ExitUsage:
		return "usage"
	case ExitAuth:
		return "not_authenticated"
	case ExitBadCredentials:
		return "bad_credentials"
	case ExitBadCode:
		return "bad_verification_code"
	case ExitLocked:
		return "sign_in_locked"
	case ExitRateLimited:
		return "rate_limited"
	case ExitInputClosed:
		return "end_of_input"
	case ExitCancelled:
		return "interrupted"
	}
	return "error"
}

// ExitError is an error with its exit code and advice. Main prints it as
// one line: "plexauth: <What>[: <Err>][: <Hint>]".
type ExitError struct {
	// Code is the process exit code.
	Code int
	// What says what failed.
	What string
	// Err is the cause, if any. It must not contain secrets; plexgo
	// errors never do.
	Err error
	// Hint says what to do about it.
	Hint string
}

// Error returns What and the cause (the hint is added by Main).
func (e *ExitError) Error() string {
	if e.Err == nil {
		return e.What
	}
	if e.What == "" {
		return e.Err.Error()
	}
	return e.What + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *ExitError) Unwrap() error { return e.Err }

// FlagError is a command-line usage error (exit code ExitUsage).
type FlagError struct{ Err error }

// Error returns the usage problem.
func (e *FlagError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *FlagError) Unwrap() error { return e.Err }

// FlagErrorf returns a [FlagError] with a formatted message.
func FlagErrorf(format string, args ...any) error {
	return &FlagError{Err: fmt.Errorf(format, args...)}
}

// Classify maps an error to its exit code and the advice printed after
// it. It is the one place where plexgo's sentinels become exit codes.
func Classify(err error) (code int, hint string) {
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code, ee.Hint
	}
	var fe *FlagError
	if errors.As(err, &fe) {
		return ExitUsage, "run plexauth --help for usage"
	}
	for _, c := range errorClasses {
		switch {
		case !errors.Is(err, c.target):
		case c.code == ExitRateLimited:
			return c.code, RetryHint(err) // how long plex.tv asked to wait
		default:
			return c.code, c.hint
		}
	}
	if isNetError(err) {
		return ExitFailure, "cannot connect: check the network, or --plextv-url / PLEXAUTH_PLEXTV_URL"
	}
	if errors.Is(err, auth.ErrInsecurePermissions) || errors.Is(err, auth.ErrCorrupt) {
		return ExitFailure, "fix or remove the file named above"
	}
	return ExitFailure, ""
}

// errorClasses map plexgo's sentinels to exit codes and advice, the first
// that matches winning (Classify checks usage errors before them, network
// and file errors after; a rate limit's advice comes from [RetryHint]).
var errorClasses = []struct {
	target error
	code   int
	hint   string
}{
	{context.Canceled, ExitCancelled, ""},
	{ErrInputClosed, ExitInputClosed, ""},
	{auth.ErrNotLoggedIn, ExitAuth, "run plexauth login"},
	{sdkerrors.ErrSignInLocked, ExitLocked, "wait before trying again, or log in with a PIN (plexauth login)"},
	{sdkerrors.ErrRateLimited, ExitRateLimited, ""},
	{sdkerrors.ErrTokenExpired, ExitAuth, "the token expired: run plexauth login"},
	{sdkerrors.ErrUnauthorized, ExitAuth, "the token was rejected (revoked, expired or signed out): run plexauth login"},
	{context.DeadlineExceeded, ExitFailure, "the request timed out: check the network, then try again"},
	{sdkerrors.ErrServer, ExitFailure, "the server failed: try again later"},
	{sdkerrors.ErrUnexpectedContent, ExitFailure, "the answer was not from plex.tv or a Plex server: check --plextv-url and any proxy"},
	{sdkerrors.ErrResponseTooLarge, ExitFailure, "the answer was not from plex.tv or a Plex server: check --plextv-url and any proxy"},
}

// RetryHint says how long plex.tv asked to wait (from a 429).
func RetryHint(err error) string {
	var apiErr *sdkerrors.APIError
	if errors.As(err, &apiErr) && apiErr.RetryAfter > 0 {
		return "try again in " + apiErr.RetryAfter.Round(time.Second).String()
	}
	return "plex.tv is rate limiting this client: wait a minute and try again"
}

func isNetError(err error) bool {
	var ne net.Error
	var ue *url.Error
	var oe *net.OpError
	return errors.As(err, &oe) || errors.As(err, &ue) || errors.As(err, &ne)
}

// ErrorLine formats err as the single line plexauth prints for it
// (print it with Textln: it may quote the network): what failed, the
// cause in plain words, then the hint. The layers libraries wrapped
// around the cause are left out (see [ErrorChain] for them).
func ErrorLine(err error, hint string) string {
	return "plexauth: " + ErrorMessage(err, hint)
}

// ErrorMessage is [ErrorLine] without the "plexauth: " prefix (the
// message of a JSON error document).
func ErrorMessage(err error, hint string) string {
	msg := Summary(err)
	if hint != "" && !strings.Contains(msg, hint) {
		msg += ": " + hint
	}
	return strings.Join(strings.Fields(msg), " ")
}

// ErrorChain is the whole error text, every layer included (printed
// under --verbose).
func ErrorChain(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

// Summary is what failed and its cause in plain words: an ExitError's
// What and the plain cause of its Err; a usage error as it is; any other
// error's first part and its plain cause.
func Summary(err error) string {
	if errors.Is(err, context.Canceled) {
		return "interrupted"
	}
	var fe *FlagError
	if errors.As(err, &fe) {
		return fe.Error()
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		if ee.Err == nil {
			return ee.What
		}
		return joinCause(ee.What, PlainCause(ee.Err))
	}
	head, _, _ := strings.Cut(err.Error(), ": ")
	return joinCause(head, PlainCause(err))
}

func joinCause(what, cause string) string {
	switch {
	case what == "" || strings.HasPrefix(cause, what):
		return cause
	case cause == "" || strings.HasSuffix(what, cause):
		return what
	}
	return what + ": " + cause
}

// PlainCause says in plain words why err happened: the HTTP status of an
// API error, "connection refused by HOST" and the like for network
// errors, "timed out", else the error's own message.
func PlainCause(err error) string {
	var apiErr *sdkerrors.APIError
	var oe *net.OpError
	var ue *url.Error
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, context.Canceled):
		return "interrupted"
	case errors.As(err, &apiErr):
		msg := apiErr.Error()
		msg = strings.TrimPrefix(msg, "plexgo: ")
		if apiErr.Op != "" {
			msg = strings.TrimPrefix(msg, apiErr.Op+": ")
		}
		return "HTTP " + msg
	case errors.As(err, &dnsErr):
		return "cannot resolve " + dnsErr.Name
	case errors.As(err, &oe):
		host := ""
		if oe.Addr != nil {
			host = oe.Addr.String()
		}
		inner := oe.Err
		for errors.Unwrap(inner) != nil {
			inner = errors.Unwrap(inner)
		}
		if host == "" {
			return inner.Error()
		}
		return inner.Error() + " by " + host
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	case errors.As(err, &ue):
		host := ""
		if u, perr := url.Parse(ue.URL); perr == nil {
			host = u.Host
		}
		return "request to " + host + " failed: " + innermost(ue.Err)
	}
	return err.Error()
}

// innermost returns the message of the deepest error of a chain of
// single wraps.
func innermost(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}

// LoginHint is the advice for a missing or rejected login of profile.
func LoginHint(profile string) string {
	if profile == auth.DefaultProfile {
		return "run plexauth login"
	}
	return "run plexauth login --profile " + profile
}

// InputError maps a failure to read an answer: interrupted (exit 130
// when ctx was cancelled), end of input (exit 8 when stdin closed) or a
// plain failure.
func InputError(what string, err error) error {
	if errors.Is(err, context.Canceled) {
		return err
	}
	if errors.Is(err, ErrInputClosed) {
		return &ExitError{Code: ExitInputClosed, What: what, Err: err, Hint: "standard input ended before an answer"}
	}
	return &ExitError{Code: ExitFailure, What: what, Err: err}
}
