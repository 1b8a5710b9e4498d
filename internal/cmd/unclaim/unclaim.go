// Package unclaim implements "plexauth unclaim": sign a Plex Media Server
// out of its plex.tv account.
package unclaim

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo/internal/cmdutil"
)

// Options are the inputs of plexauth unclaim.
type Options struct {
	// The streams, the login of the run and --json.
	cmdutil.Base
	// Server is the URL of the Plex Media Server.
	Server string
	// Yes skips the question.
	Yes bool
	// Prompter asks for confirmation.
	Prompter func() cmdutil.Prompter
}

// NewCmdUnclaim returns the unclaim command.
func NewCmdUnclaim(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Base: cmdutil.BaseOf(f), Prompter: f.Prompter}
	cmd := &cobra.Command{
		Use: "unclaim --server URL", Short: "Sign a Plex Media Server out of its account (the reverse of claim)",
		Long: `Sign the Plex Media Server at URL out of plex.tv: it no longer belongs to the
account, its shares end, and it can be claimed again ("plexauth claim
--server URL"). plexauth asks first; --yes confirms for scripts.

JSON: {"server", "unclaimed"}.`,
		Example: `  plexauth unclaim --server http://127.0.0.1:32400`,
		Args:    cmdutil.ExactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON = f.Options.JSON
			if opts.Server == "" {
				return cmdutil.FlagErrorf("unclaim needs --server URL")
			}
			if err := cmdutil.CheckHTTPURL(opts.Server); err != nil {
				return cmdutil.FlagErrorf("--server: %v", err)
			}
			return cmdutil.Run(cmd.Context(), opts, runF, unclaimRun)
		},
	}
	cmd.Flags().StringVar(&opts.Server, "server", "", "URL of the Plex Media Server (e.g. http://127.0.0.1:32400)")
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}

func unclaimRun(ctx context.Context, opts *Options) error {
	s, err := opts.Session(ctx)
	if err != nil {
		return err
	}
	if err := cmdutil.Confirm(ctx, opts.IO, opts.Prompter(), "Unclaim the server at "+opts.Server+" (it leaves the account and its shares end)?", opts.Yes); err != nil {
		return err
	}
	pms, err := s.ServerSDK(ctx, opts.Server)
	if err != nil {
		return err
	}
	if _, err := pms.Server.UnclaimServer(ctx); err != nil {
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "unclaim the server at " + opts.Server, Err: err,
			Hint: "check the URL, and that this account owns the server"}
	}
	if opts.JSON {
		return opts.IO.WriteJSON(struct {
			Server    string `json:"server"`
			Unclaimed bool   `json:"unclaimed"`
		}{opts.Server, true})
	}
	opts.IO.Printf("Unclaimed the server at %s: it no longer belongs to the account.\n", opts.Server)
	return nil
}
