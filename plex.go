package plexgo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/plexkit/plexgo/internal/wire"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/models/sdkerrors"
)

// Plex groups the plex.tv account operations: PINs, resources, Plex Home
// (v2 and v1), friends and shares, devices, claim tokens and ping.
type Plex section

// CreatePin creates a PIN for this client identifier. A strong PIN is for
// the browser flow (https://app.plex.tv/auth#?…); a 4-character one is
// typed at plex.tv/link. With req.JWK set, the PIN also registers the
// device key, and the approved PIN yields a Plex JWT.
//
// Plex API: POST https://plex.tv/api/v2/pins[?strong=true] (operation
// "createPin").
func (s *Plex) CreatePin(ctx context.Context, req operations.CreatePinRequest, opts ...operations.Option) (*operations.CreatePinResponse, error) {
	res, pin := alloc[operations.CreatePinResponse, operations.Pin]()
	res.Pin = pin
	call := &wire.Call{
		Op: "createPin", Method: http.MethodPost, Host: wire.PlexTV, Path: "api/v2/pins",
		Auth: wire.NoToken, Retryable: true, Out: pin,
	}
	if req.JWK != nil {
		call.Host = wire.ClientsPlexTV
		call.JSON = struct {
			JWK    *operations.JWK `json:"jwk"`
			Strong bool            `json:"strong"`
		}{req.JWK, req.Strong}
	} else if req.Strong {
		call.Query = url.Values{"strong": {"true"}}
	}
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, call)
}

// GetPin returns a PIN's state; its AuthToken is set once a user approved
// it. Only the client identifier that created the PIN may read it. An
// expired or unknown PIN fails with sdkerrors.ErrPINNotFound.
//
// Plex API: GET https://plex.tv/api/v2/pins/{id} (operation "getPin").
func (s *Plex) GetPin(ctx context.Context, id int64, opts ...operations.Option) (*operations.GetPinResponse, error) {
	return s.getPin(ctx, id, "", opts)
}

// GetPinWithDeviceJWT is GetPin for a PIN created with a JWK: deviceJWT is
// a fresh device-signed JWT (sign a new one for every poll), and the
// approved PIN's AuthToken is a Plex JWT.
//
// Plex API: GET https://clients.plex.tv/api/v2/pins/{id}?deviceJWT=…
// (operation "getPin").
func (s *Plex) GetPinWithDeviceJWT(ctx context.Context, id int64, deviceJWT string, opts ...operations.Option) (*operations.GetPinResponse, error) {
	if deviceJWT == "" {
		return nil, errors.New("plexgo: getPin: empty device JWT")
	}
	return s.getPin(ctx, id, deviceJWT, opts)
}

func (s *Plex) getPin(ctx context.Context, id int64, deviceJWT string, opts []operations.Option) (*operations.GetPinResponse, error) {
	res, pin := alloc[operations.GetPinResponse, operations.Pin]()
	res.Pin = pin
	call := &wire.Call{
		Op: "getPin", Method: http.MethodGet, Host: wire.PlexTV, Path: "api/v2/pins/" + strconv.FormatInt(id, 10),
		Auth: wire.NoToken, Retryable: true, Out: pin,
	}
	if deviceJWT != "" {
		call.Host = wire.ClientsPlexTV
		call.Query = url.Values{"deviceJWT": {deviceJWT}}
	}
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, call)
}

// LinkPin approves a PIN by its code with the caller's token, as
// plex.tv/link does: the device that created the PIN then receives a token
// for the caller's account on its next poll.
//
// Plex API: PUT https://plex.tv/api/v2/pins/link, form code=… (operation
// "linkPin").
func (s *Plex) LinkPin(ctx context.Context, code string, opts ...operations.Option) (*operations.LinkPinResponse, error) {
	res := &operations.LinkPinResponse{}
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, &wire.Call{
		Op: "linkPin", Method: http.MethodPut, Host: wire.PlexTV, Path: "api/v2/pins/link",
		Form: url.Values{"code": {code}}, Auth: wire.WithToken, Retryable: true,
	})
}

// GetResources lists the account's devices: owned, shared and Plex Home
// servers with their access tokens and connections, and clients.
//
// Plex API: GET https://plex.tv/api/v2/resources?includeHttps=…&includeRelay=…&includeIPv6=…
// (operation "get-server-resources").
func (s *Plex) GetResources(ctx context.Context, req operations.GetResourcesRequest, opts ...operations.Option) (*operations.GetResourcesResponse, error) {
	res := &operations.GetResourcesResponse{}
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, &wire.Call{
		Op: "get-server-resources", Method: http.MethodGet, Host: wire.PlexTV, Path: "api/v2/resources",
		Query: url.Values{"includeHttps": {boolInt(req.IncludeHTTPS)}, "includeRelay": {boolInt(req.IncludeRelay)}, "includeIPv6": {boolInt(req.IncludeIPv6)}},
		Auth:  wire.WithToken, Retryable: true, Out: &res.Resources, XMLOut: listOf("resource", &res.Resources), EmptyOK: true,
	})
}

// GetHomeUsers returns the caller's Plex Home and its users.
//
// Plex API: GET https://plex.tv/api/v2/home/users (operation
// "getHomeUsers").
func (s *Plex) GetHomeUsers(ctx context.Context, opts ...operations.Option) (*operations.GetHomeUsersResponse, error) {
	res, home := alloc[operations.GetHomeUsersResponse, operations.Home]()
	res.Home = home
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, tokenCall("getHomeUsers", http.MethodGet, wire.PlexTV, "api/v2/home/users", home))
}

// SwitchHomeUser switches to a Plex Home user (by UUID or id) and returns
// that user's account with its token. pin is the user's Home PIN when the
// user is protected; a wrong or missing PIN fails with
// sdkerrors.ErrInvalidPIN / ErrForbidden. Not retried automatically (a
// wrong PIN must not be repeated).
//
// Plex API: POST https://plex.tv/api/v2/home/users/{user}/switch[?pin=…]
// (operation "switchHomeUser").
func (s *Plex) SwitchHomeUser(ctx context.Context, user string, pin *string, opts ...operations.Option) (*operations.SwitchHomeUserResponse, error) {
	if user == "" {
		return nil, errors.New("plexgo: switchHomeUser: empty user")
	}
	res, acct := alloc[operations.SwitchHomeUserResponse, operations.GetTokenDetailsUserPlexAccount]()
	res.UserPlexAccount = acct
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, &wire.Call{
		Op: "switchHomeUser", Method: http.MethodPost, Host: wire.PlexTV, Path: "api/v2/home/users/" + url.PathEscape(user) + "/switch",
		Query: pinQuery(pin), Auth: wire.WithToken, Retryable: false, Out: acct,
	})
}

func boolInt(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// pinQuery is the query of the Home switches: pin=… when a PIN is given.
func pinQuery(pin *string) url.Values {
	if pin == nil {
		return nil
	}
	return url.Values{"pin": {*pin}}
}

// GetUsers lists the caller's friends and shared users, each with the
// caller's servers shared with them (share id, flags, number of
// libraries). It is the list apps read to decide who may use a server.
//
// Plex API: GET https://plex.tv/api/users (operation "get-users"; v1,
// XML by default).
func (s *Plex) GetUsers(ctx context.Context, opts ...operations.Option) (*operations.GetUsersResponse, error) {
	res := &operations.GetUsersResponse{}
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, listCall("get-users", wire.PlexTV, "api/users", "User", &res.Users))
}

// GetFriends lists the caller's plex.tv friends.
//
// Plex API: GET https://plex.tv/api/v2/friends (operation "getFriends").
func (s *Plex) GetFriends(ctx context.Context, opts ...operations.Option) (*operations.GetFriendsResponse, error) {
	res := &operations.GetFriendsResponse{}
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, &wire.Call{Op: "getFriends", Method: http.MethodGet,
		Host: wire.PlexTV, Path: "api/v2/friends", Auth: wire.WithToken, Retryable: true,
		Out: &res.Friends, XMLOut: listOf("friend", &res.Friends), EmptyOK: true})
}

// GetSharedServers lists the shares of the caller's server
// machineIdentifier: who it is shared with, each share's access token and
// the library sections with their shared flags.
//
// Plex API: GET https://plex.tv/api/servers/{machineIdentifier}/shared_servers
// (operation "getSharedServers"; v1, XML by default).
func (s *Plex) GetSharedServers(ctx context.Context, machineIdentifier string, opts ...operations.Option) (*operations.GetSharedServersResponse, error) {
	if machineIdentifier == "" {
		return nil, errors.New("plexgo: getSharedServers: empty machine identifier")
	}
	res := &operations.GetSharedServersResponse{}
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, sharedServersCall("getSharedServers", machineIdentifier, "", &res.SharedServers))
}

// GetSharedServer returns one share (id is SharedUserServer.ID or
// SharedServer.ID) of the caller's server machineIdentifier, with its
// sections.
//
// Plex API: GET https://plex.tv/api/servers/{machineIdentifier}/shared_servers/{id}
// (operation "getSharedServer"; v1, XML by default).
func (s *Plex) GetSharedServer(ctx context.Context, machineIdentifier string, id int64, opts ...operations.Option) (*operations.GetSharedServerResponse, error) {
	if machineIdentifier == "" {
		return nil, errors.New("plexgo: getSharedServer: empty machine identifier")
	}
	res := &operations.GetSharedServerResponse{}
	var shares []operations.SharedServer
	call := sharedServersCall("getSharedServer", machineIdentifier, "/"+strconv.FormatInt(id, 10), &shares)
	if _, err := send(ctx, (*section)(s), opts, res, &res.HTTPMeta, call); err != nil {
		return nil, err
	}
	if len(shares) == 0 {
		return nil, fmt.Errorf("plexgo: getSharedServer: %w: no SharedServer in the answer", sdkerrors.ErrUnexpectedContent)
	}
	res.SharedServer = &shares[0]
	return res, nil
}

// sharedServersCall reads the shares of server machineIdentifier (suffix
// "" for all of them, "/{id}" for one) into *shares.
func sharedServersCall(op, machineIdentifier, suffix string, shares *[]operations.SharedServer) *wire.Call {
	return listCall(op, wire.PlexTV, "api/servers/"+url.PathEscape(machineIdentifier)+"/shared_servers"+suffix, "SharedServer", shares)
}

// GetHome returns the caller's Plex Home (id, name, guest user,
// subscription).
//
// Plex API: GET https://plex.tv/api/v2/home (operation "getHome").
func (s *Plex) GetHome(ctx context.Context, opts ...operations.Option) (*operations.GetHomeResponse, error) {
	res, home := alloc[operations.GetHomeResponse, operations.Home]()
	res.Home = home
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, tokenCall("getHome", http.MethodGet, wire.PlexTV, "api/v2/home", home))
}

// GetHomeUsersV1 lists the members of the caller's Plex Home with the v1
// API many clients still use (GetHomeUsers is the v2 form).
//
// Plex API: GET https://plex.tv/api/home/users (operation
// "getHomeUsersV1"; v1, XML by default).
func (s *Plex) GetHomeUsersV1(ctx context.Context, opts ...operations.Option) (*operations.GetHomeUsersV1Response, error) {
	res := &operations.GetHomeUsersV1Response{}
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, listCall("getHomeUsersV1", wire.PlexTV, "api/home/users", "User", &res.Users))
}

// SwitchHomeUserV1 switches to the Plex Home user id with the v1 API and
// returns that user with its token. pin is the user's Home PIN when the
// user is protected; without it, or with a wrong one, plex.tv answers 403
// with code 1041, returned as *sdkerrors.SwitchHomeUserV1Forbidden that
// matches sdkerrors.ErrInvalidPIN and ErrForbidden. Not retried
// automatically (a wrong PIN must not be repeated).
//
// Plex API: POST https://plex.tv/api/home/users/{id}/switch[?pin=…]
// (operation "switchHomeUserV1").
func (s *Plex) SwitchHomeUserV1(ctx context.Context, id int64, pin *string, opts ...operations.Option) (*operations.SwitchHomeUserV1Response, error) {
	res, user := alloc[operations.SwitchHomeUserV1Response, operations.SwitchedHomeUser]()
	res.User = user
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, &wire.Call{
		Op: "switchHomeUserV1", Method: http.MethodPost, Host: wire.PlexTV, Path: "api/home/users/" + strconv.FormatInt(id, 10) + "/switch",
		Query: pinQuery(pin), Auth: wire.WithToken, Retryable: false, Out: user,
	})
}

// GetDevices lists the devices signed in to the caller's account (apps,
// browsers, servers), each with its token and, for servers, connections.
//
// Plex API: GET https://plex.tv/devices.xml (operation "getDevices").
func (s *Plex) GetDevices(ctx context.Context, opts ...operations.Option) (*operations.GetDevicesResponse, error) {
	res := &operations.GetDevicesResponse{}
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, listCall("getDevices", wire.PlexTV, "devices.xml", "Device", &res.Devices))
}

// DeleteDevice removes device id (AccountDevice.ID) from the caller's
// account and revokes its token(s): that device is signed out.
//
// Plex API: DELETE https://plex.tv/devices/{id}.xml (operation
// "deleteDevice").
func (s *Plex) DeleteDevice(ctx context.Context, id int64, opts ...operations.Option) (*operations.DeleteDeviceResponse, error) {
	res := &operations.DeleteDeviceResponse{}
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, tokenCall("deleteDevice", http.MethodDelete, wire.PlexTV, "devices/"+strconv.FormatInt(id, 10)+".xml", nil))
}

// GetClaimToken returns a new claim token for the caller's account: a
// single-use secret, valid a few minutes, that claims a new server (see
// Server.ClaimServer, or pms-docker's PLEX_CLAIM).
//
// Plex API: GET https://plex.tv/api/claim/token.json (operation
// "getClaimToken").
func (s *Plex) GetClaimToken(ctx context.Context, opts ...operations.Option) (*operations.GetClaimTokenResponse, error) {
	res, tok := alloc[operations.GetClaimTokenResponse, operations.ClaimToken]()
	res.ClaimToken = tok
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, tokenCall("getClaimToken", http.MethodGet, wire.PlexTV, "api/claim/token.json", tok))
}

// Ping tells plex.tv the token is still in use, which keeps it alive, and
// returns plex.tv's answer (Authentication.Ping is the same call without
// reading the answer).
//
// Plex API: GET https://plex.tv/api/v2/ping (operation "ping").
func (s *Plex) Ping(ctx context.Context, opts ...operations.Option) (*operations.PlexPingResponse, error) {
	res := &operations.PlexPingResponse{}
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, tokenCall("ping", http.MethodGet, wire.PlexTV, "api/v2/ping", &res.Pong))
}
