// Package examplefake is the shared plumbing of the documented examples:
// the -fake flag (or PLEXGO_EXAMPLE_FAKE=1), the documented client, and a
// plextest fake to point it at, so each example keeps only the documented
// call.
package examplefake

import (
	"context"
	"flag"
	"io"
	"log"
	"os"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/plextest"
)

// Env is what an example runs with.
type Env struct {
	// SDK is the client of the documentation: the placeholder token and
	// the documented client identifier, or, in fake mode, the same pointed
	// at Fake with the token of its default account.
	SDK *plexgo.PlexAPI
	// Fake is the plextest fake plex.tv and Plex Media Server in fake
	// mode, nil otherwise: the example reads its other inputs from it.
	Fake *plextest.Server
}

// Example is the documented code of one example: it prints its result to w.
type Example func(ctx context.Context, w io.Writer, env Env) error

// Main parses the -fake flag (default: PLEXGO_EXAMPLE_FAKE=1) and runs
// example with standard output; an error ends the program.
func Main(example Example) {
	fake := flag.Bool("fake", os.Getenv("PLEXGO_EXAMPLE_FAKE") == "1", "run against plextest's fake plex.tv and Plex Media Server")
	flag.Parse()
	if err := Run(context.Background(), os.Stdout, *fake, example); err != nil {
		log.Fatal(err)
	}
}

// Run runs example once, against plex.tv and the server at the SDK's
// default address as documented or, when fake is set, against a new
// plextest fake that it closes afterwards.
func Run(ctx context.Context, w io.Writer, fake bool, example Example) error {
	opts := []plexgo.SDKOption{
		plexgo.WithSecurity("<YOUR_API_KEY_HERE>"),
		plexgo.WithXPlexClientIdentifier("gcgzw5rz2xovp84b4vha3a40"),
	}
	if !fake {
		return example(ctx, w, Env{SDK: plexgo.New(opts...)})
	}
	srv, err := plextest.New()
	if err != nil {
		return err
	}
	defer srv.Close()
	acct, _ := srv.Account(plextest.DefaultLogin)
	opts = append(opts, plexgo.WithPlexTVURL(srv.PlexTVURL), plexgo.WithServerURL(srv.PMSURL), plexgo.WithSecurity(acct.AuthToken))
	return example(ctx, w, Env{SDK: plexgo.New(opts...), Fake: srv})
}
