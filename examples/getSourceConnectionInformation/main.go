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
	"fmt"
	"io"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/examples/internal/examplefake"
	"github.com/plexkit/plexgo/plextest"
)

func main() { examplefake.Main(run) }

func run(ctx context.Context, w io.Writer, fake bool) error {
	opts := []plexgo.SDKOption{
		plexgo.WithSecurity("<YOUR_API_KEY_HERE>"),
		plexgo.WithXPlexClientIdentifier("gcgzw5rz2xovp84b4vha3a40"),
	}
	source := "server://client-identifier"
	if fake {
		srv, fakeOpts, err := examplefake.Start()
		if err != nil {
			return err
		}
		defer srv.Close()
		acct, _ := srv.Account(plextest.DefaultLogin)
		opts = append(append(opts, fakeOpts...), plexgo.WithSecurity(acct.AuthToken))
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
