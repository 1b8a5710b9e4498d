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

// GetUsers lists the caller's friends and shared users, each with the
// caller's servers shared with them (share id, flags, number of
// libraries). It is the list apps read to decide who may use a server.
//
// Plex API: GET https://plex.tv/api/users (operation "get-users"; v1,
// XML by default).
func (s *Plex) GetUsers(ctx context.Context, opts ...operations.Option) (*operations.GetUsersResponse, error) {
	res := &operations.GetUsersResponse{}
	mc := &struct {
		Users *[]operations.SharedUser `json:"User" xml:"User"`
	}{&res.Users}
	var err error
	res.HTTPMeta, err = s.do(ctx, &wire.Call{
		Op: "get-users", Method: http.MethodGet, Host: wire.PlexTV, Path: "api/users",
		Auth: wire.WithToken, Retryable: true, Out: mc, Container: true,
	}, opts)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// GetFriends lists the caller's plex.tv friends.
//
// Plex API: GET https://plex.tv/api/v2/friends (operation "getFriends").
func (s *Plex) GetFriends(ctx context.Context, opts ...operations.Option) (*operations.GetFriendsResponse, error) {
	res := &operations.GetFriendsResponse{}
	x := &struct {
		Friends *[]operations.Friend `xml:"friend"`
	}{&res.Friends}
	var err error
	res.HTTPMeta, err = s.do(ctx, &wire.Call{
		Op: "getFriends", Method: http.MethodGet, Host: wire.PlexTV, Path: "api/v2/friends",
		Auth: wire.WithToken, Retryable: true, Out: &res.Friends, XMLOut: x, EmptyOK: true,
	}, opts)
	if err != nil {
		return nil, err
	}
	return res, nil
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
	var err error
	res.HTTPMeta, err = s.do(ctx, &wire.Call{
		Op: "getSharedServers", Method: http.MethodGet, Host: wire.PlexTV,
		Path: "api/servers/" + url.PathEscape(machineIdentifier) + "/shared_servers",
		Auth: wire.WithToken, Retryable: true, Out: &sharedServers{&res.SharedServers}, Container: true,
	}, opts)
	if err != nil {
		return nil, err
	}
	return res, nil
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
	var list []operations.SharedServer
	var err error
	res.HTTPMeta, err = s.do(ctx, &wire.Call{
		Op: "getSharedServer", Method: http.MethodGet, Host: wire.PlexTV,
		Path: "api/servers/" + url.PathEscape(machineIdentifier) + "/shared_servers/" + strconv.FormatInt(id, 10),
		Auth: wire.WithToken, Retryable: true, Out: &sharedServers{&list}, Container: true,
	}, opts)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("plexgo: getSharedServer: %w: no SharedServer in the answer", sdkerrors.ErrUnexpectedContent)
	}
	res.SharedServer = &list[0]
	return res, nil
}

// sharedServers is the MediaContainer of the shared_servers answers.
type sharedServers struct {
	SharedServers *[]operations.SharedServer `json:"SharedServer" xml:"SharedServer"`
}

// GetHome returns the caller's Plex Home (id, name, guest user,
// subscription).
//
// Plex API: GET https://plex.tv/api/v2/home (operation "getHome").
func (s *Plex) GetHome(ctx context.Context, opts ...operations.Option) (*operations.GetHomeResponse, error) {
	res, home := alloc[operations.GetHomeResponse, operations.Home]()
	res.Home = home
	var err error
	res.HTTPMeta, err = s.do(ctx, &wire.Call{
		Op: "getHome", Method: http.MethodGet, Host: wire.PlexTV, Path: "api/v2/home",
		Auth: wire.WithToken, Retryable: true, Out: home,
	}, opts)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// GetHomeUsersV1 lists the members of the caller's Plex Home with the v1
// API many clients still use (GetHomeUsers is the v2 form).
//
// Plex API: GET https://plex.tv/api/home/users (operation
// "getHomeUsersV1"; v1, XML by default).
func (s *Plex) GetHomeUsersV1(ctx context.Context, opts ...operations.Option) (*operations.GetHomeUsersV1Response, error) {
	res := &operations.GetHomeUsersV1Response{}
	mc := &struct {
		Users *[]operations.HomeUser `json:"User" xml:"User"`
	}{&res.Users}
	var err error
	res.HTTPMeta, err = s.do(ctx, &wire.Call{
		Op: "getHomeUsersV1", Method: http.MethodGet, Host: wire.PlexTV, Path: "api/home/users",
		Auth: wire.WithToken, Retryable: true, Out: mc, Container: true,
	}, opts)
	if err != nil {
		return nil, err
	}
	return res, nil
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
	call := &wire.Call{
		Op: "switchHomeUserV1", Method: http.MethodPost, Host: wire.PlexTV,
		Path: "api/home/users/" + strconv.FormatInt(id, 10) + "/switch",
		Auth: wire.WithToken, Retryable: false, Out: user,
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
