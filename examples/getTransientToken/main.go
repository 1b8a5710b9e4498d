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

	"github.com/plexkit/plexgo/examples/internal/examplefake"
	"github.com/plexkit/plexgo/models/operations"
)

// call is the documented call.
func call(ctx context.Context, env examplefake.Env) (*operations.GetTransientTokenResponse, error) {
	return env.SDK.Authentication.GetTransientToken(ctx, operations.GetTransientTokenQueryParamTypeDelegation, operations.ScopeAll)
}

// report handles the response: the token is a credential, so it only
// says there is one.
func report(res *operations.GetTransientTokenResponse) string {
	return fmt.Sprintf("status %d: transient token received: %t", res.StatusCode, res.GetToken() != "")
}

func main() { examplefake.Main(call, report) }
