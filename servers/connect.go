package servers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
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
	// DefaultInsecureGrace is how long Connect waits, after a plain-http
	// candidate answered, for a secure (https) candidate still being
	// probed before it settles for plain http.
	DefaultInsecureGrace = time.Second
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

// ErrInsecureConnection is matched (errors.Is) by the error of
// TransientToken, SourceInfo and the other calls that send the server's
// token, when the connection is plain http to an address that is neither
// loopback nor private and the caller did not allow it
// (ConnectOptions.AllowInsecurePublic, ConnectResult.InsecureAllowed).
// No request is sent.
var ErrInsecureConnection = errors.New("refusing to send the server's token over plain http to an address that is not loopback or private")

// errChosen is the cause of probes stopped because a connection was
// chosen.
var errChosen = errors.New("stopped: another connection was chosen")

// SecureConnections is Connect's policy for plain-http connections, after
// Plex's "Secure connections" setting. The zero value is SecurePreferred.
type SecureConnections int

const (
	// SecurePreferred (the default) chooses a secure connection (https
	// with a certificate the SDK's HTTP client verifies) whenever one
	// answers, and plain http only when none does (see
	// ConnectOptions.InsecureGrace). Plain http is considered only for
	// loopback and private addresses (127.0.0.0/8, ::1, localhost,
	// 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7, link-local)
	// unless ConnectOptions.AllowInsecurePublic is set.
	SecurePreferred SecureConnections = iota
	// SecureRequired never uses plain http: http candidates are skipped.
	SecureRequired
)

// String returns "preferred" or "required".
func (p SecureConnections) String() string {
	switch p {
	case SecurePreferred:
		return "preferred"
	case SecureRequired:
		return "required"
	}
	return "SecureConnections(" + strconv.Itoa(int(p)) + ")"
}

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
	// InsecureGrace is how long Connect waits, after a plain-http
	// candidate answered, for a secure candidate that is still being
	// probed (default DefaultInsecureGrace, 1s; negative: no extra wait
	// beyond Grace). A longer wait makes it harder for a machine on the
	// LAN that answers a plain-http address faster than the real server
	// to be chosen.
	InsecureGrace time.Duration
	// Secure is the policy for plain-http connections (default
	// SecurePreferred; SecureRequired uses https only).
	Secure SecureConnections
	// AllowInsecurePublic lets Connect use, and send the server's token
	// to, a plain-http connection whose host is not a loopback or private
	// IP address (a public address, or a host name that is not
	// "localhost"). Anyone on the path can read that token. Off by
	// default; ignored under SecureRequired.
	AllowInsecurePublic bool
	// IncludeRelay also probes relay connections, which always rank last
	// within their security class. Relays are slow and bandwidth-limited
	// but often the only way in from outside. DefaultConnectOptions sets
	// it; the zero value leaves relays out (they are then listed as
	// skipped candidates).
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
// candidate, 50ms grace, 1s for a secure candidate to beat a plain-http
// one, secure connections preferred, relays included.
func DefaultConnectOptions() ConnectOptions {
	return ConnectOptions{
		PerCandidateTimeout: DefaultPerCandidateTimeout,
		Grace:               DefaultGrace,
		InsecureGrace:       DefaultInsecureGrace,
		Secure:              SecurePreferred,
		IncludeRelay:        true,
	}
}

// Candidate is one connection Connect considered, with the outcome of its
// probe.
type Candidate struct {
	// Connection is the address probed.
	Connection Connection
	// Rank orders candidates: 0 is best. Every secure (https) candidate
	// ranks above every plain-http one: local https 0, remote https 1,
	// relay https 2, local http 3, remote http 4, relay http 5.
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
	// are excluded, plain http the policy does not allow, an invalid URI,
	// a duplicate). Err says why.
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
	// InsecureAllowed lets TransientToken, SourceInfo and the other calls
	// that send the server's token do so over plain http to an address
	// that is not loopback or private. Connect sets it from
	// ConnectOptions.AllowInsecurePublic; set it on a hand-built
	// ConnectResult only on purpose.
	InsecureAllowed bool `json:"insecureAllowed,omitempty"`
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

// rank orders a connection: every https connection before every http
// one, and local < remote < relay within each.
func rank(c Connection, scheme string) int {
	tier := 1
	switch {
	case c.Relay:
		tier = 2
	case c.Local:
		tier = 0
	}
	if scheme != "https" {
		return insecureRank + tier
	}
	return tier
}

// insecureRank is the rank of the best plain-http candidate.
const insecureRank = 3

// securePending reports whether a secure candidate is still being probed.
func securePending(pendingByRank map[int]int) bool { return betterPending(pendingByRank, insecureRank) }

// loopbackOrPrivate reports whether host (a URL's Hostname) is
// "localhost" or a loopback, private or link-local IP address. Other host
// names are not resolved: they count as public.
func loopbackOrPrivate(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	a = a.Unmap().WithZone("")
	return a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast()
}

// plainHTTPPublic reports whether uri is plain http to a host that is not
// loopback or private (unparsable URIs count as such).
func plainHTTPPublic(uri string) bool {
	u, err := url.Parse(uri)
	if err != nil {
		return true
	}
	return !strings.EqualFold(u.Scheme, "https") && !loopbackOrPrivate(u.Hostname())
}

// redactURI hides the userinfo and secret query values of a connection
// URI (see redact.URL).
func redactURI(raw string) string { return redact.URL(raw) }

// candidates builds the ranked candidate list; skipped ones carry their
// reason.
func candidates(conns []Connection, opts ConnectOptions) []Candidate {
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
		case c.Relay && !opts.IncludeRelay:
			cand.Skipped, cand.Err = true, errors.New("relay connections excluded (IncludeRelay is false)")
		case scheme == "http" && opts.Secure == SecureRequired:
			cand.Skipped, cand.Err = true, errors.New("plain http excluded (secure connections required)")
		case scheme == "http" && !opts.AllowInsecurePublic && !loopbackOrPrivate(u.Hostname()):
			cand.Skipped, cand.Err = true, errors.New("plain http to an address that is not loopback or private (AllowInsecurePublic is false)")
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

// connectPlan is ConnectOptions with defaults applied.
type connectPlan struct {
	timeout, grace, insecureGrace time.Duration
	logger                        *slog.Logger
}

func (o ConnectOptions) plan() (connectPlan, error) {
	if o.PerCandidateTimeout < 0 {
		return connectPlan{}, fmt.Errorf("negative PerCandidateTimeout %s", o.PerCandidateTimeout)
	}
	if o.Secure != SecurePreferred && o.Secure != SecureRequired {
		return connectPlan{}, fmt.Errorf("unknown Secure policy %d", int(o.Secure))
	}
	p := connectPlan{timeout: o.PerCandidateTimeout, grace: o.Grace, insecureGrace: o.InsecureGrace, logger: o.Logger}
	if p.timeout == 0 {
		p.timeout = DefaultPerCandidateTimeout
	}
	switch {
	case p.grace == 0:
		p.grace = DefaultGrace
	case p.grace < 0:
		p.grace = 0
	}
	switch {
	case p.insecureGrace == 0:
		p.insecureGrace = DefaultInsecureGrace
	case p.insecureGrace < 0:
		p.insecureGrace = 0
	}
	if p.logger == nil {
		p.logger = slog.New(slog.DiscardHandler)
	}
	return p, nil
}

// Connect finds the best working connection to srv and returns it with a
// client for it.
//
// It probes every candidate the policy allows at once with GET /identity
// (no token is sent; retries off; each probe bounded by
// PerCandidateTimeout and by ctx) and accepts an answer only if its
// machine identifier is srv.MachineIdentifier. Secure (https) candidates
// rank above plain-http ones, then local before remote before relay. It
// returns the best-ranked success as soon as every better-ranked candidate
// has failed, or when the grace period after the first success ends
// (extended to InsecureGrace while the best success is plain http and a
// secure candidate is still being probed), whichever comes first. It then
// cancels the other probes and waits for them to stop before returning,
// so no goroutine outlives the call. See the package documentation for
// what this does and does not protect against.
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
	plan, err := opts.plan()
	if err != nil {
		return nil, fmt.Errorf("servers: connect: %w", err)
	}
	r := &race{plan: plan, srv: srv, cands: candidates(srv.Connections, opts), best: -1}
	fail := func(cause error, reason string) error {
		return &ConnectError{Server: srv.Name, MachineIdentifier: srv.MachineIdentifier, Candidates: r.cands, Reason: reason, cause: cause}
	}
	if len(r.cands) == 0 {
		return nil, fail(ErrNoConnection, "the server has no connections")
	}
	if ctxErr := r.run(ctx, sdk); ctxErr != nil {
		return nil, fail(ctxErr, "")
	}
	best := r.bestOfAll()
	if best < 0 {
		return nil, fail(ErrNoConnection, "")
	}
	chosen := &r.cands[best]
	chosen.Chosen = true
	plan.logger.LogAttrs(ctx, slog.LevelDebug, "servers: connected",
		slog.String("server", srv.Name), slog.String("uri", redactURI(chosen.Connection.URI)),
		slog.String("kind", chosen.Connection.Kind()), slog.Duration("latency", chosen.Latency))

	clientOpts := make([]plexgo.SDKOption, 0, len(opts.ClientOptions)+2)
	clientOpts = append(clientOpts, opts.ClientOptions...)
	clientOpts = append(clientOpts, plexgo.WithServerURL(chosen.Connection.URI), plexgo.WithSecurity(srv.AccessToken))
	return &ConnectResult{
		Server:          srv,
		URI:             chosen.Connection.URI,
		Connection:      chosen.Connection,
		Latency:         chosen.Latency,
		Candidates:      r.cands,
		Client:          sdk.With(clientOpts...),
		InsecureAllowed: opts.AllowInsecurePublic && opts.Secure != SecureRequired,
	}, nil
}

// race is one Connect's probes and their outcomes.
type race struct {
	plan  connectPlan
	srv   Server
	cands []Candidate

	pendingByRank map[int]int
	pending       int
	best          int       // index of the best success so far, -1 for none
	firstOK       time.Time // when the first success arrived
}

// run probes every candidate that is not skipped and records the
// outcomes until the choice is made, then stops the remaining probes and
// waits for them. It returns ctx's error when ctx ended first.
func (r *race) run(ctx context.Context, sdk *plexgo.PlexAPI) error {
	probeCtx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	results := make(chan probeResult, len(r.cands))
	r.pendingByRank = map[int]int{}
	var wg sync.WaitGroup
	for i := range r.cands {
		if r.cands[i].Skipped {
			continue
		}
		r.pending++
		r.pendingByRank[r.cands[i].Rank]++
		wg.Add(1)
		go func(i int, uri string) {
			defer wg.Done()
			start := time.Now()
			err := probe(probeCtx, sdk, uri, r.srv.MachineIdentifier, r.plan.timeout)
			results <- probeResult{idx: i, latency: time.Since(start), err: err}
		}(i, r.cands[i].Connection.URI)
	}

	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	var ctxErr error
	for r.pending > 0 {
		select {
		case res := <-results:
			r.pending--
			r.pendingByRank[r.cands[res.idx].Rank]--
			r.record(ctx, res)
		case <-timer.C:
		case <-ctx.Done():
			ctxErr = ctx.Err()
		}
		done, after := r.decide(time.Now())
		if done || ctxErr != nil {
			break
		}
		if after > 0 {
			timer.Reset(after)
		}
	}
	stop(errChosen)
	wg.Wait()
	close(results)
	for res := range results {
		r.record(ctx, res)
	}
	if ctxErr == nil {
		ctxErr = ctx.Err() // ended while the last probes were failing
	}
	return ctxErr
}

// record stores a probe's outcome (and the best success so far) and logs it.
func (r *race) record(ctx context.Context, res probeResult) {
	c := &r.cands[res.idx]
	c.Latency, c.Err = res.latency, res.err
	if res.err == nil && (r.best < 0 || c.Rank < r.cands[r.best].Rank) {
		if r.best < 0 {
			r.firstOK = time.Now()
		}
		r.best = res.idx
	}
	r.plan.logger.LogAttrs(ctx, slog.LevelDebug, "servers: probe",
		slog.String("server", r.srv.Name), slog.String("uri", redactURI(c.Connection.URI)),
		slog.String("kind", c.Connection.Kind()), slog.Int("rank", c.Rank),
		slog.Duration("latency", res.latency), slog.Any("err", res.err))
}

// decide reports whether the race is over at now, and otherwise how long
// to wait before deciding again (0: until the next outcome). The best
// success wins once no better-ranked candidate is pending, or once the
// grace period after the first success ended; while the best success is
// plain http and a secure candidate is pending, the wait is at least
// InsecureGrace.
func (r *race) decide(now time.Time) (done bool, after time.Duration) {
	if r.best < 0 {
		return false, 0
	}
	b := r.cands[r.best].Rank
	if !betterPending(r.pendingByRank, b) {
		return true, 0
	}
	until := r.firstOK.Add(r.plan.grace)
	if b >= insecureRank && securePending(r.pendingByRank) {
		until = r.firstOK.Add(max(r.plan.grace, r.plan.insecureGrace))
	}
	after = until.Sub(now)
	return after <= 0, after
}

// bestOfAll returns the index of the best success among every outcome,
// -1 for none. A probe may have succeeded between the decision and its
// cancellation; its answer is verified too, so it counts.
func (r *race) bestOfAll() int {
	best := -1
	for i := range r.cands {
		c := &r.cands[i]
		if c.Skipped || c.Err != nil {
			continue
		}
		if best < 0 || c.Rank < r.cands[best].Rank || (c.Rank == r.cands[best].Rank && c.Latency < r.cands[best].Latency) {
			best = i
		}
	}
	return best
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
