package auth

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/models/components"
	"github.com/plexkit/plexgo/models/operations"
)

// Plex Home switching: from a Home member's token to another member's.

// ErrHomeUserNotFound is returned (wrapped) by [SwitchHomeUser] when no
// member of the caller's Plex Home matches.
var ErrHomeUserNotFound = errors.New("auth: home user not found")

// ErrAmbiguousHomeUser is returned (wrapped) by [SwitchHomeUser] when a
// name matches several Home users. Use the UUID or id instead.
var ErrAmbiguousHomeUser = errors.New("auth: home user name is ambiguous")

// ErrHomePINRequired is returned (wrapped) by [SwitchHomeUser] when the
// user is protected by a Home PIN and no askPIN function was given. (It is
// not about the login PIN of [LoginWithPIN].)
var ErrHomePINRequired = errors.New("auth: home user PIN required")

// HomeUsers returns the members of the caller's Plex Home (just the caller
// when the account is not in a Home). sdk must carry a token of a Home
// member, usually the admin.
//
// Plex API: GET https://plex.tv/api/v2/home/users.
func HomeUsers(ctx context.Context, sdk *plexgo.PlexAPI) ([]operations.HomeUser, error) {
	if sdk == nil || sdk.Plex == nil {
		return nil, errors.New("auth: home users: nil or unusable SDK (build it with plexgo.New)")
	}
	res, err := sdk.Plex.GetHomeUsers(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: home users: %w", err)
	}
	if res.Home == nil {
		return nil, nil
	}
	return res.Home.Users, nil
}

// SwitchHomeUser switches to a member of the caller's Plex Home and returns
// that user's token and account. user is the member's UUID, numeric id,
// username or title (names are compared without case; an exact UUID or id
// wins over a name). A managed user has no username on plex.tv: name it by
// its title. An empty username never matches.
//
// askPIN is called only when the user is protected by a Home PIN; it
// returns the PIN (for example read from a terminal without echo). A nil
// askPIN makes a protected user fail with ErrHomePINRequired. A wrong PIN fails
// with an error matching sdkerrors.ErrInvalidPIN and sdkerrors.ErrForbidden;
// the switch is not retried, and the PIN never appears in errors or logs.
//
// The token belongs to the Home user: store it apart from the admin's
// token. It is a secret (the account's String redacts it).
//
// Plex API: GET https://plex.tv/api/v2/home/users, then POST
// https://plex.tv/api/v2/home/users/{uuid}/switch[?pin=…].
func SwitchHomeUser(ctx context.Context, sdk *plexgo.PlexAPI, user string, askPIN func(ctx context.Context, u operations.HomeUser) (string, error)) (string, *components.UserPlexAccount, error) {
	user = strings.TrimSpace(user)
	if user == "" {
		return "", nil, errors.New("auth: switch home user: empty user")
	}
	users, err := HomeUsers(ctx, sdk)
	if err != nil {
		return "", nil, err
	}
	u, err := pickHomeUser(users, user)
	if err != nil {
		return "", nil, err
	}
	var pin *string
	if u.Protected {
		if askPIN == nil {
			return "", nil, fmt.Errorf("auth: switch to %q: %w", u.Title, ErrHomePINRequired)
		}
		p, err := askPIN(ctx, u)
		if err != nil {
			return "", nil, fmt.Errorf("auth: switch to %q: asking for the PIN: %w", u.Title, err)
		}
		pin = &p
	}
	target := u.UUID
	if target == "" {
		target = strconv.FormatInt(u.ID, 10)
	}
	res, err := sdk.Plex.SwitchHomeUser(ctx, target, pin)
	if err != nil {
		return "", nil, fmt.Errorf("auth: switch to %q: %w", u.Title, err)
	}
	acct := res.UserPlexAccount
	if acct == nil || acct.AuthToken == "" {
		return "", nil, fmt.Errorf("auth: switch to %q: the answer holds no token", u.Title)
	}
	return acct.AuthToken, acct, nil
}

// pickHomeUser matches by UUID, then id, then username, then title.
func pickHomeUser(users []operations.HomeUser, want string) (operations.HomeUser, error) {
	matchers := []func(u operations.HomeUser) bool{
		func(u operations.HomeUser) bool { return u.UUID != "" && strings.EqualFold(u.UUID, want) },
		func(u operations.HomeUser) bool { return strconv.FormatInt(u.ID, 10) == want },
		func(u operations.HomeUser) bool { return u.Username != "" && strings.EqualFold(u.Username, want) },
		func(u operations.HomeUser) bool { return u.Title != "" && strings.EqualFold(u.Title, want) },
	}
	for _, m := range matchers {
		var found []operations.HomeUser
		for _, u := range users {
			if m(u) {
				found = append(found, u)
			}
		}
		switch len(found) {
		case 0:
			continue
		case 1:
			return found[0], nil
		}
		return operations.HomeUser{}, fmt.Errorf("%w: %q matches %s", ErrAmbiguousHomeUser, want, listHomeUsers(found))
	}
	if len(users) == 0 {
		return operations.HomeUser{}, fmt.Errorf("%w: %q (the Home has no users)", ErrHomeUserNotFound, want)
	}
	return operations.HomeUser{}, fmt.Errorf("%w: %q (members: %s)", ErrHomeUserNotFound, want, listHomeUsers(users))
}

func listHomeUsers(users []operations.HomeUser) string {
	parts := make([]string, len(users))
	for i, u := range users {
		parts[i] = strconv.Quote(u.Title) + " (" + u.UUID + ")"
	}
	return strings.Join(parts, ", ")
}
