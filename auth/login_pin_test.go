package auth_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/models/sdkerrors"
	"github.com/plexkit/plexgo/plextest"
	"github.com/plexkit/plexgo/retry"
)

// ---- helpers shared by the flow tests ----

// flowSDK returns a client of the fake that sends clientID.
func flowSDK(fake *plextest.Server, clientID string, opts ...plexgo.SDKOption) *plexgo.PlexAPI {
	base := []plexgo.SDKOption{
		plexgo.WithPlexTVURL(fake.PlexTVURL),
		plexgo.WithServerURL(fake.PMSURL),
		plexgo.WithXPlexClientIdentifier(clientID),
	}
	return plexgo.New(append(base, opts...)...)
}

// flowCtx bounds a test: nothing in these tests should take long.
func flowCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// account returns a seeded account of the fake.
func flowAccount(t *testing.T, fake *plextest.Server, login string) plextest.Account {
	t.Helper()
	a, ok := fake.Account(login)
	if !ok {
		t.Fatalf("no seeded account %s", login)
	}
	return a
}

// flowWaitFor polls cond every few milliseconds for at most 10 seconds. It is
// safe to call from any goroutine.
func flowWaitFor(t *testing.T, what string, cond func() bool) bool {
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Errorf("timed out waiting for %s", what)
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
	return true
}

// flowNoSecret fails when any secret appears in the error's text. It
// never prints the secret itself.
func flowNoSecret(t *testing.T, err error, secrets ...string) {
	t.Helper()
	if err == nil {
		return
	}
	texts := []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)}
	for i, s := range secrets {
		if s == "" {
			continue
		}
		for _, txt := range texts {
			if strings.Contains(txt, s) {
				t.Errorf("secret #%d leaked into an error's text", i)
				break
			}
		}
	}
}

func flowPinPath(id int64) string { return "/api/v2/pins/" + strconv.FormatInt(id, 10) }

// flowClockSleeper is a PINOptions.Sleep that returns at once and advances a
// fake clock by the requested wait, recording it.
type flowClockSleeper struct {
	clock *plextest.FakeClock
	mu    sync.Mutex
	waits []time.Duration
}

func newFlowClockSleeper() *flowClockSleeper {
	return &flowClockSleeper{clock: plextest.NewFakeClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))}
}

func (c *flowClockSleeper) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	c.waits = append(c.waits, d)
	c.mu.Unlock()
	c.clock.Advance(d)
	return nil
}

func (c *flowClockSleeper) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

// flowStepper is a PINOptions.Sleep driven by the test: each wait announces
// itself on entered, then lasts until the test releases it. Because the
// flow only waits after a poll has returned, receiving from entered proves
// every earlier poll is finished.
type flowStepper struct {
	entered chan time.Duration
	release chan struct{}
}

func newFlowStepper() *flowStepper {
	return &flowStepper{entered: make(chan time.Duration), release: make(chan struct{})}
}

func (s *flowStepper) Sleep(ctx context.Context, d time.Duration) error {
	select {
	case s.entered <- d:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-s.release:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// waitSleeping blocks until the flow is waiting between polls.
func (s *flowStepper) waitSleeping(t *testing.T) bool {
	select {
	case <-s.entered:
		return true
	case <-time.After(10 * time.Second):
		t.Error("the flow never started waiting")
		return false
	}
}

// step ends the current wait.
func (s *flowStepper) step(t *testing.T) bool {
	select {
	case s.release <- struct{}{}:
		return true
	case <-time.After(10 * time.Second):
		t.Error("the flow never took the step")
		return false
	}
}

// ---- PIN login ----

func TestLoginWithPINApprovedAfterPolls(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	alice := flowAccount(t, fake, plextest.DefaultLogin)
	sdk := flowSDK(fake, "pin-client")
	ctx := flowCtx(t)

	st := newFlowStepper()
	prompts := make(chan auth.PINPrompt, 1)
	var mu sync.Mutex
	var attempts []int
	driverDone := make(chan struct{})
	go func() {
		defer close(driverDone)
		var p auth.PINPrompt
		select {
		case p = <-prompts:
		case <-time.After(10 * time.Second):
			t.Error("no prompt")
			return
		}
		// Two polls find the PIN pending, then the user approves it.
		for range 2 {
			if !st.waitSleeping(t) || !st.step(t) {
				return
			}
		}
		if !st.waitSleeping(t) {
			return
		}
		if err := fake.ApprovePIN(p.Code, alice.AuthToken); err != nil {
			t.Errorf("ApprovePIN: %v", err)
		}
		st.step(t)
	}()

	var prompt auth.PINPrompt
	res, err := auth.LoginWithPIN(ctx, sdk, auth.PINOptions{
		ClientIdentifier: "pin-client",
		Product:          "Test App",
		Sleep:            st.Sleep,
		OnPrompt: func(p auth.PINPrompt) {
			prompt = p
			prompts <- p
		},
		OnPoll: func(attempt int, remaining time.Duration) {
			if remaining <= 0 {
				t.Errorf("poll %d: remaining %s", attempt, remaining)
			}
			mu.Lock()
			attempts = append(attempts, attempt)
			mu.Unlock()
		},
	})
	<-driverDone
	if err != nil {
		t.Fatalf("LoginWithPIN: %v", err)
	}
	if res.Token == "" || res.Account == nil || res.Account.Username != plextest.DefaultUsername {
		t.Fatalf("result = %v, want alice with a token", res)
	}
	if got := fake.CountRequests("GET", flowPinPath(prompt.ID)); got != 3 {
		t.Errorf("PIN polls = %d, want 3", got)
	}
	if fmt.Sprint(attempts) != "[1 2 3]" {
		t.Errorf("OnPoll attempts = %v, want [1 2 3]", attempts)
	}
	if !prompt.Strong || len(prompt.Code) < 8 {
		t.Errorf("prompt = %+v, want a strong PIN", prompt)
	}
	if want := auth.AuthAppURL(auth.DefaultAuthAppURL, "pin-client", prompt.Code, "Test App", ""); prompt.URL != want {
		t.Errorf("prompt URL = %q, want %q", prompt.URL, want)
	}
	for _, r := range fake.Requests() {
		if r.Method == "POST" && r.Path == "/api/v2/pins" && r.Query.Get("strong") != "true" {
			t.Errorf("PIN created without strong=true: query %v", r.Query)
		}
	}

	// The token works on its own.
	own := flowSDK(fake, "pin-client", plexgo.WithSecurity(res.Token))
	details, err := own.Authentication.GetTokenDetails(ctx)
	if err != nil {
		t.Fatalf("GetTokenDetails with the new token: %v", err)
	}
	if details.UserPlexAccount.ID != alice.ID {
		t.Errorf("token belongs to account %d, want %d", details.UserPlexAccount.ID, alice.ID)
	}
	if res.Token == alice.AuthToken {
		t.Error("the PIN token is the seed device's token; want one issued to pin-client")
	}
}

func TestLoginWithPINLinkedBySecondAccount(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	bob := flowAccount(t, fake, plextest.TwoFactorLogin)
	sdk := flowSDK(fake, "tv-device")
	approver := flowSDK(fake, "phone", plexgo.WithSecurity(bob.AuthToken))
	ctx := flowCtx(t)

	linked := make(chan error, 1)
	res, err := auth.LoginWithPIN(ctx, sdk, auth.PINOptions{
		ClientIdentifier: "tv-device",
		PollInterval:     auth.MinPINPollInterval,
		OnPrompt: func(p auth.PINPrompt) {
			go func() {
				// Like a user typing the code on their phone, a moment later.
				if !flowWaitFor(t, "first poll", func() bool { return fake.CountRequests("GET", flowPinPath(p.ID)) >= 1 }) {
					linked <- errors.New("no poll")
					return
				}
				_, err := approver.Plex.LinkPin(ctx, p.Code)
				linked <- err
			}()
		},
	})
	if lerr := <-linked; lerr != nil {
		t.Fatalf("LinkPin: %v", lerr)
	}
	if err != nil {
		t.Fatalf("LoginWithPIN: %v", err)
	}
	if res.Account.ID != bob.ID {
		t.Fatalf("logged in as %d, want bob (%d)", res.Account.ID, bob.ID)
	}
	v, acct, err := auth.ValidateToken(ctx, sdk, res.Token)
	if err != nil || v != auth.ValidityValid || acct.ID != bob.ID {
		t.Fatalf("ValidateToken(new token) = %v, %v, %v; want valid bob", v, acct, err)
	}
}

func TestLoginWithPINShortCode(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	alice := flowAccount(t, fake, plextest.DefaultLogin)
	sdk := flowSDK(fake, "short-client")
	sl := newFlowClockSleeper()
	ctx := flowCtx(t)

	var prompt auth.PINPrompt
	res, err := auth.LoginWithPIN(ctx, sdk, auth.PINOptions{
		ClientIdentifier: "short-client",
		Short:            true,
		Now:              sl.clock.Now,
		Sleep:            sl.Sleep,
		OnPrompt:         func(p auth.PINPrompt) { prompt = p },
		OnPoll: func(attempt int, _ time.Duration) {
			if attempt == 2 {
				if err := fake.ApprovePIN(prompt.Code, alice.AuthToken); err != nil {
					t.Errorf("ApprovePIN: %v", err)
				}
			}
		},
	})
	if err != nil {
		t.Fatalf("LoginWithPIN: %v", err)
	}
	if res.Account.ID != alice.ID {
		t.Errorf("logged in as %d, want alice", res.Account.ID)
	}
	if prompt.Strong || len(prompt.Code) != 4 || prompt.URL != auth.DefaultLinkURL {
		t.Errorf("prompt = %+v, want a 4-character code for %s", prompt, auth.DefaultLinkURL)
	}
	if got := fake.CountRequests("GET", flowPinPath(prompt.ID)); got != 2 {
		t.Errorf("PIN polls = %d, want 2", got)
	}
	for _, r := range fake.Requests() {
		if r.Method == "POST" && r.Path == "/api/v2/pins" && r.Query.Get("strong") != "" {
			t.Errorf("short PIN created with strong=%q", r.Query.Get("strong"))
		}
	}
}

func TestLoginWithPINExpiredOnServer(t *testing.T) {
	t.Parallel()
	sl := newFlowClockSleeper()
	fake := plextest.NewServer(t, plextest.WithClock(sl.clock))
	sdk := flowSDK(fake, "expiry-client")
	ctx := flowCtx(t)

	var prompt auth.PINPrompt
	_, err := auth.LoginWithPIN(ctx, sdk, auth.PINOptions{
		ClientIdentifier: "expiry-client",
		Now:              sl.clock.Now,
		Sleep:            sl.Sleep,
		OnPrompt:         func(p auth.PINPrompt) { prompt = p },
		OnPoll: func(attempt int, _ time.Duration) {
			if attempt == 3 {
				if err := fake.ExpirePIN(prompt.ID); err != nil {
					t.Errorf("ExpirePIN: %v", err)
				}
			}
		},
	})
	if !errors.Is(err, auth.ErrPINExpired) {
		t.Fatalf("err = %v, want ErrPINExpired", err)
	}
	if !errors.Is(err, sdkerrors.ErrPINNotFound) {
		t.Errorf("err = %v, want it to wrap the 404 (ErrPINNotFound)", err)
	}
	if got := fake.CountRequests("GET", flowPinPath(prompt.ID)); got != 3 {
		t.Errorf("PIN polls = %d, want 3", got)
	}
	flowNoSecret(t, err, prompt.Code)
}

func TestLoginWithPINLifetimeRunsOut(t *testing.T) {
	t.Parallel()
	sl := newFlowClockSleeper()
	fake := plextest.NewServer(t, plextest.WithClock(sl.clock), plextest.WithPINLifetime(5*time.Second, 5*time.Second))
	sdk := flowSDK(fake, "lifetime-client")
	ctx := flowCtx(t)

	var prompt auth.PINPrompt
	_, err := auth.LoginWithPIN(ctx, sdk, auth.PINOptions{
		ClientIdentifier: "lifetime-client",
		PollInterval:     time.Second,
		Now:              sl.clock.Now,
		Sleep:            sl.Sleep,
		OnPrompt:         func(p auth.PINPrompt) { prompt = p },
	})
	if !errors.Is(err, auth.ErrPINExpired) {
		t.Fatalf("err = %v, want ErrPINExpired", err)
	}
	if want := sl.clock.Now(); !prompt.ExpiresAt.Equal(want) {
		t.Errorf("prompt.ExpiresAt = %s, want %s (creation + 5s)", prompt.ExpiresAt, want)
	}
	// Polls at +1s … +4s; at +5s the PIN is over without asking.
	if got := fake.CountRequests("GET", flowPinPath(prompt.ID)); got != 4 {
		t.Errorf("PIN polls = %d, want 4", got)
	}
}

// A PIN whose lifetime is over ends the login even when the server keeps
// answering "pending" (some reports say plex.tv answers 200 for expired
// PINs).
func TestLoginWithPINLocalDeadline(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t) // real clock: the fake never expires the PIN here
	sdk := flowSDK(fake, "deadline-client")
	sl := newFlowClockSleeper()
	ctx := flowCtx(t)

	var prompt auth.PINPrompt
	_, err := auth.LoginWithPIN(ctx, sdk, auth.PINOptions{
		ClientIdentifier: "deadline-client",
		PollInterval:     10 * time.Minute,
		Now:              sl.clock.Now,
		Sleep:            sl.Sleep,
		OnPrompt:         func(p auth.PINPrompt) { prompt = p },
	})
	if !errors.Is(err, auth.ErrPINExpired) {
		t.Fatalf("err = %v, want ErrPINExpired", err)
	}
	if errors.Is(err, sdkerrors.ErrPINNotFound) {
		t.Errorf("err = %v; the server never said 404", err)
	}
	// Strong PINs live 1800 s on the fake: polls at +600 s and +1200 s.
	if got := fake.CountRequests("GET", flowPinPath(prompt.ID)); got != 2 {
		t.Errorf("PIN polls = %d, want 2", got)
	}
}

func TestLoginWithPINCancelWhileWaiting(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := flowSDK(fake, "cancel-client")
	ctx, cancel := context.WithCancel(flowCtx(t))
	defer cancel()

	st := newFlowStepper()
	go func() {
		// One poll, then the user gives up while the flow waits.
		if st.waitSleeping(t) && st.step(t) && st.waitSleeping(t) {
			cancel()
		}
	}()
	var prompt auth.PINPrompt
	_, err := auth.LoginWithPIN(ctx, sdk, auth.PINOptions{
		ClientIdentifier: "cancel-client",
		Sleep:            st.Sleep,
		OnPrompt:         func(p auth.PINPrompt) { prompt = p },
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if got := fake.CountRequests("GET", flowPinPath(prompt.ID)); got != 1 {
		t.Errorf("PIN polls = %d, want 1", got)
	}
}

func TestLoginWithPINCancelRealTimer(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := flowSDK(fake, "cancel-timer-client")
	ctx, cancel := context.WithCancel(flowCtx(t))
	defer cancel()

	ids := make(chan int64, 1)
	go func() {
		id := <-ids
		if flowWaitFor(t, "a poll", func() bool { return fake.CountRequests("GET", flowPinPath(id)) >= 1 }) {
			cancel()
		}
	}()
	var prompt auth.PINPrompt
	_, err := auth.LoginWithPIN(ctx, sdk, auth.PINOptions{
		ClientIdentifier: "cancel-timer-client",
		PollInterval:     auth.MinPINPollInterval,
		OnPrompt: func(p auth.PINPrompt) {
			prompt = p
			ids <- p.ID
		},
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	n := fake.CountRequests("GET", flowPinPath(prompt.ID))
	if n < 1 {
		t.Errorf("PIN polls = %d, want at least 1", n)
	}
	// Nothing polls once LoginWithPIN has returned: check again after more
	// than one interval.
	time.Sleep(3 * auth.MinPINPollInterval)
	if got := fake.CountRequests("GET", flowPinPath(prompt.ID)); got != n {
		t.Errorf("polls went on after return: %d, then %d", n, got)
	}
}

// Cancelling during a slow poll ends the request in flight.
func TestLoginWithPINCancelDuringRequest(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := flowSDK(fake, "inflight-client")
	ctx, cancel := context.WithCancel(flowCtx(t))
	defer cancel()

	sl := newFlowClockSleeper()
	ids := make(chan int64, 1)
	go func() {
		id := <-ids
		if flowWaitFor(t, "the slow poll", func() bool { return fake.CountRequests("GET", flowPinPath(id)) >= 1 }) {
			cancel()
		}
	}()
	start := time.Now()
	_, err := auth.LoginWithPIN(ctx, sdk, auth.PINOptions{
		ClientIdentifier: "inflight-client",
		Now:              sl.clock.Now,
		Sleep:            sl.Sleep,
		OnPrompt: func(p auth.PINPrompt) {
			fake.InjectFault("GET "+flowPinPath(p.ID), plextest.Fault{Latency: time.Minute})
			ids <- p.ID
		},
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d >= time.Minute {
		t.Errorf("returned after %s: the request in flight was not cancelled", d)
	}
}

func TestLoginWithPINPollInterval(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		interval time.Duration
		want     time.Duration
	}{
		{"default", 0, auth.DefaultPINPollInterval},
		{"raised to the minimum", 10 * time.Millisecond, auth.MinPINPollInterval},
		{"as given", 3 * time.Second, 3 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := plextest.NewServer(t)
			alice := flowAccount(t, fake, plextest.DefaultLogin)
			sdk := flowSDK(fake, "interval-client")
			sl := newFlowClockSleeper()
			var prompt auth.PINPrompt
			_, err := auth.LoginWithPIN(flowCtx(t), sdk, auth.PINOptions{
				ClientIdentifier: "interval-client",
				PollInterval:     tc.interval,
				Now:              sl.clock.Now,
				Sleep:            sl.Sleep,
				OnPrompt:         func(p auth.PINPrompt) { prompt = p },
				OnPoll: func(attempt int, _ time.Duration) {
					if attempt == 5 {
						_ = fake.ApprovePIN(prompt.Code, alice.AuthToken)
					}
				},
			})
			if err != nil {
				t.Fatalf("LoginWithPIN: %v", err)
			}
			waits := sl.Waits()
			if len(waits) != 5 {
				t.Fatalf("waits = %v, want 5", waits)
			}
			for i, w := range waits {
				if w != tc.want {
					t.Errorf("wait %d = %s, want %s", i, w, tc.want)
				}
			}
			if got := fake.CountRequests("GET", flowPinPath(prompt.ID)); got != 5 {
				t.Errorf("PIN polls = %d, want 5", got)
			}
		})
	}
}

// With the real timer, polls are at least the minimum interval apart: over
// a window the count stays below window/interval (+1 for rounding).
func TestLoginWithPINPollRateRealTimer(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := flowSDK(fake, "rate-client")
	ctx, cancel := context.WithTimeout(flowCtx(t), time.Second)
	defer cancel()

	var prompt auth.PINPrompt
	start := time.Now()
	_, err := auth.LoginWithPIN(ctx, sdk, auth.PINOptions{
		ClientIdentifier: "rate-client",
		PollInterval:     time.Millisecond, // raised to MinPINPollInterval
		OnPrompt:         func(p auth.PINPrompt) { prompt = p },
	})
	elapsed := time.Since(start)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	polls := fake.CountRequests("GET", flowPinPath(prompt.ID))
	if limit := int(elapsed/auth.MinPINPollInterval) + 1; polls > limit {
		t.Errorf("%d polls in %s, want at most %d", polls, elapsed, limit)
	}
}

func TestLoginWithPINTransientPollErrors(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	alice := flowAccount(t, fake, plextest.DefaultLogin)
	sdk := flowSDK(fake, "flaky-client", plexgo.WithRetryConfig(retry.None()))
	sl := newFlowClockSleeper()

	var prompt auth.PINPrompt
	res, err := auth.LoginWithPIN(flowCtx(t), sdk, auth.PINOptions{
		ClientIdentifier: "flaky-client",
		Now:              sl.clock.Now,
		Sleep:            sl.Sleep,
		OnPrompt: func(p auth.PINPrompt) {
			prompt = p
			fake.InjectFault("GET "+flowPinPath(p.ID), plextest.Fault{Statuses: []int{503, 429}, RetryAfter: "7"})
		},
		OnPoll: func(attempt int, _ time.Duration) {
			if attempt == 3 {
				_ = fake.ApprovePIN(prompt.Code, alice.AuthToken)
			}
		},
	})
	if err != nil {
		t.Fatalf("LoginWithPIN: %v", err)
	}
	if res.Account.ID != alice.ID {
		t.Errorf("logged in as %d", res.Account.ID)
	}
	if got := fake.CountRequests("GET", flowPinPath(prompt.ID)); got != 3 {
		t.Errorf("PIN polls = %d, want 3", got)
	}
	// Retry-After: 7 on the failed polls stretches the next wait.
	if w := sl.Waits(); len(w) != 3 || w[0] != time.Second || w[1] != 7*time.Second || w[2] != 7*time.Second {
		t.Errorf("waits = %v, want [1s 7s 7s]", w)
	}
}

func TestLoginWithPINTooManyPollErrors(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := flowSDK(fake, "broken-client", plexgo.WithRetryConfig(retry.None()))
	sl := newFlowClockSleeper()

	var prompt auth.PINPrompt
	_, err := auth.LoginWithPIN(flowCtx(t), sdk, auth.PINOptions{
		ClientIdentifier: "broken-client",
		Now:              sl.clock.Now,
		Sleep:            sl.Sleep,
		OnPrompt: func(p auth.PINPrompt) {
			prompt = p
			fake.InjectFault("GET "+flowPinPath(p.ID), plextest.Fault{Statuses: []int{500, 502, 503, 504, 500, 500, 500}})
		},
	})
	if !errors.Is(err, sdkerrors.ErrServer) || errors.Is(err, auth.ErrPINExpired) {
		t.Fatalf("err = %v, want ErrServer", err)
	}
	if got := fake.CountRequests("GET", flowPinPath(prompt.ID)); got != 5 {
		t.Errorf("PIN polls = %d, want 5", got)
	}
}

func TestLoginWithPINPermanentPollError(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := flowSDK(fake, "denied-client")
	sl := newFlowClockSleeper()

	var prompt auth.PINPrompt
	_, err := auth.LoginWithPIN(flowCtx(t), sdk, auth.PINOptions{
		ClientIdentifier: "denied-client",
		Now:              sl.clock.Now,
		Sleep:            sl.Sleep,
		OnPrompt: func(p auth.PINPrompt) {
			prompt = p
			fake.InjectFault("GET "+flowPinPath(p.ID), plextest.Fault{Statuses: []int{403}})
		},
	})
	if !errors.Is(err, sdkerrors.ErrForbidden) {
		t.Fatalf("err = %v, want ErrForbidden", err)
	}
	if got := fake.CountRequests("GET", flowPinPath(prompt.ID)); got != 1 {
		t.Errorf("PIN polls = %d, want 1", got)
	}
}

func TestLoginWithPINBadInput(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := flowSDK(fake, "input-client")
	ctx := flowCtx(t)
	for _, tc := range []struct {
		name string
		sdk  *plexgo.PlexAPI
		opts auth.PINOptions
	}{
		{"nil SDK", nil, auth.PINOptions{ClientIdentifier: "input-client"}},
		// Empty means the SDK's (issue 13): an error only when the SDK has
		// none either, and a value differing from the SDK's is an error.
		{"no client identifier", flowSDK(fake, ""), auth.PINOptions{}},
		{"client identifier differs from the SDK's", sdk, auth.PINOptions{ClientIdentifier: "other-client"}},
		{"negative interval", sdk, auth.PINOptions{ClientIdentifier: "input-client", PollInterval: -time.Second}},
		{"relative auth app URL", sdk, auth.PINOptions{ClientIdentifier: "input-client", AuthAppURL: "app.plex.tv/auth"}},
		{"bad link URL", sdk, auth.PINOptions{ClientIdentifier: "input-client", LinkURL: "ftp://plex.tv/link"}},
		{"bad forward URL", sdk, auth.PINOptions{ClientIdentifier: "input-client", ForwardURL: "::"}},
	} {
		res, err := auth.LoginWithPIN(ctx, tc.sdk, tc.opts)
		if err == nil || res != nil {
			t.Errorf("%s: got %v, %v; want an error", tc.name, res, err)
		}
	}
	if n := len(fake.Requests()); n != 0 {
		t.Errorf("%d requests sent for bad input", n)
	}
}

func TestLoginWithPINClientIdentifierMismatch(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := flowSDK(fake, "sdk-client")
	called := false
	_, err := auth.LoginWithPIN(flowCtx(t), sdk, auth.PINOptions{
		ClientIdentifier: "other-client",
		OnPrompt:         func(auth.PINPrompt) { called = true },
	})
	if err == nil || !strings.Contains(err.Error(), "sdk-client") || !strings.Contains(err.Error(), "other-client") {
		t.Fatalf("err = %v, want a mismatch error naming both identifiers", err)
	}
	if called {
		t.Error("OnPrompt called for a PIN that cannot be used")
	}
}

func TestLoginWithPINNoClientIdentifierInSDK(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := plexgo.New(plexgo.WithPlexTVURL(fake.PlexTVURL))
	_, err := auth.LoginWithPIN(flowCtx(t), sdk, auth.PINOptions{ClientIdentifier: "x"})
	if !errors.Is(err, sdkerrors.ErrClientIdentifierMissing) {
		t.Fatalf("err = %v, want ErrClientIdentifierMissing", err)
	}
}

// ---- AuthAppURL ----

func TestAuthAppURL(t *testing.T) {
	t.Parallel()
	got := auth.AuthAppURL("", "my-client", "abc123", "My App", "")
	want := "https://app.plex.tv/auth#?clientID=my-client&code=abc123&context%5Bdevice%5D%5Bproduct%5D=My%20App"
	if got != want {
		t.Errorf("AuthAppURL = %q, want %q", got, want)
	}

	got = auth.AuthAppURL("http://127.0.0.1:1/auth#?", "id&x=1", "c o+de", "", "https://example.com/done?a=1&b=2")
	u, err := url.Parse(got)
	if err != nil {
		t.Fatalf("unparseable URL %q: %v", got, err)
	}
	if u.Scheme != "http" || u.Host != "127.0.0.1:1" || u.Path != "/auth" {
		t.Errorf("base of %q is wrong", got)
	}
	frag, ok := strings.CutPrefix(u.EscapedFragment(), "?")
	if !ok {
		t.Fatalf("fragment of %q does not start with '?'", got)
	}
	q, err := url.ParseQuery(frag)
	if err != nil {
		t.Fatalf("fragment query of %q: %v", got, err)
	}
	if q.Get("clientID") != "id&x=1" || q.Get("code") != "c o+de" || q.Get("forwardUrl") != "https://example.com/done?a=1&b=2" {
		t.Errorf("values do not round-trip: %v", q)
	}
	if q.Has("context[device][product]") || q.Has("x") {
		t.Errorf("unexpected parameters: %v", q)
	}
}

// ---- LoginResult ----

func TestLoginResultNeverPrintsToken(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := flowSDK(fake, "print-client")
	res, err := auth.LoginWithPassword(flowCtx(t), sdk, auth.PasswordOptions{
		Login: plextest.DefaultLogin, Password: plextest.DefaultPassword,
	})
	if err != nil {
		t.Fatalf("LoginWithPassword: %v", err)
	}
	tok := res.Token
	outs := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d", "%T"} {
		outs[verb] = fmt.Sprintf(verb, res)
		outs["*"+verb] = fmt.Sprintf(verb, *res)
	}
	outs["String"] = res.String()
	outs["GoString"] = res.GoString()
	outs["Account"] = fmt.Sprintf("%+v", res.Account)
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("login", "result", res)
	outs["slog"] = buf.String()
	for name, out := range outs {
		if strings.Contains(out, tok) {
			t.Errorf("%s output: token leaked", name)
		}
	}
	if !strings.Contains(outs["%v"], "alice") || !strings.Contains(outs["%v"], "REDACTED") {
		t.Errorf("%%v = %q, want the username and a redaction marker", outs["%v"])
	}

	c := res.Credentials("print-client")
	if c.Token != tok || c.Kind != auth.TokenKindLegacy || c.ClientIdentifier != "print-client" ||
		c.AccountID != res.Account.ID || c.AccountUUID != res.Account.UUID || c.Username != "alice" || c.Email != plextest.DefaultLogin {
		t.Errorf("Credentials = %v", c)
	}
	store := auth.NewMemoryStore()
	if err := store.Save(flowCtx(t), auth.DefaultProfile, c); err != nil {
		t.Errorf("saving the credentials: %v", err)
	}
	var nilRes *auth.LoginResult
	if c := nilRes.Credentials("x"); c.Token != "" || c.ClientIdentifier != "x" {
		t.Errorf("nil result credentials = %v", c)
	}
}
