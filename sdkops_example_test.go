package plexgo_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/models/sdkerrors"
	"github.com/plexkit/plexgo/plextest"
)

// Who may use my server: the shares of a server, with the library
// sections each includes. The example runs against plextest, where alice's
// server is shared with bob (Movies and TV Shows).
func ExamplePlex_GetSharedServers() {
	fake, err := plextest.New()
	if err != nil {
		log.Fatal(err)
	}
	defer fake.Close()
	acct, _ := fake.Account(plextest.DefaultLogin)
	s := plexgo.New(plexgo.WithPlexTVURL(fake.PlexTVURL), plexgo.WithSecurity(acct.AuthToken),
		plexgo.WithXPlexClientIdentifier("example-client"))

	res, err := s.Plex.GetSharedServers(context.Background(), fake.Servers()[0].MachineIdentifier)
	if err != nil {
		log.Fatal(err)
	}
	for _, share := range res.SharedServers {
		fmt.Print(share.Username, ":")
		for _, sec := range share.Sections {
			if sec.Shared {
				fmt.Print(" ", sec.Title)
			}
		}
		fmt.Println()
		// share.AccessToken is bob's token for the server; it never prints.
		fmt.Println(share.AccessToken != "", strings.Contains(fmt.Sprint(share), "AccessToken:REDACTED"))
	}
	// Output:
	// bob: Movies TV Shows
	// true true
}

// Sign a device out: list the account's devices and delete one, which
// revokes its token.
func ExamplePlex_DeleteDevice() {
	fake, err := plextest.New()
	if err != nil {
		log.Fatal(err)
	}
	defer fake.Close()
	acct, _ := fake.Account(plextest.DefaultLogin)
	lost, _ := fake.IssueToken(plextest.DefaultLogin, "lost-phone")
	ctx := context.Background()
	s := plexgo.New(plexgo.WithPlexTVURL(fake.PlexTVURL), plexgo.WithSecurity(acct.AuthToken),
		plexgo.WithXPlexClientIdentifier("example-client"))

	devices, err := s.Plex.GetDevices(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range devices.Devices {
		if d.ClientIdentifier == "lost-phone" {
			if _, err := s.Plex.DeleteDevice(ctx, d.ID); err != nil {
				log.Fatal(err)
			}
		}
	}
	phone := plexgo.New(plexgo.WithPlexTVURL(fake.PlexTVURL), plexgo.WithSecurity(lost),
		plexgo.WithXPlexClientIdentifier("lost-phone"))
	_, err = phone.Authentication.GetTokenDetails(ctx)
	fmt.Println("lost phone signed out:", errors.Is(err, sdkerrors.ErrUnauthorized))
	// Output:
	// lost phone signed out: true
}
