// Command getSourceConnectionInformation is the documented example of
// Authentication.GetSourceConnectionInformation: it asks a Plex Media
// Server for a token and the connections of a source it knows.
//
// As documented, it talks to the server at the SDK's default address with
// the placeholder token and source; put real ones in their place. With
// -fake (or PLEXGO_EXAMPLE_FAKE=1) it runs against plextest's fake server
// instead, asking about the fake server itself.
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
	source := "server://client-identifier"
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
		source = "server://" + srv.Servers()[0].MachineIdentifier
	}
	s := plexgo.New(opts...)

	res, err := s.Authentication.GetSourceConnectionInformation(ctx, source)
	if err != nil {
		return err
	}
	if res != nil {
		// handle response
		if d := res.GetDevice(); d != nil {
			fmt.Fprintf(w, "source %q: %d connections, access token received: %t\n", d.Name, len(d.Connections), d.AccessToken != "")
		}
	}
	return nil
}
