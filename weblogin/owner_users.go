package weblogin

import (
	"context"
	"errors"
	"fmt"

	"github.com/plexkit/plexgo/models/operations"
)

// load reads the owner's account (GET /api/v2/user) and the users the
// owner shares with (GET /api/users): two plex.tv requests, cached by the
// ownerView.
func (s sdkOwnerSource) load(ctx context.Context) (*ownerData, error) {
	acct, err := s.sdk.Authentication.GetTokenDetails(ctx, operations.WithToken(s.token))
	if err != nil {
		return nil, fmt.Errorf("weblogin: owner-side check: reading the owner's account: %w", err)
	}
	if acct.UserPlexAccount == nil || acct.UserPlexAccount.ID == 0 {
		return nil, errors.New("weblogin: owner-side check: no owner account in the answer")
	}
	users, err := s.sdk.Plex.GetUsers(ctx, operations.WithToken(s.token))
	if err != nil {
		return nil, fmt.Errorf("weblogin: owner-side check: listing the owner's users: %w", err)
	}
	d := &ownerData{ownerID: acct.UserPlexAccount.ID, users: make(map[int64]ownerUser, len(users.Users))}
	for _, u := range users.Users {
		if u.ID == 0 {
			continue
		}
		ou := ownerUser{home: u.Home, restricted: u.Restricted, servers: make(map[string]bool, len(u.Servers))}
		for _, sv := range u.Servers {
			if sv.MachineIdentifier != "" {
				ou.servers[sv.MachineIdentifier] = sv.Pending
				ou.home = ou.home || sv.Home
			}
		}
		d.users[u.ID] = ou
	}
	return d, nil
}
