// Package examplefake is the shared plumbing of the documented examples:
// the -fake flag (or PLEXGO_EXAMPLE_FAKE=1) and a plextest fake to point
// the client at, so each example keeps only the documented code.
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

// Main parses the -fake flag (default: PLEXGO_EXAMPLE_FAKE=1) and calls
// run with standard output; an error ends the program.
func Main(run func(ctx context.Context, w io.Writer, fake bool) error) {
	fake := flag.Bool("fake", os.Getenv("PLEXGO_EXAMPLE_FAKE") == "1", "run against plextest's fake plex.tv and Plex Media Server")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *fake); err != nil {
		log.Fatal(err)
	}
}

// Client returns the client of a documented example, made with the
// documented options opts. When fake is set it also starts a plextest
// fake plex.tv and Plex Media Server, points the client at it and, when
// signedIn is set, gives it the token of the fake's default account; srv
// is that fake (nil otherwise), for the example's other fake inputs.
// Call stop when done: it closes the fake.
func Client(fake, signedIn bool, opts ...plexgo.SDKOption) (s *plexgo.PlexAPI, srv *plextest.Server, stop func(), err error) {
	if !fake {
		return plexgo.New(opts...), nil, func() {}, nil
	}
	srv, err = plextest.New()
	if err != nil {
		return nil, nil, nil, err
	}
	opts = append(opts, plexgo.WithPlexTVURL(srv.PlexTVURL), plexgo.WithServerURL(srv.PMSURL))
	if signedIn {
		acct, _ := srv.Account(plextest.DefaultLogin)
		opts = append(opts, plexgo.WithSecurity(acct.AuthToken))
	}
	return plexgo.New(opts...), srv, srv.Close, nil
}
