package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"
)

// StatusOptions are the inputs of plexauth status.
type StatusOptions struct {
	f *Factory
}

// NewCmdStatus returns the status command.
func NewCmdStatus(f *Factory, runF func(*StatusOptions) error) *cobra.Command {
	opts := &StatusOptions{f: f}
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
		Args: exactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return statusRun(cmd.Context(), opts)
		},
	}
	return cmd
}

func statusRun(ctx context.Context, opts *StatusOptions) error {
	f := opts.f
	var checks []tokenCheck
	if tok := f.Getenv(EnvPlexToken); tok != "" {
		s, err := f.Session(ctx)
		if err != nil {
			return err
		}
		checks = append(checks, checkSession(ctx, f, s))
	}
	store, err := f.Store()
	if err != nil {
		return err
	}
	profiles, err := store.Profiles(ctx)
	if err != nil {
		return &ExitError{Code: ExitFailure, What: "read the stored logins", Err: err}
	}
	for _, p := range profiles {
		c, err := store.Load(ctx, p)
		if err != nil {
			checks = append(checks, tokenCheck{Profile: p, Status: "unknown", Error: err.Error(), err: err})
			continue
		}
		s := &Session{Profile: p, Source: "profile " + p, Creds: c}
		if !sameBase(c.PlexTVURL, f.PlexTVURL()) {
			// Never send a token to a host it does not belong to.
			checks = append(checks, tokenCheck{Profile: p, Source: s.Source, Status: "unchecked", TokenKind: string(s.Kind()),
				ExpiresAt: timePtr(c.ExpiresAt), Error: "login for " + orDefault(c.PlexTVURL)})
			continue
		}
		checks = append(checks, checkSession(ctx, f, s))
	}
	if len(checks) == 0 {
		return &ExitError{Code: ExitAuth, What: "not logged in (no stored logins)", Hint: "run plexauth login"}
	}
	var result error
	for _, c := range checks {
		err := c.result()
		var ee *ExitError
		if c.Status == "unchecked" || err == nil {
			continue
		}
		if errors.As(err, &ee) && ee.Code == ExitAuth {
			result = err
		} else if result == nil {
			result = err
		}
	}
	if err := ctx.Err(); errors.Is(err, context.Canceled) {
		result = err // interrupted: exit code 130
	}
	if f.Opts.JSON {
		if err := f.writeJSON(struct {
			Logins []tokenCheck `json:"logins"`
		}{checks}); err != nil {
			return err
		}
		return result
	}
	w := f.IO.Out
	for _, c := range checks {
		name := c.Profile
		if name == "" {
			name = EnvPlexToken
		}
		mark := map[string]string{"valid": "✓", "invalid": "✗", "unknown": "?", "unchecked": "-"}[c.Status]
		line := fmt.Sprintf("%s %s: %s", mark, name, c.Status)
		if c.acct != nil {
			line += ", " + accountLine(c.acct)
		}
		line += " (" + c.TokenKind
		if c.ExpiresAt != nil {
			line += ", expires " + c.ExpiresAt.Format(time.RFC3339)
		}
		line += ")"
		textln(w, line)
		if c.Status != "valid" && c.Error != "" {
			textf(w, "    %s\n", c.Error)
		}
	}
	return result
}
