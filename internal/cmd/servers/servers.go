// Package servers implements "plexauth servers".
package servers

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo/internal/cmdutil"
	"github.com/plexkit/plexgo/servers"
)

// Options are the inputs of plexauth servers.
type Options struct {
	// Dependencies, taken from the Factory.
	IO      *cmdutil.IOStreams
	Session func(context.Context) (*cmdutil.Session, error)

	// JSON prints JSON (--json).
	JSON bool

	// Owned keeps only the account's own servers.
	Owned bool
}

// NewCmdServers returns the servers command.
func NewCmdServers(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Session: f.Session}
	cmd := &cobra.Command{
		Use:   "servers",
		Short: "List the Plex Media Servers the account can use, with their connections",
		Long: `List the account's servers (owned, Plex Home and shared) as plex.tv knows them,
with every connection (local, remote, relay). Access tokens are never shown.

JSON: {"servers":[{name, machineIdentifier, owned, home, shared, product,
version, connections:[{uri, kind, protocol, address, port, local, relay,
ipv6}]}]}.`,
		Args: cmdutil.ExactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON = f.Options.JSON
			if runF != nil {
				return runF(opts)
			}
			return serversRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Owned, "owned", false, "only the account's own servers")
	return cmd
}

type serverJSON struct {
	Name              string                   `json:"name"`
	MachineIdentifier string                   `json:"machineIdentifier"`
	Owned             bool                     `json:"owned"`
	Home              bool                     `json:"home"`
	Shared            bool                     `json:"shared"`
	Product           string                   `json:"product,omitempty"`
	Version           string                   `json:"version,omitempty"`
	Connections       []cmdutil.ConnectionJSON `json:"connections"`
}

func newServerJSON(s servers.Server) serverJSON {
	out := serverJSON{Name: s.Name, MachineIdentifier: s.MachineIdentifier, Owned: s.Owned, Home: s.Home, Shared: s.Shared,
		Product: s.Resource.Product, Version: s.Resource.ProductVersion, Connections: []cmdutil.ConnectionJSON{}}
	for _, c := range s.Connections {
		out.Connections = append(out.Connections, cmdutil.ConnectionJSON{URI: c.URI, Kind: c.Kind(), Protocol: c.Protocol,
			Address: c.Address, Port: c.Port, Local: c.Local, Relay: c.Relay, IPv6: c.IPv6})
	}
	return out
}

func ownership(s servers.Server) string {
	switch {
	case s.Owned:
		return "owned"
	case s.Home:
		return "home"
	case s.Shared:
		return "shared"
	}
	return "other"
}

func serversRun(ctx context.Context, opts *Options) error {
	s, err := opts.Session(ctx)
	if err != nil {
		return err
	}
	sdk, err := s.AuthSDK(ctx)
	if err != nil {
		return err
	}
	list, err := servers.Discover(ctx, sdk, servers.Filter{OwnedOnly: opts.Owned})
	if err != nil {
		return fmt.Errorf("list servers: %w", err)
	}
	if opts.JSON {
		doc := struct {
			Servers []serverJSON `json:"servers"`
		}{Servers: []serverJSON{}}
		for _, s := range list {
			doc.Servers = append(doc.Servers, newServerJSON(s))
		}
		return opts.IO.WriteJSON(doc)
	}
	if len(list) == 0 {
		opts.IO.Eprintf("No servers found for this account.\n")
		return nil
	}
	for i, s := range list {
		if i > 0 {
			opts.IO.Printf("\n")
		}
		extra := ""
		if s.Resource.ProductVersion != "" {
			extra = ", " + s.Resource.ProductVersion
		}
		opts.IO.Printf("%s (%s%s)  %s\n", s.Name, ownership(s), extra, s.MachineIdentifier)
		for _, c := range s.Connections {
			tags := []string{c.Kind()}
			if c.IPv6 {
				tags = append(tags, "ipv6")
			}
			opts.IO.Printf("  %-12s %s\n", strings.Join(tags, ","), c.URI)
		}
	}
	return nil
}
