// Package status implements "plexauth status".
package status

import (
	"context"
	"errors"
	"time"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/internal/cmdutil"
)

// Options are the inputs of plexauth status.
type Options struct {
	// Dependencies, taken from the Factory.
	IO            *cmdutil.IOStreams
	Getenv        func(string) string
	Session       func(context.Context) (*cmdutil.Session, error)
	StoredSession func(profile string, c auth.Credentials) *cmdutil.Session
	Store         func() (auth.TokenStore, error)
	PlexTVURL     func() string

	// JSON prints JSON (--json).
	JSON bool
}

// NewCmdStatus returns the status command. runF, when not nil, replaces
// the run (tests use it to capture the parsed options).
func NewCmdStatus(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Getenv: f.Getenv, Session: f.Session, StoredSession: f.StoredSession,
		Store: f.Store, PlexTVURL: f.PlexTVURL}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Check every stored login (and PLEX_TOKEN) with plex.tv",
		Long: `Check every stored profile, and PLEX_TOKEN when it is set: valid, invalid
(rejected by plex.tv) or unknown (plex.tv could not be asked). Logins stored for
another plex.tv URL are listed as "unchecked".

Exit code: 3 if a login is invalid (or there is none), 1 if one could not be
checked, else 0.

JSON: {"logins":[{profile, source, status, tokenKind, expiresAt, account,
error}]}.`,
		Args: cmdutil.ExactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON = f.Options.JSON
			if runF != nil {
				return runF(opts)
			}
			return statusRun(cmd.Context(), opts)
		},
	}
	// It checks every profile itself, and says when there is none.
	return cmdutil.DisableAuth(cmd)
}

func statusRun(ctx context.Context, opts *Options) error {
	checks, err := checkAll(ctx, opts)
	if err != nil {
		return err
	}
	var result error
	for _, c := range checks {
		err := c.Result()
		var ee *cmdutil.ExitError
		if err == nil {
			continue
		}
		if errors.As(err, &ee) && ee.Code == cmdutil.ExitAuth {
			result = err
		} else if result == nil {
			result = err
		}
	}
	if err := ctx.Err(); errors.Is(err, context.Canceled) {
		result = err // interrupted: exit code 130
	}
	if opts.JSON {
		if err := opts.IO.WriteJSON(struct {
			Logins []cmdutil.TokenCheck `json:"logins"`
		}{checks}); err != nil {
			return err
		}
		return result
	}
	for _, c := range checks {
		printCheck(opts.IO, c)
	}
	return result
}

// checkAll checks PLEX_TOKEN (when set) and every stored profile.
func checkAll(ctx context.Context, opts *Options) ([]cmdutil.TokenCheck, error) {
	var checks []cmdutil.TokenCheck
	if tok := opts.Getenv(cmdutil.EnvPlexToken); tok != "" {
		s, err := opts.Session(ctx)
		if err != nil {
			return nil, err
		}
		checks = append(checks, cmdutil.CheckToken(ctx, s))
	}
	store, err := opts.Store()
	if err != nil {
		return nil, err
	}
	profiles, err := store.Profiles(ctx)
	if err != nil {
		return nil, &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "read the stored logins", Err: err}
	}
	for _, p := range profiles {
		c, err := store.Load(ctx, p)
		if err != nil {
			checks = append(checks, cmdutil.NewTokenCheck(p, err))
			continue
		}
		s := opts.StoredSession(p, c)
		if !cmdutil.SameBase(c.PlexTVURL, opts.PlexTVURL()) {
			// Never send a token to a host it does not belong to.
			checks = append(checks, cmdutil.TokenCheck{Profile: p, Source: s.Source, Status: cmdutil.TokenStatus{Unchecked: true},
				TokenKind: string(s.Kind()), ExpiresAt: cmdutil.TimePtr(c.ExpiresAt), Error: "login for " + cmdutil.OrDefault(c.PlexTVURL)})
			continue
		}
		checks = append(checks, cmdutil.CheckToken(ctx, s))
	}
	if len(checks) == 0 {
		return nil, &cmdutil.ExitError{Code: cmdutil.ExitAuth, What: "not logged in (no stored logins)", Hint: "run plexauth login"}
	}
	return checks, nil
}

// printCheck prints one login as a line, with its error below.
func printCheck(io *cmdutil.IOStreams, c cmdutil.TokenCheck) {
	name := c.Profile
	if name == "" {
		name = cmdutil.EnvPlexToken
	}
	mark := "?"
	switch {
	case c.Status.Unchecked:
		mark = "-"
	case c.Status.Validity == auth.ValidityValid:
		mark = "✓"
	case c.Status.Validity == auth.ValidityInvalid:
		mark = "✗"
	}
	line := mark + " " + name + ": " + c.Status.String()
	if c.Acct != nil {
		line += ", " + cmdutil.AccountLine(c.Acct)
	}
	line += " (" + c.TokenKind
	if c.ExpiresAt != nil {
		line += ", expires " + c.ExpiresAt.Format(time.RFC3339)
	}
	line += ")"
	io.Printf("%s\n", line)
	if c.Status.Validity != auth.ValidityValid && c.Error != "" {
		io.Printf("    %s\n", c.Error)
	}
}
