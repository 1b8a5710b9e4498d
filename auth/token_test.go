package auth_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/internal/testutil"
	"github.com/plexkit/plexgo/models/sdkerrors"
	"github.com/plexkit/plexgo/plextest"
	"github.com/plexkit/plexgo/retry"
)

const (
	flowUserPath    = "/api/v2/user"
	flowPingPath    = "/api/v2/ping"
	flowSignOutPath = "/api/v2/users/signout"
)

func TestValidityString(t *testing.T) {
	t.Parallel()
	for v, want := range map[auth.Validity]string{
		auth.ValidityUnknown: "unknown", auth.ValidityValid: "valid", auth.ValidityInvalid: "invalid", auth.Validity(9): "Validity(9)",
	} {
		if got := v.String(); got != want {
			t.Errorf("Validity(%d).String() = %q, want %q", int(v), got, want)
		}
	}
	if auth.Validity(0) != auth.ValidityUnknown {
		t.Error("the zero Validity must be ValidityUnknown")
	}
}

func TestValidateToken(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := flowSDK(fake, "validate-client", plexgo.WithRetryConfig(retry.None()))
	ctx := flowCtx(t)

	fresh := func(t *testing.T) string {
		t.Helper()
		tok, err := fake.IssueToken(plextest.DefaultLogin, "validate-"+t.Name())
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}

	t.Run("valid", func(t *testing.T) {
		tok := fresh(t)
		v, acct, err := auth.ValidateToken(ctx, sdk, tok)
		if v != auth.ValidityValid || err != nil || acct == nil || acct.Username != plextest.DefaultUsername {
			t.Fatalf("got %v, %v, %v; want valid alice", v, acct, err)
		}
	})

	t.Run("revoked is invalid", func(t *testing.T) {
		tok := fresh(t)
		fake.RevokeToken(tok)
		v, acct, err := auth.ValidateToken(ctx, sdk, tok)
		if v != auth.ValidityInvalid || err != nil || acct != nil {
			t.Fatalf("got %v, %v, %v; want invalid, nil, nil", v, acct, err)
		}
	})

	t.Run("unknown token is invalid", func(t *testing.T) {
		v, _, err := auth.ValidateToken(ctx, sdk, "AAAAAAAAAAAAAAAAAAAA")
		if v != auth.ValidityInvalid || err != nil {
			t.Fatalf("got %v, %v; want invalid", v, err)
		}
	})

	// Each fault below serves one request, then the route behaves again;
	// subtests run in order, so they do not overlap.
	t.Run("503 is unknown", func(t *testing.T) {
		tok := fresh(t)
		before := fake.CountRequests("GET", flowUserPath)
		fake.InjectFault("GET "+flowUserPath, plextest.Fault{Statuses: []int{503}})
		v, acct, err := auth.ValidateToken(ctx, sdk, tok)
		if v != auth.ValidityUnknown || acct != nil || !errors.Is(err, sdkerrors.ErrServer) {
			t.Fatalf("got %v, %v, %v; want unknown with ErrServer", v, acct, err)
		}
		if got := fake.CountRequests("GET", flowUserPath) - before; got != 1 {
			t.Errorf("requests = %d, want 1", got)
		}
		flowNoSecret(t, err, tok)
	})

	t.Run("expired JWT (498) is unknown", func(t *testing.T) {
		tok := fresh(t)
		fake.InjectFault("GET "+flowUserPath, plextest.Fault{Statuses: []int{498}})
		v, _, err := auth.ValidateToken(ctx, sdk, tok)
		if v != auth.ValidityUnknown || !errors.Is(err, sdkerrors.ErrTokenExpired) {
			t.Fatalf("got %v, %v; want unknown with ErrTokenExpired", v, err)
		}
	})

	t.Run("captive portal HTML 200 is unknown", func(t *testing.T) {
		tok := fresh(t)
		fake.InjectFault("GET "+flowUserPath, plextest.Fault{
			ContentType: "text/html; charset=utf-8",
			Body:        "<!DOCTYPE html><html><head><title>Hotel Wi-Fi login</title></head><body>Accept the terms</body></html>",
			Times:       1,
		})
		v, acct, err := auth.ValidateToken(ctx, sdk, tok)
		if v != auth.ValidityUnknown || acct != nil || !errors.Is(err, sdkerrors.ErrUnexpectedContent) {
			t.Fatalf("got %v, %v, %v; want unknown with ErrUnexpectedContent", v, acct, err)
		}
		flowNoSecret(t, err, tok)
	})

	t.Run("JSON that is not an account is unknown", func(t *testing.T) {
		tok := fresh(t)
		fake.InjectFault("GET "+flowUserPath, plextest.Fault{ContentType: "application/json", Body: `{"status":"ok"}`, Times: 1})
		v, _, err := auth.ValidateToken(ctx, sdk, tok)
		if v != auth.ValidityUnknown || !errors.Is(err, sdkerrors.ErrUnexpectedContent) {
			t.Fatalf("got %v, %v; want unknown with ErrUnexpectedContent", v, err)
		}
	})

	t.Run("connection reset is unknown", func(t *testing.T) {
		tok := fresh(t)
		// net/http resends a GET once by itself when a reused connection
		// breaks, so reset twice.
		fake.InjectFault("GET "+flowUserPath, plextest.Fault{Reset: true, Times: 2})
		defer fake.ClearFaults()
		v, _, err := auth.ValidateToken(ctx, sdk, tok)
		if v != auth.ValidityUnknown || err == nil {
			t.Fatalf("got %v, %v; want unknown with an error", v, err)
		}
		flowNoSecret(t, err, tok)
	})

	t.Run("bad input", func(t *testing.T) {
		if v, _, err := auth.ValidateToken(ctx, sdk, ""); v != auth.ValidityUnknown || err == nil {
			t.Errorf("empty token: %v, %v", v, err)
		}
		if v, _, err := auth.ValidateToken(ctx, nil, "x"); v != auth.ValidityUnknown || err == nil {
			t.Errorf("nil SDK: %v, %v", v, err)
		}
	})
}

func TestValidateTokenConnectionRefused(t *testing.T) {
	t.Parallel()
	sdk := plexgo.New(plexgo.WithPlexTVURL(testutil.DeadURL(t)), plexgo.WithXPlexClientIdentifier("refused-client"),
		plexgo.WithRetryConfig(retry.None()))
	const tok = "QQQQQQQQQQQQQQQQQQQQ"
	v, acct, err := auth.ValidateToken(flowCtx(t), sdk, tok)
	if v != auth.ValidityUnknown || acct != nil || err == nil {
		t.Fatalf("got %v, %v, %v; want unknown with an error", v, acct, err)
	}
	var apiErr *sdkerrors.APIError
	if errors.As(err, &apiErr) {
		t.Errorf("a refused connection produced an HTTP error (status %d)", apiErr.StatusCode)
	}
	flowNoSecret(t, err, tok)
}

func TestValidateTokenCancelled(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	alice := flowAccount(t, fake, plextest.DefaultLogin)
	sdk := flowSDK(fake, "cancel-validate")
	ctx, cancel := context.WithCancel(flowCtx(t))
	cancel()
	v, _, err := auth.ValidateToken(ctx, sdk, alice.AuthToken)
	if v != auth.ValidityUnknown || !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, %v; want unknown with context.Canceled", v, err)
	}
}

func TestKeepAliveStopsOnRevokedToken(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := flowSDK(fake, "keepalive-client")
	tok, err := fake.IssueToken(plextest.DefaultLogin, "keepalive-client")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		done <- auth.KeepAlive(flowCtx(t), sdk, tok, 10*time.Millisecond, func(err error) {
			t.Errorf("onError(%v) for a healthy token", err)
		})
	}()
	if !flowWaitFor(t, "two pings", func() bool { return fake.CountRequests("GET", flowPingPath) >= 2 }) {
		return
	}
	fake.RevokeToken(tok)
	select {
	case err := <-done:
		if !errors.Is(err, sdkerrors.ErrUnauthorized) {
			t.Fatalf("KeepAlive = %v, want ErrUnauthorized", err)
		}
		flowNoSecret(t, err, tok)
	case <-time.After(20 * time.Second):
		t.Fatal("KeepAlive did not stop on a revoked token")
	}
	n := fake.CountRequests("GET", flowPingPath)
	time.Sleep(50 * time.Millisecond)
	if got := fake.CountRequests("GET", flowPingPath); got != n {
		t.Errorf("pings went on after KeepAlive returned: %d, then %d", n, got)
	}
}

func TestKeepAliveRevokedAtStart(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := flowSDK(fake, "keepalive-dead")
	err := auth.KeepAlive(flowCtx(t), sdk, "AAAAAAAAAAAAAAAAAAAA", time.Hour, nil)
	if !errors.Is(err, sdkerrors.ErrUnauthorized) {
		t.Fatalf("KeepAlive = %v, want ErrUnauthorized", err)
	}
	if got := fake.CountRequests("GET", flowPingPath); got != 1 {
		t.Errorf("pings = %d, want 1", got)
	}
}

func TestKeepAliveReportsErrorsAndGoesOn(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	alice := flowAccount(t, fake, plextest.DefaultLogin)
	sdk := flowSDK(fake, "keepalive-flaky", plexgo.WithRetryConfig(retry.None()))
	fake.InjectFault("GET "+flowPingPath, plextest.Fault{Statuses: []int{503}})
	ctx, cancel := context.WithCancel(flowCtx(t))
	defer cancel()

	var mu sync.Mutex
	var reported []error
	done := make(chan error, 1)
	go func() {
		done <- auth.KeepAlive(ctx, sdk, alice.AuthToken, 10*time.Millisecond, func(err error) {
			mu.Lock()
			reported = append(reported, err)
			mu.Unlock()
		})
	}()
	flowWaitFor(t, "pings after the failure", func() bool { return fake.CountRequests("GET", flowPingPath) >= 3 })
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("KeepAlive = %v, want context.Canceled", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("KeepAlive did not stop when ctx was cancelled")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(reported) != 1 || !errors.Is(reported[0], sdkerrors.ErrServer) {
		t.Errorf("onError got %v, want one ErrServer", reported)
	}
	for _, err := range reported {
		flowNoSecret(t, err, alice.AuthToken)
	}
}

func TestKeepAliveBadInput(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := flowSDK(fake, "keepalive-input")
	ctx := flowCtx(t)
	if err := auth.KeepAlive(ctx, nil, "x", time.Second, nil); err == nil {
		t.Error("nil SDK: no error")
	}
	if err := auth.KeepAlive(ctx, sdk, "", time.Second, nil); err == nil {
		t.Error("empty token: no error")
	}
	if err := auth.KeepAlive(ctx, sdk, "x", 0, nil); err == nil {
		t.Error("zero interval: no error")
	}
	if n := len(fake.Requests()); n != 0 {
		t.Errorf("%d requests for bad input", n)
	}
}

func TestSignOut(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := flowSDK(fake, "signout-client")
	ctx := flowCtx(t)
	res, err := auth.LoginWithPassword(ctx, sdk, auth.PasswordOptions{Login: plextest.DefaultLogin, Password: plextest.DefaultPassword})
	if err != nil {
		t.Fatal(err)
	}
	if err := auth.SignOut(ctx, sdk, res.Token); err != nil {
		t.Fatalf("SignOut: %v", err)
	}
	if v, _, err := auth.ValidateToken(ctx, sdk, res.Token); v != auth.ValidityInvalid {
		t.Errorf("after sign-out the token is %v (%v), want invalid", v, err)
	}
	err = auth.SignOut(ctx, sdk, res.Token)
	if !errors.Is(err, sdkerrors.ErrUnauthorized) {
		t.Errorf("second SignOut = %v, want ErrUnauthorized", err)
	}
	flowNoSecret(t, err, res.Token)
	if err := auth.SignOut(ctx, sdk, ""); err == nil {
		t.Error("empty token: no error")
	}
	if err := auth.SignOut(ctx, nil, "x"); err == nil {
		t.Error("nil SDK: no error")
	}
}

func TestLogout(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := flowSDK(fake, "logout-client", plexgo.WithRetryConfig(retry.None()))
	ctx := flowCtx(t)

	login := func(t *testing.T, store auth.TokenStore, profile string) string {
		t.Helper()
		res, err := auth.LoginWithPassword(ctx, sdk, auth.PasswordOptions{Login: plextest.DefaultLogin, Password: plextest.DefaultPassword})
		if err != nil {
			t.Fatal(err)
		}
		if err := store.Save(ctx, profile, res.Credentials("logout-client")); err != nil {
			t.Fatal(err)
		}
		return res.Token
	}

	t.Run("signs out and forgets", func(t *testing.T) {
		store := auth.NewMemoryStore()
		tok := login(t, store, "work")
		if err := auth.Logout(ctx, sdk, store, "work"); err != nil {
			t.Fatalf("Logout: %v", err)
		}
		if _, err := store.Load(ctx, "work"); !errors.Is(err, auth.ErrNotLoggedIn) {
			t.Errorf("after Logout, Load = %v, want ErrNotLoggedIn", err)
		}
		if v, _, _ := auth.ValidateToken(ctx, sdk, tok); v != auth.ValidityInvalid {
			t.Errorf("after Logout the token is %v, want invalid", v)
		}
	})

	t.Run("already revoked token", func(t *testing.T) {
		store := auth.NewMemoryStore()
		tok := login(t, store, "old")
		fake.RevokeToken(tok)
		if err := auth.Logout(ctx, sdk, store, "old"); err != nil {
			t.Fatalf("Logout: %v", err)
		}
		if _, err := store.Load(ctx, "old"); !errors.Is(err, auth.ErrNotLoggedIn) {
			t.Errorf("after Logout, Load = %v, want ErrNotLoggedIn", err)
		}
	})

	t.Run("server error keeps the credentials", func(t *testing.T) {
		store := auth.NewMemoryStore()
		tok := login(t, store, "flaky")
		fake.InjectFault("DELETE "+flowSignOutPath, plextest.Fault{Statuses: []int{503}})
		err := auth.Logout(ctx, sdk, store, "flaky")
		if !errors.Is(err, sdkerrors.ErrServer) {
			t.Fatalf("Logout = %v, want ErrServer", err)
		}
		flowNoSecret(t, err, tok)
		if c, err := store.Load(ctx, "flaky"); err != nil || c.Token != tok {
			t.Errorf("credentials were not kept: %v", err)
		}
		if v, _, _ := auth.ValidateToken(ctx, sdk, tok); v != auth.ValidityValid {
			t.Errorf("token is %v, want still valid", v)
		}
	})

	t.Run("not logged in", func(t *testing.T) {
		err := auth.Logout(ctx, sdk, auth.NewMemoryStore(), auth.DefaultProfile)
		if !errors.Is(err, auth.ErrNotLoggedIn) {
			t.Errorf("Logout = %v, want ErrNotLoggedIn", err)
		}
	})

	t.Run("bad input", func(t *testing.T) {
		if err := auth.Logout(ctx, nil, auth.NewMemoryStore(), "p"); err == nil {
			t.Error("nil SDK: no error")
		}
		if err := auth.Logout(ctx, sdk, nil, "p"); err == nil {
			t.Error("nil store: no error")
		}
		if err := auth.Logout(ctx, sdk, auth.NewMemoryStore(), "../x"); !errors.Is(err, auth.ErrInvalidProfile) {
			t.Errorf("bad profile: %v, want ErrInvalidProfile", err)
		}
	})
}
