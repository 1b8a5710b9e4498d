package auth_test

import (
	"context"
	"errors"
	"fmt"
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

const flowSignInPath = "/api/v2/users/signin"

// flowEagerRetries is a policy that would resend anything, sign-in included:
// the flows must send credentials once even with it.
func flowEagerRetries() retry.Config {
	return retry.Config{
		MaxAttempts: 5, InitialInterval: time.Millisecond, MaxInterval: time.Millisecond,
		RetryConnectionErrors: true, RetryNonIdempotent: true, MaxRetryAfter: time.Hour,
	}
}

// flowCodeAsker records the calls of PasswordOptions.AskCode and answers them
// from a list.
type flowCodeAsker struct {
	mu      sync.Mutex
	answers []string
	calls   []bool // the wrong flag of each call
}

func (a *flowCodeAsker) AskCode(_ context.Context, wrong bool) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls = append(a.calls, wrong)
	if len(a.answers) == 0 {
		return "", errors.New("no more codes")
	}
	c := a.answers[0]
	a.answers = a.answers[1:]
	return c, nil
}

func (a *flowCodeAsker) Calls() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return fmt.Sprint(a.calls)
}

func TestLoginWithPassword(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	alice := flowAccount(t, fake, plextest.DefaultLogin)
	sdk := flowSDK(fake, "pw-client")
	ctx := flowCtx(t)

	res, err := auth.LoginWithPassword(ctx, sdk, auth.PasswordOptions{
		Login: plextest.DefaultLogin, Password: plextest.DefaultPassword, RememberMe: true,
	})
	if err != nil {
		t.Fatalf("LoginWithPassword: %v", err)
	}
	if res.Account == nil || res.Account.ID != alice.ID || res.Token == "" || res.Account.AuthToken != res.Token {
		t.Fatalf("result = %v", res)
	}
	if got := fake.CountRequests("POST", flowSignInPath); got != 1 {
		t.Errorf("sign-in requests = %d, want 1", got)
	}
	for _, r := range fake.Requests() {
		if r.Path != flowSignInPath {
			continue
		}
		if r.Form.Get("login") != plextest.DefaultLogin || r.Form.Get("rememberMe") != "true" || r.Form.Has("verificationCode") {
			t.Errorf("sign-in form = %v", r.Form)
		}
	}
	if v, _, err := auth.ValidateToken(ctx, sdk, res.Token); v != auth.ValidityValid {
		t.Errorf("the new token is %v (%v)", v, err)
	}
}

func TestLoginWithPasswordAsksForCode(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	bob := flowAccount(t, fake, plextest.TwoFactorLogin)
	sdk := flowSDK(fake, "2fa-client")
	asker := &flowCodeAsker{answers: []string{" " + plextest.TwoFactorCode + "\n"}}

	res, err := auth.LoginWithPassword(flowCtx(t), sdk, auth.PasswordOptions{
		Login: plextest.TwoFactorLogin, Password: plextest.TwoFactorPassword, AskCode: asker.AskCode,
	})
	if err != nil {
		t.Fatalf("LoginWithPassword: %v", err)
	}
	if res.Account.ID != bob.ID {
		t.Errorf("logged in as %d, want bob", res.Account.ID)
	}
	if got := asker.Calls(); got != "[false]" {
		t.Errorf("AskCode calls (wrong flags) = %s, want [false]", got)
	}
	if got := fake.CountRequests("POST", flowSignInPath); got != 2 {
		t.Errorf("sign-in requests = %d, want 2", got)
	}
}

func TestLoginWithPasswordWrongThenRightCode(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := flowSDK(fake, "2fa-retry-client")
	asker := &flowCodeAsker{answers: []string{"000000", plextest.TwoFactorCode}}

	res, err := auth.LoginWithPassword(flowCtx(t), sdk, auth.PasswordOptions{
		Login: plextest.TwoFactorLogin, Password: plextest.TwoFactorPassword, AskCode: asker.AskCode,
	})
	if err != nil {
		t.Fatalf("LoginWithPassword: %v", err)
	}
	if res.Account.Username != "bob" {
		t.Errorf("logged in as %q", res.Account.Username)
	}
	if got := asker.Calls(); got != "[false true]" {
		t.Errorf("AskCode calls = %s, want [false true]", got)
	}
	if got := fake.CountRequests("POST", flowSignInPath); got != 3 {
		t.Errorf("sign-in requests = %d, want 3", got)
	}
}

func TestLoginWithPasswordCodeUpFront(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := flowSDK(fake, "2fa-flag-client")
	asker := &flowCodeAsker{}

	_, err := auth.LoginWithPassword(flowCtx(t), sdk, auth.PasswordOptions{
		Login: plextest.TwoFactorLogin, Password: plextest.TwoFactorPassword,
		VerificationCode: plextest.TwoFactorCode, AskCode: asker.AskCode,
	})
	if err != nil {
		t.Fatalf("LoginWithPassword: %v", err)
	}
	if got := asker.Calls(); got != "[]" {
		t.Errorf("AskCode called %s for a code given up front", got)
	}
	if got := fake.CountRequests("POST", flowSignInPath); got != 1 {
		t.Errorf("sign-in requests = %d, want 1", got)
	}
}

func TestLoginWithPasswordCodeRequiredWithoutAsker(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := flowSDK(fake, "2fa-noask-client")

	_, err := auth.LoginWithPassword(flowCtx(t), sdk, auth.PasswordOptions{
		Login: plextest.TwoFactorLogin, Password: plextest.TwoFactorPassword,
	})
	if !errors.Is(err, sdkerrors.ErrVerificationCodeRequired) {
		t.Fatalf("err = %v, want ErrVerificationCodeRequired", err)
	}
	if errors.Is(err, sdkerrors.ErrBadCredentials) || errors.Is(err, sdkerrors.ErrInvalidVerificationCode) {
		t.Errorf("err = %v matches another sign-in sentinel", err)
	}
	if got := fake.CountRequests("POST", flowSignInPath); got != 1 {
		t.Errorf("sign-in requests = %d, want 1", got)
	}
	flowNoSecret(t, err, plextest.TwoFactorPassword)

	// A wrong code given up front, without an asker: one request, invalid code.
	_, err = auth.LoginWithPassword(flowCtx(t), sdk, auth.PasswordOptions{
		Login: plextest.TwoFactorLogin, Password: plextest.TwoFactorPassword, VerificationCode: "999999",
	})
	if !errors.Is(err, sdkerrors.ErrInvalidVerificationCode) {
		t.Fatalf("err = %v, want ErrInvalidVerificationCode", err)
	}
	if got := fake.CountRequests("POST", flowSignInPath); got != 2 {
		t.Errorf("sign-in requests = %d, want 2", got)
	}
	flowNoSecret(t, err, plextest.TwoFactorPassword, "999999")
}

func TestLoginWithPasswordCodeAttemptsBounded(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		max       int
		wantCalls string
		wantReqs  int
	}{
		{0, "[false true true]", 4}, // default 3 codes
		{1, "[false]", 2},
		{2, "[false true]", 3},
	} {
		t.Run(fmt.Sprint("max=", tc.max), func(t *testing.T) {
			t.Parallel()
			fake := plextest.NewServer(t, plextest.WithSignInLockout(100, time.Minute))
			sdk := flowSDK(fake, "2fa-bounded-client")
			asker := &flowCodeAsker{answers: []string{"111111", "222222", "333333", "444444", "555555"}}
			_, err := auth.LoginWithPassword(flowCtx(t), sdk, auth.PasswordOptions{
				Login: plextest.TwoFactorLogin, Password: plextest.TwoFactorPassword,
				AskCode: asker.AskCode, MaxCodeAttempts: tc.max,
			})
			if !errors.Is(err, sdkerrors.ErrInvalidVerificationCode) {
				t.Fatalf("err = %v, want ErrInvalidVerificationCode", err)
			}
			if got := asker.Calls(); got != tc.wantCalls {
				t.Errorf("AskCode calls = %s, want %s", got, tc.wantCalls)
			}
			if got := fake.CountRequests("POST", flowSignInPath); got != tc.wantReqs {
				t.Errorf("sign-in requests = %d, want %d", got, tc.wantReqs)
			}
			flowNoSecret(t, err, plextest.TwoFactorPassword, "111111", "222222", "333333")
		})
	}
}

func TestLoginWithPasswordAskCodeAborts(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := flowSDK(fake, "2fa-abort-client")
	errAborted := errors.New("user pressed Ctrl-D")

	_, err := auth.LoginWithPassword(flowCtx(t), sdk, auth.PasswordOptions{
		Login: plextest.TwoFactorLogin, Password: plextest.TwoFactorPassword,
		AskCode: func(context.Context, bool) (string, error) { return "", errAborted },
	})
	if !errors.Is(err, errAborted) {
		t.Fatalf("err = %v, want the asker's error", err)
	}
	if got := fake.CountRequests("POST", flowSignInPath); got != 1 {
		t.Errorf("sign-in requests = %d, want 1", got)
	}

	// An empty code without an error also stops, as "code required".
	_, err = auth.LoginWithPassword(flowCtx(t), sdk, auth.PasswordOptions{
		Login: plextest.TwoFactorLogin, Password: plextest.TwoFactorPassword,
		AskCode: func(context.Context, bool) (string, error) { return "  ", nil },
	})
	if !errors.Is(err, sdkerrors.ErrVerificationCodeRequired) {
		t.Fatalf("err = %v, want ErrVerificationCodeRequired", err)
	}
	if got := fake.CountRequests("POST", flowSignInPath); got != 2 {
		t.Errorf("sign-in requests = %d, want 2", got)
	}
}

func TestLoginWithPasswordBadCredentials(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := flowSDK(fake, "bad-pw-client", plexgo.WithRetryConfig(flowEagerRetries()))
	const wrong = "not the password at all"

	_, err := auth.LoginWithPassword(flowCtx(t), sdk, auth.PasswordOptions{
		Login: plextest.DefaultLogin, Password: wrong,
		AskCode: func(context.Context, bool) (string, error) {
			t.Error("AskCode called for a wrong password")
			return "", errors.New("unexpected")
		},
	})
	if !errors.Is(err, sdkerrors.ErrBadCredentials) || !errors.Is(err, sdkerrors.ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrBadCredentials", err)
	}
	if errors.Is(err, sdkerrors.ErrSignInLocked) || errors.Is(err, sdkerrors.ErrRateLimited) {
		t.Errorf("err = %v matches lock-out or rate limit", err)
	}
	var typed *sdkerrors.PostUsersSignInDataUnauthorized
	if !errors.As(err, &typed) {
		t.Errorf("err = %T, want *sdkerrors.PostUsersSignInDataUnauthorized inside", err)
	}
	if got := fake.CountRequests("POST", flowSignInPath); got != 1 {
		t.Errorf("sign-in requests = %d, want 1", got)
	}
	flowNoSecret(t, err, wrong)
}

func TestLoginWithPasswordLockedOut(t *testing.T) {
	t.Parallel()
	const cooldown = 10 * time.Minute
	fake := plextest.NewServer(t, plextest.WithSignInLockout(2, cooldown))
	sdk := flowSDK(fake, "lockout-client", plexgo.WithRetryConfig(flowEagerRetries()))
	ctx := flowCtx(t)

	for i := range 2 {
		_, err := auth.LoginWithPassword(ctx, sdk, auth.PasswordOptions{Login: plextest.DefaultLogin, Password: "wrong"})
		if !errors.Is(err, sdkerrors.ErrBadCredentials) {
			t.Fatalf("attempt %d: err = %v, want ErrBadCredentials", i+1, err)
		}
	}
	before := fake.CountRequests("POST", flowSignInPath)
	_, err := auth.LoginWithPassword(ctx, sdk, auth.PasswordOptions{
		Login: plextest.DefaultLogin, Password: plextest.DefaultPassword,
	})
	if !errors.Is(err, sdkerrors.ErrSignInLocked) {
		t.Fatalf("err = %v, want ErrSignInLocked", err)
	}
	if errors.Is(err, sdkerrors.ErrBadCredentials) || errors.Is(err, sdkerrors.ErrRateLimited) {
		t.Errorf("lock-out error %v is not distinct", err)
	}
	var apiErr *sdkerrors.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %T, want an *sdkerrors.APIError inside", err)
	}
	if apiErr.RetryAfter < 0 || apiErr.RetryAfter > cooldown {
		t.Errorf("RetryAfter = %s, want within [0, %s]", apiErr.RetryAfter, cooldown)
	}
	if !apiErr.Temporary() {
		t.Error("a lock-out should be Temporary")
	}
	if got := fake.CountRequests("POST", flowSignInPath) - before; got != 1 {
		t.Errorf("sign-in requests while locked out = %d, want exactly 1", got)
	}
	flowNoSecret(t, err, plextest.DefaultPassword)
}

func TestLoginWithPasswordRateLimited(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := flowSDK(fake, "429-client", plexgo.WithRetryConfig(flowEagerRetries()))
	fake.InjectFault("POST "+flowSignInPath, plextest.Fault{Statuses: []int{429, 429, 429}, RetryAfter: "2"})

	_, err := auth.LoginWithPassword(flowCtx(t), sdk, auth.PasswordOptions{
		Login: plextest.DefaultLogin, Password: plextest.DefaultPassword,
	})
	if !errors.Is(err, sdkerrors.ErrRateLimited) {
		t.Fatalf("err = %v, want ErrRateLimited", err)
	}
	if errors.Is(err, sdkerrors.ErrSignInLocked) || errors.Is(err, sdkerrors.ErrBadCredentials) {
		t.Errorf("rate-limit error %v is not distinct", err)
	}
	var apiErr *sdkerrors.APIError
	if !errors.As(err, &apiErr) || apiErr.RetryAfter != 2*time.Second {
		t.Fatalf("RetryAfter not reachable or wrong: %v", err)
	}
	if got := fake.CountRequests("POST", flowSignInPath); got != 1 {
		t.Errorf("sign-in requests = %d, want exactly 1", got)
	}
	flowNoSecret(t, err, plextest.DefaultPassword)
}

// The fake's own rate limit answers 429 with Retry-After in seconds.
func TestLoginWithPasswordFakeRateLimit(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t, plextest.WithSignInRateLimit(1, time.Minute))
	sdk := flowSDK(fake, "ratelimit-client", plexgo.WithRetryConfig(flowEagerRetries()))
	ctx := flowCtx(t)
	opts := auth.PasswordOptions{Login: plextest.DefaultLogin, Password: plextest.DefaultPassword}

	if _, err := auth.LoginWithPassword(ctx, sdk, opts); err != nil {
		t.Fatalf("first login: %v", err)
	}
	_, err := auth.LoginWithPassword(ctx, sdk, opts)
	var apiErr *sdkerrors.APIError
	if !errors.Is(err, sdkerrors.ErrRateLimited) || !errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want ErrRateLimited", err)
	}
	if apiErr.RetryAfter <= 0 || apiErr.RetryAfter > time.Minute {
		t.Errorf("RetryAfter = %s, want within (0, 1m]", apiErr.RetryAfter)
	}
	if got := fake.CountRequests("POST", flowSignInPath); got != 2 {
		t.Errorf("sign-in requests = %d, want 2", got)
	}
}

// A server error is not retried either: sign-in is sent once, even on 503.
func TestLoginWithPasswordServerErrorNotRetried(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := flowSDK(fake, "503-client", plexgo.WithRetryConfig(flowEagerRetries()))
	fake.InjectFault("POST "+flowSignInPath, plextest.Fault{Statuses: []int{503, 503, 503}})

	_, err := auth.LoginWithPassword(flowCtx(t), sdk, auth.PasswordOptions{
		Login: plextest.DefaultLogin, Password: plextest.DefaultPassword,
	})
	if !errors.Is(err, sdkerrors.ErrServer) {
		t.Fatalf("err = %v, want ErrServer", err)
	}
	if got := fake.CountRequests("POST", flowSignInPath); got != 1 {
		t.Errorf("sign-in requests = %d, want exactly 1", got)
	}
}

func TestLoginWithPasswordBadInput(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := flowSDK(fake, "input-client")
	ctx := flowCtx(t)
	for _, tc := range []struct {
		name string
		sdk  *plexgo.PlexAPI
		opts auth.PasswordOptions
	}{
		{"nil SDK", nil, auth.PasswordOptions{Login: "a", Password: "b"}},
		{"empty login", sdk, auth.PasswordOptions{Login: " ", Password: "b"}},
		{"empty password", sdk, auth.PasswordOptions{Login: "a"}},
		{"negative attempts", sdk, auth.PasswordOptions{Login: "a", Password: "b", MaxCodeAttempts: -1}},
	} {
		res, err := auth.LoginWithPassword(ctx, tc.sdk, tc.opts)
		if err == nil || res != nil {
			t.Errorf("%s: got %v, %v; want an error", tc.name, res, err)
		}
	}
	if n := len(fake.Requests()); n != 0 {
		t.Errorf("%d requests sent for bad input", n)
	}
}

func TestLoginWithPasswordCancelled(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := flowSDK(fake, "cancelled-client")
	ctx, cancel := context.WithCancel(flowCtx(t))
	cancel()
	_, err := auth.LoginWithPassword(ctx, sdk, auth.PasswordOptions{
		Login: plextest.DefaultLogin, Password: plextest.DefaultPassword,
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestPasswordOptionsNeverPrintSecrets(t *testing.T) {
	t.Parallel()
	opts := auth.PasswordOptions{Login: "someone", Password: "s3cret-password", VerificationCode: "246810"}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		for _, v := range []any{opts, &opts} {
			out := fmt.Sprintf(verb, v)
			if flowContainsAny(out, opts.Password, opts.VerificationCode) {
				t.Errorf("%s: secret leaked", verb)
			}
		}
	}
}

func flowContainsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if sub != "" && strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func TestLoginWithPasswordConcurrent(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := flowSDK(fake, "concurrent-client")
	alice := flowAccount(t, fake, plextest.DefaultLogin)
	bob := flowAccount(t, fake, plextest.TwoFactorLogin)
	ctx := flowCtx(t)

	const n = 20
	results := make([]*auth.LoginResult, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			opts := auth.PasswordOptions{Login: plextest.DefaultLogin, Password: plextest.DefaultPassword}
			if i%2 == 1 {
				asker := &flowCodeAsker{answers: []string{plextest.TwoFactorCode}}
				opts = auth.PasswordOptions{Login: plextest.TwoFactorLogin, Password: plextest.TwoFactorPassword, AskCode: asker.AskCode}
			}
			results[i], errs[i] = auth.LoginWithPassword(ctx, sdk, opts)
		})
	}
	wg.Wait()
	tokens := map[int64]string{}
	for i := range n {
		if errs[i] != nil {
			t.Errorf("login %d: %v", i, errs[i])
			continue
		}
		want := alice.ID
		if i%2 == 1 {
			want = bob.ID
		}
		if results[i].Account.ID != want {
			t.Errorf("login %d: account %d, want %d", i, results[i].Account.ID, want)
		}
		// One device, one token per account.
		if prev, ok := tokens[want]; ok && prev != results[i].Token {
			t.Errorf("login %d: a different token for the same device", i)
		}
		tokens[want] = results[i].Token
	}
	// 10 alice sign-ins, 10 bob sign-ins that each need a second request.
	if got := fake.CountRequests("POST", flowSignInPath); got != 30 {
		t.Errorf("sign-in requests = %d, want 30", got)
	}
}
