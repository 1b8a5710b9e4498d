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
)

// Plex groups the plex.tv account operations: PINs, resources, Plex Home
// (v2 and v1), friends and shares, devices, claim tokens and ping.
type Plex struct{ sdk *PlexAPI }

// Format prints the section's client without its secrets, for every verb.
func (s *Plex) Format(f fmt.State, _ rune) { writeSection(f, "Plex", s.client()) }

func (s *Plex) client() *PlexAPI {
	if s == nil {
		return nil
	}
	return s.sdk
}

func (s *Plex) do(ctx context.Context, call *wire.Call, opts []operations.Option) (operations.HTTPMeta, error) {
	return s.client().do(ctx, call, opts)
}

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
	var err error
	if res.HTTPMeta, err = s.do(ctx, call, opts); err != nil {
		return nil, err
	}
	return res, nil
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
	var err error
	if res.HTTPMeta, err = s.do(ctx, call, opts); err != nil {
		return nil, err
	}
	return res, nil
}

// LinkPin approves a PIN by its code with the caller's token, as
// plex.tv/link does: the device that created the PIN then receives a token
// for the caller's account on its next poll.
//
// Plex API: PUT https://plex.tv/api/v2/pins/link, form code=… (operation
// "linkPin").
func (s *Plex) LinkPin(ctx context.Context, code string, opts ...operations.Option) (*operations.LinkPinResponse, error) {
	m, err := s.do(ctx, &wire.Call{
		Op: "linkPin", Method: http.MethodPut, Host: wire.PlexTV, Path: "api/v2/pins/link",
		Form: url.Values{"code": {code}}, Auth: wire.WithToken, Retryable: true,
	}, opts)
	if err != nil {
		return nil, err
	}
	return &operations.LinkPinResponse{HTTPMeta: m}, nil
}

// GetResources lists the account's devices: owned, shared and Plex Home
// servers with their access tokens and connections, and clients.
//
// Plex API: GET https://plex.tv/api/v2/resources?includeHttps=…&includeRelay=…&includeIPv6=…
// (operation "get-server-resources").
func (s *Plex) GetResources(ctx context.Context, req operations.GetResourcesRequest, opts ...operations.Option) (*operations.GetResourcesResponse, error) {
	res := &operations.GetResourcesResponse{}
	var x struct {
		Resources []operations.Resource `xml:"resource"`
	}
	var err error
	res.HTTPMeta, err = s.do(ctx, &wire.Call{
		Op: "get-server-resources", Method: http.MethodGet, Host: wire.PlexTV, Path: "api/v2/resources",
		Query: url.Values{"includeHttps": {boolInt(req.IncludeHTTPS)}, "includeRelay": {boolInt(req.IncludeRelay)}, "includeIPv6": {boolInt(req.IncludeIPv6)}},
		Auth:  wire.WithToken, Retryable: true, Out: &res.Resources, XMLOut: &x, EmptyOK: true,
	}, opts)
	if err != nil {
		return nil, err
	}
	if x.Resources != nil {
		res.Resources = x.Resources
	}
	return res, nil
}

// GetHomeUsers returns the caller's Plex Home and its users.
//
// Plex API: GET https://plex.tv/api/v2/home/users (operation
// "getHomeUsers").
func (s *Plex) GetHomeUsers(ctx context.Context, opts ...operations.Option) (*operations.GetHomeUsersResponse, error) {
	res, home := alloc[operations.GetHomeUsersResponse, operations.Home]()
	res.Home = home
	var err error
	res.HTTPMeta, err = s.do(ctx, &wire.Call{
		Op: "getHomeUsers", Method: http.MethodGet, Host: wire.PlexTV, Path: "api/v2/home/users",
		Auth: wire.WithToken, Retryable: true, Out: home,
	}, opts)
	if err != nil {
		return nil, err
	}
	return res, nil
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
	call := &wire.Call{
		Op: "switchHomeUser", Method: http.MethodPost, Host: wire.PlexTV, Path: "api/v2/home/users/" + url.PathEscape(user) + "/switch",
		Auth: wire.WithToken, Retryable: false, Out: acct,
	}
	if pin != nil {
		call.Query = url.Values{"pin": {*pin}}
	}
	var err error
	if res.HTTPMeta, err = s.do(ctx, call, opts); err != nil {
		return nil, err
	}
	return res, nil
}

func boolInt(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
