package servers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/internal/redact"
	"github.com/plexkit/plexgo/internal/urlcheck"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/retry"
)

// Defaults of ConnectOptions.
const (
	// DefaultPerCandidateTimeout bounds one probe.
	DefaultPerCandidateTimeout = 5 * time.Second
	// DefaultGrace is how long Connect waits, after the first success, for
	// a better-ranked candidate.
	DefaultGrace = 50 * time.Millisecond
)

// ErrNoConnection is matched (errors.Is) by the error of Connect when no
// candidate reached the server. The error is a *ConnectError that lists
// every candidate's URI and why it failed.
var ErrNoConnection = errors.New("no working connection")

// ErrWrongMachine is matched (errors.Is) by a Candidate.Err when the
// address answered as another server (a different machine identifier in
// GET /identity), for example a stale LAN address now used by another
// machine. Connect never sends the server's token to such an address.
var ErrWrongMachine = errors.New("answered as a different server")

// errChosen is the cause of probes stopped because a connection was
// chosen.
var errChosen = errors.New("stopped: another connection was chosen")

// ConnectOptions tunes Connect. Zero durations take their defaults; see
// DefaultConnectOptions for the recommended settings.
type ConnectOptions struct {
	// PerCandidateTimeout bounds each probe (default
	// DefaultPerCandidateTimeout, 5s). The ctx given to Connect bounds the
	// whole race. Negative is an error.
	PerCandidateTimeout time.Duration
	// Grace is how long Connect waits, after the first success, for a
	// better-ranked candidate to answer (default DefaultGrace, 50ms). A
	// negative Grace means none: the first success wins unless a
	// better-ranked candidate answered before it.
	Grace time.Duration
	// IncludeRelay also probes relay connections, which always rank last.
	// Relays are slow and bandwidth-limited but often the only way in from
	// outside. DefaultConnectOptions sets it; the zero value leaves relays
	// out (they are then listed as skipped candidates).
	IncludeRelay bool
	// Logger receives one debug record per probe and one for the choice
	// (URIs, ranks, latencies and errors; never tokens). Nil discards.
	Logger *slog.Logger
	// ClientOptions adjust ConnectResult.Client, the SDK client for the
	// chosen server. That client is derived from the caller's SDK with
	// sdk.With (same client identifier, product, HTTP client, logger,
	// retries…); ClientOptions are applied next, then
	// plexgo.WithServerURL(chosen URI) and plexgo.WithSecurity(the server's
	// AccessToken) last, so the caller's plex.tv token or security source
	// is never sent to the server.
	ClientOptions []plexgo.SDKOption
}

// DefaultConnectOptions returns the recommended settings: 5s per
// candidate, 50ms grace, relays included.
func DefaultConnectOptions() ConnectOptions {
	return ConnectOptions{
		PerCandidateTimeout: DefaultPerCandidateTimeout,
		Grace:               DefaultGrace,
		IncludeRelay:        true,
	}
}

// Candidate is one connection Connect considered, with the outcome of its
// probe.
type Candidate struct {
	// Connection is the address probed.
	Connection Connection
	// Rank orders candidates: 0 is best. Local https 0, local http 1,
	// remote https 2, remote http 3, relay https 4, relay http 5.
	Rank int
	// Latency is how long the probe took (until its answer, failure or
	// cancellation); 0 for a skipped candidate.
	Latency time.Duration
	// Err is why the candidate was not usable or not chosen: a connection
	// error (dead address), a timeout (matches
	// context.DeadlineExceeded), ErrWrongMachine, a cancellation (matches
	// context.Canceled: Connect chose another candidate or the caller's
	// context ended), or why it was skipped. Nil for a working candidate.
	Err error
	// Chosen marks the candidate Connect returned.
	Chosen bool
	// Skipped marks a candidate that was not probed (a relay when relays
	// are excluded, an invalid URI, a duplicate). Err says why.
	Skipped bool
}

// String describes the candidate in one line.
func (c Candidate) String() string {
	var b strings.Builder
	b.WriteString(c.Connection.Kind())
	b.WriteByte(' ')
	b.WriteString(redactURI(c.Connection.URI))
	switch {
	case c.Chosen:
		fmt.Fprintf(&b, ": chosen (%s)", c.Latency.Round(time.Millisecond))
	case c.Skipped:
		b.WriteString(": skipped")
		if c.Err != nil {
			b.WriteString(": " + c.Err.Error())
		}
	case c.Err != nil:
		fmt.Fprintf(&b, ": %s (after %s)", c.Err.Error(), c.Latency.Round(time.Millisecond))
	default:
		fmt.Fprintf(&b, ": ok (%s)", c.Latency.Round(time.Millisecond))
	}
	return b.String()
}

// MarshalJSON encodes the candidate with Err as a string ("error") and
// Latency in nanoseconds.
func (c Candidate) MarshalJSON() ([]byte, error) {
	var msg string
	if c.Err != nil {
		msg = c.Err.Error()
	}
	return json.Marshal(struct {
		Connection Connection    `json:"connection"`
		Rank       int           `json:"rank"`
		Latency    time.Duration `json:"latency"`
		Error      string        `json:"error,omitempty"`
		Chosen     bool          `json:"chosen"`
		Skipped    bool          `json:"skipped"`
	}{c.Connection, c.Rank, c.Latency, msg, c.Chosen, c.Skipped})
}

// ConnectResult is the connection Connect chose.
type ConnectResult struct {
	// Server is the server connected to.
	Server Server `json:"server"`
	// URI is the chosen base URL.
	URI string `json:"uri"`
	// Connection is the chosen connection.
	Connection Connection `json:"connection"`
	// Latency is how long the chosen connection took to answer its probe.
	Latency time.Duration `json:"latency"`
	// Candidates are every connection considered, best rank first, with
	// their outcomes.
	Candidates []Candidate `json:"candidates"`
	// Client is an SDK client for the chosen server, derived from the
	// caller's SDK: its server URL is URI and its token the server's
	// AccessToken (see ConnectOptions.ClientOptions).
	Client *plexgo.PlexAPI `json:"-"`
}

// String describes the result without tokens.
func (r ConnectResult) String() string {
	return "ConnectResult{Server:" + strconv.Quote(r.Server.Name) + " URI:" + redactURI(r.URI) +
		" Kind:" + r.Connection.Kind() + " Latency:" + r.Latency.String() + "}"
}

// GoString is String, so %#v does not print the token either.
func (r ConnectResult) GoString() string { return r.String() }

// ConnectError is the error of a failed Connect: no candidate worked
// (errors.Is(err, ErrNoConnection)) or the caller's context ended first
// (errors.Is(err, context.Canceled) or context.DeadlineExceeded).
type ConnectError struct {
	// Server and MachineIdentifier name the server.
	Server, MachineIdentifier string
	// Candidates are every connection considered, with their outcomes.
	Candidates []Candidate
	// Reason is an explanation when there were no candidates at all.
	Reason string

	cause error
}

// Error lists every candidate's URI and why it failed. It contains no
// tokens.
func (e *ConnectError) Error() string {
	var b strings.Builder
	if errors.Is(e.cause, ErrNoConnection) {
		fmt.Fprintf(&b, "servers: no working connection to %q (%s)", e.Server, e.MachineIdentifier)
	} else {
		fmt.Fprintf(&b, "servers: connecting to %q (%s): %v", e.Server, e.MachineIdentifier, e.cause)
	}
	if e.Reason != "" {
		b.WriteString(": " + e.Reason)
	}
	if len(e.Candidates) > 0 {
		b.WriteString(":")
		for _, c := range e.Candidates {
			b.WriteString("\n  ")
			b.WriteString(c.String())
		}
	}
	return b.String()
}

// Unwrap returns ErrNoConnection, or the context's error when the
// caller's context ended.
func (e *ConnectError) Unwrap() error { return e.cause }

// rank orders a connection: local < remote < relay, https < http within
// each.
func rank(c Connection, scheme string) int {
	tier := 1
	switch {
	case c.Relay:
		tier = 2
	case c.Local:
		tier = 0
	}
	r := tier * 2
	if scheme != "https" {
		r++
	}
	return r
}

// redactURI hides the userinfo and secret query values of a connection
// URI (see redact.URL).
func redactURI(raw string) string { return redact.URL(raw) }

// candidates builds the ranked candidate list; skipped ones carry their
// reason.
func candidates(conns []Connection, includeRelay bool) []Candidate {
	out := make([]Candidate, 0, len(conns))
	seen := map[string]bool{}
	for _, c := range conns {
		cand := Candidate{Connection: c}
		u, err := url.Parse(c.URI)
		scheme := ""
		if err == nil {
			scheme = strings.ToLower(u.Scheme)
		}
		cand.Rank = rank(c, scheme)
		switch {
		case !urlcheck.Valid(c.URI):
			cand.Skipped, cand.Err = true, errors.New("not an absolute http(s) URI")
		case c.Relay && !includeRelay:
			cand.Skipped, cand.Err = true, errors.New("relay connections excluded (IncludeRelay is false)")
		case seen[c.URI]:
			cand.Skipped, cand.Err = true, errors.New("duplicate URI")
		}
		seen[c.URI] = true
		out = append(out, cand)
	}
	slices.SortStableFunc(out, func(a, b Candidate) int { return a.Rank - b.Rank })
	return out
}

type probeResult struct {
	idx     int
	latency time.Duration
	err     error
}

// Connect finds the best working connection to srv and returns it with a
// client for it.
//
// It probes every candidate at once with GET /identity (no token is sent;
// retries off; each probe bounded by PerCandidateTimeout and by ctx) and
// accepts an answer only if its machine identifier is
// srv.MachineIdentifier. It returns the best-ranked success (local before
// remote before relay, https before http) as soon as every better-ranked
// candidate has failed, or when the grace period after the first success
// ends, whichever comes first. It then cancels the other probes and waits
// for them to stop before returning, so no goroutine outlives the call.
//
// sdk sends the probes: its HTTP client (TLS settings, proxies) is used.
// When every candidate fails, the error matches ErrNoConnection and is a
// *ConnectError listing each candidate and why it failed; when ctx ends
// first it matches ctx's error.
func Connect(ctx context.Context, sdk *plexgo.PlexAPI, srv Server, opts ConnectOptions) (*ConnectResult, error) {
	if err := checkSDK(sdk); err != nil {
		return nil, fmt.Errorf("servers: connect: %w", err)
	}
	if srv.MachineIdentifier == "" {
		return nil, errors.New("servers: connect: the server has no machine identifier to verify connections against")
	}
	if opts.PerCandidateTimeout < 0 {
		return nil, fmt.Errorf("servers: connect: negative PerCandidateTimeout %s", opts.PerCandidateTimeout)
	}
	timeout := opts.PerCandidateTimeout
	if timeout == 0 {
		timeout = DefaultPerCandidateTimeout
	}
	grace := opts.Grace
	switch {
	case grace == 0:
		grace = DefaultGrace
	case grace < 0:
		grace = 0
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	cands := candidates(srv.Connections, opts.IncludeRelay)
	fail := func(cause error, reason string) error {
		return &ConnectError{Server: srv.Name, MachineIdentifier: srv.MachineIdentifier, Candidates: cands, Reason: reason, cause: cause}
	}
	if len(cands) == 0 {
		return nil, fail(ErrNoConnection, "the server has no connections")
	}

	probeCtx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	results := make(chan probeResult, len(cands))
	pendingByRank := map[int]int{}
	pending := 0
	var wg sync.WaitGroup
	for i := range cands {
		if cands[i].Skipped {
			continue
		}
		pending++
		pendingByRank[cands[i].Rank]++
		wg.Add(1)
		go func(i int, uri string) {
			defer wg.Done()
			start := time.Now()
			err := probe(probeCtx, sdk, uri, srv.MachineIdentifier, timeout)
			results <- probeResult{idx: i, latency: time.Since(start), err: err}
		}(i, cands[i].Connection.URI)
	}

	best := -1
	var graceC <-chan time.Time
	var graceTimer *time.Timer
	record := func(r probeResult) {
		c := &cands[r.idx]
		c.Latency, c.Err = r.latency, r.err
		logger.LogAttrs(ctx, slog.LevelDebug, "servers: probe",
			slog.String("server", srv.Name), slog.String("uri", redactURI(c.Connection.URI)),
			slog.String("kind", c.Connection.Kind()), slog.Int("rank", c.Rank),
			slog.Duration("latency", r.latency), slog.Any("err", r.err))
	}
	var ctxErr error
race:
	for pending > 0 {
		select {
		case r := <-results:
			pending--
			pendingByRank[cands[r.idx].Rank]--
			record(r)
			if r.err == nil && (best < 0 || cands[r.idx].Rank < cands[best].Rank) {
				best = r.idx
			}
			if best < 0 {
				continue
			}
			if !betterPending(pendingByRank, cands[best].Rank) {
				break race
			}
			if graceC == nil {
				if grace == 0 {
					break race
				}
				graceTimer = time.NewTimer(grace)
				graceC = graceTimer.C
			}
		case <-graceC:
			break race
		case <-ctx.Done():
			ctxErr = ctx.Err()
			break race
		}
	}
	if graceTimer != nil {
		graceTimer.Stop()
	}
	stop(errChosen)
	wg.Wait()
	close(results)
	for r := range results {
		record(r)
	}

	if ctxErr == nil {
		ctxErr = ctx.Err() // ended while the last probes were failing
	}
	if ctxErr != nil {
		return nil, fail(ctxErr, "")
	}
	// A probe may have succeeded between the decision and its cancellation;
	// its answer is verified too, so take the best of all successes.
	for i := range cands {
		c := &cands[i]
		if c.Skipped || c.Err != nil {
			continue
		}
		if best < 0 || c.Rank < cands[best].Rank || (c.Rank == cands[best].Rank && c.Latency < cands[best].Latency) {
			best = i
		}
	}
	if best < 0 {
		return nil, fail(ErrNoConnection, "")
	}
	chosen := &cands[best]
	chosen.Chosen = true
	logger.LogAttrs(ctx, slog.LevelDebug, "servers: connected",
		slog.String("server", srv.Name), slog.String("uri", redactURI(chosen.Connection.URI)),
		slog.String("kind", chosen.Connection.Kind()), slog.Duration("latency", chosen.Latency))

	clientOpts := make([]plexgo.SDKOption, 0, len(opts.ClientOptions)+2)
	clientOpts = append(clientOpts, opts.ClientOptions...)
	clientOpts = append(clientOpts, plexgo.WithServerURL(chosen.Connection.URI), plexgo.WithSecurity(srv.AccessToken))
	return &ConnectResult{
		Server:     srv,
		URI:        chosen.Connection.URI,
		Connection: chosen.Connection,
		Latency:    chosen.Latency,
		Candidates: cands,
		Client:     sdk.With(clientOpts...),
	}, nil
}

// checkSDK rejects a nil or zero-value SDK (build one with plexgo.New).
func checkSDK(sdk *plexgo.PlexAPI) error {
	if sdk == nil || sdk.Server == nil || sdk.Plex == nil || sdk.Authentication == nil {
		return errors.New("nil or unusable SDK (build it with plexgo.New)")
	}
	return nil
}

// betterPending reports whether a candidate ranked better than r is still
// being probed.
func betterPending(pendingByRank map[int]int, r int) bool {
	for rk, n := range pendingByRank {
		if rk < r && n > 0 {
			return true
		}
	}
	return false
}

// probe checks one URI: GET /identity must answer with machineID.
func probe(ctx context.Context, sdk *plexgo.PlexAPI, uri, machineID string, timeout time.Duration) error {
	pctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	res, err := sdk.Server.GetIdentity(pctx, operations.WithServerURL(uri), operations.WithRetries(retry.None()))
	if err != nil {
		switch {
		case context.Cause(ctx) == errChosen:
			return fmt.Errorf("%w: %w", errChosen, context.Canceled)
		case ctx.Err() != nil:
			return fmt.Errorf("cancelled: %w", ctx.Err())
		case pctx.Err() != nil:
			return fmt.Errorf("no answer within %s: %w", timeout, context.DeadlineExceeded)
		}
		return shortError(err)
	}
	got := ""
	if res.MediaContainer != nil {
		got = res.MediaContainer.MachineIdentifier
	}
	if got != machineID {
		if got == "" {
			got = "(none)"
		}
		return fmt.Errorf("%w: machine identifier %s", ErrWrongMachine, got)
	}
	return nil
}

// probeError shortens a transport error for candidate lists (the URI is
// listed next to it already) and keeps the full chain for errors.Is/As.
type probeError struct {
	msg string
	err error
}

func (e *probeError) Error() string { return e.msg }
func (e *probeError) Unwrap() error { return e.err }

func shortError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return &probeError{msg: ue.Err.Error(), err: err}
	}
	return err
}
