package servers

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/models/operations"
)

// ErrServerNotFound is returned (wrapped) by Find when no server matches.
// The error lists the servers that do exist, by name and machine
// identifier only.
var ErrServerNotFound = errors.New("server not found")

// ErrAmbiguousServer is returned (wrapped) by Find when a name matches
// more than one server. Use the machine identifier instead.
var ErrAmbiguousServer = errors.New("server name is ambiguous")

// Server is a Plex Media Server the account can use, as plex.tv lists it.
//
// String, GoString and the JSON encoding leave out AccessToken (and the
// raw Resource, which holds it too).
type Server struct {
	// Name is the server's friendly name.
	Name string `json:"name"`
	// MachineIdentifier is the server's unique id (plex.tv calls it the
	// resource's clientIdentifier). Connect checks it against GET
	// /identity.
	MachineIdentifier string `json:"machineIdentifier"`
	// AccessToken is the token to use with this server (the owner's admin
	// token, or a per-user token for a shared or Home server). A secret.
	AccessToken string `json:"-"`
	// Owned is true for the caller's own servers.
	Owned bool `json:"owned"`
	// Home is true for a server of the caller's Plex Home admin.
	Home bool `json:"home"`
	// Shared is true for a server someone outside the caller's Plex Home
	// shares with the caller (neither Owned nor Home).
	Shared bool `json:"shared"`
	// Provides lists the roles of the device, e.g. ["server"].
	Provides []string `json:"provides"`
	// Connections are the addresses plex.tv knows for the server, in the
	// order plex.tv lists them.
	Connections []Connection `json:"connections"`
	// Resource is the plex.tv resource the server was built from.
	Resource operations.Resource `json:"-"`
}

// String identifies the server without its token.
func (s Server) String() string {
	var b strings.Builder
	b.WriteString("Server{Name:")
	b.WriteString(strconv.Quote(s.Name))
	b.WriteString(" MachineIdentifier:")
	b.WriteString(s.MachineIdentifier)
	switch {
	case s.Owned:
		b.WriteString(" owned")
	case s.Home:
		b.WriteString(" home")
	case s.Shared:
		b.WriteString(" shared")
	}
	b.WriteString(" Connections:")
	b.WriteString(strconv.Itoa(len(s.Connections)))
	if s.AccessToken != "" {
		b.WriteString(" AccessToken:REDACTED")
	}
	b.WriteString("}")
	return b.String()
}

// GoString is String, so %#v does not print the token either.
func (s Server) GoString() string { return s.String() }

// Connection is one address of a server.
type Connection struct {
	// URI is the base URL to use, e.g. "https://10-0-0-5.<hash>.plex.direct:32400".
	URI string `json:"uri"`
	// Protocol is "http" or "https".
	Protocol string `json:"protocol"`
	// Address is the host or IP address.
	Address string `json:"address"`
	// Port is the TCP port.
	Port int `json:"port"`
	// Local is true for an address on the server's LAN.
	Local bool `json:"local"`
	// Relay is true for a connection through Plex's relay (slow,
	// bandwidth-limited: the last resort).
	Relay bool `json:"relay"`
	// IPv6 is true for an IPv6 address.
	IPv6 bool `json:"ipv6"`
}

// Kind returns "local", "remote" or "relay".
func (c Connection) Kind() string {
	switch {
	case c.Relay:
		return "relay"
	case c.Local:
		return "local"
	}
	return "remote"
}

// Filter selects servers in Discover. The zero value selects every device
// that provides "server".
type Filter struct {
	// Name keeps servers with this name (case-insensitive).
	Name string
	// MachineIdentifier keeps the server with this machine identifier.
	MachineIdentifier string
	// Provides keeps devices with this role (default "server"; "player"
	// or "client" list the account's players).
	Provides string
	// OwnedOnly keeps the caller's own servers.
	OwnedOnly bool
}

func (f Filter) match(r *operations.Resource) bool {
	provides := f.Provides
	if provides == "" {
		provides = "server"
	}
	switch {
	case !r.HasProvides(provides):
		return false
	case f.Name != "" && !strings.EqualFold(r.Name, f.Name):
		return false
	case f.MachineIdentifier != "" && !strings.EqualFold(r.ClientIdentifier, f.MachineIdentifier):
		return false
	case f.OwnedOnly && !r.Owned:
		return false
	}
	return true
}

// Discover lists the account's servers (or other devices, see
// Filter.Provides) with their access tokens and all their connections:
// it asks plex.tv for HTTPS, relay and IPv6 connections too. sdk must be
// configured with the account's plex.tv token.
//
// Plex API: GET https://plex.tv/api/v2/resources?includeHttps=1&includeRelay=1&includeIPv6=1.
func Discover(ctx context.Context, sdk *plexgo.PlexAPI, f Filter) ([]Server, error) {
	if err := checkSDK(sdk); err != nil {
		return nil, fmt.Errorf("servers: discover: %w", err)
	}
	res, err := sdk.Plex.GetResources(ctx, operations.GetResourcesRequest{IncludeHTTPS: true, IncludeRelay: true, IncludeIPv6: true})
	if err != nil {
		return nil, fmt.Errorf("servers: discover: %w", err)
	}
	var out []Server
	for i := range res.Resources {
		r := &res.Resources[i]
		if f.match(r) {
			out = append(out, fromResource(*r))
		}
	}
	return out, nil
}

func fromResource(r operations.Resource) Server {
	s := Server{
		Name:              r.Name,
		MachineIdentifier: r.ClientIdentifier,
		AccessToken:       r.AccessToken,
		Owned:             r.Owned,
		Home:              !r.Owned && r.Home,
		Shared:            !r.Owned && !r.Home,
		Resource:          r,
	}
	for p := range strings.SplitSeq(r.Provides, ",") {
		if p = strings.TrimSpace(p); p != "" {
			s.Provides = append(s.Provides, p)
		}
	}
	for _, c := range r.Connections {
		s.Connections = append(s.Connections, Connection{
			URI: c.URI, Protocol: c.Protocol, Address: c.Address, Port: c.Port,
			Local: c.Local, Relay: c.Relay, IPv6: c.IPv6,
		})
	}
	return s
}

// Find returns the server whose machine identifier or name (case
// insensitive) is nameOrID. A machine identifier wins over a name. It fails
// with ErrServerNotFound when nothing matches, listing the servers that
// exist (names and machine identifiers only), and with ErrAmbiguousServer
// when a name matches several servers.
func Find(ctx context.Context, sdk *plexgo.PlexAPI, nameOrID string) (Server, error) {
	nameOrID = strings.TrimSpace(nameOrID)
	if nameOrID == "" {
		return Server{}, errors.New("servers: find: empty server name or machine identifier")
	}
	all, err := Discover(ctx, sdk, Filter{})
	if err != nil {
		return Server{}, err
	}
	for _, s := range all {
		if strings.EqualFold(s.MachineIdentifier, nameOrID) {
			return s, nil
		}
	}
	var named []Server
	for _, s := range all {
		if strings.EqualFold(s.Name, nameOrID) {
			named = append(named, s)
		}
	}
	switch len(named) {
	case 1:
		return named[0], nil
	case 0:
		if len(all) == 0 {
			return Server{}, fmt.Errorf("servers: %w: %q (the account has no servers)", ErrServerNotFound, nameOrID)
		}
		return Server{}, fmt.Errorf("servers: %w: %q (available: %s)", ErrServerNotFound, nameOrID, listServers(all))
	}
	return Server{}, fmt.Errorf("servers: %w: %q matches %s; use the machine identifier", ErrAmbiguousServer, nameOrID, listServers(named))
}

// listServers names servers by name and machine identifier, nothing else.
func listServers(ss []Server) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = strconv.Quote(s.Name) + " (" + s.MachineIdentifier + ")"
	}
	return strings.Join(parts, ", ")
}
