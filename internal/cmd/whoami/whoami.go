// Package whoami implements "plexauth whoami".
package whoami

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo/internal/cmdutil"
)

// Options are the inputs of plexauth whoami: only the streams, the login
// of the run and --json.
type Options = cmdutil.Base

// NewCmdWhoami returns the whoami command. runF, when not nil, replaces
// the run (tests use it to capture the parsed options).
func NewCmdWhoami(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Session: f.Session}
	cmd := &cobra.Command{
		Use: "whoami", Short: "Show the logged-in account and whether its token is valid",
		Long: `Show the account of the current login (--profile, or PLEX_TOKEN) after checking
the token with plex.tv: valid, invalid (rejected: exit code 3) or unknown
(plex.tv could not be asked: exit code 1).

The source is "profile NAME" or PLEX_TOKEN (which wins over every stored
profile); storage says where a stored secret is kept ("keyring" or the file's
path).

JSON fields: profile, source, storage, status (valid|invalid|unknown), tokenKind
(legacy|jwt), expiresAt (JWT only), account {id, uuid, username, title, email,
plexPass, subscription, home, homeAdmin, restricted, protected,
twoFactorEnabled, joinedAt}, error.`,
		Args: cmdutil.ExactArgs(0, ""),
		RunE: cmdutil.RunE(f, &opts.JSON, opts, runF, whoamiRun),
	}
	return cmd
}

func whoamiRun(ctx context.Context, opts *Options) error {
	s, err := opts.Session(ctx)
	if err != nil {
		return err
	}
	c := cmdutil.CheckToken(ctx, s)
	if opts.JSON {
		if err := opts.IO.WriteJSON(c); err != nil {
			return err
		}
		return c.Result()
	}
	io := opts.IO
	if c.Acct != nil {
		io.Printf("%s\n", cmdutil.AccountLine(c.Acct))
	}
	io.Printf("  token:        %s\n", c.Status)
	if c.Acct == nil && c.Stored != "" {
		io.Printf("  stored as:    %s (plex.tv did not confirm it)\n", c.Stored)
	} else if c.Acct != nil {
		io.Printf("  account:      id %d, uuid %s\n", c.Acct.ID, c.Acct.UUID)
		io.Printf("  subscription: %s\n", cmdutil.SubscriptionLine(c.Acct))
		if c.Acct.Home {
			role := "member"
			if c.Acct.HomeAdmin {
				role = "admin"
			}
			io.Printf("  plex home:    %s\n", role)
		}
	}
	kind := c.TokenKind
	if c.ExpiresAt != nil {
		kind += ", expires " + c.ExpiresAt.Format(time.RFC3339)
	}
	io.Printf("  token kind:   %s\n", kind)
	io.Printf("  source:       %s\n", c.Source)
	if c.Storage != "" {
		io.Printf("  storage:      %s\n", c.Storage)
	}
	if c.Source == cmdutil.EnvPlexToken {
		io.Printf("  note:         %s is set, so it is used instead of any stored login\n", cmdutil.EnvPlexToken)
	}
	return c.Result()
}
