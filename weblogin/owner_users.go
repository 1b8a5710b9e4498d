package weblogin

import (
	"context"
	"errors"
	"fmt"

	"github.com/plexkit/plexgo/models/operations"
)

// errNoUsersOperation is returned while the SDK has no /api/users
// operation: the owner-side check then fails and the user side decides.
var errNoUsersOperation = errors.New("weblogin: owner-side check: the SDK has no GetUsers operation")

// load reads the owner's account (GET /api/v2/user) and the users the
// owner shares with (GET /api/users).
func (s sdkOwnerSource) load(ctx context.Context) (*ownerData, error) {
	acct, err := s.sdk.Authentication.GetTokenDetails(ctx, operations.WithToken(s.token))
	if err != nil {
		return nil, fmt.Errorf("weblogin: owner-side check: reading the owner's account: %w", err)
	}
	if acct.UserPlexAccount == nil || acct.UserPlexAccount.ID == 0 {
		return nil, errors.New("weblogin: owner-side check: no owner account in the answer")
	}
	return nil, errNoUsersOperation
}
