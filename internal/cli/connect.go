package cli

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo/servers"
)

// ConnectOptions are the inputs of plexauth connect.
type ConnectOptions struct {
	f *Factory

	// Server is the server's name or machine identifier.
	Server string
	// Timeout bounds each candidate's probe.
	Timeout time.Duration
	// NoRelay leaves relay connections out.
	NoRelay bool
}

// NewCmdConnect returns the connect command.
func NewCmdConnect(f *Factory, runF func(*ConnectOptions) error) *cobra.Command {
	opts := &ConnectOptions{f: f}
	cmd := &cobra.Command{
		Use:   "connect <server>",
		Short: "Race a server's connections and show the one chosen",
		Long: `Probe every connection of a server at once (local, remote, relay; GET /identity,
no token sent) and print the chosen URI and every candidate's outcome and
latency. Local beats remote beats relay, https beats http.

JSON fields: server, machineIdentifier, uri, kind, latencyMs, candidates [{rank,
uri, kind, protocol, result, latencyMs, chosen, skipped, error}].`,
		Example: `  plexauth connect "Living Room"
  plexauth connect 1f2e3d... --timeout 2s --json`,
		Args: exactArgs(1, "a server name or machine identifier"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Server = args[0]
			if opts.Timeout < 0 {
				return flagErrorf("--timeout must not be negative")
			}
			if runF != nil {
				return runF(opts)
			}
			return connectRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", servers.DefaultPerCandidateTimeout, "time limit for each candidate")
	cmd.Flags().BoolVar(&opts.NoRelay, "no-relay", false, "leave relay connections out")
	return needsLogin(cmd)
}

// connectServer finds a server by name or id and connects to it.
func (f *Factory) connectServer(ctx context.Context, nameOrID string, timeout time.Duration, relay bool) (*servers.ConnectResult, error) {
	sdk, err := f.AuthSDK(ctx)
	if err != nil {
		return nil, err
	}
	srv, err := servers.Find(ctx, sdk, nameOrID)
	switch {
	case errors.Is(err, servers.ErrServerNotFound):
		return nil, &ExitError{Code: ExitFailure, What: "find the server", Err: err, Hint: "run plexauth servers to list them"}
	case errors.Is(err, servers.ErrAmbiguousServer):
		return nil, &ExitError{Code: ExitFailure, What: "find the server", Err: err, Hint: "use its machine identifier (plexauth servers)"}
	case err != nil:
		return nil, fmt.Errorf("list servers: %w", err)
	}
	opts := servers.DefaultConnectOptions()
	if timeout > 0 {
		opts.PerCandidateTimeout = timeout
	}
	opts.IncludeRelay = relay
	opts.Logger = f.Logger()
	return servers.Connect(ctx, sdk, srv, opts)
}

type candidateJSON struct {
	Rank      int     `json:"rank"`
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
	for _, c := range cands {
		cj := candidateJSON{Rank: c.Rank, URI: c.Connection.URI, Kind: c.Connection.Kind(), Protocol: c.Connection.Protocol,
			Result: outcome(c), LatencyMs: ms(c.Latency), Chosen: c.Chosen, Skipped: c.Skipped}
		if c.Err != nil {
			cj.Error = c.Err.Error()
		}
		out = append(out, cj)
	}
	return out
}

// writeCandidates prints the candidate table.
func (f *Factory) writeCandidates(cands []servers.Candidate) {
	tw := tabwriter.NewWriter(f.IO.Out, 0, 4, 2, ' ', 0)
	textf(tw, "  RANK\tKIND\tURI\tRESULT\tLATENCY\n")
	for _, c := range cands {
		lat := "-"
		if c.Latency > 0 {
			lat = shortDuration(c.Latency)
		}
		res := outcome(c)
		if c.Err != nil && (res == "failed" || res == "skipped") {
			res += ": " + c.Err.Error()
		}
		textf(tw, "  %d\t%s\t%s\t%s\t%s\n", c.Rank, c.Connection.Kind(), c.Connection.URI, res, lat)
	}
	_ = tw.Flush()
}

func connectRun(ctx context.Context, opts *ConnectOptions) error {
	f := opts.f
	res, err := f.connectServer(ctx, opts.Server, opts.Timeout, !opts.NoRelay)
	var cerr *servers.ConnectError
	if err != nil && !errors.As(err, &cerr) {
		return err
	}
	if err != nil {
		doc := connectJSON{Server: cerr.Server, MachineIdentifier: cerr.MachineIdentifier, Candidates: candidatesJSON(cerr.Candidates)}
		if f.Opts.JSON {
			if werr := f.writeJSON(doc); werr != nil {
				return werr
			}
		} else {
			textf(f.IO.Out, "No working connection to %s.\n", cerr.Server)
			f.writeCandidates(cerr.Candidates)
		}
		if errors.Is(err, servers.ErrNoConnection) {
			return &ExitError{Code: ExitFailure, What: fmt.Sprintf("connect to %s: no connection worked", cerr.Server),
				Hint: "check that the server is running and reachable (see each candidate's result)"}
		}
		return err
	}
	if f.Opts.JSON {
		return f.writeJSON(connectJSON{
			Server: res.Server.Name, MachineIdentifier: res.Server.MachineIdentifier, URI: res.URI,
			Kind: res.Connection.Kind(), LatencyMs: ms(res.Latency), Candidates: candidatesJSON(res.Candidates),
		})
	}
	textf(f.IO.Out, "Connected to %s at %s (%s, %s)\n\n", res.Server.Name, res.URI, res.Connection.Kind(), shortDuration(res.Latency))
	f.writeCandidates(res.Candidates)
	return nil
}
