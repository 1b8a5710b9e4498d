// Package whoami implements "plexauth whoami".
package whoami

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo/internal/cmdutil"
)

// Options are the inputs of plexauth whoami.
type Options struct {
	// Dependencies, taken from the Factory.
	IO      *cmdutil.IOStreams
	Session func(context.Context) (*cmdutil.Session, error)

	// JSON prints JSON (--json).
	JSON bool
}

// NewCmdWhoami returns the whoami command. runF, when not nil, replaces
// the run (tests use it to capture the parsed options).
func NewCmdWhoami(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Session: f.Session}
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
		Args: cmdutil.ExactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON = f.Options.JSON
			if runF != nil {
				return runF(opts)
			}
			return whoamiRun(cmd.Context(), opts)
		},
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
	if c.Acct != nil {
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
	return c.Result()
}
