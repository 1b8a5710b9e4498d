package plexgo

import (
	"context"
	"fmt"
	"net/http"

	"github.com/plexkit/plexgo/internal/wire"
	"github.com/plexkit/plexgo/models/operations"
)

// Server groups the operations on a Plex Media Server itself: identity,
// description, its own plex.tv account (claim, unclaim), system accounts
// and devices, and library sections. Point them at a server with
// WithServerURL or the per-call operations.WithServerURL.
type Server struct{ sdk *PlexAPI }

// Format prints the section's client without its secrets, for every verb.
func (s *Server) Format(f fmt.State, _ rune) { writeSection(f, "Server", s.client()) }

func (s *Server) client() *PlexAPI {
	if s == nil {
		return nil
	}
	return s.sdk
}

func (s *Server) do(ctx context.Context, call *wire.Call, opts []operations.Option) (operations.HTTPMeta, error) {
	return s.client().do(ctx, call, opts)
}

// GetIdentity returns the server's machine identifier and version. It
// needs no token, which makes it the check that a connection reaches the
// expected machine.
//
// Plex API: GET {pms}/identity (operation "getIdentity").
func (s *Server) GetIdentity(ctx context.Context, opts ...operations.Option) (*operations.GetIdentityResponse, error) {
	res, id := alloc[operations.GetIdentityResponse, operations.Identity]()
	res.MediaContainer = id
	var err error
	res.HTTPMeta, err = s.do(ctx, &wire.Call{
		Op: "getIdentity", Method: http.MethodGet, Host: wire.PMS, Path: "identity",
		Auth: wire.NoToken, Retryable: true, Out: id, Container: true,
	}, opts)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// GetServerInfo returns the server's own description (name, version,
// platform, owner features, plex.tv sign-in state). It needs a token the
// server accepts.
//
// Plex API: GET {pms}/ (operation "getServerInfo").
func (s *Server) GetServerInfo(ctx context.Context, opts ...operations.Option) (*operations.GetServerInfoResponse, error) {
	res, info := alloc[operations.GetServerInfoResponse, operations.ServerInfo]()
	res.MediaContainer = info
	var err error
	res.HTTPMeta, err = s.do(ctx, &wire.Call{
		Op: "getServerInfo", Method: http.MethodGet, Host: wire.PMS, Path: "",
		Auth: wire.WithToken, Retryable: true, Out: info, Container: true,
	}, opts)
	if err != nil {
		return nil, err
	}
	return res, nil
}
