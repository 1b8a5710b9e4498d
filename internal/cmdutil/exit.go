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
	// ExitCancelled: interrupted (Ctrl-C) or the input was closed.
	ExitCancelled = 130
)

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
	switch {
	case errors.As(err, &fe):
		return ExitUsage, "run plexauth --help for usage"
	case errors.Is(err, context.Canceled):
		return ExitCancelled, ""
	case errors.Is(err, auth.ErrNotLoggedIn):
		return ExitAuth, "run plexauth login"
	case errors.Is(err, sdkerrors.ErrSignInLocked):
		return ExitLocked, "wait before trying again, or log in with a PIN (plexauth login)"
	case errors.Is(err, sdkerrors.ErrRateLimited):
		return ExitRateLimited, RetryHint(err)
	case errors.Is(err, sdkerrors.ErrTokenExpired):
		return ExitAuth, "the token expired: run plexauth login"
	case errors.Is(err, sdkerrors.ErrUnauthorized):
		return ExitAuth, "the token was rejected (revoked, expired or signed out): run plexauth login"
	case errors.Is(err, context.DeadlineExceeded):
		return ExitFailure, "the request timed out: check the network, then try again"
	case errors.Is(err, sdkerrors.ErrServer):
		return ExitFailure, "the server failed: try again later"
	case errors.Is(err, sdkerrors.ErrUnexpectedContent), errors.Is(err, sdkerrors.ErrResponseTooLarge):
		return ExitFailure, "the answer was not from plex.tv or a Plex server: check --plextv-url and any proxy"
	case isNetError(err):
		return ExitFailure, "cannot connect: check the network, or --plextv-url / PLEXAUTH_PLEXTV_URL"
	case errors.Is(err, auth.ErrInsecurePermissions), errors.Is(err, auth.ErrCorrupt):
		return ExitFailure, "fix or remove the file named above"
	}
	return ExitFailure, ""
}

// RetryHint says how long plex.tv asked to wait (from a 429).
func RetryHint(err error) string {
	var apiErr *sdkerrors.APIError
	if errors.As(err, &apiErr) && apiErr.RetryAfter > 0 {
		return "plex.tv asks to wait: try again in " + apiErr.RetryAfter.Round(time.Second).String()
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
// (print it with Textln: it may quote the network).
func ErrorLine(err error, hint string) string {
	msg := err.Error()
	if errors.Is(err, context.Canceled) {
		msg = "interrupted"
	}
	if hint != "" && !strings.Contains(msg, hint) {
		msg += ": " + hint
	}
	msg = strings.Join(strings.Fields(msg), " ")
	return "plexauth: " + msg
}

// LoginHint is the advice for a missing or rejected login of profile.
func LoginHint(profile string) string {
	if profile == auth.DefaultProfile {
		return "run plexauth login"
	}
	return "run plexauth login --profile " + profile
}

// InputError maps a failure to read an answer: interrupted (exit 130
// when ctx was cancelled or stdin closed) or a plain failure.
func InputError(what string, err error) error {
	if errors.Is(err, context.Canceled) {
		return err
	}
	if errors.Is(err, ErrInputClosed) {
		return &ExitError{Code: ExitCancelled, What: what, Err: err}
	}
	return &ExitError{Code: ExitFailure, What: what, Err: err}
}
