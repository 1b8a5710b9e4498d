// Package status implements "plexauth status".
package status

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/internal/cmdutil"
)

// Options are the inputs of plexauth status.
type Options struct {
	// The streams, the login of the run and --json.
	cmdutil.Base
	// Getenv tells whether PLEX_TOKEN is set.
	Getenv func(string) string
	// Store holds the profiles; StoredSession checks each one.
	Store         func() (auth.TokenStore, error)
	StoredSession func(profile string, c auth.Credentials) *cmdutil.Session
	// PlexTVURL and ConfigDir tell which logins to check and the default.
	PlexTVURL func() string
	ConfigDir func() (string, error)
}

// NewCmdStatus returns the status command. runF, when not nil, replaces
// the run (tests use it to capture the parsed options).
func NewCmdStatus(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Base: cmdutil.BaseOf(f), Getenv: f.Getenv, StoredSession: f.StoredSession,
		Store: f.Store, PlexTVURL: f.PlexTVURL, ConfigDir: f.ConfigDir}
	cmd := &cobra.Command{
		Use: "status", Short: "Check every stored login (and PLEX_TOKEN) with plex.tv",
		Long: `Check every stored profile, and PLEX_TOKEN when it is set: valid, invalid
(rejected by plex.tv) or unknown (plex.tv could not be asked). Logins stored for
another plex.tv URL are listed as "unchecked". The default profile (see
"plexauth switch") is marked "(default)"; each login says where its secret is
kept ("keyring" or the file's path).

Exit code: 3 if any login is invalid (each one is named) or there is none, 1 if
one could not be checked, else 0.

JSON: {"logins":[{profile, source, storage, default, status, tokenKind,
expiresAt, account, error}]}; with no logins {"logins":[]} (exit code 3).`,
		Args: cmdutil.ExactArgs(0, ""),
		RunE: cmdutil.RunE(f, &opts.JSON, opts, runF, statusRun),
	}
	// It checks every profile itself, and says when there is none.
	return cmdutil.DisableAuth(cmd)
}

func statusRun(ctx context.Context, opts *Options) error {
	checks, err := checkAll(ctx, opts)
	if err != nil {
		return err
	}
	if len(checks) == 0 {
		if opts.JSON {
			if err := opts.IO.WriteJSON(struct {
				Logins []cmdutil.TokenCheck `json:"logins"`
			}{[]cmdutil.TokenCheck{}}); err != nil {
				return err
			}
		}
		return &cmdutil.ExitError{Code: cmdutil.ExitAuth, What: "not logged in (no stored logins)", Hint: "run plexauth login"}
	}
	result := overall(checks)
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
	if opts.Getenv(cmdutil.EnvPlexToken) != "" {
		opts.IO.Printf("(%s is set: commands use it instead of any stored profile.)\n", cmdutil.EnvPlexToken)
	}
	return result
}

// overall is the command's error: every invalid login named (exit code
// 3), else the first other failure, else nil.
func overall(checks []cmdutil.TokenCheck) error {
	var invalid []string
	var other error
	for _, c := range checks {
		err := c.Result()
		var ee *cmdutil.ExitError
		switch {
		case err == nil:
		case errors.As(err, &ee) && ee.Code == cmdutil.ExitAuth:
			name := c.Profile
			if name == "" {
				name = cmdutil.EnvPlexToken
			}
			invalid = append(invalid, name)
		case other == nil:
			other = err
		}
	}
	switch {
	case len(invalid) == 1 && invalid[0] == cmdutil.EnvPlexToken:
		return &cmdutil.ExitError{Code: cmdutil.ExitAuth, What: "the token in " + cmdutil.EnvPlexToken + " was rejected by plex.tv",
			Hint: "set " + cmdutil.EnvPlexToken + " to a valid token, or unset it"}
	case len(invalid) == 1:
		return &cmdutil.ExitError{Code: cmdutil.ExitAuth, What: fmt.Sprintf("the login of profile %s is invalid", invalid[0]), Hint: cmdutil.LoginHint(invalid[0])}
	case len(invalid) > 1:
		return &cmdutil.ExitError{Code: cmdutil.ExitAuth, What: "invalid logins: " + strings.Join(invalid, ", "),
			Hint: "log in again with plexauth login --profile NAME for each"}
	}
	return other
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
				TokenKind: string(s.Kind()), ExpiresAt: cmdutil.TimePtr(c.ExpiresAt), Error: "login for " + cmdutil.OrDefault(c.PlexTVURL),
				Stored: c.Name()})
			continue
		}
		checks = append(checks, cmdutil.CheckToken(ctx, s))
	}
	def := auth.DefaultProfile
	if dir, err := opts.ConfigDir(); err == nil {
		def = cmdutil.DefaultProfile(dir)
	}
	for i := range checks {
		if checks[i].Profile != "" {
			isDef := checks[i].Profile == def
			checks[i].Default = &isDef
		}
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
	case c.Status.Validity == auth.ValidityValid && io.Dumb:
		mark = "+" // TERM=dumb: ASCII only
	case c.Status.Validity == auth.ValidityValid:
		mark = "✓"
	case c.Status.Validity == auth.ValidityInvalid && io.Dumb:
		mark = "x"
	case c.Status.Validity == auth.ValidityInvalid:
		mark = "✗"
	}
	if c.Default != nil && *c.Default {
		name += " (default)"
	}
	line := mark + " " + name + ": " + c.Status.String()
	if c.Acct != nil {
		line += ", " + cmdutil.AccountLine(c.Acct)
	} else if c.Stored != "" {
		line += ", last signed in as " + c.Stored
	}
	line += " (" + c.TokenKind
	if c.ExpiresAt != nil {
		line += ", expires " + c.ExpiresAt.Format(time.RFC3339)
	}
	line += ")"
	if c.Storage != "" {
		line += " [" + c.Storage + "]"
	}
	io.Printf("%s\n", line)
	if c.Status.Validity != auth.ValidityValid && c.Error != "" {
		io.Printf("    %s\n", c.Error)
	}
}
