// Command postUsersSignInData is the documented example of
// Authentication.PostUsersSignInData: it signs in to plex.tv with a login,
// a password and a two-factor verification code.
//
// As documented, it signs in to plex.tv with placeholder credentials; put
// real ones in their place. With -fake (or PLEXGO_EXAMPLE_FAKE=1) it signs
// in to plextest's fake plex.tv instead, as the seeded two-factor account
// (whose code is the documented "123456").
package main

import (
	"context"
	"fmt"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/examples/internal/examplefake"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/plextest"
)

// call is the documented call, with the fake's 2FA account in fake mode.
func call(ctx context.Context, env examplefake.Env) (*operations.PostUsersSignInDataResponse, error) {
	body := &operations.PostUsersSignInDataRequestBody{
		Login:            "username@email.com",
		Password:         "password123",
		VerificationCode: plexgo.String("123456"),
	}
	if env.Fake != nil {
		body.Login, body.Password = plextest.TwoFactorLogin, plextest.TwoFactorPassword
		body.VerificationCode = plexgo.String(plextest.TwoFactorCode)
	}
	return env.SDK.Authentication.PostUsersSignInData(ctx, plexgo.String("gcgzw5rz2xovp84b4vha3a40"), body)
}

// report handles the response: keep the token somewhere safe, never print
// it.
func report(res *operations.PostUsersSignInDataResponse) string {
	if u := res.UserPlexAccount; u != nil {
		return fmt.Sprintf("signed in as %s (2FA: %t), token received: %t", u.Username, u.TwoFactorEnabled, u.AuthToken != "")
	}
	return ""
}

func main() { examplefake.Main(call, report) }
