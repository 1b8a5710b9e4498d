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
	// The streams, the login of the run and --json.
	cmdutil.Base
	// ConfigDir holds the cache of server names for completion.
	ConfigDir func() (string, error)

	// Owned keeps only the account's own servers.
	Owned bool
}

// NewCmdServers returns the servers command.
func NewCmdServers(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Base: cmdutil.BaseOf(f), ConfigDir: f.ConfigDir}
	cmd := &cobra.Command{
		Use: "servers", Short: "List the Plex Media Servers the account can use, with their connections",
		Long: `List the account's servers (owned, Plex Home and shared) as plex.tv knows them,
with every connection (local, remote, relay). Access tokens are never shown.

JSON: {"servers":[{name, machineIdentifier, owned, home, shared, product,
version, connections:[{uri, kind, protocol, address, port, local, relay,
ipv6}]}]}.`,
		Args: cmdutil.ExactArgs(0, ""),
		RunE: cmdutil.RunE(f, &opts.JSON, opts, runF, serversRun),
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
		out.Connections = append(out.Connections, cmdutil.NewConnectionJSON(c, c.Kind()))
	}
	return out
}

// ownership is how the account has the server: the first of owned,
// home and shared that holds, else other.
func ownership(s servers.Server) string {
	for _, o := range []struct {
		holds bool
		name  string
	}{{s.Owned, "owned"}, {s.Home, "home"}, {s.Shared, "shared"}} {
		if o.holds {
			return o.name
		}
	}
	return "other"
}

func serversRun(ctx context.Context, opts *Options) error {
	_, sdk, err := opts.Login(ctx)
	if err != nil {
		return err
	}
	list, err := servers.Discover(ctx, sdk, servers.Filter{OwnedOnly: opts.Owned})
	if err != nil {
		return fmt.Errorf("list servers: %w", err)
	}
	if dir, err := opts.ConfigDir(); err == nil && !opts.Owned {
		// For shell completion of server names (never a network call on TAB).
		cache := []cmdutil.CachedServer{}
		for _, s := range list {
			cache = append(cache, cmdutil.CachedServer{Name: s.Name, MachineIdentifier: s.MachineIdentifier})
		}
		cmdutil.SaveServerCache(dir, cache)
	}
	if opts.JSON {
		return cmdutil.WriteJSONList(opts.IO, "servers", list, newServerJSON)
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
