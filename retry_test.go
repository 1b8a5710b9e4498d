package plexgo_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/models/sdkerrors"
	"github.com/plexkit/plexgo/plextest"
	"github.com/plexkit/plexgo/retry"
)

// countingTransport counts the requests that reach the network layer,
// including those that fail to connect, and reports each response.
type countingTransport struct {
	next       http.RoundTripper
	n          atomic.Int64
	onResponse func(*http.Response)
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	resp, err := c.next.RoundTrip(r)
	if err == nil && c.onResponse != nil {
		c.onResponse(resp)
	}
	return resp, err
}

func signInBody() *operations.PostUsersSignInDataRequestBody {
	return &operations.PostUsersSignInDataRequestBody{Login: plextest.DefaultLogin, Password: plextest.DefaultPassword}
}

func TestRetry503Then200(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	fake.InjectFault("GET /api/v2/user", plextest.Fault{Statuses: []int{503, 503}})
	s := newClient(t, fake, alice(t, fake).AuthToken)
	res, err := s.Authentication.GetTokenDetails(ctx(t))
	if err != nil {
		t.Fatalf("GetTokenDetails after two 503s: %v", err)
	}
	if res.StatusCode != 200 || res.UserPlexAccount.Username != plextest.DefaultUsername {
		t.Errorf("result %d %v", res.StatusCode, res.UserPlexAccount)
	}
	if got := fake.CountRequests(http.MethodGet, "/api/v2/user"); got != 3 {
		t.Errorf("%d requests, want 3", got)
	}
}

func TestRetryExhausted(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	fake.InjectFault("GET /api/v2/resources", plextest.Fault{Statuses: []int{503, 502, 500, 200}})
	s := newClient(t, fake, alice(t, fake).AuthToken)
	_, err := s.Plex.GetResources(ctx(t), operations.GetResourcesRequest{})
	var apiErr *sdkerrors.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 || apiErr.Attempts != 3 {
		t.Fatalf("got %v (attempts %d), want the third answer, 500, after 3 attempts", err, attemptsOf(err))
	}
	if got := fake.CountRequests(http.MethodGet, "/api/v2/resources"); got != 3 {
		t.Errorf("%d requests, want 3", got)
	}
	// A per-call policy replaces the SDK's.
	fake.InjectFault("GET /api/v2/resources", plextest.Fault{Statuses: []int{503}})
	_, err = s.Plex.GetResources(ctx(t), operations.GetResourcesRequest{}, operations.WithRetries(retry.None()))
	if !errors.Is(err, sdkerrors.ErrServer) || attemptsOf(err) != 1 {
		t.Errorf("with retry.None: %v after %d attempts", err, attemptsOf(err))
	}
}

func attemptsOf(err error) int {
	var apiErr *sdkerrors.APIError
	if errors.As(err, &apiErr) {
		return apiErr.Attempts
	}
	return 0
}

// Retry-After is waited for. The only timing assertion here is a lower
// bound, which a slow machine cannot break.
func TestRetryAfterHonoured(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			fake.InjectFault("GET /api/v2/user", plextest.Fault{Statuses: []int{status}, RetryAfter: "1"})
			s := newClient(t, fake, alice(t, fake).AuthToken)
			start := time.Now()
			if _, err := s.Authentication.GetTokenDetails(ctx(t)); err != nil {
				t.Fatalf("after Retry-After: %v", err)
			}
			if waited := time.Since(start); waited < 900*time.Millisecond {
				t.Errorf("retried after %v, before the 1s Retry-After", waited)
			}
			reqs := requestsTo(fake, http.MethodGet, "/api/v2/user")
			if len(reqs) != 2 {
				t.Fatalf("%d requests, want 2", len(reqs))
			}
		})
	}
}

// A Retry-After longer than the policy accepts ends the retries at once,
// and the error carries the delay.
func TestRetryAfterOverCap(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	fake.InjectFault("GET /api/v2/user", plextest.Fault{Statuses: []int{429, 429}, RetryAfter: "3600"})
	p := fastRetry()
	p.MaxRetryAfter = time.Minute
	s := newClient(t, fake, alice(t, fake).AuthToken, plexgo.WithRetryConfig(p))
	_, err := s.Authentication.GetTokenDetails(ctx(t))
	var apiErr *sdkerrors.APIError
	if !errors.Is(err, sdkerrors.ErrRateLimited) || !errors.As(err, &apiErr) || apiErr.RetryAfter != time.Hour {
		t.Fatalf("got %v, want rate limited with RetryAfter 1h", err)
	}
	if got := fake.CountRequests(http.MethodGet, "/api/v2/user"); got != 1 {
		t.Errorf("%d requests, want 1", got)
	}
}

// Cancelling the context while the client waits to retry returns the
// context's error without another request.
func TestCancelDuringBackoff(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	// 20s: within the policy's 30s budget and 60s Retry-After cap.
	fake.InjectFault("GET /api/v2/user", plextest.Fault{Statuses: []int{503, 503, 503}, RetryAfter: "20"})
	gotResponse := make(chan struct{})
	var once sync.Once
	ct := &countingTransport{next: newTransport(t), onResponse: func(*http.Response) { once.Do(func() { close(gotResponse) }) }}
	s := newClient(t, fake, alice(t, fake).AuthToken, plexgo.WithClient(httpClient(t, ct)))

	// No deadline on this context: with one shorter than the Retry-After,
	// the client would give up before waiting, which is another test.
	c, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := s.Authentication.GetTokenDetails(c)
		done <- err
	}()
	select {
	case <-gotResponse:
	case <-time.After(20 * time.Second):
		t.Fatal("no response from the fake")
	}
	cancel()
	// The client is now waiting out a 20s Retry-After; it must stop
	// promptly (the bound is generous; a hang is what it catches).
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("got %v, want context.Canceled", err)
		}
		if !errors.Is(err, sdkerrors.ErrServer) {
			t.Errorf("error %v lost the last answer", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("cancellation did not interrupt the backoff")
	}
	if n := ct.n.Load(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// A context that ends before the Retry-After would elapse stops at once.
func TestDeadlineBeforeRetryAfter(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	fake.InjectFault("GET /api/v2/user", plextest.Fault{Statuses: []int{503}, RetryAfter: "50"})
	s := newClient(t, fake, alice(t, fake).AuthToken)
	p := fastRetry()
	p.MaxElapsedTime = 0 // only the deadline limits the wait
	_, err := s.Authentication.GetTokenDetails(ctx(t), operations.WithOperationTimeout(20*time.Second), operations.WithRetries(p))
	if !errors.Is(err, sdkerrors.ErrServer) || attemptsOf(err) != 1 {
		t.Fatalf("got %v, want the 503 after one attempt", err)
	}
}

func TestSignInNeverRetried(t *testing.T) {
	t.Parallel()
	for _, status := range []int{503, 429, 500, 502} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			fake.InjectFault("POST /api/v2/users/signin", plextest.Fault{Statuses: []int{status, status}, RetryAfter: "0"})
			// Even with a policy that would retry anything else many times.
			p := fastRetry()
			p.MaxAttempts = 5
			s := newClient(t, fake, "", plexgo.WithRetryConfig(p))
			_, err := s.Authentication.PostUsersSignInData(ctx(t), nil, signInBody())
			var apiErr *sdkerrors.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != status || apiErr.Attempts != 1 {
				t.Fatalf("got %v", err)
			}
			if got := fake.CountRequests(http.MethodPost, "/api/v2/users/signin"); got != 1 {
				t.Errorf("sign-in sent %d times, want exactly 1", got)
			}
		})
	}
}

func TestSignInRetryNonIdempotent(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	fake.InjectFault("POST /api/v2/users/signin", plextest.Fault{Statuses: []int{503, 503}})
	p := fastRetry()
	p.RetryNonIdempotent = true
	s := newClient(t, fake, "")
	res, err := s.Authentication.PostUsersSignInData(ctx(t), nil, signInBody(), operations.WithRetries(p))
	if err != nil {
		t.Fatalf("sign-in with RetryNonRetryable: %v", err)
	}
	if res.UserPlexAccount.AuthToken == "" {
		t.Error("no token")
	}
	reqs := requestsTo(fake, http.MethodPost, "/api/v2/users/signin")
	if len(reqs) != 3 {
		t.Fatalf("%d sign-in requests, want 3", len(reqs))
	}
	// The form body was sent again, complete, on every attempt.
	for i, r := range reqs {
		if r.Form.Get("login") != plextest.DefaultLogin || r.Form.Get("password") == "" {
			t.Errorf("attempt %d form %v", i+1, r.Form)
		}
	}
}

// Reads retry connection failures; sign-in does not.
func TestConnectionErrors(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	dead := fake.AddServer(plextest.ServerSpec{Name: "dead", Connections: []plextest.ConnSpec{{Dead: true}}})
	ct := &countingTransport{next: newTransport(t)}
	s := newClient(t, fake, alice(t, fake).AuthToken, plexgo.WithClient(httpClient(t, ct)), plexgo.WithServerURL(dead.URL))

	_, err := s.Server.GetIdentity(ctx(t))
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("GetIdentity on a dead server: %v", err)
	}
	if n := ct.n.Swap(0); n != 3 {
		t.Errorf("GET sent %d times, want 3", n)
	}

	_, err = s.Authentication.PostUsersSignInData(ctx(t), nil, signInBody(), operations.WithServerURL(dead.URL))
	if err == nil {
		t.Fatal("sign-in to a dead server succeeded")
	}
	if n := ct.n.Swap(0); n != 1 {
		t.Errorf("sign-in sent %d times, want 1", n)
	}

	// Without RetryConnectionErrors, one attempt.
	p := fastRetry()
	p.RetryConnectionErrors = false
	_, _ = s.Server.GetIdentity(ctx(t), operations.WithRetries(p))
	if n := ct.n.Swap(0); n != 1 {
		t.Errorf("GET without connection retries sent %d times, want 1", n)
	}
}

// A reset connection is retried for reads, and the second try succeeds.
func TestConnectionResetRetried(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	fake.InjectFault("GET /api/v2/user", plextest.Fault{Reset: true, Times: 1})
	s := newClient(t, fake, alice(t, fake).AuthToken)
	if _, err := s.Authentication.GetTokenDetails(ctx(t)); err != nil {
		t.Fatalf("after one reset: %v", err)
	}
	if got := fake.CountRequests(http.MethodGet, "/api/v2/user"); got != 2 {
		t.Errorf("%d requests, want 2", got)
	}
	fake.InjectFault("POST /api/v2/users/signin", plextest.Fault{Reset: true, Times: 1})
	if _, err := s.Authentication.PostUsersSignInData(ctx(t), nil, signInBody()); err == nil {
		t.Fatal("sign-in succeeded through a reset")
	}
	if got := fake.CountRequests(http.MethodPost, "/api/v2/users/signin"); got != 1 {
		t.Errorf("%d sign-in requests, want 1", got)
	}
}
