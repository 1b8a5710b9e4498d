package plexgo_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/models/sdkerrors"
	"github.com/plexkit/plexgo/plextest"
)

// plex.tv codes the fake answers for which sdkerrors has no constant: 1002
// on a 404 ("The requested resource or endpoint could not be found") and
// 1003 on a 429 ("API rate limit exceeded").
const (
	plexCodeNotFound    = 1002
	plexCodeRateLimited = 1003
)

// wantAPIError checks that err is an *sdkerrors.APIError with the status
// and plex.tv code, matches every sentinel in is, and none in isNot.
func wantAPIError(t *testing.T, err error, status, code int, is []error, isNot ...error) *sdkerrors.APIError {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want HTTP %d", status)
	}
	var apiErr *sdkerrors.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("%T %v is not an *sdkerrors.APIError", err, err)
	}
	if apiErr.StatusCode != status {
		t.Errorf("status %d, want %d (%v)", apiErr.StatusCode, status, err)
	}
	if apiErr.Code() != code {
		t.Errorf("plex.tv code %d, want %d (%v)", apiErr.Code(), code, err)
	}
	for _, s := range is {
		if !errors.Is(err, s) {
			t.Errorf("%v does not match %q", err, s)
		}
	}
	for _, s := range isNot {
		if errors.Is(err, s) {
			t.Errorf("%v matches %q", err, s)
		}
	}
	if !strings.Contains(err.Error(), apiErr.Op) || apiErr.Op == "" {
		t.Errorf("error %q does not name the operation %q", err, apiErr.Op)
	}
	return apiErr
}

// wantType checks that errors.As finds a *T in err.
func wantType[T any, PT interface {
	*T
	error
}](t *testing.T, err error) PT {
	t.Helper()
	var target PT
	if !errors.As(err, &target) {
		t.Fatalf("%T (%v) is not a %T", err, err, target)
	}
	return target
}

func TestErrorClientIdentifierMissing(t *testing.T) {
	t.Parallel()
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			s := newClient(t, fake, alice(t, fake).AuthToken, f.opt(t), plexgo.WithXPlexClientIdentifier(""))

			_, err := s.Authentication.GetTokenDetails(ctx(t))
			wantAPIError(t, err, 400, sdkerrors.CodeClientIdentifierMissing, []error{sdkerrors.ErrClientIdentifierMissing}, sdkerrors.ErrUnauthorized)
			wantType[sdkerrors.GetTokenDetailsBadRequest](t, err)

			_, err = s.Authentication.PostUsersSignInData(ctx(t), nil, &operations.PostUsersSignInDataRequestBody{Login: plextest.DefaultLogin, Password: plextest.DefaultPassword})
			wantAPIError(t, err, 400, sdkerrors.CodeClientIdentifierMissing, []error{sdkerrors.ErrClientIdentifierMissing})
			wantType[sdkerrors.PostUsersSignInDataBadRequest](t, err)

			_, err = s.Plex.CreatePin(ctx(t), operations.CreatePinRequest{})
			wantAPIError(t, err, 400, sdkerrors.CodeClientIdentifierMissing, []error{sdkerrors.ErrClientIdentifierMissing})
			wantType[sdkerrors.SDKError](t, err)
			if got := fake.CountRequests("*", "/api/v2/users/signin"); got != 1 {
				t.Errorf("%d sign-in requests, want 1", got)
			}
		})
	}
}

func TestErrorBadToken(t *testing.T) {
	t.Parallel()
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			const bad = "not-a-valid-token-0123"
			s := newClient(t, fake, bad, f.opt(t))

			_, err := s.Authentication.GetTokenDetails(ctx(t))
			e := wantAPIError(t, err, 401, sdkerrors.CodeNotAuthenticated, []error{sdkerrors.ErrUnauthorized, sdkerrors.ErrBadCredentials},
				sdkerrors.ErrVerificationCodeRequired, sdkerrors.ErrServer, sdkerrors.ErrRateLimited)
			wantType[sdkerrors.GetTokenDetailsUnauthorized](t, err)
			if e.Message != "User could not be authenticated" {
				t.Errorf("message %q", e.Message)
			}
			if e.Attempts != 1 {
				t.Errorf("401 retried: %d attempts", e.Attempts)
			}

			for name, call := range map[string]func() error{
				"Ping":         func() error { _, err := s.Authentication.Ping(ctx(t)); return err },
				"GetResources": func() error { _, err := s.Plex.GetResources(ctx(t), operations.GetResourcesRequest{}); return err },
				"GetHomeUsers": func() error { _, err := s.Plex.GetHomeUsers(ctx(t)); return err },
				"LinkPin":      func() error { _, err := s.Plex.LinkPin(ctx(t), "ABCD"); return err },
			} {
				err := call()
				if !errors.Is(err, sdkerrors.ErrUnauthorized) || !errors.Is(err, sdkerrors.ErrBadCredentials) {
					t.Errorf("%s: %v, want 401/1001", name, err)
				}
				wantType[sdkerrors.SDKError](t, err)
			}
			// Each 401 was sent once.
			if got := fake.CountRequests(http.MethodGet, "/api/v2/user"); got != 1 {
				t.Errorf("GET /api/v2/user sent %d times", got)
			}
		})
	}
}

func TestErrorSignIn(t *testing.T) {
	t.Parallel()
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t, plextest.WithSignInLockout(3, time.Hour))
			s := newClient(t, fake, "", f.opt(t))
			signIn := func(login, password string, code *string) error {
				_, err := s.Authentication.PostUsersSignInData(ctx(t), nil, &operations.PostUsersSignInDataRequestBody{
					Login: login, Password: password, VerificationCode: code,
				})
				return err
			}

			err := signIn(plextest.DefaultLogin, "wrong password", nil)
			wantAPIError(t, err, 401, sdkerrors.CodeNotAuthenticated, []error{sdkerrors.ErrUnauthorized, sdkerrors.ErrBadCredentials},
				sdkerrors.ErrVerificationCodeRequired, sdkerrors.ErrSignInLocked)
			wantType[sdkerrors.PostUsersSignInDataUnauthorized](t, err)

			err = signIn(plextest.TwoFactorLogin, plextest.TwoFactorPassword, nil)
			wantAPIError(t, err, 401, sdkerrors.CodeVerificationRequired, []error{sdkerrors.ErrUnauthorized, sdkerrors.ErrVerificationCodeRequired},
				sdkerrors.ErrBadCredentials, sdkerrors.ErrInvalidVerificationCode)
			wantType[sdkerrors.PostUsersSignInDataUnauthorized](t, err)

			err = signIn(plextest.TwoFactorLogin, plextest.TwoFactorPassword, plexgo.String("000000"))
			wantAPIError(t, err, 401, sdkerrors.CodeInvalidVerificationCode, []error{sdkerrors.ErrUnauthorized, sdkerrors.ErrInvalidVerificationCode},
				sdkerrors.ErrVerificationCodeRequired)
			wantType[sdkerrors.PostUsersSignInDataUnauthorized](t, err)

			// Third failure: locked out, even with the right password.
			err = signIn(plextest.DefaultLogin, "wrong again", nil)
			if !errors.Is(err, sdkerrors.ErrBadCredentials) {
				t.Fatalf("third failure: %v", err)
			}
			err = signIn(plextest.DefaultLogin, plextest.DefaultPassword, nil)
			e := wantAPIError(t, err, 401, sdkerrors.CodeSignInLocked, []error{sdkerrors.ErrUnauthorized, sdkerrors.ErrSignInLocked}, sdkerrors.ErrBadCredentials)
			wantType[sdkerrors.PostUsersSignInDataUnauthorized](t, err)
			if !e.Temporary() {
				t.Error("lock-out not temporary")
			}
			// Five sign-in calls, five requests: nothing was retried.
			if got := fake.CountRequests(http.MethodPost, "/api/v2/users/signin"); got != 5 {
				t.Errorf("%d sign-in requests, want 5", got)
			}
		})
	}
}

func TestErrorRateLimited(t *testing.T) {
	t.Parallel()
	fake := newFake(t, plextest.WithSignInRateLimit(1, time.Hour))
	s := newClient(t, fake, "")
	body := &operations.PostUsersSignInDataRequestBody{Login: plextest.DefaultLogin, Password: plextest.DefaultPassword}
	if _, err := s.Authentication.PostUsersSignInData(ctx(t), nil, body); err != nil {
		t.Fatalf("first sign-in: %v", err)
	}
	_, err := s.Authentication.PostUsersSignInData(ctx(t), nil, body)
	e := wantAPIError(t, err, 429, plexCodeRateLimited, []error{sdkerrors.ErrRateLimited}, sdkerrors.ErrUnauthorized, sdkerrors.ErrServer)
	wantType[sdkerrors.SDKError](t, err)
	if e.RetryAfter < 59*time.Minute || e.RetryAfter > time.Hour {
		t.Errorf("RetryAfter %v, want about an hour", e.RetryAfter)
	}
	if !strings.Contains(err.Error(), "retry after") {
		t.Errorf("error %q does not say when to retry", err)
	}
	if got := fake.CountRequests(http.MethodPost, "/api/v2/users/signin"); got != 2 {
		t.Errorf("%d sign-in requests, want 2 (the 429 is not retried)", got)
	}
}

func TestErrorPINNotFound(t *testing.T) {
	t.Parallel()
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			s := newClient(t, fake, "", f.opt(t))
			_, err := s.Plex.GetPin(ctx(t), 42)
			wantAPIError(t, err, 404, sdkerrors.CodePINNotFound, []error{sdkerrors.ErrPINNotFound, sdkerrors.ErrNotFound}, sdkerrors.ErrUnauthorized)

			created, err := s.Plex.CreatePin(ctx(t), operations.CreatePinRequest{Strong: true})
			if err != nil {
				t.Fatal(err)
			}
			if err := fake.ExpirePIN(created.Pin.ID); err != nil {
				t.Fatal(err)
			}
			_, err = s.Plex.GetPin(ctx(t), created.Pin.ID)
			wantAPIError(t, err, 404, sdkerrors.CodePINNotFound, []error{sdkerrors.ErrPINNotFound})
			wantType[sdkerrors.SDKError](t, err)
			// 404 is final: one request per call.
			if got := fake.CountRequests(http.MethodGet, "/api/v2/pins/42"); got != 1 {
				t.Errorf("%d requests for PIN 42", got)
			}
		})
	}
}

func TestErrorForbidden(t *testing.T) {
	t.Parallel()
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			s := newClient(t, fake, alice(t, fake).AuthToken, f.opt(t))
			home, err := s.Plex.GetHomeUsers(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			var protected string
			for _, u := range home.Home.Users {
				if u.Protected {
					protected = u.UUID
				}
			}
			for _, pin := range []*string{nil, plexgo.String("0000")} {
				_, err = s.Plex.SwitchHomeUser(ctx(t), protected, pin)
				wantAPIError(t, err, 403, sdkerrors.CodeInvalidPIN, []error{sdkerrors.ErrForbidden, sdkerrors.ErrInvalidPIN}, sdkerrors.ErrUnauthorized)
			}
			// Switch is not retried: one request per call.
			if got := fake.CountRequests(http.MethodPost, "/api/v2/home/users/"+protected+"/switch"); got != 2 {
				t.Errorf("%d switch requests, want 2", got)
			}

			// A shared (non-admin) user may not read source connection
			// information: the PMS answers 403 with an HTML page.
			bob, _ := fake.Account(plextest.TwoFactorLogin)
			shared := newClient(t, fake, bob.AuthToken, f.opt(t))
			_, err = shared.Authentication.GetSourceConnectionInformation(ctx(t), "server://"+fake.Servers()[0].MachineIdentifier)
			e := wantAPIError(t, err, 403, 0, []error{sdkerrors.ErrForbidden})
			wantType[sdkerrors.SDKError](t, err)
			if e.Message != "Forbidden" {
				t.Errorf("HTML 403 message %q", e.Message)
			}
		})
	}
}

func TestErrorTokenExpired(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	fake.InjectFault("GET /api/v2/user", plextest.Fault{Statuses: []int{498}})
	s := newClient(t, fake, alice(t, fake).AuthToken)
	_, err := s.Authentication.GetTokenDetails(ctx(t))
	wantAPIError(t, err, 498, 0, []error{sdkerrors.ErrTokenExpired}, sdkerrors.ErrUnauthorized, sdkerrors.ErrServer)
	wantType[sdkerrors.SDKError](t, err)
	if got := fake.CountRequests(http.MethodGet, "/api/v2/user"); got != 1 {
		t.Errorf("498 retried: %d requests", got)
	}
}

func TestErrorServer(t *testing.T) {
	t.Parallel()
	for _, status := range []int{500, 502, 503, 504, 501} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			fake.InjectFault("GET /api/v2/user", plextest.Fault{Statuses: []int{status, status, status, status}})
			s := newClient(t, fake, alice(t, fake).AuthToken)
			_, err := s.Authentication.GetTokenDetails(ctx(t))
			e := wantAPIError(t, err, status, 0, []error{sdkerrors.ErrServer}, sdkerrors.ErrUnauthorized)
			wantType[sdkerrors.SDKError](t, err)
			wantAttempts := 3 // the policy's MaxAttempts
			if status == http.StatusNotImplemented {
				wantAttempts = 1
			}
			if e.Attempts != wantAttempts {
				t.Errorf("Attempts %d, want %d", e.Attempts, wantAttempts)
			}
			if got := fake.CountRequests(http.MethodGet, "/api/v2/user"); got != wantAttempts {
				t.Errorf("%d requests, want %d", got, wantAttempts)
			}
			if !e.Temporary() {
				t.Error("5xx not temporary")
			}
		})
	}
}

// The PMS answers HTML for its errors; the documented per-operation types
// still apply.
func TestErrorPMSHTML(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	srv := fake.Servers()[0]
	bad := newClient(t, fake, "not-a-server-token")

	_, err := bad.Authentication.GetTransientToken(ctx(t), operations.GetTransientTokenQueryParamTypeDelegation, operations.ScopeAll)
	e := wantAPIError(t, err, 401, 0, []error{sdkerrors.ErrUnauthorized}, sdkerrors.ErrBadCredentials)
	wantType[sdkerrors.GetTransientTokenUnauthorized](t, err)
	if !strings.HasPrefix(e.ContentType, "text/html") || e.Message != "Unauthorized" {
		t.Errorf("HTML 401: content type %q message %q", e.ContentType, e.Message)
	}
	if strings.Contains(err.Error(), "<") {
		t.Errorf("error %q carries HTML", err)
	}

	_, err = bad.Authentication.GetSourceConnectionInformation(ctx(t), "server://"+srv.MachineIdentifier)
	wantAPIError(t, err, 401, 0, []error{sdkerrors.ErrUnauthorized})
	wantType[sdkerrors.GetSourceConnectionInformationUnauthorized](t, err)

	_, err = bad.Server.GetServerInfo(ctx(t))
	wantAPIError(t, err, 401, 0, []error{sdkerrors.ErrUnauthorized})
	wantType[sdkerrors.SDKError](t, err)

	good := newClient(t, fake, alice(t, fake).AuthToken)
	_, err = good.Authentication.GetTransientToken(ctx(t), "bogus", operations.ScopeAll)
	wantAPIError(t, err, 400, 0, nil, sdkerrors.ErrUnauthorized)
	wantType[sdkerrors.GetTransientTokenBadRequest](t, err)

	_, err = good.Authentication.GetSourceConnectionInformation(ctx(t), "not a source")
	wantAPIError(t, err, 400, 0, nil)
	wantType[sdkerrors.GetSourceConnectionInformationBadRequest](t, err)

	_, err = good.Authentication.GetSourceConnectionInformation(ctx(t), "server://0000")
	wantAPIError(t, err, 404, 0, []error{sdkerrors.ErrNotFound})

	// A transient token dies with a server restart.
	tt, err := good.Authentication.GetTransientToken(ctx(t), operations.GetTransientTokenQueryParamTypeDelegation, operations.ScopeAll)
	if err != nil {
		t.Fatal(err)
	}
	fake.RestartPMS()
	_, err = good.Server.GetServerInfo(ctx(t), operations.WithToken(tt.GetToken()))
	wantAPIError(t, err, 401, 0, []error{sdkerrors.ErrUnauthorized})
}

// Every error type keeps the raw response, readable again.
func TestErrorRawResponse(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	s := newClient(t, fake, "bad-token")
	_, err := s.Authentication.GetTokenDetails(ctx(t))
	e := wantType[sdkerrors.GetTokenDetailsUnauthorized](t, err)
	if e.RawResponse == nil || e.RawResponse.StatusCode != 401 {
		t.Fatalf("raw response %v", e.RawResponse)
	}
	if !strings.Contains(e.Body, "1001") {
		t.Errorf("Body %q", e.Body)
	}
	b := new(strings.Builder)
	if _, err := copyBody(b, e.RawResponse); err != nil || !strings.Contains(b.String(), "1001") {
		t.Errorf("raw body %q (%v)", b, err)
	}
}
