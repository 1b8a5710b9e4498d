package cmdutil

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/plexkit/plexgo/auth"
)

func TestTokenStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s    TokenStatus
		want string
	}{
		{TokenStatus{Validity: auth.ValidityValid}, "valid"},
		{TokenStatus{Validity: auth.ValidityInvalid}, "invalid"},
		{TokenStatus{}, "unknown"},
		{TokenStatus{Unchecked: true}, "unchecked"},
	}
	for _, tt := range tests {
		if got := tt.s.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.s, got, tt.want)
		}
		b, err := json.Marshal(TokenCheck{Status: tt.s})
		if err != nil {
			t.Fatal(err)
		}
		if want := `{"source":"","status":"` + tt.want + `","tokenKind":"","account":null}`; string(b) != want {
			t.Errorf("JSON %s, want %s", b, want)
		}
	}
}

func TestTokenCheckResult(t *testing.T) {
	t.Parallel()
	code := func(c TokenCheck) int {
		err := c.Result()
		if err == nil {
			return ExitOK
		}
		n, _ := Classify(err)
		return n
	}
	if n := code(TokenCheck{Status: TokenStatus{Validity: auth.ValidityValid}}); n != ExitOK {
		t.Errorf("valid: %d", n)
	}
	if n := code(TokenCheck{Status: TokenStatus{Unchecked: true}}); n != ExitOK {
		t.Errorf("unchecked: %d", n)
	}
	if n := code(TokenCheck{Profile: "p", Status: TokenStatus{Validity: auth.ValidityInvalid}}); n != ExitAuth {
		t.Errorf("invalid: %d", n)
	}
	if n := code(NewTokenCheck("p", errors.New("disk on fire"))); n != ExitFailure {
		t.Errorf("unknown: %d", n)
	}
}
