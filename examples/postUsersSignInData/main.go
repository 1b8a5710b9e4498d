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
	"io"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/examples/internal/examplefake"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/plextest"
)

func main() { examplefake.Main(run) }

func run(ctx context.Context, w io.Writer, env examplefake.Env) error {
	body := &operations.PostUsersSignInDataRequestBody{
		Login:            "username@email.com",
		Password:         "password123",
		VerificationCode: plexgo.String("123456"),
	}
	if env.Fake != nil {
		body.Login, body.Password = plextest.TwoFactorLogin, plextest.TwoFactorPassword
		body.VerificationCode = plexgo.String(plextest.TwoFactorCode)
	}
	res, err := env.SDK.Authentication.PostUsersSignInData(ctx, plexgo.String("gcgzw5rz2xovp84b4vha3a40"), body)
	if err != nil {
		return err
	}
	if res.UserPlexAccount != nil {
		// handle response: keep the token somewhere safe, never print it.
		u := res.UserPlexAccount
		fmt.Fprintf(w, "signed in as %s (2FA: %t), token received: %t\n", u.Username, u.TwoFactorEnabled, u.AuthToken != "")
	}
	return nil
}
