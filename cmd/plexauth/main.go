// Command plexauth logs in to Plex and shows what the login can reach.
// See package internal/cli, or run "plexauth --help".
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/plexkit/plexgo/internal/cli"
)

func main() {
	os.Exit(run())
}

func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return cli.Main(ctx, os.Args[1:], cli.System(), os.Getenv)
}
