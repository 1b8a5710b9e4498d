package auth_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/models/sdkerrors"
	"github.com/plexkit/plexgo/plextest"
)

// A PIN login: show the user a URL, wait for them to approve it. Here the
// fake plays the user and approves the PIN as soon as it is shown.
func ExampleLoginWithPIN() {
	fake, err := plextest.New()
	if err != nil {
		log.Fatal(err)
	}
	defer fake.Close()
	alice, _ := fake.Account(plextest.DefaultLogin)

	// Real programs leave out WithPlexTVURL and keep their client
	// identifier with auth.LoadOrCreateIdentity.
	const clientID = "example-pin-client"
	sdk := plexgo.New(
		plexgo.WithPlexTVURL(fake.PlexTVURL),
		plexgo.WithXPlexClientIdentifier(clientID),
		plexgo.WithProduct("Example App"),
	)

	res, err := auth.LoginWithPIN(context.Background(), sdk, auth.PINOptions{
		ClientIdentifier: clientID,
		Product:          "Example App",
		PollInterval:     auth.MinPINPollInterval,
		OnPrompt: func(p auth.PINPrompt) {
			fmt.Println("strong PIN:", p.Strong)
			// A real program prints p.URL (or opens a browser) here.
			if err := fake.ApprovePIN(p.Code, alice.AuthToken); err != nil {
				log.Fatal(err)
			}
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("signed in as", res.Account.Username)
	fmt.Println(res.Credentials(clientID).Kind)
	// Output:
	// strong PIN: true
	// signed in as alice
	// legacy
}

// A password login for an account with two-factor authentication: AskCode
// is only called because plex.tv asks for a code.
func ExampleLoginWithPassword() {
	fake, err := plextest.New()
	if err != nil {
		log.Fatal(err)
	}
	defer fake.Close()

	sdk := plexgo.New(
		plexgo.WithPlexTVURL(fake.PlexTVURL),
		plexgo.WithXPlexClientIdentifier("example-password-client"),
	)
	res, err := auth.LoginWithPassword(context.Background(), sdk, auth.PasswordOptions{
		Login:    plextest.TwoFactorLogin,
		Password: plextest.TwoFactorPassword,
		AskCode: func(ctx context.Context, wrong bool) (string, error) {
			fmt.Println("verification code asked, previous one wrong:", wrong)
			// A real program prompts the user on the terminal here.
			return plextest.TwoFactorCode, nil
		},
	})
	switch {
	case errors.Is(err, sdkerrors.ErrSignInLocked), errors.Is(err, sdkerrors.ErrRateLimited):
		var apiErr *sdkerrors.APIError
		if errors.As(err, &apiErr) {
			fmt.Println("try again in", apiErr.RetryAfter)
		}
		return
	case err != nil:
		log.Fatal(err)
	}
	fmt.Println("signed in as", res.Account.Username)
	fmt.Println(res) // the token is redacted
	// Output:
	// verification code asked, previous one wrong: false
	// signed in as bob
	// auth.LoginResult{Token:[REDACTED len=20] AccountID:1000002 Username:bob}
}

// Checking a stored token: only "invalid" means it should be thrown away.
func ExampleValidateToken() {
	fake, err := plextest.New()
	if err != nil {
		log.Fatal(err)
	}
	defer fake.Close()
	alice, _ := fake.Account(plextest.DefaultLogin)

	sdk := plexgo.New(
		plexgo.WithPlexTVURL(fake.PlexTVURL),
		plexgo.WithXPlexClientIdentifier("example-validate-client"),
	)
	ctx := context.Background()

	check := func() {
		v, acct, err := auth.ValidateToken(ctx, sdk, alice.AuthToken)
		switch v {
		case auth.ValidityValid:
			fmt.Println(v, acct.Username)
		case auth.ValidityInvalid:
			fmt.Println(v, "- log in again")
		default:
			fmt.Println(v, "- keep the token, try later:", err != nil)
		}
	}
	check()
	fake.InjectFault("GET /api/v2/user", plextest.Fault{Statuses: []int{503, 503, 503}})
	check()
	fake.RevokeToken(alice.AuthToken)
	check()
	// Output:
	// valid alice
	// unknown - keep the token, try later: true
	// invalid - log in again
}

func ExampleAuthAppURL() {
	fmt.Println(auth.AuthAppURL("", "my-client-id", "abcdefghij", "My App", ""))
	// Output:
	// https://app.plex.tv/auth#?clientID=my-client-id&code=abcdefghij&context%5Bdevice%5D%5Bproduct%5D=My%20App
}
