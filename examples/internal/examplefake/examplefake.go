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

// Start starts a fake plex.tv and Plex Media Server and returns it with
// the options that point a client at it. The caller closes it.
func Start() (*plextest.Server, []plexgo.SDKOption, error) {
	srv, err := plextest.New()
	if err != nil {
		return nil, nil, err
	}
	return srv, []plexgo.SDKOption{plexgo.WithPlexTVURL(srv.PlexTVURL), plexgo.WithServerURL(srv.PMSURL)}, nil
}
