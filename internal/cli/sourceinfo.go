package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo/models/sdkerrors"
	"github.com/plexkit/plexgo/servers"
)

// SourceInfoOptions are the inputs of plexauth source-info.
type SourceInfoOptions struct {
	f *Factory

	// Source is "server://<machineIdentifier>", "provider://<id>", or a
	// server name or machine identifier (meaning that server).
	Source string
	// Server is the server to ask.
	Server string
}

// NewCmdSourceInfo returns the source-info command.
func NewCmdSourceInfo(f *Factory, runF func(*SourceInfoOptions) error) *cobra.Command {
	opts := &SourceInfoOptions{f: f}
	cmd := &cobra.Command{
		Use:   "source-info <source> --server <server>",
		Short: "Ask a server for a source's connection information",
		Long: `Connect to --server and ask it (GET /security/resources) how to reach a source:
"server://<machineIdentifier>", "provider://<id>", or simply a server name or
machine identifier. It needs the server owner's token. The source's access
token is never shown.

JSON: {"source", "server", "device": {name, clientIdentifier, hasAccessToken,
connections:[{uri, protocol, address, port, local, relay}]}}.`,
		Example: `  plexauth source-info "Living Room" --server "Living Room"
  plexauth source-info server://1f2e3d... --server "Living Room" --json`,
		Args: exactArgs(1, "a source"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Source = strings.TrimSpace(args[0])
			if opts.Source == "" {
				return flagErrorf("empty source")
			}
			if opts.Server == "" {
				return flagErrorf("--server is required: the server to ask")
			}
			if runF != nil {
				return runF(opts)
			}
			return sourceInfoRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Server, "server", "", "server to ask (name or machine identifier)")
	return needsLogin(cmd)
}

func sourceInfoRun(ctx context.Context, opts *SourceInfoOptions) error {
	f := opts.f
	conn, err := f.connectServer(ctx, opts.Server, 0, true)
	if err != nil {
		return err
	}
	source := opts.Source
	if !strings.Contains(source, "://") {
		if strings.EqualFold(source, conn.Server.Name) || source == conn.Server.MachineIdentifier {
			source = servers.SourceForServer(conn.Server.MachineIdentifier)
		} else {
			sdk, err := f.AuthSDK(ctx)
			if err != nil {
				return err
			}
			srv, err := servers.Find(ctx, sdk, source)
			if err != nil {
				return &ExitError{Code: ExitFailure, What: "find the source server", Err: err,
					Hint: `pass "server://<machineIdentifier>" or "provider://<id>", or a name from plexauth servers`}
			}
			source = servers.SourceForServer(srv.MachineIdentifier)
		}
	}
	dev, err := servers.SourceInfo(ctx, conn.Client, conn, source)
	switch {
	case errors.Is(err, sdkerrors.ErrForbidden):
		return &ExitError{Code: ExitFailure, What: "get source information from " + conn.Server.Name, Err: err,
			Hint: "the server answers only its owner: log in as the owner"}
	case err != nil:
		return fmt.Errorf("get source information from %s: %w", conn.Server.Name, err)
	case dev == nil:
		return &ExitError{Code: ExitFailure, What: "get source information from " + conn.Server.Name, Err: errors.New("the answer had no device")}
	}
	type devJSON struct {
		Name             string           `json:"name"`
		ClientIdentifier string           `json:"clientIdentifier"`
		HasAccessToken   bool             `json:"hasAccessToken"`
		Connections      []connectionJSON `json:"connections"`
	}
	d := devJSON{Name: dev.Name, ClientIdentifier: dev.ClientIdentifier, HasAccessToken: dev.AccessToken != "", Connections: []connectionJSON{}}
	for _, c := range dev.Connections {
		kind := "remote"
		switch {
		case c.Relay:
			kind = "relay"
		case c.Local:
			kind = "local"
		}
		d.Connections = append(d.Connections, connectionJSON{URI: c.URI, Kind: kind, Protocol: c.Protocol, Address: c.Address, Port: c.Port, Local: c.Local, Relay: c.Relay})
	}
	if f.Opts.JSON {
		return f.writeJSON(struct {
			Source string  `json:"source"`
			Server string  `json:"server"`
			Device devJSON `json:"device"`
		}{source, conn.Server.Name, d})
	}
	textf(f.IO.Out, "Source %s (asked %s at %s)\n", source, conn.Server.Name, conn.URI)
	textf(f.IO.Out, "  name:              %s\n", d.Name)
	textf(f.IO.Out, "  clientIdentifier:  %s\n", d.ClientIdentifier)
	at := "no"
	if d.HasAccessToken {
		at = "yes (not shown)"
	}
	textf(f.IO.Out, "  access token:      %s\n", at)
	for _, c := range d.Connections {
		textf(f.IO.Out, "  %-8s %s\n", c.Kind, c.URI)
	}
	return nil
}
