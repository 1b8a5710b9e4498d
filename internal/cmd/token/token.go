// Package token implements "plexauth token", the command that prints the
// stored token (besides "login --show-token", which prints the new one).
package token

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo/internal/cmdutil"
	"github.com/plexkit/plexgo/servers"
)

// TransientLifetime is the longest a transient token lasts (a server
// restart ends it sooner).
const TransientLifetime = 48 * time.Hour

// Options are the inputs of plexauth token.
type Options struct {
	// The streams, the login of the run and --json.
	cmdutil.Base
	// Now is the clock (a transient token's expiry).
	Now func() time.Time
	// Logger logs the connection race of --transient.
	Logger func() *slog.Logger

	// Transient asks a server for a transient token instead.
	Transient bool
	// Server names the server for --transient.
	Server string
}

// NewCmdToken returns the token command.
func NewCmdToken(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Base: cmdutil.BaseOf(f), Logger: f.Logger, Now: f.Now}
	cmd := &cobra.Command{
		Use: "token", Short: "Print the stored token (no other command prints it)",
		Long: `Print the token of the current login (--profile, or PLEX_TOKEN) on stdout, and
nothing else. A JWT login is renewed first if it is about to expire.

--transient --server NAME connects to the server and prints a transient token
instead: the same access as the server's token, valid for up to 48 hours and
gone when the server restarts. Hand that one to players and scripts.

JSON: {"token", "kind" (legacy|jwt|transient), "expiresAt" (a JWT's expiry;
for a transient token the latest it can last, 48 hours from now), "server",
"uri"}.`,
		Example: `  export PLEX_TOKEN=$(plexauth token)
  plexauth token --transient --server "Living Room"`,
		Args: cmdutil.ExactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON = f.Options.JSON
			switch {
			case opts.Server != "" && !opts.Transient:
				return cmdutil.FlagErrorf("--server needs --transient")
			case opts.Transient && opts.Server == "":
				return cmdutil.FlagErrorf("--transient needs --server NAME")
			}
			return cmdutil.Run(cmd.Context(), opts, runF, tokenRun)
		},
	}
	cmd.Flags().BoolVar(&opts.Transient, "transient", false, "print a transient token from a server instead")
	cmd.Flags().StringVar(&opts.Server, "server", "", "server name or machine identifier for --transient")
	_ = cmd.RegisterFlagCompletionFunc("server", cmdutil.CompleteServers(f, -1))
	return cmd
}

func tokenRun(ctx context.Context, opts *Options) error {
	type tokenJSON struct {
		Token     string     `json:"token"`
		Kind      string     `json:"kind"`
		ExpiresAt *time.Time `json:"expiresAt,omitempty"`
		Server    string     `json:"server,omitempty"`
		URI       string     `json:"uri,omitempty"`
	}
	var doc tokenJSON
	if opts.Transient {
		_, res, err := opts.Connect(ctx, opts.Server, 0, true, opts.Logger())
		if err != nil {
			return err
		}
		tok, err := servers.TransientToken(ctx, nil, res)
		if err != nil {
			return fmt.Errorf("get a transient token from %s: %w", res.Server.Name, err)
		}
		doc = tokenJSON{Token: tok, Kind: "transient", Server: res.Server.Name, URI: res.URI,
			ExpiresAt: cmdutil.TimePtr(opts.Now().Add(TransientLifetime))}
	} else {
		s, err := opts.Session(ctx)
		if err != nil {
			return err
		}
		tok, err := s.Token(ctx)
		if err != nil {
			return fmt.Errorf("renew the token: %w", err)
		}
		doc = tokenJSON{Token: tok, Kind: string(s.Kind())}
		if s.Renews() {
			doc.ExpiresAt = cmdutil.TimePtr(s.CurrentCreds(ctx).ExpiresAt)
		}
	}
	if opts.JSON {
		return opts.IO.WriteJSON(doc)
	}
	opts.IO.Printf("%s\n", doc.Token)
	return nil
}
