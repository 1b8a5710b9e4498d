package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo/servers"
)

// ServersOptions are the inputs of plexauth servers.
type ServersOptions struct {
	f *Factory

	// Owned keeps only the account's own servers.
	Owned bool
}

// NewCmdServers returns the servers command.
func NewCmdServers(f *Factory, runF func(*ServersOptions) error) *cobra.Command {
	opts := &ServersOptions{f: f}
	cmd := &cobra.Command{
		Use:   "servers",
		Short: "List the Plex Media Servers the account can use, with their connections",
		Long: `List the account's servers (owned, Plex Home and shared) as plex.tv knows them,
with every connection (local, remote, relay). Access tokens are never shown.

JSON: {"servers":[{name, machineIdentifier, owned, home, shared, product,
version, connections:[{uri, kind, protocol, address, port, local, relay,
ipv6}]}]}.`,
		Args: exactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return serversRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Owned, "owned", false, "only the account's own servers")
	return needsLogin(cmd)
}

type connectionJSON struct {
	URI      string `json:"uri"`
	Kind     string `json:"kind"`
	Protocol string `json:"protocol"`
	Address  string `json:"address"`
	Port     int    `json:"port"`
	Local    bool   `json:"local"`
	Relay    bool   `json:"relay"`
	IPv6     bool   `json:"ipv6"`
}

type serverJSON struct {
	Name              string           `json:"name"`
	MachineIdentifier string           `json:"machineIdentifier"`
	Owned             bool             `json:"owned"`
	Home              bool             `json:"home"`
	Shared            bool             `json:"shared"`
	Product           string           `json:"product,omitempty"`
	Version           string           `json:"version,omitempty"`
	Connections       []connectionJSON `json:"connections"`
}

func newServerJSON(s servers.Server) serverJSON {
	out := serverJSON{Name: s.Name, MachineIdentifier: s.MachineIdentifier, Owned: s.Owned, Home: s.Home, Shared: s.Shared,
		Product: s.Resource.Product, Version: s.Resource.ProductVersion, Connections: []connectionJSON{}}
	for _, c := range s.Connections {
		out.Connections = append(out.Connections, connectionJSON{URI: c.URI, Kind: c.Kind(), Protocol: c.Protocol,
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

func serversRun(ctx context.Context, opts *ServersOptions) error {
	f := opts.f
	sdk, err := f.AuthSDK(ctx)
	if err != nil {
		return err
	}
	list, err := servers.Discover(ctx, sdk, servers.Filter{OwnedOnly: opts.Owned})
	if err != nil {
		return fmt.Errorf("list servers: %w", err)
	}
	if f.Opts.JSON {
		doc := struct {
			Servers []serverJSON `json:"servers"`
		}{Servers: []serverJSON{}}
		for _, s := range list {
			doc.Servers = append(doc.Servers, newServerJSON(s))
		}
		return f.writeJSON(doc)
	}
	if len(list) == 0 {
		textln(f.IO.ErrOut, "No servers found for this account.")
		return nil
	}
	for i, s := range list {
		if i > 0 {
			textln(f.IO.Out)
		}
		extra := ""
		if s.Resource.ProductVersion != "" {
			extra = ", " + s.Resource.ProductVersion
		}
		textf(f.IO.Out, "%s (%s%s)  %s\n", s.Name, ownership(s), extra, s.MachineIdentifier)
		for _, c := range s.Connections {
			tags := []string{c.Kind()}
			if c.IPv6 {
				tags = append(tags, "ipv6")
			}
			textf(f.IO.Out, "  %-12s %s\n", strings.Join(tags, ","), c.URI)
		}
	}
	return nil
}
