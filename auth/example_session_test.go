package auth_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/plextest"
)

// A long-running app keeps its login with a Session: the first Token logs
// in (here with a password; usually a PIN a person approves), later ones
// and later runs reuse the saved token, and a token plex.tv rejects is
// replaced by a new login.
func ExampleNewSession() {
	fake, err := plextest.New()
	if err != nil {
		log.Fatal(err)
	}
	defer fake.Close()
	dir, err := os.MkdirTemp("", "plexgo-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	// Real programs: dir, err := auth.AppDir("My Bot"), then
	// ident, err := auth.LoadOrCreateIdentity(dir, "My Bot", "1.0") and
	// plexgo.WithXPlexClientIdentifier(ident.ClientIdentifier); no
	// WithPlexTVURL.
	sdk := plexgo.New(plexgo.WithPlexTVURL(fake.PlexTVURL), plexgo.WithXPlexClientIdentifier("example-bot"))
	store := auth.NewFileStore(dir, auth.FileStoreOptions{})
	session := auth.NewSession(sdk, store, auth.DefaultProfile, auth.SessionOptions{
		Login: func(ctx context.Context) (*auth.LoginResult, error) {
			fmt.Println("logging in")
			return auth.LoginWithPassword(ctx, sdk, auth.PasswordOptions{Login: plextest.DefaultLogin, Password: plextest.DefaultPassword})
		},
	})
	defer session.Close()

	// Every call of this client carries the session's token.
	client := sdk.With(plexgo.WithSecuritySource(session.Security))
	ctx := context.Background()
	for range 2 {
		res, err := client.Authentication.GetTokenDetails(ctx)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("signed in as", res.UserPlexAccount.Username)
	}
	saved, err := store.Load(ctx, auth.DefaultProfile)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("saved for", saved.ClientIdentifier)
	// Output:
	// logging in
	// signed in as alice
	// signed in as alice
	// saved for example-bot
}
