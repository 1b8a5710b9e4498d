// Package examplefake is the shared plumbing of the documented examples:
// the -fake flag (or PLEXGO_EXAMPLE_FAKE=1), the documented client, and a
// plextest fake to point it at, so each example keeps only the documented
// call.
package examplefake

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

// Main parses the -fake flag (default: PLEXGO_EXAMPLE_FAKE=1), makes the
// documented call and prints report's line about its answer on standard
// output; an error
// ends the program.
func Main[R any](call func(ctx context.Context, env Env) (R, error), report func(res R) string) {
	fake := flag.Bool("fake", os.Getenv("PLEXGO_EXAMPLE_FAKE") == "1", "run against plextest's fake plex.tv and Plex Media Server")
	flag.Parse()
	if err := Run(context.Background(), os.Stdout, *fake, call, report); err != nil {
		log.Fatal(err)
	}
}

// Run makes call once, against plex.tv and the server at the SDK's
// default address as documented or, when fake is set, against a new
// plextest fake that it closes afterwards, and writes report's line
// about a successful answer (if any) to w.
func Run[R any](ctx context.Context, w io.Writer, fake bool, call func(ctx context.Context, env Env) (R, error), report func(res R) string) error {
	env, done, err := newEnv(fake)
	if err != nil {
		return err
	}
	defer done()
	res, err := call(ctx, env)
	if err != nil {
		return err
	}
	if line := report(res); line != "" {
		_, err = fmt.Fprintln(w, line)
	}
	return err
}

// newEnv returns the documented client or, when fake is set, the same
// pointed at a new plextest fake, and the function that closes it.
func newEnv(fake bool) (Env, func(), error) {
	opts := []plexgo.SDKOption{
		plexgo.WithSecurity("<YOUR_API_KEY_HERE>"),
		plexgo.WithXPlexClientIdentifier("gcgzw5rz2xovp84b4vha3a40"),
	}
	if !fake {
		return Env{SDK: plexgo.New(opts...)}, func() {}, nil
	}
	srv, err := plextest.New()
	if err != nil {
		return Env{}, nil, err
	}
	acct, _ := srv.Account(plextest.DefaultLogin)
	opts = append(opts, plexgo.WithPlexTVURL(srv.PlexTVURL), plexgo.WithServerURL(srv.PMSURL), plexgo.WithSecurity(acct.AuthToken))
	return Env{SDK: plexgo.New(opts...), Fake: srv}, srv.Close, nil
}
