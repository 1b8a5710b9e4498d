package plexgo_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/models/sdkerrors"
	"github.com/plexkit/plexgo/plextest"
)

// After plex.tv says "wait" to a sign-in, the same client does not send
// another one until the wait is over: the error comes back locally.
func TestSignInCoolDownAfter429(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	s := newClient(t, fake, "")
	fake.InjectFault("POST /api/v2/users/signin", plextest.Fault{Statuses: []int{429}, RetryAfter: "120"})
	body := &operations.PostUsersSignInDataRequestBody{Login: plextest.DefaultLogin, Password: plextest.DefaultPassword}

	_, first := s.Authentication.PostUsersSignInData(ctx(t), nil, body)
	_, second := s.Authentication.PostUsersSignInData(ctx(t), nil, body)
	for i, err := range []error{first, second} {
		if !errors.Is(err, sdkerrors.ErrRateLimited) {
			t.Fatalf("sign-in %d: err = %v, want ErrRateLimited", i+1, err)
		}
	}
	var e *sdkerrors.APIError
	if !errors.As(second, &e) || e.Attempts != 0 || e.RetryAfter <= 0 || e.RetryAfter > 120*time.Second {
		t.Fatalf("local error = %+v, want Attempts 0 and RetryAfter in (0, 120s]", e)
	}
	if got := fake.CountRequests(http.MethodPost, "/api/v2/users/signin"); got != 1 {
		t.Errorf("%d sign-in requests, want 1: the second must not be sent", got)
	}
	// Other operations are not affected.
	if _, err := s.Server.GetIdentity(ctx(t)); err != nil {
		t.Errorf("identity during the sign-in cool-down: %v", err)
	}
}

// plextest's lock-out (1031 without Retry-After) starts the default
// cool-down: the next sign-in of the client is refused locally.
func TestSignInCoolDownAfterLockout(t *testing.T) {
	t.Parallel()
	fake := newFake(t, plextest.WithSignInLockout(1, time.Hour))
	s := newClient(t, fake, "")
	wrong := &operations.PostUsersSignInDataRequestBody{Login: plextest.DefaultLogin, Password: "wrong"}
	if _, err := s.Authentication.PostUsersSignInData(ctx(t), nil, wrong); !errors.Is(err, sdkerrors.ErrBadCredentials) {
		t.Fatalf("first: %v", err)
	}
	_, locked := s.Authentication.PostUsersSignInData(ctx(t), nil, signInBody())
	if !errors.Is(locked, sdkerrors.ErrSignInLocked) {
		t.Fatalf("second: %v, want ErrSignInLocked", locked)
	}
	_, local := s.Authentication.PostUsersSignInData(ctx(t), nil, signInBody())
	var e *sdkerrors.APIError
	if !errors.Is(local, sdkerrors.ErrSignInLocked) || !errors.As(local, &e) || e.Attempts != 0 || e.RetryAfter <= 0 {
		t.Fatalf("third: %v, want the lock-out locally", local)
	}
	if got := fake.CountRequests(http.MethodPost, "/api/v2/users/signin"); got != 2 {
		t.Errorf("%d sign-in requests, want 2: the third must not be sent", got)
	}
}
