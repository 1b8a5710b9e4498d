package login

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/internal/cmdutil"
	"github.com/plexkit/plexgo/internal/cmdutil/cmdtest"
	"github.com/plexkit/plexgo/models/sdkerrors"
)

func TestNewCmdLogin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		want    Options
		wantErr bool
	}{
		{name: "PIN by default", args: nil, want: Options{}},
		{name: "no browser", args: []string{"--no-browser"}, want: Options{NoBrowser: true}},
		{name: "short code", args: []string{"--short"}, want: Options{Short: true}},
		{name: "jwt", args: []string{"--jwt", "--show-token"}, want: Options{JWT: true, ShowToken: true}},
		{name: "password", args: []string{"--password"}, want: Options{Password: true}},
		{name: "password with username and code", args: []string{"--password", "-u", "alice", "--code", "123456"},
			want: Options{Password: true, Username: "alice", Code: "123456"}},
		{name: "password-stdin implies password", args: []string{"--password-stdin", "--username", "alice"},
			want: Options{Password: true, PasswordStdin: true, Username: "alice"}},
		{name: "poll interval", args: []string{"--poll-interval", "250ms"}, want: Options{PollInterval: 250 * time.Millisecond}},
		{name: "password-stdin needs username", args: []string{"--password-stdin"}, wantErr: true},
		{name: "username needs password", args: []string{"--username", "alice"}, wantErr: true},
		{name: "code needs password", args: []string{"--code", "1"}, wantErr: true},
		{name: "jwt conflicts with password", args: []string{"--jwt", "--password"}, wantErr: true},
		{name: "short conflicts with password", args: []string{"--short", "--password"}, wantErr: true},
		{name: "password is never an argument", args: []string{"--password", "hunter2"}, wantErr: true},
		{name: "unknown flag", args: []string{"--pasword"}, wantErr: true},
		{name: "negative poll interval", args: []string{"--poll-interval", "-1s"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := cmdtest.Factory()
			var got *Options
			err := cmdtest.Run(NewCmdLogin(f, func(o *Options) error { got = o; return nil }), tt.args...)
			if tt.wantErr {
				if !cmdtest.IsUsage(err) {
					t.Fatalf("err = %v, want a usage error", err)
				}
				if got != nil {
					t.Fatal("run was called despite the usage error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			cmdtest.ClearDeps(got)
			got.Profile = ""
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("options = %+v, want %+v", *got, tt.want)
			}
		})
	}
}

func apiErr(status int, codes ...int) error {
	e := &sdkerrors.APIError{Op: "op", StatusCode: status, Message: http.StatusText(status)}
	for _, c := range codes {
		e.Errors = append(e.Errors, sdkerrors.PlexError{Code: c, Status: status})
	}
	return sdkerrors.Typed(e)
}

func TestLoginErrorMapping(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		code int
		what string
	}{
		{"bad credentials", apiErr(401, 1001), cmdutil.ExitBadCredentials, "wrong login or password"},
		{"code required", apiErr(401, 1029), cmdutil.ExitBadCode, "needs a two-factor verification code"},
		{"wrong code", apiErr(401, 1028), cmdutil.ExitBadCode, "wrong verification code"},
		{"locked", apiErr(401, 1031), cmdutil.ExitLocked, "locked"},
		{"rate limited", apiErr(429), cmdutil.ExitRateLimited, "rate limiting"},
		{"PIN expired", fmt.Errorf("x: %w", auth.ErrPINExpired), cmdutil.ExitFailure, "expired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := loginError(tt.err)
			var ee *cmdutil.ExitError
			if !errors.As(err, &ee) {
				t.Fatalf("loginError(%v) = %v, not an *cmdutil.ExitError", tt.err, err)
			}
			if ee.Code != tt.code || !strings.Contains(ee.What, tt.what) {
				t.Errorf("got code %d %q, want %d containing %q", ee.Code, ee.What, tt.code, tt.what)
			}
		})
	}
	// Anything else keeps its cause for the generic mapping.
	if code, _ := cmdutil.Classify(loginError(apiErr(503))); code != cmdutil.ExitFailure {
		t.Errorf("503 during login: code %d", code)
	}
	if code, _ := cmdutil.Classify(loginError(context.Canceled)); code != cmdutil.ExitCancelled {
		t.Errorf("cancelled login: code %d", code)
	}
}
