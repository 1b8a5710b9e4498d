// Package sourceinfo implements "plexauth source-info".
package sourceinfo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo/internal/cmdutil"
	"github.com/plexkit/plexgo/models/sdkerrors"
	"github.com/plexkit/plexgo/servers"
)

// Options are the inputs of plexauth source-info.
type Options struct {
	// The streams, the login of the run and --json.
	cmdutil.Base
	// Logger logs the connection race.
	Logger func() *slog.Logger

	// Source is "server://<machineIdentifier>", "provider://<id>", or a
	// server name or machine identifier (meaning that server).
	Source string
	// Server is the server to ask.
	Server string
}

// NewCmdSourceInfo returns the source-info command.
func NewCmdSourceInfo(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Base: cmdutil.BaseOf(f), Logger: f.Logger}
	cmd := &cobra.Command{
		Use: "source-info <source> --server <server>", Short: "Ask a server for a source's connection information",
		Long: `Connect to --server and ask it (GET /security/resources) how to reach a source:
"server://<machineIdentifier>", "provider://<id>", or simply a server name or
machine identifier. It needs the server owner's token. The source's access
token is never shown.

JSON: {"source", "server", "device": {name, clientIdentifier, hasAccessToken,
connections:[{uri, kind, protocol, address, port, local, relay, ipv6}]}}.`,
		Example: `  plexauth source-info "Living Room" --server "Living Room"
  plexauth source-info server://1f2e3d... --server "Living Room" --json`,
		Args: cmdutil.ExactArgs(1, "a source"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Source, opts.JSON = strings.TrimSpace(args[0]), f.Options.JSON
			if opts.Source == "" {
				return cmdutil.FlagErrorf("empty source")
			}
			if opts.Server == "" {
				return cmdutil.FlagErrorf("--server is required: the server to ask")
			}
			return cmdutil.Run(cmd.Context(), opts, runF, sourceInfoRun)
		},
	}
	cmd.Flags().StringVar(&opts.Server, "server", "", "server to ask (name or machine identifier)")
	cmd.ValidArgsFunction = cmdutil.CompleteServers(f, 1)
	_ = cmd.RegisterFlagCompletionFunc("server", cmdutil.CompleteServers(f, -1))
	return cmd
}

func sourceInfoRun(ctx context.Context, opts *Options) error {
	s, conn, err := opts.Connect(ctx, opts.Server, 0, true, opts.Logger())
	if err != nil {
		return err
	}
	source := opts.Source
	if !strings.Contains(source, "://") {
		if strings.EqualFold(source, conn.Server.Name) || source == conn.Server.MachineIdentifier {
			source = servers.SourceForServer(conn.Server.MachineIdentifier)
		} else {
			sdk, err := s.AuthSDK(ctx)
			if err != nil {
				return err
			}
			srv, err := servers.Find(ctx, sdk, source)
			if err != nil {
				return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "find the source server", Err: err,
					Hint: `pass "server://<machineIdentifier>" or "provider://<id>", or a name from plexauth servers`}
			}
			source = servers.SourceForServer(srv.MachineIdentifier)
		}
	}
	dev, err := servers.SourceInfo(ctx, conn.Client, conn, source)
	switch {
	case errors.Is(err, sdkerrors.ErrForbidden):
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "get source information from " + conn.Server.Name, Err: err,
			Hint: "the server answers only its owner: log in as the owner"}
	case err != nil:
		return fmt.Errorf("get source information from %s: %w", conn.Server.Name, err)
	case dev == nil:
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "get source information from " + conn.Server.Name, Err: errors.New("the answer had no device")}
	}
	type devJSON struct {
		Name             string                   `json:"name"`
		ClientIdentifier string                   `json:"clientIdentifier"`
		HasAccessToken   bool                     `json:"hasAccessToken"`
		Connections      []cmdutil.ConnectionJSON `json:"connections"`
	}
	d := devJSON{Name: dev.Name, ClientIdentifier: dev.ClientIdentifier, HasAccessToken: dev.AccessToken != "", Connections: []cmdutil.ConnectionJSON{}}
	for _, c := range dev.Connections {
		kind := "remote"
		switch {
		case c.Relay:
			kind = "relay"
		case c.Local:
			kind = "local"
		}
		d.Connections = append(d.Connections, cmdutil.NewConnectionJSON(servers.Connection{URI: c.URI, Protocol: c.Protocol,
			Address: c.Address, Port: c.Port, Local: c.Local, Relay: c.Relay}, kind))
	}
	if opts.JSON {
		return opts.IO.WriteJSON(struct {
			Source string  `json:"source"`
			Server string  `json:"server"`
			Device devJSON `json:"device"`
		}{source, conn.Server.Name, d})
	}
	opts.IO.Printf("Source %s (asked %s at %s)\n", source, conn.Server.Name, conn.URI)
	opts.IO.Printf("  name:              %s\n", d.Name)
	opts.IO.Printf("  clientIdentifier:  %s\n", d.ClientIdentifier)
	at := "no"
	if d.HasAccessToken {
		at = "yes (not shown)"
	}
	opts.IO.Printf("  access token:      %s\n", at)
	for _, c := range d.Connections {
		opts.IO.Printf("  %-8s %s\n", c.Kind, c.URI)
	}
	return nil
}
