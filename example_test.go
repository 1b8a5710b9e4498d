package plexgo_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/models/sdkerrors"
	"github.com/plexkit/plexgo/plextest"
)

// Validate a stored token: a 401 means it is invalid; any other error says
// nothing about it. The example runs against plextest's fake plex.tv.
func ExampleNew() {
	fake, err := plextest.New()
	if err != nil {
		log.Fatal(err)
	}
	defer fake.Close()
	acct, _ := fake.Account(plextest.DefaultLogin)

	s := plexgo.New(
		plexgo.WithPlexTVURL(fake.PlexTVURL), // omit both for the real plex.tv
		plexgo.WithServerURL(fake.PMSURL),
		plexgo.WithSecurity(acct.AuthToken),
		plexgo.WithXPlexClientIdentifier("example-client"),
	)
	ctx := context.Background()
	res, err := s.Authentication.GetTokenDetails(ctx)
	switch {
	case errors.Is(err, sdkerrors.ErrUnauthorized):
		fmt.Println("token is invalid: sign in again")
	case err != nil:
		fmt.Println("could not check the token:", err)
	default:
		u := res.UserPlexAccount
		fmt.Println("signed in as", u.Username, "- Plex Pass:", u.PlexPass())
	}

	// After the token is revoked (removed from Authorized Devices):
	fake.RevokeToken(acct.AuthToken)
	_, err = s.Authentication.GetTokenDetails(ctx)
	fmt.Println(errors.Is(err, sdkerrors.ErrUnauthorized))
	// Output:
	// signed in as alice - Plex Pass: true
	// true
}

// Sign in with a password, and with the verification code when the
// account has two-factor authentication.
func ExampleAuthentication_PostUsersSignInData() {
	fake, err := plextest.New()
	if err != nil {
		log.Fatal(err)
	}
	defer fake.Close()

	s := plexgo.New(
		plexgo.WithPlexTVURL(fake.PlexTVURL),
		plexgo.WithXPlexClientIdentifier("example-client"),
	)
	ctx := context.Background()
	body := &operations.PostUsersSignInDataRequestBody{
		Login:    plextest.TwoFactorLogin,
		Password: plextest.TwoFactorPassword,
	}
	_, err = s.Authentication.PostUsersSignInData(ctx, nil, body)
	if errors.Is(err, sdkerrors.ErrVerificationCodeRequired) {
		fmt.Println("plex.tv asks for the verification code")
		body.VerificationCode = plexgo.String(plextest.TwoFactorCode) // ask the user
		res, err := s.Authentication.PostUsersSignInData(ctx, nil, body)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("signed in as", res.UserPlexAccount.Username, "with a token:", res.UserPlexAccount.AuthToken != "")
	}

	// A wrong password is a distinct error.
	body.Password = "wrong"
	_, err = s.Authentication.PostUsersSignInData(ctx, nil, body)
	var unauthorized *sdkerrors.PostUsersSignInDataUnauthorized
	fmt.Println(errors.Is(err, sdkerrors.ErrBadCredentials), errors.As(err, &unauthorized))
	// Output:
	// plex.tv asks for the verification code
	// signed in as bob with a token: true
	// true true
}
