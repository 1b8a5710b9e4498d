package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/skip2/go-qrcode"
	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/models/sdkerrors"
)

// LoginOptions are the inputs of plexauth login.
type LoginOptions struct {
	f *Factory

	// Password selects password sign-in instead of the PIN flow.
	Password bool
	// Username is the login (e-mail or username) for password sign-in.
	Username string
	// PasswordStdin reads the password from the first line of stdin (and
	// a verification code, when needed, from the next line).
	PasswordStdin bool
	// Code is the two-factor verification code.
	Code string
	// JWT uses JWT device authentication: the PIN flow with a device key,
	// storing the key and the Plex JWT.
	JWT bool
	// Short asks for a 4-character code to type at plex.tv/link instead
	// of a browser URL.
	Short bool
	// NoBrowser does not try to open a browser.
	NoBrowser bool
	// ShowToken includes the token in the output.
	ShowToken bool
	// PollInterval is how often the PIN is checked (0: the flow's
	// default, once a second).
	PollInterval time.Duration
}

// NewCmdLogin returns the login command. runF, when not nil, replaces the
// run (tests use it to capture the parsed options).
func NewCmdLogin(f *Factory, runF func(*LoginOptions) error) *cobra.Command {
	opts := &LoginOptions{f: f}
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Log in to plex.tv and store the token",
		Long: `Log in to plex.tv and store the token under the profile (--profile).

By default plexauth creates a PIN, shows a code and a URL (and a QR code on a
terminal), opens the browser, and waits until you approve it on plex.tv.

--password signs in with a login and password instead, read from the terminal
without echo (never from the command line); a two-factor code is asked only
when the account needs one. For scripts, --password-stdin reads the password
from the first line of stdin and the code, if needed, from the next line (or
use --code).

--jwt uses JWT device authentication: a device key is created and registered
with the PIN, and plexauth stores the key and a Plex JWT that it renews itself.`,
		Example: `  plexauth login
  plexauth login --no-browser --json
  plexauth login --password
  printf '%s\n' "$PASS" | plexauth login --password-stdin --username alice@example.com
  plexauth login --jwt --profile laptop`,
		Args: exactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.PasswordStdin {
				opts.Password = true
			}
			switch {
			case opts.JWT && opts.Password:
				return flagErrorf("--jwt works with the PIN flow only; drop --password")
			case opts.Short && opts.Password:
				return flagErrorf("--short is for the PIN flow; drop --password")
			case !opts.Password && opts.Username != "":
				return flagErrorf("--username needs --password or --password-stdin")
			case !opts.Password && opts.Code != "":
				return flagErrorf("--code needs --password or --password-stdin")
			case opts.PasswordStdin && strings.TrimSpace(opts.Username) == "":
				return flagErrorf("--password-stdin needs --username (stdin carries the password)")
			case opts.PollInterval < 0:
				return flagErrorf("--poll-interval must not be negative")
			}
			if runF != nil {
				return runF(opts)
			}
			return loginRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&opts.Password, "password", false, "sign in with login and password (asked on the terminal)")
	fl.StringVarP(&opts.Username, "username", "u", "", "login (e-mail or username) for --password")
	fl.BoolVar(&opts.PasswordStdin, "password-stdin", false, "read the password (and then the 2FA code) from stdin")
	fl.StringVar(&opts.Code, "code", "", "two-factor verification code")
	fl.BoolVar(&opts.JWT, "jwt", false, "use JWT device authentication (PIN flow with a device key)")
	fl.BoolVar(&opts.Short, "short", false, "use a 4-character code for plex.tv/link instead of a browser URL")
	fl.BoolVar(&opts.NoBrowser, "no-browser", false, "do not open a browser")
	fl.BoolVar(&opts.ShowToken, "show-token", false, "print the token too")
	fl.DurationVar(&opts.PollInterval, "poll-interval", 0, "how often to check the PIN (default 1s)")
	_ = fl.MarkHidden("poll-interval")
	return cmd
}

func loginRun(ctx context.Context, opts *LoginOptions) error {
	f := opts.f
	id, err := f.Identity()
	if err != nil {
		return err
	}
	store, err := f.Store()
	if err != nil {
		return err
	}
	sdk, err := f.SDK()
	if err != nil {
		return err
	}
	var (
		res   *auth.LoginResult
		creds auth.Credentials
	)
	switch {
	case opts.Password:
		res, err = loginPassword(ctx, opts, sdk)
		if err == nil {
			creds = res.Credentials(id.ClientIdentifier)
		}
	case opts.JWT:
		key, kerr := auth.NewDeviceKey()
		if kerr != nil {
			return &ExitError{Code: ExitFailure, What: "create a device key", Err: kerr}
		}
		ui := newPINUI(ctx, opts)
		res, err = auth.LoginWithPINJWT(ctx, sdk, key, ui.options(id.ClientIdentifier))
		ui.stop()
		if err == nil {
			claims, verr := auth.NewJWTVerifier(sdk, id.ClientIdentifier, auth.WithJWTClock(f.now)).Verify(ctx, res.Token, key)
			if verr != nil {
				return &ExitError{Code: ExitFailure, What: "verify the Plex JWT from plex.tv", Err: verr, Hint: "try again; if it persists, log in without --jwt"}
			}
			creds = auth.NewJWTCredentials(res.Token, claims, key, id.ClientIdentifier)
			if a := res.Account; a != nil {
				creds.AccountID, creds.AccountUUID, creds.Username, creds.Email = a.ID, a.UUID, a.Username, a.Email
			}
		}
	default:
		ui := newPINUI(ctx, opts)
		res, err = auth.LoginWithPIN(ctx, sdk, ui.options(id.ClientIdentifier))
		ui.stop()
		if err == nil {
			creds = res.Credentials(id.ClientIdentifier)
		}
	}
	if err != nil {
		return loginError(err)
	}
	if creds.Token == "" {
		return &ExitError{Code: ExitFailure, What: "log in", Err: errors.New("plex.tv returned no token"), Hint: "try again"}
	}
	if f.PlexTVURL() != plexgo.DefaultPlexTVURL {
		creds.PlexTVURL = f.PlexTVURL()
	}
	if err := store.Save(ctx, f.Opts.Profile, creds); err != nil {
		return &ExitError{Code: ExitFailure, What: "store the token", Err: err}
	}
	f.Logger().Debug("login stored", "profile", f.Opts.Profile, "kind", string(creds.Kind))
	if f.Getenv(EnvPlexToken) != "" {
		textf(f.IO.ErrOut, "Note: %s is set, so other commands use it instead of this login.\n", EnvPlexToken)
	}
	if f.Opts.JSON {
		doc := struct {
			Profile   string       `json:"profile"`
			Account   *accountJSON `json:"account"`
			TokenKind string       `json:"tokenKind"`
			ExpiresAt *time.Time   `json:"expiresAt,omitempty"`
			Token     string       `json:"token,omitempty"`
		}{Profile: f.Opts.Profile, Account: newAccountJSON(res.Account), TokenKind: string(creds.Kind), ExpiresAt: timePtr(creds.ExpiresAt)}
		if opts.ShowToken {
			doc.Token = res.Token
		}
		return f.writeJSON(doc)
	}
	textf(f.IO.Out, "Logged in as %s (profile %s", accountLine(res.Account), f.Opts.Profile)
	if creds.Kind == auth.TokenKindJWT {
		textf(f.IO.Out, ", JWT until %s", creds.ExpiresAt.UTC().Format(time.RFC3339))
	}
	textln(f.IO.Out, ").")
	if opts.ShowToken {
		textf(f.IO.Out, "Token: %s\n", res.Token)
	}
	return nil
}

// loginError maps a failed login to its message and exit code.
func loginError(err error) error {
	var ee *ExitError
	switch {
	case errors.As(err, &ee):
		return err
	case errors.Is(err, context.Canceled):
		return err
	case errors.Is(err, auth.ErrPINExpired), errors.Is(err, sdkerrors.ErrPINNotFound):
		return &ExitError{Code: ExitFailure, What: "log in: the code expired before it was approved", Hint: "run plexauth login again and approve the code sooner"}
	case errors.Is(err, sdkerrors.ErrSignInLocked):
		hint := "wait before trying again, or log in with a PIN (plexauth login)"
		var apiErr *sdkerrors.APIError
		if errors.As(err, &apiErr) && apiErr.RetryAfter > 0 {
			hint = "try again in " + apiErr.RetryAfter.Round(time.Second).String() + ", or log in with a PIN (plexauth login)"
		}
		return &ExitError{Code: ExitLocked, What: "sign-in locked by plex.tv after repeated failures", Hint: hint}
	case errors.Is(err, sdkerrors.ErrRateLimited):
		return &ExitError{Code: ExitRateLimited, What: "plex.tv is rate limiting sign-in", Hint: retryHint(err)}
	case errors.Is(err, sdkerrors.ErrInvalidVerificationCode):
		return &ExitError{Code: ExitBadCode, What: "sign-in failed: wrong verification code", Hint: "use the current code from your authenticator app"}
	case errors.Is(err, sdkerrors.ErrVerificationCodeRequired):
		return &ExitError{Code: ExitBadCode, What: "sign-in failed: this account needs a two-factor verification code", Hint: "pass --code, or put the code on the line after the password"}
	case errors.Is(err, sdkerrors.ErrBadCredentials), errors.Is(err, sdkerrors.ErrUnauthorized):
		return &ExitError{Code: ExitBadCredentials, What: "sign-in failed: wrong login or password", Hint: "check them and try again (repeated failures lock sign-in for a while)"}
	}
	return fmt.Errorf("log in: %w", err)
}

// loginPassword signs in with a login and password, asking for what the
// flags did not give.
func loginPassword(ctx context.Context, opts *LoginOptions, sdk *plexgo.PlexAPI) (*auth.LoginResult, error) {
	f := opts.f
	p := f.prompter()
	login := strings.TrimSpace(opts.Username)
	if login == "" {
		if !f.IO.CanPrompt() {
			return nil, flagErrorf("--username is required when stdin is not a terminal")
		}
		var err error
		if login, err = p.Input(ctx, "Plex e-mail or username: "); err != nil {
			return nil, inputError("read the login", err)
		}
		if login == "" {
			return nil, flagErrorf("no login given")
		}
	}
	var password string
	var err error
	switch {
	case opts.PasswordStdin:
		password, err = f.Lines().ReadLine(ctx)
		if err != nil {
			return nil, inputError("read the password from stdin", err)
		}
	case !f.IO.IsStdinTTY:
		return nil, flagErrorf("stdin is not a terminal: use --password-stdin to pass the password")
	default:
		password, err = p.Secret(ctx, "Password for "+login+": ")
		if err != nil {
			return nil, inputError("read the password", err)
		}
	}
	if password == "" {
		return nil, flagErrorf("empty password")
	}
	attempts := 1
	if !opts.PasswordStdin && opts.Code == "" && f.IO.CanPrompt() {
		attempts = 3
	}
	askCode := func(ctx context.Context, wrong bool) (string, error) {
		switch {
		case wrong && attempts == 1:
			return "", &ExitError{Code: ExitBadCode, What: "sign-in failed: wrong verification code", Hint: "use the current code from your authenticator app"}
		case opts.Code != "":
			return opts.Code, nil
		case opts.PasswordStdin:
			code, err := f.Lines().ReadLine(ctx)
			if errors.Is(err, errInputClosed) || (err == nil && strings.TrimSpace(code) == "") {
				return "", &ExitError{Code: ExitBadCode, What: "sign-in failed: this account needs a two-factor verification code",
					Hint: "put the code on the line after the password, or pass --code"}
			}
			if err != nil {
				return "", inputError("read the verification code from stdin", err)
			}
			return strings.TrimSpace(code), nil
		case !f.IO.CanPrompt():
			return "", &ExitError{Code: ExitBadCode, What: "sign-in failed: this account needs a two-factor verification code", Hint: "pass --code"}
		}
		if wrong {
			textln(f.IO.ErrOut, "That code was not accepted; try the current one.")
		}
		code, err := p.Secret(ctx, "Two-factor verification code: ")
		if err != nil {
			return "", inputError("read the verification code", err)
		}
		return strings.TrimSpace(code), nil
	}
	return auth.LoginWithPassword(ctx, sdk, auth.PasswordOptions{
		Login:            login,
		Password:         password,
		RememberMe:       true,
		VerificationCode: opts.Code,
		AskCode:          askCode,
		MaxCodeAttempts:  attempts,
	})
}

func inputError(what string, err error) error {
	if errors.Is(err, context.Canceled) {
		return err
	}
	if errors.Is(err, errInputClosed) {
		return &ExitError{Code: ExitCancelled, What: what, Err: err}
	}
	return &ExitError{Code: ExitFailure, What: what, Err: err}
}

// pinUI shows the PIN prompt and the wait.
type pinUI struct {
	opts *LoginOptions
	ctx  context.Context
	cd   *countdown
}

func newPINUI(ctx context.Context, opts *LoginOptions) *pinUI {
	f := opts.f
	return &pinUI{opts: opts, ctx: ctx, cd: newCountdown(f.IO.ErrOut, f.IO.IsStderrTTY, f.now)}
}

func (u *pinUI) options(clientID string) auth.PINOptions {
	return auth.PINOptions{
		ClientIdentifier: clientID,
		Product:          Product,
		Short:            u.opts.Short,
		PollInterval:     u.opts.PollInterval,
		OnPrompt:         u.prompt,
		OnPoll:           func(_ int, remaining time.Duration) { u.cd.Poll(remaining) },
		Now:              u.opts.f.Now,
	}
}

func (u *pinUI) stop() { u.cd.Stop() }

// prompt shows the code and URL (stdout's first line with --json), the QR
// code on a terminal, and opens the browser.
func (u *pinUI) prompt(p auth.PINPrompt) {
	f := u.opts.f
	if f.Opts.JSON {
		_ = writeJSONTo(f.IO.Out, struct {
			Code      string    `json:"code"`
			URL       string    `json:"url"`
			ExpiresAt time.Time `json:"expiresAt"`
		}{p.Code, p.URL, p.ExpiresAt.UTC().Truncate(time.Second)}, false)
	}
	w := f.IO.ErrOut
	if !p.Strong {
		textf(w, "To log in, go to %s and enter this code:\n\n  %s\n\n", p.URL, p.Code)
	} else {
		textf(w, "To log in, open this URL in a browser and approve %s:\n\n  %s\n\nCode: %s\n", Product, p.URL, p.Code)
	}
	if f.IO.IsStderrTTY && p.URL != "" {
		if q, err := qrcode.New(p.URL, qrcode.Low); err == nil {
			textln(w)
			_, _ = io.WriteString(w, q.ToSmallString(false)) // our own drawing: block characters and newlines only
		}
	}
	if !u.opts.NoBrowser && p.URL != "" {
		if err := f.browser().Open(u.ctx, p.URL); err != nil {
			textln(w, "Could not open a browser; open the URL above yourself.")
			f.Logger().Debug("browser", "err", err.Error())
		} else {
			textln(w, "Opened your browser.")
		}
	}
	u.cd.Start(p.ExpiresAt)
}
