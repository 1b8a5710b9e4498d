// Package login implements "plexauth login": PIN (default), password with
// two-factor authentication, or JWT device authentication.
package login

import (
	"context"
	"errors"
	"fmt"
	stdio "io"
	"log/slog"
	"strings"
	"time"

	"github.com/skip2/go-qrcode"
	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/internal/cmdutil"
	"github.com/plexkit/plexgo/models/sdkerrors"
)

// Options are the inputs of plexauth login.
type Options struct {
	// Dependencies, taken from the Factory.
	IO       *cmdutil.IOStreams
	Getenv   func(string) string
	Now      func() time.Time
	Identity func() (auth.Identity, error)
	Store    func() (auth.TokenStore, error)
	SDK      func() (*plexgo.PlexAPI, error)
	NewSDK   cmdutil.NewSDKFunc
	// DeviceOptions name the profile's own device (Factory.DeviceOptions).
	DeviceOptions func(profile, clientID string) []cmdutil.SDKOption
	PlexTVURL     func() string
	Logger        func() *slog.Logger
	Prompter      func() cmdutil.Prompter
	Lines         func() *cmdutil.LineReader
	Browser       func() cmdutil.Browser

	// Profile is the profile to store the login under (--profile).
	Profile string
	// ClientID is --client-id ("" for the profile's own device).
	ClientID string
	// JSON prints JSON (--json).
	JSON bool

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
	// NoBrowser does not offer to open a browser (--no-browser).
	NoBrowser bool
	// Web opens the browser at once (--web).
	Web bool
	// QR is auto, always or never (--qr).
	QR string
	// Force replaces a stored login without asking (--force).
	Force bool
	// ShowToken includes the token in the output.
	ShowToken bool
	// PollInterval is how often the PIN is checked (0: the flow's
	// default, once a second).
	PollInterval time.Duration
}

// NewCmdLogin returns the login command. runF, when not nil, replaces the
// run (tests use it to capture the parsed options).
func NewCmdLogin(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Getenv: f.Getenv, Now: f.Now, Identity: f.Identity, Store: f.Store, SDK: f.SDK, NewSDK: f.NewSDK, DeviceOptions: f.DeviceOptions,
		PlexTVURL: f.PlexTVURL, Logger: f.Logger, Prompter: f.Prompter, Lines: f.Lines, Browser: f.Browser}
	cmd := &cobra.Command{
		Use: "login", Short: "Log in to plex.tv and store the token",
		Long: `Log in to plex.tv and store the token under the profile (--profile).

By default plexauth creates a PIN and shows a QR code (on a terminal big
enough for it; --qr=always|never), then the URL and the code last, so they
stay on screen, and waits until you approve it on plex.tv. On a terminal it
offers "Press Enter to open plex.tv in your browser"; it never opens one by
itself (--web opens it at once; on Linux nothing is opened without a display).

When the profile already holds a login, plexauth asks before replacing it
(--force replaces it without asking; without a terminal --force is needed).

With --json, stdout gets JSON lines: {"event":"pending","code","url",
"expiresAt"} for a PIN, then {"event":"loggedIn","profile","account",
"tokenKind","expiresAt"} (and "token" with --show-token); "account" is the
same object as in "plexauth whoami --json".

--password signs in with a login and password instead, read from the terminal
without echo (never from the command line); a two-factor code is asked only
when the account needs one. For scripts, --password-stdin reads the password
from the first line of stdin and the code, if needed, from the next line (or
use --code).

--jwt uses JWT device authentication: a device key is created and registered
with the PIN, and plexauth stores the key and a Plex JWT that it renews itself.`,
		Example: `  plexauth login
  plexauth login --web
  plexauth login --qr=never --json
  plexauth login --password
  printf '%s\n' "$PASS" | plexauth login --password-stdin --username alice@example.com
  plexauth login --jwt --profile laptop`,
		Args: cmdutil.ExactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Profile, opts.JSON, opts.ClientID = f.Options.Profile, f.Options.JSON, f.Options.ClientID
			if opts.PasswordStdin {
				opts.Password = true
			}
			switch {
			case opts.JWT && opts.Password:
				return cmdutil.FlagErrorf("--jwt works with the PIN flow only; drop --password")
			case opts.Short && opts.Password:
				return cmdutil.FlagErrorf("--short is for the PIN flow; drop --password")
			case !opts.Password && opts.Username != "":
				return cmdutil.FlagErrorf("--username needs --password or --password-stdin")
			case !opts.Password && opts.Code != "":
				return cmdutil.FlagErrorf("--code needs --password or --password-stdin")
			case opts.PasswordStdin && strings.TrimSpace(opts.Username) == "":
				return cmdutil.FlagErrorf("--password-stdin needs --username (stdin carries the password)")
			case opts.QR != "auto" && opts.QR != "always" && opts.QR != "never":
				return cmdutil.FlagErrorf("--qr must be auto, always or never")
			case opts.Web && opts.NoBrowser:
				return cmdutil.FlagErrorf("--web and --no-browser contradict each other")
			case opts.PollInterval < 0:
				return cmdutil.FlagErrorf("--poll-interval must not be negative")
			}
			return cmdutil.Run(cmd.Context(), opts, runF, loginRun)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&opts.Password, "password", false, "sign in with login and password (asked on the terminal)")
	fl.StringVarP(&opts.Username, "username", "u", "", "login (e-mail or username) for --password")
	fl.BoolVar(&opts.PasswordStdin, "password-stdin", false, "read the password (and then the 2FA code) from stdin")
	fl.StringVar(&opts.Code, "code", "", "two-factor verification code")
	fl.BoolVar(&opts.JWT, "jwt", false, "use JWT device authentication (PIN flow with a device key)")
	fl.BoolVar(&opts.Short, "short", false, "use a 4-character code for plex.tv/link instead of a browser URL")
	fl.BoolVar(&opts.NoBrowser, "no-browser", false, "do not offer to open a browser")
	fl.BoolVar(&opts.Web, "web", false, "open the login page in the browser at once")
	fl.StringVar(&opts.QR, "qr", "auto", "show the QR code: auto (when the terminal fits it), always or never")
	fl.BoolVarP(&opts.Force, "force", "f", false, "replace a stored login of the profile without asking")
	fl.BoolVar(&opts.ShowToken, "show-token", false, "print the token too")
	fl.DurationVar(&opts.PollInterval, "poll-interval", 0, "how often to check the PIN (default 1s)")
	_ = fl.MarkHidden("poll-interval")
	return cmdutil.DisableAuth(cmd)
}

func loginRun(ctx context.Context, opts *Options) error {
	id, err := opts.Identity()
	if err != nil {
		return err
	}
	store, err := opts.Store()
	if err != nil {
		return err
	}
	if err := confirmReplace(ctx, opts, store); err != nil {
		return err
	}
	clientID, err := profileClientID(ctx, opts, store, id)
	if err != nil {
		return err
	}
	id.ClientIdentifier = clientID
	sdk := opts.NewSDK(clientID, opts.PlexTVURL(), opts.DeviceOptions(opts.Profile, clientID)...)
	var res *auth.LoginResult
	switch {
	case opts.Password:
		res, err = loginPassword(ctx, opts, sdk)
	case opts.JWT:
		key, kerr := auth.NewDeviceKey()
		if kerr != nil {
			return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "create a device key", Err: kerr}
		}
		ui := newPINUI(opts)
		// Verifies the Plex JWT; the result keeps the claims and the key.
		res, err = auth.LoginWithPINJWT(ctx, sdk, key, ui.options(ctx, id.ClientIdentifier))
		ui.stop()
	default:
		ui := newPINUI(opts)
		res, err = auth.LoginWithPIN(ctx, sdk, ui.options(ctx, id.ClientIdentifier))
		ui.stop()
	}
	if err != nil && !opts.Password {
		if e := notPlexTV(err, opts.PlexTVURL()); e != nil {
			return e
		}
	}
	if err != nil {
		return loginError(err)
	}
	creds := res.Credentials(id.ClientIdentifier)
	if creds.Token == "" {
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "log in", Err: errors.New("plex.tv returned no token"), Hint: "try again"}
	}
	if u := opts.PlexTVURL(); u != plexgo.DefaultPlexTVURL {
		creds.PlexTVURL = u
	}
	if err := store.Save(ctx, opts.Profile, creds); err != nil {
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "store the token", Err: err}
	}
	opts.Logger().Debug("login stored", "profile", opts.Profile, "kind", string(creds.Kind))
	if opts.Getenv(cmdutil.EnvPlexToken) != "" {
		opts.IO.Eprintf("Note: %s is set, so other commands use it instead of this login.\n", cmdutil.EnvPlexToken)
	}
	if opts.JSON {
		doc := struct {
			Event     string               `json:"event"`
			Profile   string               `json:"profile"`
			Account   *cmdutil.AccountJSON `json:"account"`
			TokenKind string               `json:"tokenKind"`
			ExpiresAt *time.Time           `json:"expiresAt,omitempty"`
			Token     string               `json:"token,omitempty"`
		}{Event: "loggedIn", Profile: opts.Profile, Account: cmdutil.NewAccountJSON(res.Account), TokenKind: string(creds.Kind), ExpiresAt: cmdutil.TimePtr(creds.ExpiresAt)}
		if opts.ShowToken {
			doc.Token = res.Token
		}
		return opts.IO.WriteJSON(doc)
	}
	opts.IO.Printf("Logged in as %s (profile %s", cmdutil.AccountLine(res.Account), opts.Profile)
	if creds.Kind == auth.TokenKindJWT {
		opts.IO.Printf(", JWT until %s", creds.ExpiresAt.UTC().Format(time.RFC3339))
	}
	opts.IO.Printf(").\n")
	if opts.ShowToken {
		opts.IO.Printf("Token: %s\n", res.Token)
	}
	return nil
}

// profileClientID is the device a login of the profile presents: each
// profile is its own device (its own client identifier, so its own token),
// so that logging one out never signs out another. --client-id wins; a
// profile logged in before keeps its device, unless that device is the
// install's own identity and the profile is not "default" (older stores
// shared it; such a profile gets a device of its own now); "default"
// starts as the install's identity; any other new profile gets a new one.
func profileClientID(ctx context.Context, opts *Options, store auth.TokenStore, id auth.Identity) (string, error) {
	if opts.ClientID != "" {
		return opts.ClientID, nil
	}
	if c, err := store.Load(ctx, opts.Profile); err == nil && c.ClientIdentifier != "" &&
		(c.ClientIdentifier != id.ClientIdentifier || opts.Profile == auth.DefaultProfile) {
		return c.ClientIdentifier, nil
	}
	if opts.Profile == auth.DefaultProfile {
		return id.ClientIdentifier, nil
	}
	cid, err := auth.NewClientIdentifier()
	if err != nil {
		return "", &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "create a client identifier for profile " + opts.Profile, Err: err}
	}
	return cid, nil
}

// confirmReplace asks before a login replaces the one stored under the
// profile (--force skips the question; without a terminal it is needed).
func confirmReplace(ctx context.Context, opts *Options, store auth.TokenStore) error {
	if opts.Force {
		return nil
	}
	c, err := store.Load(ctx, opts.Profile)
	if err != nil {
		return nil // nothing stored (or unreadable: the save reports it)
	}
	who := c.Name()
	if who == "" {
		who = "an account"
	}
	if !opts.IO.CanPrompt() {
		return cmdutil.FlagErrorf("profile %s is already logged in (as %s): pass --force to replace that login, or choose another --profile", opts.Profile, who)
	}
	ans, err := opts.Prompter().Input(ctx, fmt.Sprintf("Profile %s is already logged in as %s. Log in again and replace it? [y/N] ", opts.Profile, who))
	if err != nil {
		return cmdutil.InputError("read the answer", err)
	}
	if a := strings.ToLower(strings.TrimSpace(ans)); a != "y" && a != "yes" {
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "login cancelled: profile " + opts.Profile + " keeps its login"}
	}
	return nil
}

// notPlexTV recognizes a PIN flow that failed because the URL is not
// plex.tv (a Plex Media Server, or another web server, answers there): a
// PIN cannot be created or read there. It returns nil for other errors.
func notPlexTV(err error, base string) error {
	var apiErr *sdkerrors.APIError
	switch {
	case errors.Is(err, sdkerrors.ErrUnexpectedContent):
	case errors.As(err, &apiErr) && apiErr.Code() == 0 &&
		(apiErr.StatusCode == 401 || apiErr.StatusCode == 403 || apiErr.StatusCode == 404 || apiErr.StatusCode == 405):
	default:
		return nil
	}
	return &cmdutil.ExitError{Code: cmdutil.ExitFailure,
		What: fmt.Sprintf("log in: %s is not plex.tv (it does not create login PINs: %s)", base, cmdutil.PlainCause(err)),
		Hint: "point --plextv-url / " + cmdutil.EnvPlexTVURL + " at plex.tv, not at a Plex Media Server"}
}

// loginError maps a failed login to its message and exit code.
func loginError(err error) error {
	var ee *cmdutil.ExitError
	switch {
	case errors.As(err, &ee):
		return err
	case errors.Is(err, context.Canceled):
		return err
	case errors.Is(err, auth.ErrPINExpired), errors.Is(err, sdkerrors.ErrPINNotFound):
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "log in: the code expired before it was approved", Hint: "run plexauth login again and approve the code sooner"}
	case errors.Is(err, sdkerrors.ErrSignInLocked):
		hint := "wait before trying again, or log in with a PIN (plexauth login)"
		var apiErr *sdkerrors.APIError
		if errors.As(err, &apiErr) && apiErr.RetryAfter > 0 {
			hint = "try again in " + apiErr.RetryAfter.Round(time.Second).String() + ", or log in with a PIN (plexauth login)"
		}
		return &cmdutil.ExitError{Code: cmdutil.ExitLocked, What: "sign-in locked by plex.tv after repeated failures", Hint: hint}
	case errors.Is(err, sdkerrors.ErrRateLimited):
		return &cmdutil.ExitError{Code: cmdutil.ExitRateLimited, What: "plex.tv is rate limiting sign-in", Hint: cmdutil.RetryHint(err)}
	case errors.Is(err, sdkerrors.ErrInvalidVerificationCode):
		return &cmdutil.ExitError{Code: cmdutil.ExitBadCode, What: "sign-in failed: wrong verification code", Hint: "use the current code from your authenticator app"}
	case errors.Is(err, sdkerrors.ErrVerificationCodeRequired):
		return &cmdutil.ExitError{Code: cmdutil.ExitBadCode, What: "sign-in failed: this account needs a two-factor verification code", Hint: "pass --code, or put the code on the line after the password"}
	case errors.Is(err, sdkerrors.ErrBadCredentials), errors.Is(err, sdkerrors.ErrUnauthorized):
		return &cmdutil.ExitError{Code: cmdutil.ExitBadCredentials, What: "sign-in failed: wrong login or password", Hint: "check them and try again (repeated failures lock sign-in for a while)"}
	}
	return fmt.Errorf("log in: %w", err)
}

// loginPassword signs in with a login and password, asking for what the
// flags did not give.
func loginPassword(ctx context.Context, opts *Options, sdk *plexgo.PlexAPI) (*auth.LoginResult, error) {
	p := opts.Prompter()
	login := strings.TrimSpace(opts.Username)
	if login == "" {
		if !opts.IO.CanPrompt() {
			return nil, cmdutil.FlagErrorf("--username is required when stdin is not a terminal")
		}
		for i := 0; login == ""; i++ {
			if i == 3 {
				return nil, cmdutil.FlagErrorf("no login given")
			}
			if i > 0 {
				opts.IO.Eprintf("The login cannot be empty: type your Plex e-mail or username.\n")
			}
			var err error
			if login, err = p.Input(ctx, "Plex e-mail or username: "); err != nil {
				return nil, cmdutil.InputError("read the login", err)
			}
			login = strings.TrimSpace(login)
		}
	}
	in := cmdutil.SecretInput{FromStdin: opts.PasswordStdin, Lines: opts.Lines, CanAsk: opts.IO.IsStdinTTY, Prompter: opts.Prompter}
	password, err := in.Read(ctx, "Password for "+login+": ", "the password",
		cmdutil.FlagErrorf("stdin is not a terminal: use --password-stdin to pass the password"))
	if err != nil {
		return nil, err
	}
	if password == "" {
		return nil, cmdutil.FlagErrorf("empty password")
	}
	attempts := 1
	if !opts.PasswordStdin && opts.Code == "" && opts.IO.CanPrompt() {
		attempts = 3
	}
	askCode := func(ctx context.Context, wrong bool) (string, error) {
		switch {
		case wrong && attempts == 1:
			return "", &cmdutil.ExitError{Code: cmdutil.ExitBadCode, What: "sign-in failed: wrong verification code", Hint: "use the current code from your authenticator app"}
		case opts.Code != "":
			return opts.Code, nil
		case opts.PasswordStdin:
			code, err := opts.Lines().ReadLine(ctx)
			if errors.Is(err, cmdutil.ErrInputClosed) || (err == nil && strings.TrimSpace(code) == "") {
				return "", &cmdutil.ExitError{Code: cmdutil.ExitBadCode, What: "sign-in failed: this account needs a two-factor verification code",
					Hint: "put the code on the line after the password, or pass --code"}
			}
			if err != nil {
				return "", cmdutil.InputError("read the verification code from stdin", err)
			}
			return strings.TrimSpace(code), nil
		case !opts.IO.CanPrompt():
			return "", &cmdutil.ExitError{Code: cmdutil.ExitBadCode, What: "sign-in failed: this account needs a two-factor verification code", Hint: "pass --code"}
		}
		if wrong {
			opts.IO.Eprintf("That code was not accepted; try the current one.\n")
		}
		code, err := p.Secret(ctx, "Two-factor verification code: ")
		if err != nil {
			return "", cmdutil.InputError("read the verification code", err)
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

// pinUI shows the PIN prompt and the wait.
type pinUI struct {
	opts      *Options
	cd        *cmdutil.Countdown
	stopEnter context.CancelFunc
}

func newPINUI(opts *Options) *pinUI {
	return &pinUI{opts: opts, cd: cmdutil.NewCountdown(opts.IO.ErrOut, opts.IO.Fancy(), opts.Now)}
}

// options are the PIN flow's options; ctx bounds opening the browser.
func (u *pinUI) options(ctx context.Context, clientID string) auth.PINOptions {
	return auth.PINOptions{
		ClientIdentifier: clientID,
		Product:          cmdutil.Product,
		Short:            u.opts.Short,
		PollInterval:     u.opts.PollInterval,
		OnPrompt:         func(p auth.PINPrompt) { u.prompt(ctx, p) },
		OnPoll:           func(_ int, remaining time.Duration) { u.cd.Poll(remaining) },
		Now:              u.opts.Now,
	}
}

func (u *pinUI) stop() {
	if u.stopEnter != nil {
		u.stopEnter()
	}
	u.cd.Stop()
}

// textRows is how many terminal rows the login text below the QR code
// takes at width w: a blank line, the heading, blank, the URL (wrapped),
// blank, the code, the browser line and the countdown.
func textRows(url string, w int) int {
	if w <= 0 {
		return 8
	}
	return 7 + (len(url)+2+w-1)/w
}

// qrDecision says whether to draw the QR code, and the line to print
// when it is left out for lack of room.
func (u *pinUI) qrDecision(p auth.PINPrompt, q *qrcode.QRCode) (draw bool, note string) {
	io := u.opts.IO
	switch u.opts.QR {
	case "never":
		return false, ""
	case "always":
		return true, ""
	}
	if !io.Fancy() || p.URL == "" {
		return false, ""
	}
	art := q.ToSmallString(false)
	rows := strings.Count(art, "\n")
	cols := len([]rune(strings.SplitN(art, "\n", 2)[0]))
	w, h, ok := io.Size()
	if !ok {
		return false, "(No QR code: the terminal size is unknown; --qr=always shows it.)"
	}
	need := rows + textRows(p.URL, w)
	if cols > w || need > h {
		return false, fmt.Sprintf("(The QR code needs a terminal of %dx%d; this one is %dx%d. --qr=always shows it.)", cols, need, w, h)
	}
	return true, ""
}

// prompt shows the QR code (when it fits), then the URL and the code last
// so they stay on screen, then offers to open the browser.
func (u *pinUI) prompt(ctx context.Context, p auth.PINPrompt) {
	io := u.opts.IO
	if u.opts.JSON {
		_ = cmdutil.WriteJSON(io.Out, struct {
			Event     string    `json:"event"`
			Code      string    `json:"code"`
			URL       string    `json:"url"`
			ExpiresAt time.Time `json:"expiresAt"`
		}{"pending", p.Code, p.URL, p.ExpiresAt.UTC().Truncate(time.Second)}, false)
	}
	if p.URL != "" {
		if q, err := qrcode.New(p.URL, qrcode.Low); err == nil {
			draw, note := u.qrDecision(p, q)
			if draw {
				// The QR code: our own drawing, block characters and newlines only.
				_, _ = stdio.WriteString(io.ErrOut, q.ToSmallString(false))
			} else if note != "" {
				io.Eprintf("%s\n", note)
			}
		}
	}
	if !p.Strong {
		io.Eprintf("\nTo log in, go to %s and enter this code:\n\n  %s\n\n", p.URL, p.Code)
	} else {
		io.Eprintf("\nTo log in, open this URL in a browser and approve %s:\n\n  %s\n\nCode: %s\n", cmdutil.Product, p.URL, p.Code)
	}
	u.offerBrowser(ctx, p.URL)
	u.cd.Start(p.ExpiresAt)
}

// offerBrowser opens the browser at once with --web, else on a terminal
// offers to open it on Enter. Never without a display on Linux.
func (u *pinUI) offerBrowser(ctx context.Context, url string) {
	io := u.opts.IO
	if url == "" || u.opts.NoBrowser || (!u.opts.Web && !io.CanPrompt()) {
		return
	}
	if !cmdutil.HasDisplay(u.opts.Getenv) {
		io.Eprintf("No display found (DISPLAY and WAYLAND_DISPLAY are unset), so no browser is opened: open the URL on another device.\n")
		return
	}
	if u.opts.Web {
		u.open(ctx, url, func(format string, args ...any) { io.Eprintf(format+"\n", args...) })
		return
	}
	io.Eprintf("Press Enter to open plex.tv in your browser...\n")
	ectx, cancel := context.WithCancel(ctx)
	u.stopEnter = cancel
	go func() {
		if _, err := u.opts.Lines().ReadLine(ectx); err != nil {
			return
		}
		u.open(ectx, url, u.cd.Println)
	}()
}

func (u *pinUI) open(ctx context.Context, url string, say func(string, ...any)) {
	if err := u.opts.Browser().Open(ctx, url); err != nil {
		say("Could not open a browser; open the URL above yourself.")
		u.opts.Logger().Debug("browser", "err", err.Error())
		return
	}
	say("Opened your browser.")
}
