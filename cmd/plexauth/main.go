// Command plexauth logs in to Plex and shows what the login can reach.
// See package internal/cmd/root, or run "plexauth --help".
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/plexkit/plexgo/internal/cmd/root"
	"github.com/plexkit/plexgo/internal/cmdutil"
)

func main() {
	os.Exit(run())
}

func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return root.Main(ctx, os.Args[1:], cmdutil.System(), os.Getenv)
}
