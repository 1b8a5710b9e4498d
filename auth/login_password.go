package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/internal/redact"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/models/sdkerrors"
	"github.com/plexkit/plexgo/retry"
)

// Password login with two-factor codes.

// DefaultMaxCodeAttempts is how many verification codes LoginWithPassword
// sends at most when PasswordOptions.MaxCodeAttempts is zero.
const DefaultMaxCodeAttempts = 3

// maxCodeAttemptsLimit caps PasswordOptions.MaxCodeAttempts: every wrong
// code counts towards plex.tv's sign-in lock-out.
const maxCodeAttemptsLimit = 10

// PasswordOptions configures [LoginWithPassword]. Password and
// VerificationCode are secrets: they are sent to plex.tv and never appear
// in errors or logs.
type PasswordOptions struct {
	// Login is the account's e-mail address or username. Required.
	Login string
	// Password is the account password. Required.
	Password string
	// RememberMe asks plex.tv for a longer-lived session.
	RememberMe bool
	// VerificationCode is the two-factor authentication code, when it is
	// known before signing in (for example from a --code flag).
	VerificationCode string
	// AskCode is called only when plex.tv asks for a verification code
	// (code 1029, wrong=false) or rejects the one sent (code 1028,
	// wrong=true). It returns the code to send, or ("", err) to abort the
	// login with err. When nil, a required or wrong code ends the login
	// with an error.
	AskCode func(ctx context.Context, wrong bool) (string, error)
	// MaxCodeAttempts is how many verification codes are sent at most
	// (default DefaultMaxCodeAttempts, at most 10). After that many wrong
	// codes the login fails with sdkerrors.ErrInvalidVerificationCode.
	MaxCodeAttempts int
}

// String never shows the password or the verification code.
func (o PasswordOptions) String() string {
	return "auth.PasswordOptions{Login:" + o.Login + " Password:" + RedactToken(o.Password) + "}"
}

// GoString never shows the password or the verification code.
func (o PasswordOptions) GoString() string { return o.String() }

// Format implements [fmt.Formatter] so that no verb prints the password
// or the verification code.
func (o PasswordOptions) Format(f fmt.State, verb rune) { redact.Format(f, verb, o) }

// LoginWithPassword signs in to plex.tv with a login and password, asking
// for the two-factor verification code through opts.AskCode when the
// account needs one.
//
// Every sign-in request is sent exactly once: the same credentials are
// never retried automatically, because repeated failures make plex.tv lock
// the client out. Only a new verification code causes another request.
//
// Errors wrap the sdkerrors types, so errors.Is works with:
//   - sdkerrors.ErrBadCredentials: wrong login or password;
//   - sdkerrors.ErrVerificationCodeRequired: a code is needed and
//     opts.AskCode is nil (or returned an empty code);
//   - sdkerrors.ErrInvalidVerificationCode: the last code was wrong and no
//     more attempts are left (or opts.AskCode is nil);
//   - sdkerrors.ErrSignInLocked: too many failures, plex.tv refuses
//     sign-ins for a while;
//   - sdkerrors.ErrRateLimited: too many requests (HTTP 429).
//
// For the last two, errors.As(err, &apiErr) with apiErr an
// *sdkerrors.APIError gives the wait plex.tv asked for in
// apiErr.RetryAfter (0 when it gave none). Wait before trying again.
func LoginWithPassword(ctx context.Context, sdk *plexgo.PlexAPI, opts PasswordOptions) (*LoginResult, error) {
	if sdk == nil {
		return nil, errors.New("auth: password login: nil SDK")
	}
	if strings.TrimSpace(opts.Login) == "" {
		return nil, errors.New("auth: password login: empty login")
	}
	if opts.Password == "" {
		return nil, errors.New("auth: password login: empty password")
	}
	maxCodes := opts.MaxCodeAttempts
	switch {
	case maxCodes < 0:
		return nil, fmt.Errorf("auth: password login: negative MaxCodeAttempts %d", maxCodes)
	case maxCodes == 0:
		maxCodes = DefaultMaxCodeAttempts
	case maxCodes > maxCodeAttemptsLimit:
		maxCodes = maxCodeAttemptsLimit
	}

	code := strings.TrimSpace(opts.VerificationCode)
	codesSent := 0
	// Each iteration sends one sign-in request; at most maxCodes+1 run.
	for {
		body := &operations.PostUsersSignInDataRequestBody{
			Login:      opts.Login,
			Password:   opts.Password,
			RememberMe: plexgo.Bool(opts.RememberMe),
		}
		if code != "" {
			body.VerificationCode = plexgo.String(code)
			codesSent++
		}
		// retry.None: never resend credentials, whatever the SDK's policy.
		res, err := sdk.Authentication.PostUsersSignInData(ctx, nil, body, operations.WithRetries(retry.None()))
		if err == nil {
			if res.UserPlexAccount == nil || res.UserPlexAccount.AuthToken == "" {
				return nil, fmt.Errorf("auth: password login: %w: no token in the answer", sdkerrors.ErrUnexpectedContent)
			}
			return newLoginResult(sdk, res.UserPlexAccount.AuthToken, res.UserPlexAccount), nil
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("auth: password login: %w", ctxErr)
		}
		var wrong bool
		switch {
		case errors.Is(err, sdkerrors.ErrInvalidVerificationCode):
			wrong = true
		case errors.Is(err, sdkerrors.ErrVerificationCodeRequired):
			wrong = false
		default:
			// Bad credentials, lock-out, rate limit, server or network
			// failure: never try the same credentials again.
			return nil, fmt.Errorf("auth: password login: %w", err)
		}
		if opts.AskCode == nil {
			if wrong {
				return nil, fmt.Errorf("auth: password login: %w", err)
			}
			return nil, fmt.Errorf("auth: password login: the account has two-factor authentication; supply a verification code: %w", err)
		}
		if codesSent >= maxCodes {
			return nil, fmt.Errorf("auth: password login: giving up after %d verification codes: %w", codesSent, err)
		}
		next, askErr := opts.AskCode(ctx, wrong)
		if askErr != nil {
			return nil, fmt.Errorf("auth: password login: verification code: %w", askErr)
		}
		next = strings.TrimSpace(next)
		if next == "" {
			return nil, fmt.Errorf("auth: password login: no verification code given: %w", sdkerrors.ErrVerificationCodeRequired)
		}
		code = next
	}
}

// LogValue implements [slog.LogValuer]: the login only.
func (o PasswordOptions) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("login", o.Login),
		slog.String("password", RedactToken(o.Password)),
		slog.String("verificationCode", RedactToken(o.VerificationCode)),
	)
}

var _ slog.LogValuer = PasswordOptions{}
