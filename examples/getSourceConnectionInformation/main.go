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

	"github.com/plexkit/plexgo/examples/internal/examplefake"
)

func main() { examplefake.Main(run) }

func run(ctx context.Context, w io.Writer, env examplefake.Env) error {
	source := "server://client-identifier"
	if env.Fake != nil {
		source = "server://" + env.Fake.Servers()[0].MachineIdentifier
	}
	res, err := env.SDK.Authentication.GetSourceConnectionInformation(ctx, source)
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
