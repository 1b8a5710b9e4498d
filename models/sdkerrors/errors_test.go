package sdkerrors_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/plexkit/plexgo/internal/testutil"
	"github.com/plexkit/plexgo/models/sdkerrors"
)

var allSentinels = []error{
	sdkerrors.ErrUnauthorized, sdkerrors.ErrForbidden, sdkerrors.ErrNotFound, sdkerrors.ErrClientIdentifierMissing,
	sdkerrors.ErrBadCredentials, sdkerrors.ErrPINNotFound, sdkerrors.ErrInvalidVerificationCode,
	sdkerrors.ErrVerificationCodeRequired, sdkerrors.ErrSignInLocked, sdkerrors.ErrInvalidPIN, sdkerrors.ErrRateLimited,
	sdkerrors.ErrTokenExpired, sdkerrors.ErrUnprocessable, sdkerrors.ErrServer, sdkerrors.ErrResponseTooLarge,
	sdkerrors.ErrUnexpectedContent,
}

func apiErr(status int, codes ...int) *sdkerrors.APIError {
	e := &sdkerrors.APIError{Op: "op", StatusCode: status}
	for _, c := range codes {
		e.Errors = append(e.Errors, sdkerrors.PlexError{Code: c, Message: "m", Status: status})
	}
	return e
}

func TestIs(t *testing.T) {
	t.Parallel()
	cases := []struct {
		err  *sdkerrors.APIError
		want []error
	}{
		{apiErr(400, 1000), []error{sdkerrors.ErrClientIdentifierMissing}},
		{apiErr(401, 1001), []error{sdkerrors.ErrUnauthorized, sdkerrors.ErrBadCredentials}},
		{apiErr(401, 1028), []error{sdkerrors.ErrUnauthorized, sdkerrors.ErrInvalidVerificationCode}},
		{apiErr(401, 1029), []error{sdkerrors.ErrUnauthorized, sdkerrors.ErrVerificationCodeRequired}},
		{apiErr(401, 1031), []error{sdkerrors.ErrUnauthorized, sdkerrors.ErrSignInLocked}},
		{apiErr(401), []error{sdkerrors.ErrUnauthorized}},
		{apiErr(403, 1041), []error{sdkerrors.ErrForbidden, sdkerrors.ErrInvalidPIN}},
		{apiErr(404, 1020), []error{sdkerrors.ErrNotFound, sdkerrors.ErrPINNotFound}},
		{apiErr(422), []error{sdkerrors.ErrUnprocessable}},
		{apiErr(429), []error{sdkerrors.ErrRateLimited}},
		{apiErr(498), []error{sdkerrors.ErrTokenExpired}},
		{apiErr(500), []error{sdkerrors.ErrServer}},
		{apiErr(503), []error{sdkerrors.ErrServer}},
		{apiErr(599), []error{sdkerrors.ErrServer}},
		{apiErr(401, 9999, 1029), []error{sdkerrors.ErrUnauthorized, sdkerrors.ErrVerificationCodeRequired}},
		{apiErr(418), nil},
	}
	for _, tc := range cases {
		for _, wrapped := range []error{tc.err, sdkerrors.Typed(tc.err), fmt.Errorf("outer: %w", sdkerrors.Typed(tc.err))} {
			for _, s := range allSentinels {
				want := false
				for _, w := range tc.want {
					want = want || w == s
				}
				if got := errors.Is(wrapped, s); got != want {
					t.Errorf("%d %v: errors.Is(%T, %q) = %v, want %v", tc.err.StatusCode, tc.err.Errors, wrapped, s, got, want)
				}
			}
		}
	}
}

func TestTyped(t *testing.T) {
	t.Parallel()
	check := func(op string, status int, want any) {
		t.Helper()
		err := sdkerrors.Typed(apiErr(status))
		if fmt.Sprintf("%T", err) != fmt.Sprintf("%T", want) {
			t.Errorf("Typed(%s, %d) = %T, want %T", op, status, err, want)
		}
	}
	for _, status := range []int{400, 401, 403, 500} {
		for _, op := range []string{"getTransientToken", "getSourceConnectionInformation", "getTokenDetails", "post-users-sign-in-data", "ping"} {
			e := apiErr(status)
			e.Op = op
			err := sdkerrors.Typed(e)
			var got any = err
			want := map[string]map[int]any{
				"getTransientToken":              {400: &sdkerrors.GetTransientTokenBadRequest{}, 401: &sdkerrors.GetTransientTokenUnauthorized{}},
				"getSourceConnectionInformation": {400: &sdkerrors.GetSourceConnectionInformationBadRequest{}, 401: &sdkerrors.GetSourceConnectionInformationUnauthorized{}},
				"getTokenDetails":                {400: &sdkerrors.GetTokenDetailsBadRequest{}, 401: &sdkerrors.GetTokenDetailsUnauthorized{}},
				"post-users-sign-in-data":        {400: &sdkerrors.PostUsersSignInDataBadRequest{}, 401: &sdkerrors.PostUsersSignInDataUnauthorized{}},
			}[op][status]
			if want == nil {
				want = &sdkerrors.SDKError{}
			}
			if fmt.Sprintf("%T", got) != fmt.Sprintf("%T", want) {
				t.Errorf("Typed(%s, %d) = %T, want %T", op, status, got, want)
			}
			// Every type gives back the *APIError with the same fields.
			var back *sdkerrors.APIError
			if !errors.As(err, &back) || back.Op != op || back.StatusCode != status {
				t.Errorf("errors.As(%T) to *APIError: %+v", err, back)
			}
			if err.Error() != e.Error() {
				t.Errorf("%T.Error() = %q, want %q", err, err.Error(), e.Error())
			}
		}
	}
	check("x", 401, &sdkerrors.SDKError{})
}

func TestErrorString(t *testing.T) {
	t.Parallel()
	cases := []struct {
		e    *sdkerrors.APIError
		want string
	}{
		{&sdkerrors.APIError{Op: "getTokenDetails", StatusCode: 401, Message: "User could not be authenticated", Errors: []sdkerrors.PlexError{{Code: 1001}}},
			"plexgo: getTokenDetails: 401 Unauthorized (plex.tv code 1001): User could not be authenticated"},
		{&sdkerrors.APIError{Op: "post-users-sign-in-data", StatusCode: 429, Message: "Too Many Requests", RetryAfter: 90 * time.Second},
			"plexgo: post-users-sign-in-data: 429 Too Many Requests (retry after 1m30s)"},
		{&sdkerrors.APIError{StatusCode: 498, Message: "Token Expired"}, "plexgo: 498: Token Expired"},
		{&sdkerrors.APIError{Op: "x", StatusCode: 503}, "plexgo: x: 503 Service Unavailable"},
	}
	for _, tc := range cases {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
	// Body and raw response are never part of the message.
	e := &sdkerrors.APIError{Op: "op", StatusCode: 401, Body: "secret-body-token", RawResponse: &http.Response{StatusCode: 401}}
	testutil.NoSecret(t, "Error()", e.Error(), "secret-body-token")
}

func TestCodesAndTemporary(t *testing.T) {
	t.Parallel()
	var empty sdkerrors.APIError
	if empty.Code() != 0 || empty.HasCode(0) || empty.Temporary() {
		t.Errorf("zero APIError: code %d temporary %v", empty.Code(), empty.Temporary())
	}
	e := apiErr(401, 1001, 1031)
	if e.Code() != 1001 || !e.HasCode(1031) || e.HasCode(1029) {
		t.Errorf("codes of %+v", e.Errors)
	}
	for status, want := range map[int]bool{401: false, 404: false, 429: true, 500: true, 503: true} {
		if got := apiErr(status).Temporary(); got != want {
			t.Errorf("Temporary(%d) = %v", status, got)
		}
	}
	if !apiErr(401, 1031).Temporary() {
		t.Error("lock-out not temporary")
	}
	// As only fills *APIError targets.
	var other *sdkerrors.SDKError
	if e.As(&other) {
		t.Error("As filled an *SDKError")
	}
}

func ExampleAPIError() {
	// What an operation returns for plex.tv's "Please enter the
	// verification code".
	var err error = sdkerrors.Typed(&sdkerrors.APIError{
		Op:         "post-users-sign-in-data",
		StatusCode: 401,
		Message:    "Please enter the verification code",
		Errors:     []sdkerrors.PlexError{{Code: sdkerrors.CodeVerificationRequired, Message: "Please enter the verification code", Status: 401}},
	})

	fmt.Println(errors.Is(err, sdkerrors.ErrVerificationCodeRequired))
	fmt.Println(errors.Is(err, sdkerrors.ErrBadCredentials))
	var signIn *sdkerrors.PostUsersSignInDataUnauthorized
	fmt.Println(errors.As(err, &signIn), signIn.Code())
	fmt.Println(err)
	// Output:
	// true
	// false
	// true 1029
	// plexgo: post-users-sign-in-data: 401 Unauthorized (plex.tv code 1029): Please enter the verification code
}

// unhashableErr is an error of a type a map could not hash.
type unhashableErr struct{ parts []string }

func (u unhashableErr) Error() string { return "unhashable" + strings.Join(u.parts, "") }

// errors.Is with a target of an unhashable type answers false, without
// panicking.
func TestIsUnhashableTarget(t *testing.T) {
	e := &sdkerrors.APIError{StatusCode: 401}
	if errors.Is(e, unhashableErr{}) {
		t.Error("matched an unrelated target")
	}
	if !errors.Is(e, sdkerrors.ErrUnauthorized) {
		t.Error("401 does not match ErrUnauthorized")
	}
}
