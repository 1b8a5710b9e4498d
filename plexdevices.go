package plexgo

import (
	"context"
	"net/http"
	"strconv"

	"github.com/plexkit/plexgo/internal/wire"
	"github.com/plexkit/plexgo/models/operations"
)

// GetDevices lists the devices signed in to the caller's account (apps,
// browsers, servers), each with its token and, for servers, connections.
//
// Plex API: GET https://plex.tv/devices.xml (operation "getDevices").
func (s *Plex) GetDevices(ctx context.Context, opts ...operations.Option) (*operations.GetDevicesResponse, error) {
	res := &operations.GetDevicesResponse{}
	mc := &struct {
		Devices *[]operations.AccountDevice `json:"Device" xml:"Device"`
	}{&res.Devices}
	var err error
	res.HTTPMeta, err = s.do(ctx, &wire.Call{
		Op: "getDevices", Method: http.MethodGet, Host: wire.PlexTV, Path: "devices.xml",
		Auth: wire.WithToken, Retryable: true, Out: mc, Container: true,
	}, opts)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// DeleteDevice removes device id (AccountDevice.ID) from the caller's
// account and revokes its token(s): that device is signed out.
//
// Plex API: DELETE https://plex.tv/devices/{id}.xml (operation
// "deleteDevice").
func (s *Plex) DeleteDevice(ctx context.Context, id int64, opts ...operations.Option) (*operations.DeleteDeviceResponse, error) {
	res := &operations.DeleteDeviceResponse{}
	var err error
	res.HTTPMeta, err = s.do(ctx, &wire.Call{
		Op: "deleteDevice", Method: http.MethodDelete, Host: wire.PlexTV, Path: "devices/" + strconv.FormatInt(id, 10) + ".xml",
		Auth: wire.WithToken, Retryable: true,
	}, opts)
	if err != nil {
		return nil, err
	}
	return res, nil
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
	var err error
	res.HTTPMeta, err = s.do(ctx, &wire.Call{
		Op: "getClaimToken", Method: http.MethodGet, Host: wire.PlexTV, Path: "api/claim/token.json",
		Auth: wire.WithToken, Retryable: true, Out: tok,
	}, opts)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// Ping tells plex.tv the token is still in use, which keeps it alive, and
// returns plex.tv's answer (Authentication.Ping is the same call without
// reading the answer).
//
// Plex API: GET https://plex.tv/api/v2/ping (operation "ping").
func (s *Plex) Ping(ctx context.Context, opts ...operations.Option) (*operations.PlexPingResponse, error) {
	res := &operations.PlexPingResponse{}
	var err error
	res.HTTPMeta, err = s.do(ctx, &wire.Call{
		Op: "ping", Method: http.MethodGet, Host: wire.PlexTV, Path: "api/v2/ping",
		Auth: wire.WithToken, Retryable: true, Out: &res.Pong,
	}, opts)
	if err != nil {
		return nil, err
	}
	return res, nil
}
