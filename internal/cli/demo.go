package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/internal/ctxsleep"
	"github.com/plexkit/plexgo/plextest"
)

// DemoOptions are the inputs of plexauth demo.
type DemoOptions struct {
	f *Factory

	// ApproveAfter is how long the simulated second device waits before
	// approving the PIN.
	ApproveAfter time.Duration
}

// NewCmdDemo returns the demo command.
func NewCmdDemo(f *Factory, runF func(*DemoOptions) error) *cobra.Command {
	opts := &DemoOptions{f: f}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the whole journey against a built-in fake plex.tv",
		Long: `Start the embedded fake plex.tv and Plex Media Server (package plextest) on
loopback and run the whole journey against it: a PIN login that a second device
approves after about two seconds (a real PUT /api/v2/pins/link with the seeded
account "alice"), whoami, servers, connect, a transient token, the Plex Home
users, and logout. Everything lives in a temporary directory: your own login and
config are never read or changed.

JSON: {"plextv", "pms", "steps":[{"command", "exitCode", "output"}]}, where
output is the JSON the step printed.`,
		Args: exactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.ApproveAfter < 0 {
				return flagErrorf("--approve-after must not be negative")
			}
			if runF != nil {
				return runF(opts)
			}
			return demoRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().DurationVar(&opts.ApproveAfter, "approve-after", 2*time.Second, "delay before the second device approves the PIN")
	_ = cmd.Flags().MarkHidden("approve-after")
	return cmd
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

func demoRun(ctx context.Context, opts *DemoOptions) error {
	f := opts.f
	out := f.IO.Out
	fake, err := plextest.New(plextest.WithLogger(f.Logger()))
	if err != nil {
		return &ExitError{Code: ExitFailure, What: "start the fake plex.tv", Err: err}
	}
	defer fake.Close()
	dir, err := os.MkdirTemp("", "plexauth-demo-")
	if err != nil {
		return &ExitError{Code: ExitFailure, What: "create a temporary directory", Err: err}
	}
	defer func() { _ = os.RemoveAll(dir) }()

	server := "plextest"
	if list := fake.Servers(); len(list) > 0 {
		server = list[0].Name
	}
	if !f.Opts.JSON {
		textf(out, "plexauth demo: a fake plex.tv (%s) and Plex Media Server (%s) run on loopback.\n", fake.PlexTVURL, fake.PMSURL)
		textln(out, "Your own login is not touched: this demo keeps its files in a temporary directory.")
		textf(out, "A second device (alice's phone) approves the login code after about %s.\n", opts.ApproveAfter)
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		approvePIN(ctx, fake, opts.ApproveAfter, f.IO.ErrOut)
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
		{"logout"},
	}
	var results []demoStep
	for _, args := range steps {
		line := "plexauth " + strings.Join(quoteArgs(args), " ")
		var buf bytes.Buffer
		stepOut := io.Writer(&buf)
		if !f.Opts.JSON {
			textf(out, "\n$ %s\n", line)
			stepOut = out
		}
		child := &Factory{
			IO: IOStreams{In: strings.NewReader(""), Out: stepOut, ErrOut: f.IO.ErrOut,
				IsStdoutTTY: f.IO.IsStdoutTTY && !f.Opts.JSON, IsStderrTTY: f.IO.IsStderrTTY},
			// The user's environment (PLEX_TOKEN, PLEXAUTH_*) never reaches the demo.
			Getenv:  func(string) string { return "" },
			Browser: noBrowser{},
			Now:     f.Now,
			Version: f.Version,
		}
		full := append([]string{"--config-dir", dir, "--plextv-url", fake.PlexTVURL}, args...)
		if args[0] == "login" {
			full = append(full, "--poll-interval", "250ms")
		}
		if f.Opts.JSON {
			full = append(full, "--json")
		}
		if f.Opts.Verbose {
			full = append(full, "--verbose")
		}
		code := child.Run(ctx, full)
		step := demoStep{Command: line, ExitCode: code}
		if f.Opts.JSON {
			step.Output = jsonValues(buf.Bytes())
		}
		results = append(results, step)
		if code != ExitOK {
			if f.Opts.JSON {
				_ = f.writeJSON(demoDoc(fake, results))
			}
			return &ExitError{Code: ExitFailure, What: fmt.Sprintf("demo step %q failed (exit code %d)", line, code), Hint: "please report this as a bug"}
		}
	}
	if f.Opts.JSON {
		return f.writeJSON(demoDoc(fake, results))
	}
	textf(out, "\nDemo complete: PIN login, account check, server discovery, connection race, transient token, Plex Home, logout.\n")
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
			if p.Product != Product {
				continue
			}
			phone := plexgo.New(
				plexgo.WithPlexTVURL(fake.PlexTVURL),
				plexgo.WithXPlexClientIdentifier(demoPhoneClientID),
				plexgo.WithProduct("Plex SSO"),
				plexgo.WithSecurity(acct.AuthToken),
			)
			if _, err := phone.Plex.LinkPin(ctx, p.Code); err != nil {
				textf(w, "[second device] could not approve the code: %v\n", err)
				return
			}
			textf(w, "[second device] %s approved code %s on plex.tv (PUT /api/v2/pins/link).\n", acct.Username, p.Code)
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
