package plexgo

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/plexkit/plexgo/internal/wire"
	"github.com/plexkit/plexgo/models/operations"
)

// Server groups the operations on a Plex Media Server itself: identity,
// description, its own plex.tv account (claim, unclaim), system accounts
// and devices, and library sections. Point them at a server with
// WithServerURL or the per-call operations.WithServerURL.
type Server section

// GetIdentity returns the server's machine identifier and version. It
// needs no token, which makes it the check that a connection reaches the
// expected machine.
//
// Plex API: GET {pms}/identity (operation "getIdentity").
func (s *Server) GetIdentity(ctx context.Context, opts ...operations.Option) (*operations.GetIdentityResponse, error) {
	res, id := alloc[operations.GetIdentityResponse, operations.Identity]()
	res.MediaContainer = id
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, &wire.Call{Op: "getIdentity", Method: http.MethodGet,
		Host: wire.PMS, Path: "identity", Auth: wire.NoToken, Retryable: true, Out: id, Container: true})
}

// GetServerInfo returns the server's own description (name, version,
// platform, owner features, plex.tv sign-in state). It needs a token the
// server accepts.
//
// Plex API: GET {pms}/ (operation "getServerInfo").
func (s *Server) GetServerInfo(ctx context.Context, opts ...operations.Option) (*operations.GetServerInfoResponse, error) {
	res, info := alloc[operations.GetServerInfoResponse, operations.ServerInfo]()
	res.MediaContainer = info
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, &wire.Call{Op: "getServerInfo", Method: http.MethodGet,
		Host: wire.PMS, Path: "", Auth: wire.WithToken, Retryable: true, Out: info, Container: true})
}

// GetMyPlexAccount returns the server's own plex.tv account: who claimed
// it, whether it is signed in, its remote-access mapping, and its plex.tv
// token (a secret, redacted when printed).
//
// Plex API: GET {pms}/myplex/account (operation "getMyPlexAccount").
func (s *Server) GetMyPlexAccount(ctx context.Context, opts ...operations.Option) (*operations.GetMyPlexAccountResponse, error) {
	res, acct := alloc[operations.GetMyPlexAccountResponse, operations.MyPlexAccount]()
	res.MyPlex = acct
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, &wire.Call{Op: "getMyPlexAccount", Method: http.MethodGet,
		Host: wire.PMS, Path: "myplex/account", Auth: wire.WithToken, Retryable: true, Out: &myPlex{acct}, XMLOut: acct})
}

// myPlex is the JSON form of /myplex/account: {"MyPlex": {…}} (the XML
// form's root is the <MyPlex> element itself).
type myPlex struct {
	MyPlex *operations.MyPlexAccount `json:"MyPlex"`
}

// ClaimServer claims the server for the account that created claimToken
// (Plex.GetClaimToken): the server signs in to plex.tv as that account
// and appears in its resources. The token is single use, so the call is
// never retried automatically. The token travels in the query string, as
// the server requires; logs show it redacted.
//
// Plex API: POST {pms}/myplex/claim?token=… (operation "claimServer").
func (s *Server) ClaimServer(ctx context.Context, claimToken string, opts ...operations.Option) (*operations.ClaimServerResponse, error) {
	if claimToken == "" {
		return nil, errors.New("plexgo: claimServer: empty claim token")
	}
	res := &operations.ClaimServerResponse{}
	out := &myPlex{} // nil MyPlex unless the answer has one
	if _, err := send(ctx, (*section)(s), opts, res, &res.HTTPMeta, &wire.Call{
		Op: "claimServer", Method: http.MethodPost, Host: wire.PMS, Path: "myplex/claim",
		Query: url.Values{"token": {claimToken}},
		Auth:  wire.WithToken, Retryable: false, Out: out, XMLOut: &out.MyPlex, EmptyOK: true,
	}); err != nil {
		return nil, err
	}
	res.MyPlex = out.MyPlex
	return res, nil
}

// UnclaimServer signs the server out of plex.tv: it no longer has an
// owner, and disappears from the owner's resources.
//
// Plex API: DELETE {pms}/myplex/account (operation "unclaimServer").
func (s *Server) UnclaimServer(ctx context.Context, opts ...operations.Option) (*operations.UnclaimServerResponse, error) {
	res := &operations.UnclaimServerResponse{}
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, tokenCall("unclaimServer", http.MethodDelete, wire.PMS, "myplex/account", nil))
}

// GetAccounts lists the server's system accounts (the owner and the users
// that used the server, with their language settings).
//
// Plex API: GET {pms}/accounts (operation "getAccounts").
func (s *Server) GetAccounts(ctx context.Context, opts ...operations.Option) (*operations.GetAccountsResponse, error) {
	res := &operations.GetAccountsResponse{}
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, listCall("getAccounts", wire.PMS, "accounts", "Account", &res.Accounts))
}

// GetSystemDevices lists the client devices the server has seen.
//
// Plex API: GET {pms}/devices (operation "getSystemDevices").
func (s *Server) GetSystemDevices(ctx context.Context, opts ...operations.Option) (*operations.GetSystemDevicesResponse, error) {
	res := &operations.GetSystemDevicesResponse{}
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, listCall("getSystemDevices", wire.PMS, "devices", "Device", &res.Devices))
}

// GetLibrarySections lists the server's libraries (the sections shares
// name by key).
//
// Plex API: GET {pms}/library/sections (operation "getLibrarySections").
func (s *Server) GetLibrarySections(ctx context.Context, opts ...operations.Option) (*operations.GetLibrarySectionsResponse, error) {
	res := &operations.GetLibrarySectionsResponse{}
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, listCall("getLibrarySections", wire.PMS, "library/sections", "Directory", &res.Sections))
}
