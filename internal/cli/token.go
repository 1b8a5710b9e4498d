package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo/servers"
)

// TokenOptions are the inputs of plexauth token.
type TokenOptions struct {
	f *Factory

	// Transient asks a server for a transient token instead.
	Transient bool
	// Server names the server for --transient.
	Server string
}

// NewCmdToken returns the token command.
func NewCmdToken(f *Factory, runF func(*TokenOptions) error) *cobra.Command {
	opts := &TokenOptions{f: f}
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
		Args: exactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case opts.Server != "" && !opts.Transient:
				return flagErrorf("--server needs --transient")
			case opts.Transient && opts.Server == "":
				return flagErrorf("--transient needs --server NAME")
			}
			if runF != nil {
				return runF(opts)
			}
			return tokenRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Transient, "transient", false, "print a transient token from a server instead")
	cmd.Flags().StringVar(&opts.Server, "server", "", "server name or machine identifier for --transient")
	return needsLogin(cmd)
}

func tokenRun(ctx context.Context, opts *TokenOptions) error {
	f := opts.f
	type tokenJSON struct {
		Token     string     `json:"token"`
		Kind      string     `json:"kind"`
		ExpiresAt *time.Time `json:"expiresAt,omitempty"`
		Server    string     `json:"server,omitempty"`
		URI       string     `json:"uri,omitempty"`
	}
	var doc tokenJSON
	if opts.Transient {
		res, err := f.connectServer(ctx, opts.Server, 0, true)
		if err != nil {
			return err
		}
		tok, err := servers.TransientToken(ctx, nil, res)
		if err != nil {
			return fmt.Errorf("get a transient token from %s: %w", res.Server.Name, err)
		}
		doc = tokenJSON{Token: tok, Kind: "transient", Server: res.Server.Name, URI: res.URI}
	} else {
		s, err := f.Session(ctx)
		if err != nil {
			return err
		}
		tok, err := f.Token(ctx)
		if err != nil {
			return fmt.Errorf("renew the token: %w", err)
		}
		doc = tokenJSON{Token: tok, Kind: string(s.Kind())}
		if s.renews() {
			doc.ExpiresAt = timePtr(f.currentCreds(ctx, s).ExpiresAt)
		}
	}
	if f.Opts.JSON {
		return f.writeJSON(doc)
	}
	textln(f.IO.Out, doc.Token)
	return nil
}
