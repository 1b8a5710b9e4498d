package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/models/components"
)

// WhoamiOptions are the inputs of plexauth whoami.
type WhoamiOptions struct {
	f *Factory
}

// NewCmdWhoami returns the whoami command.
func NewCmdWhoami(f *Factory, runF func(*WhoamiOptions) error) *cobra.Command {
	opts := &WhoamiOptions{f: f}
	cmd := &cobra.Command{
		Use:   "whoami",
		Short: "Show the logged-in account and whether its token is valid",
		Long: `Show the account of the current login (--profile, or PLEX_TOKEN) after checking
the token with plex.tv: valid, invalid (rejected: exit code 3) or unknown
(plex.tv could not be asked: exit code 1).

JSON fields: profile, source, status (valid|invalid|unknown), tokenKind
(legacy|jwt), expiresAt (JWT only), account {id, uuid, username, title, email,
plexPass, subscription, home, homeAdmin, restricted, protected,
twoFactorEnabled, joinedAt}, error.`,
		Args: exactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return whoamiRun(cmd.Context(), opts)
		},
	}
	return needsLogin(cmd)
}

// tokenCheck is the outcome of validating one login.
type tokenCheck struct {
	Profile   string       `json:"profile,omitempty"`
	Source    string       `json:"source"`
	Status    string       `json:"status"`
	TokenKind string       `json:"tokenKind"`
	ExpiresAt *time.Time   `json:"expiresAt,omitempty"`
	Account   *accountJSON `json:"account"`
	Error     string       `json:"error,omitempty"`

	acct    *components.UserPlexAccount
	err     error
	fromEnv bool
}

// checkSession validates the session's token with plex.tv.
func checkSession(ctx context.Context, f *Factory, s *Session) tokenCheck {
	c := tokenCheck{Profile: s.Profile, Source: s.Source, TokenKind: string(s.Kind()), Status: "unknown"}
	if s.FromEnv {
		c.Profile, c.fromEnv = "", true
	}
	tok, err := f.tokenFor(ctx, s)
	if err != nil {
		c.err = err
		if code, _ := classify(err); code == ExitAuth {
			c.Status = "invalid"
		}
		c.Error = err.Error()
		return c
	}
	if s.Kind() == auth.TokenKindJWT {
		exp := s.Creds.ExpiresAt
		if cur := f.currentCreds(ctx, s); !cur.ExpiresAt.IsZero() {
			exp = cur.ExpiresAt
		}
		c.ExpiresAt = timePtr(exp)
	}
	sdk, err := f.sdkForSession(ctx, s, false)
	if err != nil {
		c.err, c.Error = err, err.Error()
		return c
	}
	v, acct, err := auth.ValidateToken(ctx, sdk, tok)
	switch v {
	case auth.ValidityValid:
		c.Status = "valid"
	case auth.ValidityInvalid:
		c.Status = "invalid"
	}
	c.acct = acct
	c.Account = newAccountJSON(acct)
	if err != nil {
		c.err, c.Error = err, err.Error()
	}
	return c
}

// result turns a check into the command's error (nil when valid).
func (c tokenCheck) result() error {
	switch c.Status {
	case "valid":
		return nil
	case "invalid":
		if c.fromEnv {
			return &ExitError{Code: ExitAuth, What: "the token in " + EnvPlexToken + " was rejected by plex.tv (revoked, expired or signed out)",
				Hint: "set " + EnvPlexToken + " to a valid token, or unset it to use the stored login"}
		}
		return &ExitError{Code: ExitAuth, What: fmt.Sprintf("the token of profile %q was rejected by plex.tv (revoked, expired or signed out)", c.Profile),
			Hint: loginHint(c.Profile)}
	}
	if errors.Is(c.err, context.Canceled) {
		return c.err // interrupted: exit code 130, not a network problem
	}
	if c.err != nil {
		return &ExitError{Code: ExitFailure, What: "could not check the token", Err: c.err, Hint: "check the network and try again (the stored login is kept)"}
	}
	return &ExitError{Code: ExitFailure, What: "could not check the token", Hint: "try again"}
}

func whoamiRun(ctx context.Context, opts *WhoamiOptions) error {
	f := opts.f
	s, err := f.Session(ctx)
	if err != nil {
		return err
	}
	c := checkSession(ctx, f, s)
	if f.Opts.JSON {
		if err := f.writeJSON(c); err != nil {
			return err
		}
		return c.result()
	}
	w := f.IO.Out
	if c.acct != nil {
		textln(w, accountLine(c.acct))
	}
	textf(w, "  token:        %s\n", c.Status)
	if c.acct != nil {
		textf(w, "  account:      id %d, uuid %s\n", c.acct.ID, c.acct.UUID)
		textf(w, "  subscription: %s\n", subscriptionLine(c.acct))
		if c.acct.Home {
			role := "member"
			if c.acct.HomeAdmin {
				role = "admin"
			}
			textf(w, "  plex home:    %s\n", role)
		}
	}
	kind := c.TokenKind
	if c.ExpiresAt != nil {
		kind += ", expires " + c.ExpiresAt.Format(time.RFC3339)
	}
	textf(w, "  token kind:   %s\n", kind)
	textf(w, "  source:       %s\n", c.Source)
	return c.result()
}
