// Command plexfake runs the plextest fake of plex.tv and a Plex Media Server
// as a standalone process, for non-Go clients and manual testing.
//
// Usage:
//
//	plexfake [-plextv-addr 127.0.0.1:0] [-pms-addr 127.0.0.1:0] [-fake-clock] [-v]
//
// On start it prints one line of JSON to stdout: the plex.tv, PMS, control
// and auth app ("authApp") URLs, the seeded accounts (login, password,
// authToken, uuid, twoFactor, verificationCode for 2FA accounts, "outsider"
// for the account no server is shared with, …) and servers (name,
// machineIdentifier, accessToken, url). Logs go to stderr. It serves until
// SIGINT or SIGTERM, then shuts down. The control API is described in the
// plextest package documentation.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/plexkit/plexgo/plextest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run starts the fake, prints its State as one JSON line to stdout and
// serves until ctx ends. It returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plexfake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tvAddr := fs.String("plextv-addr", "127.0.0.1:0", "listen address of the plex.tv API")
	pmsAddr := fs.String("pms-addr", "127.0.0.1:0", "listen address of the default Plex Media Server")
	fakeClock := fs.Bool("fake-clock", false, "run on a fake clock (starting now) that POST /__plextest/advance-clock moves")
	verbose := fs.Bool("v", false, "log every request")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	opts := []plextest.Option{
		plextest.WithPlexTVAddr(*tvAddr),
		plextest.WithPMSAddr(*pmsAddr),
		plextest.WithLogger(logger),
	}
	if *fakeClock {
		opts = append(opts, plextest.WithClock(plextest.NewFakeClock(time.Now())))
	}
	srv, err := plextest.New(opts...)
	if err != nil {
		logger.Error("start", "err", err)
		return 1
	}
	defer srv.Close()
	line, err := json.Marshal(srv.State())
	if err != nil {
		logger.Error("encode state", "err", err)
		return 1
	}
	if _, err := fmt.Fprintf(stdout, "%s\n", line); err != nil {
		logger.Error("write state", "err", err)
		return 1
	}
	if f, ok := stdout.(interface{ Sync() error }); ok {
		_ = f.Sync()
	}
	logger.Info("serving", "plextv", srv.PlexTVURL, "pms", srv.PMSURL, "control", srv.ControlURL(), "authApp", srv.AuthAppURL)
	<-ctx.Done()
	logger.Info("shutting down")
	return 0
}
