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
	"fmt"
	"io"

	"github.com/plexkit/plexgo/examples/internal/examplefake"
	"github.com/plexkit/plexgo/models/operations"
)

func main() { examplefake.Main(run) }

func run(ctx context.Context, w io.Writer, env examplefake.Env) error {
	res, err := env.SDK.Authentication.GetTransientToken(ctx, operations.GetTransientTokenQueryParamTypeDelegation, operations.ScopeAll)
	if err != nil {
		return err
	}
	if res != nil {
		// handle response: the token is a credential, so only say we have one.
		fmt.Fprintf(w, "status %d: transient token received: %t\n", res.StatusCode, res.GetToken() != "")
	}
	return nil
}
