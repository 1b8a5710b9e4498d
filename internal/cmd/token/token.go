// Package token implements "plexauth token", the only command that prints
// a token.
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

// Options are the inputs of plexauth token.
type Options struct {
	// Dependencies, taken from the Factory.
	IO      *cmdutil.IOStreams
	Session func(context.Context) (*cmdutil.Session, error)
	Logger  func() *slog.Logger

	// JSON prints JSON (--json).
	JSON bool

	// Transient asks a server for a transient token instead.
	Transient bool
	// Server names the server for --transient.
	Server string
}

// NewCmdToken returns the token command.
func NewCmdToken(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Session: f.Session, Logger: f.Logger}
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Print the stored token (the only command that does)",
		Long: `Print the token of the current login (--profile, or PLEX_TOKEN) on stdout, and
nothing else. A JWT login is renewed first if it is about to expire.

--transient --server NAME connects to the server and prints a transient token
instead: the same access as the server's token, valid for up to 48 hours and
gone when the server restarts. Hand that one to players and scripts.

JSON: {"token", "kind" (legacy|jwt|transient), "expiresAt", "server", "uri"}.`,
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
			if runF != nil {
				return runF(opts)
			}
			return tokenRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Transient, "transient", false, "print a transient token from a server instead")
	cmd.Flags().StringVar(&opts.Server, "server", "", "server name or machine identifier for --transient")
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
	s, err := opts.Session(ctx)
	if err != nil {
		return err
	}
	var doc tokenJSON
	if opts.Transient {
		res, err := cmdutil.ConnectServer(ctx, s, opts.Server, 0, true, opts.Logger())
		if err != nil {
			return err
		}
		tok, err := servers.TransientToken(ctx, nil, res)
		if err != nil {
			return fmt.Errorf("get a transient token from %s: %w", res.Server.Name, err)
		}
		doc = tokenJSON{Token: tok, Kind: "transient", Server: res.Server.Name, URI: res.URI}
	} else {
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
