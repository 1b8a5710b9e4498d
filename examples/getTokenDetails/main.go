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
	"fmt"

	"github.com/plexkit/plexgo/examples/internal/examplefake"
	"github.com/plexkit/plexgo/models/operations"
)

// call is the documented call.
func call(ctx context.Context, env examplefake.Env) (*operations.GetTokenDetailsResponse, error) {
	return env.SDK.Authentication.GetTokenDetails(ctx)
}

// report handles the response: whose token it is.
func report(res *operations.GetTokenDetailsResponse) string {
	if u := res.UserPlexAccount; u != nil {
		return fmt.Sprintf("token belongs to %s (id %d), Plex Pass: %t", u.Username, u.ID, u.PlexPass())
	}
	return ""
}

func main() { examplefake.Main(call, report) }
