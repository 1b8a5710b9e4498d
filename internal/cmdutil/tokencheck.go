package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/models/components"
)

// TokenStatus is what plexauth knows of a login's token: plex.tv's
// answer, unless it was not asked (a login stored for another plex.tv
// URL is never sent here).
type TokenStatus struct {
	// Validity is plex.tv's answer (auth.ValidityUnknown when it could
	// not be asked).
	Validity auth.Validity
	// Unchecked is set when plex.tv was not asked at all.
	Unchecked bool
}

// String is "valid", "invalid", "unknown" or "unchecked".
func (s TokenStatus) String() string {
	if s.Unchecked {
		return "unchecked"
	}
	return s.Validity.String()
}

// MarshalText makes the status a JSON string (see String).
func (s TokenStatus) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// TokenCheck is the outcome of validating one login, as whoami and status
// print it (the JSON field names are stable).
type TokenCheck struct {
	Profile   string       `json:"profile,omitempty"`
	Source    string       `json:"source"`
	Storage   string       `json:"storage,omitempty"`
	Default   *bool        `json:"default,omitempty"`
	Status    TokenStatus  `json:"status"`
	TokenKind string       `json:"tokenKind"`
	ExpiresAt *time.Time   `json:"expiresAt,omitempty"`
	Account   *AccountJSON `json:"account"`
	Error     string       `json:"error,omitempty"`

	// Acct is the account plex.tv returned, if any.
	Acct *components.UserPlexAccount `json:"-"`
	// Stored is the account name the stored login recorded
	// (auth.Credentials.Name), for text output when plex.tv did not
	// confirm the account (an invalid, unknown or unchecked token).
	Stored string `json:"-"`
	err    error
}

// fromEnv reports whether the checked token came from PLEX_TOKEN (derived
// from Source, like Session.FromEnv, so the two cannot disagree).
func (c TokenCheck) fromEnv() bool { return c.Source == EnvPlexToken }

// NewTokenCheck is the check of a login that failed before plex.tv was
// asked (the store could not be read): status unknown, err kept.
func NewTokenCheck(profile string, err error) TokenCheck {
	return TokenCheck{Profile: profile, Error: err.Error(), err: err}
}

// CheckToken validates the session's token with plex.tv.
func CheckToken(ctx context.Context, s *Session) TokenCheck {
	c := TokenCheck{Profile: s.Profile, Source: s.Source, Storage: s.Storage, TokenKind: string(s.Kind()), Stored: s.Creds.Name()}
	if s.FromEnv() {
		c.Profile = ""
	}
	tok, err := s.Token(ctx)
	if err != nil {
		c.err, c.Error = err, err.Error()
		if code, _ := Classify(err); code == ExitAuth {
			c.Status.Validity = auth.ValidityInvalid
		}
		return c
	}
	if s.Kind() == auth.TokenKindJWT {
		exp := s.Creds.ExpiresAt
		if cur := s.CurrentCreds(ctx); !cur.ExpiresAt.IsZero() {
			exp = cur.ExpiresAt
		}
		c.ExpiresAt = TimePtr(exp)
	}
	sdk, err := s.SDK()
	if err != nil {
		c.err, c.Error = err, err.Error()
		return c
	}
	v, acct, err := auth.ValidateToken(ctx, sdk, tok)
	c.Status.Validity = v
	c.Acct = acct
	c.Account = NewAccountJSON(acct)
	if err != nil {
		c.err, c.Error = err, err.Error()
	}
	return c
}

// Result turns a check into the command's error: nil when valid, exit
// code 3 when invalid, 130 when interrupted, else 1.
func (c TokenCheck) Result() error {
	switch {
	case c.Status.Unchecked:
		return nil
	case c.Status.Validity == auth.ValidityValid:
		return nil
	case c.Status.Validity == auth.ValidityInvalid && c.fromEnv():
		return &ExitError{Code: ExitAuth, What: "the token in " + EnvPlexToken + " was rejected by plex.tv (revoked, expired or signed out)",
			Hint: "set " + EnvPlexToken + " to a valid token, or unset it to use the stored login"}
	case c.Status.Validity == auth.ValidityInvalid:
		return &ExitError{Code: ExitAuth, What: fmt.Sprintf("the token of profile %q was rejected by plex.tv (revoked, expired or signed out)", c.Profile),
			Hint: LoginHint(c.Profile)}
	case errors.Is(c.err, context.Canceled):
		return c.err // interrupted: exit code 130, not a network problem
	case c.err != nil && c.fromEnv():
		return &ExitError{Code: ExitFailure, What: "could not check the token in " + EnvPlexToken, Err: c.err, Hint: "check the network and try again"}
	case c.err != nil:
		return &ExitError{Code: ExitFailure, What: "could not check the token", Err: c.err, Hint: "check the network and try again (the stored login is kept)"}
	}
	return &ExitError{Code: ExitFailure, What: "could not check the token", Hint: "try again"}
}
