// Package claim implements "plexauth claim": a claim token for a new Plex
// Media Server (Docker's PLEX_CLAIM), or claiming a server directly.
package claim

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo/internal/cmdutil"
)

// Lifetime is how long plex.tv keeps a claim token valid.
const Lifetime = 4 * time.Minute

// Options are the inputs of plexauth claim.
type Options struct {
	// The streams, the login of the run and --json.
	cmdutil.Base
	// Now is the clock of the expiry and the countdown.
	Now func() time.Time

	// Env prints PLEX_CLAIM=TOKEN.
	Env bool
	// Server is the URL of a Plex Media Server to claim.
	Server string
	// Countdown shows the time left on a terminal (tests turn it off).
	Countdown bool
}

// NewCmdClaim returns the claim command.
func NewCmdClaim(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Base: cmdutil.BaseOf(f), Now: f.Now, Countdown: true}
	cmd := &cobra.Command{
		Use: "claim [--env | --server URL]", Short: "Get a claim token for a new server, or claim a server",
		Long: `Print a fresh claim token for the logged-in account. A new Plex Media Server
given the token (Docker: PLEX_CLAIM) becomes the account's. The token is single
use and expires 4 minutes after it is issued; on a terminal plexauth counts
down the time left (Ctrl-C ends the countdown; the token stays valid).

--env prints PLEX_CLAIM=TOKEN, ready for docker run -e or an env file
(--json, when also given, wins).

--server URL claims the Plex Media Server at URL directly (usually
http://127.0.0.1:32400 on the machine itself) and reports the account it now
belongs to. "plexauth unclaim --server URL" does the reverse.

JSON: {"token", "expiresAt"}; with --server {"server", "claimed", "username",
"signInState"}.`,
		Example: `  docker run -e "$(plexauth claim --env)" plexinc/pms-docker
  plexauth claim --server http://127.0.0.1:32400`,
		Args: cmdutil.ExactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON = f.Options.JSON
			switch {
			case opts.Env && opts.Server != "":
				return cmdutil.FlagErrorf("--env prints a token for a new server; --server claims one: choose one")
			case opts.Server != "":
				if err := cmdutil.CheckHTTPURL(opts.Server); err != nil {
					return cmdutil.FlagErrorf("--server: %v", err)
				}
			}
			if opts.Server != "" {
				return cmdutil.Run(cmd.Context(), opts, runF, claimServer)
			}
			return cmdutil.Run(cmd.Context(), opts, runF, tokenRun)
		},
	}
	cmd.Flags().BoolVar(&opts.Env, "env", false, "print PLEX_CLAIM=TOKEN")
	cmd.Flags().StringVar(&opts.Server, "server", "", "URL of a Plex Media Server to claim (e.g. http://127.0.0.1:32400)")
	return cmd
}

// newToken asks plex.tv for a claim token with the login of the run.
func newToken(ctx context.Context, opts *Options) (*cmdutil.Session, string, error) {
	s, sdk, err := opts.Login(ctx)
	if err != nil {
		return nil, "", err
	}
	res, err := sdk.Plex.GetClaimToken(ctx)
	if err != nil {
		return nil, "", fmt.Errorf("get a claim token: %w", err)
	}
	if res.GetToken() == "" {
		return nil, "", &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "get a claim token: plex.tv returned none", Hint: "try again"}
	}
	return s, res.GetToken(), nil
}

func tokenRun(ctx context.Context, opts *Options) error {
	_, tok, err := newToken(ctx, opts)
	if err != nil {
		return err
	}
	expires := opts.Now().Add(Lifetime).UTC().Truncate(time.Second)
	switch {
	case opts.JSON:
		return opts.IO.WriteJSON(struct {
			Token     string    `json:"token"`
			ExpiresAt time.Time `json:"expiresAt"`
		}{tok, expires})
	case opts.Env:
		opts.IO.Printf("PLEX_CLAIM=%s\n", tok)
	default:
		opts.IO.Printf("%s\n", tok)
	}
	opts.IO.Eprintf("The claim token is single use and expires in 4 minutes (at %s).\n", expires.Format("15:04:05 UTC"))
	if opts.Countdown && opts.IO.Fancy() && opts.IO.IsStdoutTTY {
		return countdown(ctx, opts, expires)
	}
	return nil
}

// countdown shows the time left until expires, redrawn in place.
func countdown(ctx context.Context, opts *Options, expires time.Time) error {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		left := expires.Sub(opts.Now())
		if left <= 0 {
			opts.IO.Eprintf("\r\033[KThe claim token has expired: run plexauth claim for a new one.\n")
			return nil
		}
		opts.IO.Eprintf("\r\033[KExpires in %d:%02d (Ctrl-C to stop counting; the token stays valid)", int(left/time.Minute), int(left%time.Minute/time.Second))
		select {
		case <-ctx.Done():
			opts.IO.Eprintf("\r\033[K")
			return ctx.Err()
		case <-t.C:
		}
	}
}

func claimServer(ctx context.Context, opts *Options) error {
	s, tok, err := newToken(ctx, opts)
	if err != nil {
		return err
	}
	pms, err := s.ServerSDK(ctx, opts.Server)
	if err != nil {
		return err
	}
	res, err := pms.Server.ClaimServer(ctx, tok)
	if err != nil {
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "claim the server at " + opts.Server, Err: err,
			Hint: "check the URL, and that the server is unclaimed (or already this account's)"}
	}
	user, state := "", ""
	if res.MyPlex != nil {
		user, state = res.MyPlex.Username, string(res.MyPlex.SignInState)
	}
	if opts.JSON {
		return opts.IO.WriteJSON(struct {
			Server      string `json:"server"`
			Claimed     bool   `json:"claimed"`
			Username    string `json:"username,omitempty"`
			SignInState string `json:"signInState,omitempty"`
		}{opts.Server, true, user, state})
	}
	if user == "" {
		user = "this account"
	}
	opts.IO.Printf("Claimed the server at %s: it now belongs to %s.\n", opts.Server, user)
	return nil
}
