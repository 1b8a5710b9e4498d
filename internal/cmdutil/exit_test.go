package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/models/sdkerrors"
)

func apiErr(status int, codes ...int) error {
	e := &sdkerrors.APIError{Op: "op", StatusCode: status, Message: http.StatusText(status)}
	for _, c := range codes {
		e.Errors = append(e.Errors, sdkerrors.PlexError{Code: c, Status: status})
	}
	return sdkerrors.Typed(e)
}

func TestClassify(t *testing.T) {
	t.Parallel()
	rateLimited := &sdkerrors.APIError{Op: "signin", StatusCode: 429, RetryAfter: 90 * time.Second}
	netErr := &url.Error{Op: "Get", URL: "http://127.0.0.1:1/api/v2/user", Err: &net.OpError{Op: "dial", Err: errors.New("connection refused")}}
	tests := []struct {
		name     string
		err      error
		code     int
		hintPart string
	}{
		{"exit error keeps its code", &ExitError{Code: ExitLocked, What: "x", Hint: "wait"}, ExitLocked, "wait"},
		{"wrapped exit error", fmt.Errorf("outer: %w", &ExitError{Code: ExitBadCode, What: "x"}), ExitBadCode, ""},
		{"flag error", FlagErrorf("bad flag"), ExitUsage, "--help"},
		{"cancelled", fmt.Errorf("poll: %w", context.Canceled), ExitCancelled, ""},
		{"not logged in", fmt.Errorf("load: %w", auth.ErrNotLoggedIn), ExitAuth, "plexauth login"},
		{"401", fmt.Errorf("list servers: %w", apiErr(401, 1001)), ExitAuth, "plexauth login"},
		{"498 expired JWT", apiErr(498), ExitAuth, "expired"},
		{"1031 lock-out", apiErr(401, 1031), ExitLocked, "wait"},
		{"429 with Retry-After", rateLimited, ExitRateLimited, "1m30s"},
		{"429 without Retry-After", apiErr(429), ExitRateLimited, "wait a minute"},
		{"5xx", apiErr(503), ExitFailure, "try again later"},
		{"timeout", fmt.Errorf("x: %w", context.DeadlineExceeded), ExitFailure, "timed out"},
		{"unexpected content", fmt.Errorf("x: %w", sdkerrors.ErrUnexpectedContent), ExitFailure, "--plextv-url"},
		{"network", fmt.Errorf("whoami: %w", netErr), ExitFailure, "cannot connect"},
		{"corrupt store", fmt.Errorf("x: %w", auth.ErrCorrupt), ExitFailure, "fix or remove"},
		{"anything else", errors.New("boom"), ExitFailure, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, hint := Classify(tt.err)
			if code != tt.code {
				t.Errorf("code %d, want %d", code, tt.code)
			}
			if !strings.Contains(hint, tt.hintPart) {
				t.Errorf("hint %q does not contain %q", hint, tt.hintPart)
			}
		})
	}
}

func TestErrorLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		hint string
		want string
	}{
		{&ExitError{What: "sign-in failed: wrong login or password"}, "check them", "plexauth: sign-in failed: wrong login or password: check them"},
		{&ExitError{What: "find the server", Err: errors.New("not found")}, "", "plexauth: find the server: not found"},
		{errors.New("multi\nline\n  error"), "do this", "plexauth: multi line error: do this"},
		{fmt.Errorf("x: %w", context.Canceled), "", "plexauth: interrupted"},
		{errors.New("already says run plexauth login"), "run plexauth login", "plexauth: already says run plexauth login"},
	}
	for _, tt := range tests {
		if got := ErrorLine(tt.err, tt.hint); got != tt.want {
			t.Errorf("ErrorLine(%q, %q) = %q, want %q", tt.err, tt.hint, got, tt.want)
		}
	}
}
