// Command getTransientToken is the documented example of
// Authentication.GetTransientToken: it asks a Plex Media Server for a
// temporary token with the caller's access.
//
// As documented, it talks to the server at the SDK's default address with
// the placeholder token; put a real token in its place. With -fake (or
// PLEXGO_EXAMPLE_FAKE=1) it runs against plextest's fake server instead.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/models/operations"
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

	res, err := s.Authentication.GetTransientToken(ctx, operations.GetTransientTokenQueryParamTypeDelegation, operations.ScopeAll)
	if err != nil {
		return err
	}
	if res != nil {
		// handle response: the token is a credential, so only say we have one.
		fmt.Fprintf(w, "status %d: transient token received: %t\n", res.StatusCode, res.GetToken() != "")
	}
	return nil
}
