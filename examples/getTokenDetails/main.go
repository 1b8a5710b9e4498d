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
	"io"

	"github.com/plexkit/plexgo/examples/internal/examplefake"
)

func main() { examplefake.Main(run) }

func run(ctx context.Context, w io.Writer, env examplefake.Env) error {
	res, err := env.SDK.Authentication.GetTokenDetails(ctx)
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
