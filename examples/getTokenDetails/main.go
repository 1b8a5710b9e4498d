// Command getTokenDetails is the documented example of
// Authentication.GetTokenDetails: it asks plex.tv which account a token
// belongs to.
//
// As documented, it talks to plex.tv with the placeholder token; put a real
// token in its place. With -fake (or PLEXGO_EXAMPLE_FAKE=1) it runs
// against plextest's fake plex.tv instead, with a seeded account's token.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/plextest"
)

func main() {
	fake := flag.Bool("fake", os.Getenv("PLEXGO_EXAMPLE_FAKE") == "1", "run against plextest's fake plex.tv and Plex Media Server")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *fake); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, w io.Writer, fake bool) error {
	opts := []plexgo.SDKOption{
		plexgo.WithSecurity("<YOUR_API_KEY_HERE>"),
		plexgo.WithXPlexClientIdentifier("gcgzw5rz2xovp84b4vha3a40"),
	}
	if fake {
		srv, err := plextest.New()
		if err != nil {
			return err
		}
		defer srv.Close()
		acct, _ := srv.Account(plextest.DefaultLogin)
		opts = append(opts,
			plexgo.WithPlexTVURL(srv.PlexTVURL),
			plexgo.WithServerURL(srv.PMSURL),
			plexgo.WithSecurity(acct.AuthToken),
		)
	}
	s := plexgo.New(opts...)

	res, err := s.Authentication.GetTokenDetails(ctx)
	if err != nil {
		return err
	}
	if res.UserPlexAccount != nil {
		// handle response
		u := res.UserPlexAccount
		fmt.Fprintf(w, "token belongs to %s (id %d), Plex Pass: %t\n", u.Username, u.ID, u.PlexPass())
	}
	return nil
}
