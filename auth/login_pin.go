package auth

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/internal/ctxsleep"
	"github.com/plexkit/plexgo/internal/urlcheck"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/models/sdkerrors"
)

// PIN login (plex.tv/link codes and the Plex auth app).

// ErrPINExpired is returned (wrapped) by [LoginWithPIN] when the PIN
// expires before anyone approves it: its lifetime passed, or plex.tv
// answered that it no longer exists (404, code 1020). Start a new login.
var ErrPINExpired = errors.New("auth: PIN expired before it was approved")

// Defaults of [PINOptions].
const (
	// DefaultAuthAppURL is the page where a user approves a strong PIN.
	DefaultAuthAppURL = "https://app.plex.tv/auth"
	// DefaultLinkURL is the page where a user types a 4-character PIN.
	DefaultLinkURL = "https://plex.tv/link"
	// DefaultPINPollInterval is how often LoginWithPIN asks plex.tv
	// whether the PIN was approved.
	DefaultPINPollInterval = time.Second
	// MinPINPollInterval is the shortest poll interval LoginWithPIN uses;
	// shorter ones are raised to it.
	MinPINPollInterval = 200 * time.Millisecond
)

// Lifetimes assumed when plex.tv does not say how long a PIN lives.
const (
	fallbackShortPINLife  = 15 * time.Minute
	fallbackStrongPINLife = 30 * time.Minute
)

// maxPINPollFailures bounds how many polls in a row may fail for a
// transient reason (5xx, 429, network) before LoginWithPIN gives up. The
// SDK has already retried each poll by then.
const maxPINPollFailures = 5

// PINPrompt is what the user needs to approve a PIN login.
type PINPrompt struct {
	// ID is plex.tv's id of the PIN.
	ID int64
	// Code is the PIN code. For a 4-character PIN the user types it at
	// URL; a strong PIN is carried inside URL.
	Code string
	// URL is the page to open: for a strong PIN the Plex auth app
	// (https://app.plex.tv/auth#?clientID=…&code=…&context%5Bdevice%5D%5Bproduct%5D=…),
	// for a 4-character PIN the link page (https://plex.tv/link).
	URL string
	// ExpiresAt is when the PIN stops being usable, on the clock of
	// PINOptions.Now.
	ExpiresAt time.Time
	// Strong reports a strong (browser) PIN; false for a 4-character one.
	Strong bool
}

// PINOptions configures [LoginWithPIN].
type PINOptions struct {
	// ClientIdentifier is the client identifier the SDK sends
	// (plexgo.WithXPlexClientIdentifier): it goes in the auth app URL, and
	// plex.tv only gives the token to that identifier. Empty means the
	// SDK's (sdk.ClientIdentifier()); a value that differs from the SDK's
	// is an error naming both. One of the two must be set.
	ClientIdentifier string
	// Product names the application on the approval page (default
	// "plexgo"). Use the same value as plexgo.WithProduct.
	Product string
	// ForwardURL, when set, is where the auth app sends the browser after
	// approval.
	ForwardURL string
	// Short asks for a 4-character code to type at plex.tv/link instead of
	// a strong PIN approved in the browser.
	Short bool
	// PollInterval is the wait between two polls (default 1s, at least
	// 200ms).
	PollInterval time.Duration
	// OnPrompt is called once, before polling starts, with the code and
	// URL to show the user. It should return quickly.
	OnPrompt func(PINPrompt)
	// OnPoll, when set, is called before every poll with the poll number
	// (from 1) and the time left before the PIN expires, e.g. to draw a
	// spinner or a countdown.
	OnPoll func(attempt int, remaining time.Duration)
	// AuthAppURL is the base of the auth app URL (default
	// DefaultAuthAppURL).
	AuthAppURL string
	// LinkURL is the page shown for 4-character PINs (default
	// DefaultLinkURL).
	LinkURL string
	// Now is the clock used for the PIN's lifetime (default time.Now).
	Now func() time.Time
	// Sleep waits between polls and must return ctx.Err() early when ctx
	// is done (default: a timer). Tests inject one to poll without real
	// waits.
	Sleep func(ctx context.Context, d time.Duration) error
}

// AuthAppURL returns the Plex auth app URL that approves a strong PIN:
// base (DefaultAuthAppURL when empty) followed by the fragment
// "#?clientID=…&code=…&context%5Bdevice%5D%5Bproduct%5D=…[&forwardUrl=…]".
// Empty product and forwardURL are left out. Values are percent-encoded.
func AuthAppURL(base, clientID, code, product, forwardURL string) string {
	if base == "" {
		base = DefaultAuthAppURL
	}
	base = strings.TrimRight(base, "#?")
	esc := func(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }
	var b strings.Builder
	b.WriteString(base)
	b.WriteString("#?clientID=")
	b.WriteString(esc(clientID))
	b.WriteString("&code=")
	b.WriteString(esc(code))
	if product != "" {
		b.WriteString("&context%5Bdevice%5D%5Bproduct%5D=")
		b.WriteString(esc(product))
	}
	if forwardURL != "" {
		b.WriteString("&forwardUrl=")
		b.WriteString(esc(forwardURL))
	}
	return b.String()
}

// LoginWithPIN logs in without a password: it creates a plex.tv PIN, calls
// opts.OnPrompt with the code and URL to show the user, then polls until
// the user approves the PIN (in the browser, or at plex.tv/link for a
// short PIN), and returns the token with its account.
//
// It returns an error wrapping [ErrPINExpired] when the PIN expires first,
// and ctx's error when ctx ends. Transient failures while polling (5xx,
// 429, network errors) are tolerated a few times in a row; any other
// failure ends the login.
//
// The token is a legacy token issued to opts.ClientIdentifier; save it
// with [LoginResult.Credentials].
func LoginWithPIN(ctx context.Context, sdk *plexgo.PlexAPI, opts PINOptions) (*LoginResult, error) {
	var err error
	if opts.ClientIdentifier, err = sdkClientID(sdk, opts.ClientIdentifier, "PIN login", "PINOptions.ClientIdentifier"); err != nil {
		return nil, err
	}
	token, id, err := runPIN(ctx, sdk, opts, pinFlow{label: "PIN login",
		poll: func(ctx context.Context, id int64) (*operations.GetPinResponse, error) {
			return sdk.Plex.GetPin(ctx, id)
		},
	})
	if err != nil {
		return nil, err
	}
	return readAccount(ctx, sdk, "PIN login", id, token)
}

// pinFlow is what differs between the PIN flows: the label in errors, the
// JWK sent with the new PIN (JWT device authentication), and how a poll
// is made.
type pinFlow struct {
	label string
	jwk   *operations.JWK
	poll  func(ctx context.Context, id int64) (*operations.GetPinResponse, error)
}

// runPIN validates opts, creates the PIN, reports the prompt, and polls
// until the PIN carries a token, expires, or ctx ends. It returns the token
// and the PIN id.
func runPIN(ctx context.Context, sdk *plexgo.PlexAPI, opts PINOptions, flow pinFlow) (string, int64, error) {
	switch {
	case sdk == nil:
		return "", 0, fmt.Errorf("auth: %s: nil SDK", flow.label)
	case opts.ClientIdentifier == "":
		return "", 0, fmt.Errorf("auth: %s: PINOptions.ClientIdentifier is required", flow.label)
	case opts.PollInterval < 0:
		return "", 0, fmt.Errorf("auth: %s: negative poll interval %s", flow.label, opts.PollInterval)
	case opts.AuthAppURL != "" && !absoluteHTTP(opts.AuthAppURL):
		return "", 0, fmt.Errorf("auth: %s: PINOptions.AuthAppURL must be an absolute http(s) URL", flow.label)
	case opts.LinkURL != "" && !absoluteHTTP(opts.LinkURL):
		return "", 0, fmt.Errorf("auth: %s: PINOptions.LinkURL must be an absolute http(s) URL", flow.label)
	case opts.ForwardURL != "" && !absoluteHTTP(opts.ForwardURL):
		return "", 0, fmt.Errorf("auth: %s: PINOptions.ForwardURL must be an absolute http(s) URL", flow.label)
	}
	interval := opts.PollInterval
	if interval == 0 {
		interval = DefaultPINPollInterval
	}
	interval = max(interval, MinPINPollInterval)
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	sleep := opts.Sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	product := opts.Product
	if product == "" {
		product = "plexgo"
	}

	created, err := sdk.Plex.CreatePin(ctx, operations.CreatePinRequest{Strong: !opts.Short, JWK: flow.jwk})
	if err != nil {
		return "", 0, fmt.Errorf("auth: %s: creating the PIN: %w", flow.label, err)
	}
	pin := created.Pin
	if pin == nil || pin.ID == 0 || pin.Code == "" {
		return "", 0, fmt.Errorf("auth: %s: creating the PIN: %w: no PIN id or code in the answer", flow.label, sdkerrors.ErrUnexpectedContent)
	}
	if pin.ClientIdentifier != "" && pin.ClientIdentifier != opts.ClientIdentifier {
		return "", 0, fmt.Errorf("auth: %s: PINOptions.ClientIdentifier %q differs from the client identifier the SDK sent (%q); use the same value for plexgo.WithXPlexClientIdentifier",
			flow.label, opts.ClientIdentifier, pin.ClientIdentifier)
	}

	start := now()
	var expires time.Time
	switch {
	case pin.ExpiresIn > 0:
		expires = start.Add(time.Duration(pin.ExpiresIn) * time.Second)
	case !pin.ExpiresAt.IsZero():
		expires = pin.ExpiresAt
	case opts.Short:
		expires = start.Add(fallbackShortPINLife)
	default:
		expires = start.Add(fallbackStrongPINLife)
	}
	prompt := PINPrompt{ID: pin.ID, Code: pin.Code, ExpiresAt: expires, Strong: !opts.Short}
	if opts.Short {
		prompt.URL = opts.LinkURL
		if prompt.URL == "" {
			prompt.URL = DefaultLinkURL
		}
	} else {
		prompt.URL = AuthAppURL(opts.AuthAppURL, opts.ClientIdentifier, pin.Code, product, opts.ForwardURL)
	}
	if opts.OnPrompt != nil {
		opts.OnPrompt(prompt)
	}
	token, err := pollPIN(ctx, flow, pin.ID, expires, interval, now, sleep, opts.OnPoll)
	return token, pin.ID, err
}

// pollPIN polls the PIN until it carries a token, expires, or ctx ends.
// The number of polls is bounded by the PIN's lifetime and the interval;
// 429, 5xx and network failures are tolerated up to maxPINPollFailures in
// a row, and a Retry-After stretches the wait.
func pollPIN(ctx context.Context, flow pinFlow, id int64, expires time.Time, interval time.Duration,
	now func() time.Time, sleep func(context.Context, time.Duration) error, onPoll func(int, time.Duration),
) (string, error) {
	expired := func() error {
		return fmt.Errorf("auth: %s: PIN %d: %w", flow.label, id, ErrPINExpired)
	}
	wait := interval
	failures := 0
	for attempt := 1; ; attempt++ {
		remaining := expires.Sub(now())
		if remaining <= 0 {
			return "", expired()
		}
		if err := sleep(ctx, min(wait, remaining)); err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return "", fmt.Errorf("auth: %s: %w", flow.label, ctxErr)
			}
			return "", fmt.Errorf("auth: %s: waiting: %w", flow.label, err)
		}
		remaining = expires.Sub(now())
		if remaining <= 0 {
			return "", expired()
		}
		if onPoll != nil {
			onPoll(attempt, remaining)
		}
		res, err := flow.poll(ctx, id)
		wait = interval
		switch {
		case err == nil:
			failures = 0
			if res.Pin.Approved() {
				return *res.Pin.AuthToken, nil
			}
		case ctx.Err() != nil:
			return "", fmt.Errorf("auth: %s: %w", flow.label, ctx.Err())
		case errors.Is(err, sdkerrors.ErrPINNotFound):
			return "", fmt.Errorf("auth: %s: PIN %d: %w: %w", flow.label, id, ErrPINExpired, err)
		case transientPollError(err):
			failures++
			if failures >= maxPINPollFailures {
				return "", fmt.Errorf("auth: %s: PIN %d: %d polls in a row failed: %w", flow.label, id, failures, err)
			}
			var apiErr *sdkerrors.APIError
			if errors.As(err, &apiErr) && apiErr.RetryAfter > wait {
				wait = apiErr.RetryAfter
			}
		default:
			return "", fmt.Errorf("auth: %s: PIN %d: %w", flow.label, id, err)
		}
	}
}

// transientPollError reports whether a failed poll is worth repeating:
// 429, 5xx, an unreadable answer, or a failure before any answer.
func transientPollError(err error) bool {
	var apiErr *sdkerrors.APIError
	if !errors.As(err, &apiErr) {
		return true // network error or undecodable body
	}
	return apiErr.Temporary()
}

// sleepCtx waits d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error { return ctxsleep.Sleep(ctx, d) }

// absoluteHTTP reports whether raw is an absolute http(s) URL without
// userinfo.
func absoluteHTTP(raw string) bool { return urlcheck.Valid(raw) }
