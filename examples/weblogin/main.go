// Command weblogin is an example web app with "Sign in with Plex"
// (package weblogin): a page with a sign-in button, /me with the
// signed-in account, and the sign-in routes under /auth/plex/.
//
//	go run ./examples/weblogin -fake                     # on an embedded plextest
//	go run ./examples/weblogin -fake -server plextest    # only the fake server's members (oscar is refused)
//	go run ./examples/weblogin -server MACHINE_ID        # against plex.tv: members of that server only
//
// Flags: -addr (default 127.0.0.1:8080; 127.0.0.1:0 picks a port), -plextv,
// -auth-app, -server (empty: any Plex account), -session-key (64 hex
// digits; instances with the same key share sessions; random when empty),
// -fake. On start it prints {"url":"http://HOST:PORT"} on stdout, then
// logs to stderr. The environment may set PLEX_OWNER_TOKEN (the server
// owner's token, for the owner-side membership check) and
// WEBLOGIN_CLIENT_ID (this app's client identifier; a new one per start
// otherwise).
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/internal/urlcheck"
	"github.com/plexkit/plexgo/plextest"
	"github.com/plexkit/plexgo/weblogin"
)

const product = "plexgo weblogin example"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	if code := exitCode(err, os.Stderr); code != 0 {
		stop()
		os.Exit(code)
	}
}

// exitCode reports err on stderr and returns the process status: 0 for
// none or -h/-help (the flag package has printed the usage), 2 for a
// usage error, 1 for any other.
func exitCode(err error, stderr io.Writer) int {
	var usage usageError
	switch {
	case err == nil || errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &usage):
		fmt.Fprintln(stderr, "weblogin:", err)
		return 2
	default:
		fmt.Fprintln(stderr, "weblogin:", err)
		return 1
	}
}

// usageError is a bad command line (exit status 2).
type usageError struct{ error }

// Unwrap returns the flag package's error (flag.ErrHelp for -h).
func (e usageError) Unwrap() error { return e.error }

type options struct {
	addr, plexTV, authApp, server, sessionKey string
	fake                                      bool
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("weblogin", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "listen address (127.0.0.1:0 picks a port)")
	fs.StringVar(&o.plexTV, "plextv", "https://plex.tv", "plex.tv base URL")
	fs.StringVar(&o.authApp, "auth-app", auth.DefaultAuthAppURL, "Plex auth app URL")
	fs.StringVar(&o.server, "server", "", "machine identifier whose members may sign in (empty: any Plex account; with -fake, a fake server's name works too)")
	fs.StringVar(&o.sessionKey, "session-key", "", "session key, 64 hex digits (random when empty)")
	fs.BoolVar(&o.fake, "fake", false, "run on an embedded plextest fake and print its accounts")
	if err := fs.Parse(args); err != nil {
		return o, usageError{err}
	}
	if fs.NArg() > 0 {
		return o, usageError{fmt.Errorf("unexpected arguments %q", fs.Args())}
	}
	if !urlcheck.Valid(o.plexTV) {
		return o, usageError{errors.New("-plextv must be an absolute http(s) URL")}
	}
	return o, nil
}

// sessionKey decodes -session-key, or makes a random key.
func sessionKey(hexKey string, log *slog.Logger) ([]byte, error) {
	if hexKey == "" {
		log.Warn("no -session-key: using a random one; sessions end when the app stops and are not shared")
		k := make([]byte, weblogin.KeySize)
		_, err := rand.Read(k)
		return k, err
	}
	k, err := hex.DecodeString(hexKey)
	if err != nil || len(k) != weblogin.KeySize {
		return nil, usageError{fmt.Errorf("-session-key must be %d hex digits", 2*weblogin.KeySize)}
	}
	return k, nil
}

// run starts the app and serves until ctx ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	key, err := sessionKey(o.sessionKey, log)
	if err != nil {
		return err
	}
	ownerToken := getenv("PLEX_OWNER_TOKEN")
	if o.fake {
		fake, err := plextest.New()
		if err != nil {
			return fmt.Errorf("starting the fake: %w", err)
		}
		defer fake.Close()
		o.plexTV, o.authApp = fake.PlexTVURL, fake.AuthAppURL
		for _, s := range fake.Servers() {
			if o.server == s.Name { // -server plextest: the fake's server, by name
				o.server = s.MachineIdentifier
			}
		}
		if ownerToken == "" && o.server != "" {
			if a, ok := fake.Account(plextest.DefaultLogin); ok {
				ownerToken = a.AuthToken
			}
		}
		printFake(stderr, fake)
	}
	clientID := getenv("WEBLOGIN_CLIENT_ID")
	if clientID == "" {
		if clientID, err = auth.NewClientIdentifier(); err != nil {
			return err
		}
	}
	h, err := newHandler(o, key, clientID, ownerToken, log)
	if err != nil {
		return usageError{err}
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: routes(h), ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	line, _ := json.Marshal(struct {
		URL string `json:"url"`
	}{"http://" + ln.Addr().String()})
	if _, err := fmt.Fprintf(stdout, "%s\n", line); err != nil {
		_ = ln.Close()
		return err
	}
	log.Info("serving", "url", "http://"+ln.Addr().String(), "plextv", o.plexTV, "server", o.server)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shut)
}

func newHandler(o options, key []byte, clientID, ownerToken string, log *slog.Logger) (*weblogin.Handler, error) {
	sdk := plexgo.New(
		plexgo.WithPlexTVURL(o.plexTV),
		plexgo.WithXPlexClientIdentifier(clientID),
		plexgo.WithProduct(product),
		plexgo.WithLogger(log),
	)
	opts := []weblogin.Option{
		weblogin.WithKeys(key), weblogin.WithProduct(product),
		weblogin.WithAuthAppURL(o.authApp), weblogin.WithLogger(log),
	}
	if o.server != "" {
		opts = append(opts, weblogin.WithPolicy(weblogin.MembersOf(o.server)))
		if ownerToken != "" {
			opts = append(opts, weblogin.WithOwnerToken(ownerToken))
		}
	}
	return weblogin.New(sdk, clientID, opts...)
}

// printFake lists the fake's accounts and servers on stderr.
func printFake(w io.Writer, fake *plextest.Server) {
	fmt.Fprintf(w, "plextest fake: plex.tv %s, auth app %s\n", fake.PlexTVURL, fake.AuthAppURL)
	for _, s := range fake.Servers() {
		fmt.Fprintf(w, "  server %q machine identifier %s (owner %s)\n", s.Name, s.MachineIdentifier, s.OwnerLogin)
	}
	for _, a := range fake.Accounts() {
		if a.Password == "" {
			fmt.Fprintf(w, "  account %s (managed Home user, no password)\n", a.Username)
			continue
		}
		fmt.Fprintf(w, "  account %s login %s password %q\n", a.Username, a.Login, a.Password)
	}
}
