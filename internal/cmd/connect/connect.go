// Package connect implements "plexauth connect".
package connect

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo/internal/cmdutil"
	"github.com/plexkit/plexgo/servers"
)

// Options are the inputs of plexauth connect.
type Options struct {
	// The streams, the login of the run and --json.
	cmdutil.Base
	// Logger logs the probes (--verbose).
	Logger func() *slog.Logger

	// Server is the server's name or machine identifier.
	Server string
	// Timeout bounds each candidate's probe.
	Timeout time.Duration
	// NoRelay leaves relay connections out.
	NoRelay bool
}

// NewCmdConnect returns the connect command.
func NewCmdConnect(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Base: cmdutil.BaseOf(f), Logger: f.Logger}
	cmd := &cobra.Command{
		Use: "connect <server>", Short: "Race a server's connections and show the one chosen",
		Long: `Probe every connection of a server at once (local, remote, relay; GET /identity,
no token sent) and print the chosen URI and every candidate's outcome and
latency. Local beats remote beats relay, https beats http. Server names
complete on TAB from the last "plexauth servers" (no network call).

The table ranks the candidates 1..n, best first. RESULT is one of: chosen (the
connection plexauth picked), ok (it answered too, but a better-ranked one was
chosen), not needed (still probing when a better one won, so it was stopped),
timed out, wrong server (another server answered there), skipped (not tried,
e.g. relay with --no-relay) or failed (with the reason).

JSON fields: server, machineIdentifier, uri, kind, latencyMs, candidates [{rank,
uri, kind, protocol, result, latencyMs, chosen, skipped, error}].`,
		Example: `  plexauth connect "Living Room"
  plexauth connect 1f2e3d... --timeout 2s --json`,
		Args: cmdutil.ExactArgs(1, "a server name or machine identifier"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Server, opts.JSON = args[0], f.Options.JSON
			if opts.Timeout < 0 {
				return cmdutil.FlagErrorf("--timeout must not be negative")
			}
			return cmdutil.Run(cmd.Context(), opts, runF, connectRun)
		},
	}
	cmd.ValidArgsFunction = cmdutil.CompleteServers(f, 1)
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", servers.DefaultPerCandidateTimeout, "time limit for each candidate")
	cmd.Flags().BoolVar(&opts.NoRelay, "no-relay", false, "leave relay connections out")
	return cmd
}

type candidateJSON struct {
	Rank      int     `json:"rank"` // 1..n, best first
	URI       string  `json:"uri"`
	Kind      string  `json:"kind"`
	Protocol  string  `json:"protocol"`
	Result    string  `json:"result"`
	LatencyMs float64 `json:"latencyMs"`
	Chosen    bool    `json:"chosen"`
	Skipped   bool    `json:"skipped"`
	Error     string  `json:"error,omitempty"`
}

type connectJSON struct {
	Server            string          `json:"server"`
	MachineIdentifier string          `json:"machineIdentifier"`
	URI               string          `json:"uri,omitempty"`
	Kind              string          `json:"kind,omitempty"`
	LatencyMs         float64         `json:"latencyMs,omitempty"`
	Candidates        []candidateJSON `json:"candidates"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// outcome is a candidate's result in one or two words.
func outcome(c servers.Candidate) string {
	switch {
	case c.Chosen:
		return "chosen"
	case c.Skipped:
		return "skipped"
	case c.Err == nil:
		return "ok"
	case errors.Is(c.Err, servers.ErrWrongMachine):
		return "wrong server"
	case errors.Is(c.Err, context.Canceled):
		return "not needed"
	case errors.Is(c.Err, context.DeadlineExceeded):
		return "timed out"
	}
	return "failed"
}

func candidatesJSON(cands []servers.Candidate) []candidateJSON {
	out := []candidateJSON{}
	for i, c := range cands {
		cj := candidateJSON{Rank: i + 1, URI: c.Connection.URI, Kind: c.Connection.Kind(), Protocol: c.Connection.Protocol,
			Result: outcome(c), LatencyMs: ms(c.Latency), Chosen: c.Chosen, Skipped: c.Skipped}
		if c.Err != nil {
			cj.Error = c.Err.Error()
		}
		out = append(out, cj)
	}
	return out
}

// writeCandidates prints the candidate table.
func writeCandidates(w io.Writer, cands []servers.Candidate) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	cmdutil.Textf(tw, "  RANK\tKIND\tURI\tRESULT\tLATENCY\n")
	// Candidates come best rank first; the table numbers them 1..n (the
	// package's Rank values leave gaps, e.g. for the https-before-http tiers).
	for i, c := range cands {
		lat := "-"
		if c.Latency > 0 {
			lat = cmdutil.ShortDuration(c.Latency)
		}
		res := outcome(c)
		if c.Err != nil && (res == "failed" || res == "skipped") {
			res += ": " + c.Err.Error()
		}
		cmdutil.Textf(tw, "  %d\t%s\t%s\t%s\t%s\n", i+1, c.Connection.Kind(), c.Connection.URI, res, lat)
	}
	_ = tw.Flush()
	cmdutil.Textf(w, "\n  Rank 1 is the best candidate. ok: answered, but a better one was chosen;\n  not needed: stopped once a better one answered; skipped: not tried.\n")
}

func connectRun(ctx context.Context, opts *Options) error {
	_, res, err := opts.Connect(ctx, opts.Server, opts.Timeout, !opts.NoRelay, opts.Logger())
	var cerr *servers.ConnectError
	if err != nil && !errors.As(err, &cerr) {
		return err
	}
	if err != nil {
		doc := connectJSON{Server: cerr.Server, MachineIdentifier: cerr.MachineIdentifier, Candidates: candidatesJSON(cerr.Candidates)}
		if opts.JSON {
			if werr := opts.IO.WriteJSON(doc); werr != nil {
				return werr
			}
		} else {
			opts.IO.Printf("No working connection to %s.\n", cerr.Server)
			writeCandidates(opts.IO.Out, cerr.Candidates)
		}
		if errors.Is(err, servers.ErrNoConnection) {
			return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: fmt.Sprintf("connect to %s: no connection worked", cerr.Server),
				Hint: "check that the server is running and reachable (see each candidate's result)"}
		}
		return err
	}
	if opts.JSON {
		return opts.IO.WriteJSON(connectJSON{
			Server: res.Server.Name, MachineIdentifier: res.Server.MachineIdentifier, URI: res.URI,
			Kind: res.Connection.Kind(), LatencyMs: ms(res.Latency), Candidates: candidatesJSON(res.Candidates),
		})
	}
	opts.IO.Printf("Connected to %s at %s (%s, %s)\n\n", res.Server.Name, res.URI, res.Connection.Kind(), cmdutil.ShortDuration(res.Latency))
	writeCandidates(opts.IO.Out, res.Candidates)
	return nil
}
