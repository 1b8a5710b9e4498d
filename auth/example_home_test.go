package auth_test

import (
	"context"
	"fmt"
	"log"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/plextest"
)

// Switch to a Plex Home user; the PIN is asked for only when the user has
// one.
func ExampleSwitchHomeUser() {
	fake, err := plextest.New()
	if err != nil {
		log.Fatal(err)
	}
	defer fake.Close()
	alice, _ := fake.Account(plextest.DefaultLogin)
	sdk := plexgo.New(
		plexgo.WithPlexTVURL(fake.PlexTVURL),
		plexgo.WithXPlexClientIdentifier("example-client-id"),
		plexgo.WithSecurity(alice.AuthToken),
	)
	ctx := context.Background()

	users, err := auth.HomeUsers(ctx, sdk)
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range users {
		fmt.Printf("%s protected=%v\n", u.Title, u.Protected)
	}

	askPIN := func(_ context.Context, u operations.HomeUser) (string, error) {
		fmt.Printf("PIN for %s requested\n", u.Title)
		return plextest.HomeUserPIN, nil // a real program reads it without echo
	}
	for _, name := range []string{"kid", "teen"} {
		token, acct, err := auth.SwitchHomeUser(ctx, sdk, name, askPIN)
		if err != nil {
			log.Fatal(err)
		}
		// A managed user has a title but no username.
		fmt.Printf("switched to %s (restricted=%v, got a token: %v)\n", acct.Title, acct.Restricted, token != "")
	}
	// Output:
	// alice protected=false
	// kid protected=false
	// teen protected=true
	// switched to kid (restricted=true, got a token: true)
	// PIN for teen requested
	// switched to teen (restricted=true, got a token: true)
}
