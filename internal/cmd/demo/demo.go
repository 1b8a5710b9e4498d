// Package demo implements "plexauth demo": the whole journey against the
// embedded fake plex.tv.
package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/internal/cmdutil"
	"github.com/plexkit/plexgo/internal/ctxsleep"
	"github.com/plexkit/plexgo/plextest"
)

// Options are the inputs of plexauth demo.
type Options struct {
	// Dependencies, taken from the Factory.
	IO      *cmdutil.IOStreams
	Now     func() time.Time
	Version string
	Logger  func() *slog.Logger
	// Exec runs one plexauth command line with the factory given.
	Exec func(ctx context.Context, f *cmdutil.Factory, args []string) int

	// JSON prints JSON (--json).
	JSON bool
	// Verbose passes --verbose to every step.
	Verbose bool

	// ApproveAfter is how long the simulated second device waits before
	// approving the PIN.
	ApproveAfter time.Duration
}

// NewCmdDemo returns the demo command.
func NewCmdDemo(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Now: f.Now, Version: f.Version, Logger: f.Logger, Exec: f.Exec}
	cmd := &cobra.Command{
		Use: "demo", Short: "Run the whole journey against a built-in fake plex.tv",
		Long: `Start the embedded fake plex.tv and Plex Media Server (package plextest) on
loopback and run the whole journey against it: a PIN login that a second device
approves after about two seconds (a real PUT /api/v2/pins/link with the seeded
account "alice"), whoami, servers, connect, a transient token, the Plex Home
users, the account's devices, a claim token, and logout. Everything lives in a temporary directory: your own login and
config are never read or changed.

JSON: {"plextv", "pms", "steps":[{"command", "exitCode", "output"}]}, where
output is the JSON the step printed.`,
		Args: cmdutil.ExactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON, opts.Verbose = f.Options.JSON, f.Options.Verbose
			if opts.ApproveAfter < 0 {
				return cmdutil.FlagErrorf("--approve-after must not be negative")
			}
			if runF != nil {
				return runF(opts)
			}
			return demoRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().DurationVar(&opts.ApproveAfter, "approve-after", 2*time.Second, "delay before the second device approves the PIN")
	_ = cmd.Flags().MarkHidden("approve-after")
	return cmdutil.DisableAuth(cmd)
}

// demoPhoneClientID is the client identifier of the simulated second
// device (the phone that approves the PIN).
const demoPhoneClientID = "plexauth-demo-phone"

// noBrowser is the demo's browser: it never opens anything.
type noBrowser struct{}

// Open refuses: the demo never opens a browser.
func (noBrowser) Open(context.Context, string) error {
	return errors.New("browser disabled in the demo")
}

type demoStep struct {
	Command  string          `json:"command"`
	ExitCode int             `json:"exitCode"`
	Output   json.RawMessage `json:"output,omitempty"`
}

func demoRun(ctx context.Context, opts *Options) error {
	out := opts.IO.Out
	fake, err := plextest.New(plextest.WithLogger(opts.Logger()))
	if err != nil {
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "start the fake plex.tv", Err: err}
	}
	defer fake.Close()
	dir, err := os.MkdirTemp("", "plexauth-demo-")
	if err != nil {
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "create a temporary directory", Err: err}
	}
	defer func() { _ = os.RemoveAll(dir) }()

	server := "plextest"
	if list := fake.Servers(); len(list) > 0 {
		server = list[0].Name
	}
	if !opts.JSON {
		cmdutil.Textf(out, "plexauth demo: a fake plex.tv (%s) and Plex Media Server (%s) run on loopback.\n", fake.PlexTVURL, fake.PMSURL)
		cmdutil.Textln(out, "Your own login is not touched: this demo keeps its files in a temporary directory.")
		cmdutil.Textf(out, "A second device (alice's phone) approves the login code after about %s.\n", opts.ApproveAfter)
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		approvePIN(ctx, fake, opts.ApproveAfter, opts.IO.ErrOut)
	}()
	defer wg.Wait()
	defer cancel()

	steps := [][]string{
		{"login", "--no-browser"},
		{"whoami"},
		{"servers"},
		{"connect", server},
		{"token", "--transient", "--server", server},
		{"home", "users"},
		{"devices"},
		{"claim", "--env"},
		{"logout"},
	}
	var results []demoStep
	for _, args := range steps {
		line := "plexauth " + strings.Join(quoteArgs(args), " ")
		var buf bytes.Buffer
		stepOut := io.Writer(&buf)
		if !opts.JSON {
			cmdutil.Textf(out, "\n$ %s\n", line)
			stepOut = out
		}
		// The user's environment (PLEX_TOKEN, PLEXAUTH_*) never reaches the demo.
		// (claim's live countdown would hold the demo for 4 minutes: no TTY.)
		child := cmdutil.New(cmdutil.IOStreams{In: strings.NewReader(""), Out: stepOut, ErrOut: opts.IO.ErrOut,
			IsStdoutTTY: opts.IO.IsStdoutTTY && !opts.JSON && args[0] != "claim", IsStderrTTY: opts.IO.IsStderrTTY},
			// The demo's tokens stay in its temporary directory, never in the OS keyring.
			func(k string) string {
				if k == cmdutil.EnvInsecureStorage {
					return "1"
				}
				return ""
			})
		child.Browser = func() cmdutil.Browser { return noBrowser{} }
		child.Now, child.Version = opts.Now, opts.Version
		full := append([]string{"--config-dir", dir, "--plextv-url", fake.PlexTVURL}, args...)
		if args[0] == "login" {
			full = append(full, "--poll-interval", "250ms")
		}
		if opts.JSON {
			full = append(full, "--json")
		}
		if opts.Verbose {
			full = append(full, "--verbose")
		}
		code := opts.Exec(ctx, child, full)
		step := demoStep{Command: line, ExitCode: code}
		if opts.JSON {
			step.Output = jsonValues(buf.Bytes())
		}
		results = append(results, step)
		if code != cmdutil.ExitOK {
			if opts.JSON {
				_ = opts.IO.WriteJSON(demoDoc(fake, results))
			}
			return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: fmt.Sprintf("demo step %q failed (exit code %d)", line, code), Hint: "please report this as a bug"}
		}
	}
	if opts.JSON {
		return opts.IO.WriteJSON(demoDoc(fake, results))
	}
	cmdutil.Textf(out, "\nDemo complete: PIN login, account check, server discovery, connection race, transient token, Plex Home, devices, claim token, logout.\n")
	return nil
}

func demoDoc(fake *plextest.Server, steps []demoStep) any {
	return struct {
		PlexTV string     `json:"plextv"`
		PMS    string     `json:"pms"`
		Steps  []demoStep `json:"steps"`
	}{fake.PlexTVURL, fake.PMSURL, steps}
}

// jsonValues returns the JSON a step printed: its single document, or an
// array when it printed several (login prints its prompt line first).
func jsonValues(b []byte) json.RawMessage {
	dec := json.NewDecoder(bytes.NewReader(b))
	var vals []json.RawMessage
	for {
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			break
		}
		vals = append(vals, v)
	}
	switch len(vals) {
	case 0:
		return nil
	case 1:
		return vals[0]
	}
	all, err := json.Marshal(vals)
	if err != nil {
		return nil
	}
	return all
}

func quoteArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t'\"$") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		out[i] = a
	}
	return out
}

// approvePIN plays the second device: after delay it finds the pending
// PIN and approves it as alice with a real PUT /api/v2/pins/link.
func approvePIN(ctx context.Context, fake *plextest.Server, delay time.Duration, w io.Writer) {
	if ctxsleep.Sleep(ctx, delay) != nil {
		return
	}
	acct, ok := fake.Account(plextest.DefaultLogin)
	if !ok {
		return
	}
	// Bounded: the login creates its PIN long before this gives up.
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for range 600 {
		for _, p := range fake.PendingPINs() {
			if p.Product != cmdutil.Product {
				continue
			}
			phone := plexgo.New(
				plexgo.WithPlexTVURL(fake.PlexTVURL),
				plexgo.WithXPlexClientIdentifier(demoPhoneClientID),
				plexgo.WithProduct("Plex SSO"),
				plexgo.WithSecurity(acct.AuthToken),
			)
			if _, err := phone.Plex.LinkPin(ctx, p.Code); err != nil {
				cmdutil.Textf(w, "[second device] could not approve the code: %v\n", err)
				return
			}
			cmdutil.Textf(w, "[second device] %s approved code %s on plex.tv (PUT /api/v2/pins/link).\n", acct.Username, p.Code)
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
