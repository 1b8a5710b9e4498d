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

	"github.com/plexkit/plexgo/examples/internal/examplefake"
	"github.com/plexkit/plexgo/models/operations"
)

// call is the documented call, for the fake's server in fake mode.
func call(ctx context.Context, env examplefake.Env) (*operations.GetSourceConnectionInformationResponse, error) {
	source := "server://client-identifier"
	if env.Fake != nil {
		source = "server://" + env.Fake.Servers()[0].MachineIdentifier
	}
	return env.SDK.Authentication.GetSourceConnectionInformation(ctx, source)
}

// report handles the response: the source's connections, and whether it
// came with a token (never the token).
func report(res *operations.GetSourceConnectionInformationResponse) string {
	if d := res.GetDevice(); d != nil {
		return fmt.Sprintf("source %q: %d connections, access token received: %t", d.Name, len(d.Connections), d.AccessToken != "")
	}
	return ""
}

func main() { examplefake.Main(call, report) }
