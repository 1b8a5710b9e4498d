package servers_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/plextest"
	"github.com/plexkit/plexgo/servers"
)

// TestConnectPicksLocal is the scenario of the issue: a local candidate at
// 20 ms, a remote one at 80 ms, a relay at 5 ms, a dead one and a black
// hole. Connect must return the local one, long before the black hole's
// timeout, with a client that uses the server's token and nothing else.
func TestConnectPicksLocal(t *testing.T) {
	fake := plextest.NewServer(t)
	info := fake.AddServer(plextest.ServerSpec{Name: "race", Connections: []plextest.ConnSpec{
		{Relay: true, Latency: 5 * time.Millisecond},
		{BlackHole: true},
		{Latency: 80 * time.Millisecond},
		{Local: true, Dead: true},
		{Local: true, Latency: 20 * time.Millisecond},
	}})
	relayURI, holeURI, remoteURI, deadURI, localURI := info.Connections[0].URI, info.Connections[1].URI,
		info.Connections[2].URI, info.Connections[3].URI, info.Connections[4].URI
	alice := account(t, fake, plextest.DefaultLogin)
	rec := newRecorder(t, "")
	sdk := newSDK(t, fake, rec, alice.AuthToken)
	srv := findServer(t, sdk, info.MachineIdentifier)

	var logs bytes.Buffer
	opts := servers.DefaultConnectOptions()
	opts.PerCandidateTimeout = 5 * time.Second
	opts.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	// The caller's options, token included: Connect must replace the token.
	opts.ClientOptions = append(clientOptions(fake, rec), plexgo.WithSecurity(alice.AuthToken))

	base := runtime.NumGoroutine()
	start := time.Now()
	res, err := servers.Connect(context.Background(), sdk, srv, opts)
	elapsed := time.Since(start)
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	noProbeGoroutines(t)
	// The one timing assertion the issue asks for, with a generous bound.
	if elapsed >= opts.PerCandidateTimeout/2 {
		t.Errorf("Connect took %s: it waited for the black hole", elapsed)
	}
	if res.URI != localURI || !res.Connection.Local || res.Latency <= 0 {
		t.Errorf("chose %s (%s), want the local %s", res.URI, res.Connection.Kind(), localURI)
	}
	if len(res.Candidates) != 5 {
		t.Fatalf("%d candidates, want 5", len(res.Candidates))
	}
	for i := 1; i < len(res.Candidates); i++ {
		if res.Candidates[i-1].Rank > res.Candidates[i].Rank {
			t.Errorf("candidates not in rank order: %v", res.Candidates)
		}
	}
	if c := candidateFor(t, res.Candidates, localURI); !c.Chosen || c.Err != nil || c.Skipped {
		t.Errorf("local candidate = %v", c)
	}
	if c := candidateFor(t, res.Candidates, deadURI); c.Err == nil || c.Chosen || errors.Is(c.Err, context.Canceled) {
		t.Errorf("dead candidate = %v, want a connection error", c)
	}
	if c := candidateFor(t, res.Candidates, holeURI); !errors.Is(c.Err, context.Canceled) {
		t.Errorf("black hole candidate = %v, want cancelled", c)
	}
	if c := candidateFor(t, res.Candidates, remoteURI); c.Chosen {
		t.Errorf("remote candidate chosen: %v", c)
	}
	if c := candidateFor(t, res.Candidates, relayURI); c.Chosen || (c.Err != nil && !errors.Is(c.Err, context.Canceled)) {
		t.Errorf("relay candidate = %v", c)
	}
	for _, c := range res.Candidates {
		if c.Chosen != (c.Connection.URI == localURI) {
			t.Errorf("candidate %v: Chosen = %v", c, c.Chosen)
		}
	}

	// The result's client talks to the chosen URI with the server's token.
	si, err := res.Client.Server.GetServerInfo(context.Background())
	if err != nil {
		t.Fatalf("GetServerInfo via the result's client: %v", err)
	}
	if si.MediaContainer.MachineIdentifier != info.MachineIdentifier {
		t.Errorf("server info from %s, want %s", si.MediaContainer.MachineIdentifier, info.MachineIdentifier)
	}
	serverHosts := map[string]bool{}
	for _, c := range info.Connections {
		serverHosts[hostOf(t, c.URI)] = true
	}
	var infoCalls int
	for _, r := range rec.sent() {
		if !serverHosts[r.Host] {
			continue
		}
		switch {
		case r.Path == "/identity" && r.Token != "":
			t.Error("a probe carried a token")
		case r.Token == alice.AuthToken:
			t.Errorf("the plex.tv token was sent to a server (%s)", r.Path)
		case r.Path == "/" && r.Token != info.AccessToken:
			t.Error("the server request did not carry the server's token")
		}
		if r.Path != "/identity" {
			infoCalls++
			if r.Host != hostOf(t, localURI) {
				t.Errorf("server request went to %s, want the chosen %s", r.Host, hostOf(t, localURI))
			}
		}
	}
	if infoCalls != 1 {
		t.Errorf("%d server requests, want 1", infoCalls)
	}

	for _, out := range []string{fmt.Sprint(res), fmt.Sprintf("%+v", *res), fmt.Sprintf("%#v", res.Server), logs.String()} {
		noSecret(t, "result output", out, srv.AccessToken, alice.AuthToken)
	}
	if js, err := json.Marshal(res); err != nil {
		t.Errorf("JSON: %v", err)
	} else {
		noSecret(t, "result JSON", string(js), srv.AccessToken, alice.AuthToken)
	}
	if !strings.Contains(logs.String(), "servers: connected") {
		t.Errorf("no debug record of the choice:\n%s", logs.String())
	}

	waitGoroutines(t, base, rec)
}

// A better-ranked candidate that never answers costs the grace period, not
// its timeout.
func TestConnectGraceCutsOffBetterRankedBlackHole(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	info := fake.AddServer(plextest.ServerSpec{Connections: []plextest.ConnSpec{
		{Local: true, Protocol: "https", BlackHole: true}, // rank 0, never answers
		{Local: true}, // rank 1
	}})
	alice := account(t, fake, plextest.DefaultLogin)
	sdk := newSDK(t, fake, nil, alice.AuthToken)
	srv := findServer(t, sdk, info.MachineIdentifier)
	opts := servers.ConnectOptions{PerCandidateTimeout: 5 * time.Second, Grace: 50 * time.Millisecond}

	start := time.Now()
	res, err := servers.Connect(context.Background(), sdk, srv, opts)
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	if elapsed := time.Since(start); elapsed >= opts.PerCandidateTimeout/2 {
		t.Errorf("Connect took %s: the grace period did not end the race", elapsed)
	}
	if res.URI != info.Connections[1].URI {
		t.Errorf("chose %s, want %s", res.URI, info.Connections[1].URI)
	}
	if c := res.Candidates[0]; c.Rank != 0 || !errors.Is(c.Err, context.Canceled) {
		t.Errorf("black hole candidate = %v (rank %d), want cancelled rank 0", c, c.Rank)
	}
}

// A negative grace returns the first success unless a better-ranked
// candidate already answered.
func TestConnectNoGrace(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	info := fake.AddServer(plextest.ServerSpec{Connections: []plextest.ConnSpec{
		{Local: true, BlackHole: true},
		{},
	}})
	alice := account(t, fake, plextest.DefaultLogin)
	sdk := newSDK(t, fake, nil, alice.AuthToken)
	srv := findServer(t, sdk, info.MachineIdentifier)
	res, err := servers.Connect(context.Background(), sdk, srv, servers.ConnectOptions{PerCandidateTimeout: time.Minute, Grace: -1})
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	if res.URI != info.Connections[1].URI || !errors.Is(res.Candidates[0].Err, context.Canceled) {
		t.Errorf("chose %s with candidates %v", res.URI, res.Candidates)
	}
}

// Within a tier https wins over http, even when http answers first.
func TestConnectPrefersHTTPS(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	info := fake.AddServer(plextest.ServerSpec{Connections: []plextest.ConnSpec{
		{Local: true},
		{Local: true, Protocol: "https", Latency: 10 * time.Millisecond},
		{Protocol: "https"},
	}})
	alice := account(t, fake, plextest.DefaultLogin)
	tlsTransport := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: fake.CertPool()}}
	t.Cleanup(tlsTransport.CloseIdleConnections)
	tlsClient := &http.Client{Timeout: 30 * time.Second, Transport: tlsTransport}
	sdk := plexgo.New(append(clientOptions(fake, nil), plexgo.WithClient(tlsClient), plexgo.WithSecurity(alice.AuthToken))...)
	srv := findServer(t, sdk, info.MachineIdentifier)

	// A long grace: this test is about the ranking, not the clock.
	res, err := servers.Connect(context.Background(), sdk, srv, servers.ConnectOptions{Grace: 10 * time.Second})
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	if res.URI != info.Connections[1].URI || res.Connection.Protocol != "https" {
		t.Errorf("chose %s, want local https %s", res.URI, info.Connections[1].URI)
	}
	// Every https candidate ranks above every plain-http one (issue 10.9):
	// local https, remote https, local http.
	ranks := []int{res.Candidates[0].Rank, res.Candidates[1].Rank, res.Candidates[2].Rank}
	if !slices.Equal(ranks, []int{0, 1, 3}) {
		t.Errorf("ranks = %v, want [0 1 3]", ranks)
	}

	// Without trusting the certificate, https fails and http is used.
	plain := newSDK(t, fake, nil, alice.AuthToken)
	res, err = servers.Connect(context.Background(), plain, srv, servers.ConnectOptions{Grace: 10 * time.Second})
	if err != nil {
		t.Fatalf("Connect without the CA: %v", err)
	}
	if res.URI != info.Connections[0].URI {
		t.Errorf("chose %s, want local http", res.URI)
	}
	if c := res.Candidates[0]; c.Err == nil || !strings.Contains(c.Err.Error(), "certificate") {
		t.Errorf("untrusted https candidate = %v, want a certificate error", c)
	}
}

func TestConnectRejectsWrongMachine(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	info := fake.AddServer(plextest.ServerSpec{Connections: []plextest.ConnSpec{
		{Local: true, WrongMachine: true},
		{Latency: 10 * time.Millisecond},
	}})
	alice := account(t, fake, plextest.DefaultLogin)
	rec := newRecorder(t, "")
	sdk := newSDK(t, fake, rec, alice.AuthToken)
	srv := findServer(t, sdk, info.MachineIdentifier)

	res, err := servers.Connect(context.Background(), sdk, srv, servers.ConnectOptions{ClientOptions: clientOptions(fake, rec)})
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	if res.URI != info.Connections[1].URI {
		t.Errorf("chose %s, want the remote %s", res.URI, info.Connections[1].URI)
	}
	wrong := candidateFor(t, res.Candidates, info.Connections[0].URI)
	if !errors.Is(wrong.Err, servers.ErrWrongMachine) || wrong.Chosen {
		t.Errorf("wrong-machine candidate = %v, want ErrWrongMachine", wrong)
	}
	if _, err := servers.TransientToken(context.Background(), nil, res); err != nil {
		t.Fatalf("TransientToken: %v", err)
	}
	wrongHost := hostOf(t, info.Connections[0].URI)
	for _, r := range rec.sent() {
		if r.Host == wrongHost && (r.Path != "/identity" || r.Token != "") {
			t.Errorf("sent %s to the wrong machine (token: %v)", r.Path, r.Token != "")
		}
	}

	// Only the impostor: no connection.
	only := srv
	only.Connections = srv.Connections[:1]
	_, err = servers.Connect(context.Background(), sdk, only, servers.ConnectOptions{})
	if !errors.Is(err, servers.ErrNoConnection) {
		t.Fatalf("impostor only: err = %v, want ErrNoConnection", err)
	}
	var ce *servers.ConnectError
	if !errors.As(err, &ce) || len(ce.Candidates) != 1 || !errors.Is(ce.Candidates[0].Err, servers.ErrWrongMachine) {
		t.Errorf("impostor only: candidates = %+v", ce)
	}
}

func TestConnectAllFail(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	info := fake.AddServer(plextest.ServerSpec{Connections: []plextest.ConnSpec{
		{Local: true, Dead: true},
		{Dead: true},
		{Local: true, BlackHole: true},
		{Relay: true},
	}})
	alice := account(t, fake, plextest.DefaultLogin)
	sdk := newSDK(t, fake, nil, alice.AuthToken)
	srv := findServer(t, sdk, info.MachineIdentifier)

	// Relays left out (IncludeRelay false), the black hole times out.
	_, err := servers.Connect(context.Background(), sdk, srv, servers.ConnectOptions{PerCandidateTimeout: 200 * time.Millisecond})
	if !errors.Is(err, servers.ErrNoConnection) {
		t.Fatalf("err = %v, want ErrNoConnection", err)
	}
	msg := err.Error()
	for _, c := range info.Connections {
		if !strings.Contains(msg, c.URI) {
			t.Errorf("the error does not list %s:\n%s", c.URI, msg)
		}
	}
	noSecret(t, "error", msg, srv.AccessToken, alice.AuthToken)
	var ce *servers.ConnectError
	if !errors.As(err, &ce) || len(ce.Candidates) != 4 {
		t.Fatalf("ConnectError = %+v", ce)
	}
	hole := candidateFor(t, ce.Candidates, info.Connections[2].URI)
	if !errors.Is(hole.Err, context.DeadlineExceeded) {
		t.Errorf("black hole = %v, want a timeout", hole)
	}
	relay := candidateFor(t, ce.Candidates, info.Connections[3].URI)
	if !relay.Skipped || relay.Err == nil {
		t.Errorf("relay = %v, want skipped", relay)
	}
	for _, uri := range []string{info.Connections[0].URI, info.Connections[1].URI} {
		if c := candidateFor(t, ce.Candidates, uri); c.Err == nil || c.Skipped {
			t.Errorf("dead = %v, want an error", c)
		}
	}
	if !strings.Contains(msg, "skipped") || !strings.Contains(msg, "within") {
		t.Errorf("the error should say why each failed:\n%s", msg)
	}
}

// Cancelling the context stops every probe at once, and nothing leaks.
func TestConnectCancelStopsProbes(t *testing.T) {
	fake := plextest.NewServer(t)
	info := fake.AddServer(plextest.ServerSpec{Connections: []plextest.ConnSpec{
		{Local: true, BlackHole: true}, {BlackHole: true}, {Relay: true, BlackHole: true},
		{Latency: time.Minute},
	}})
	alice := account(t, fake, plextest.DefaultLogin)
	rec := newRecorder(t, "")
	sdk := newSDK(t, fake, rec, alice.AuthToken)
	srv := findServer(t, sdk, info.MachineIdentifier)
	rec.base.CloseIdleConnections()
	base := runtime.NumGoroutine()

	ctx, cancel := context.WithCancel(context.Background())
	type outcome struct {
		res *servers.ConnectResult
		err error
	}
	done := make(chan outcome, 1)
	opts := servers.DefaultConnectOptions()
	opts.PerCandidateTimeout = time.Minute
	go func() {
		res, err := servers.Connect(ctx, sdk, srv, opts)
		done <- outcome{res, err}
	}()
	// Cancel once every probe has been sent (bounded wait).
	deadline := time.Now().Add(10 * time.Second)
	for len(rec.sent()) < 5 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	var out outcome
	select {
	case out = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Connect did not return after cancellation")
	}
	noProbeGoroutines(t)
	if !errors.Is(out.err, context.Canceled) || out.res != nil {
		t.Fatalf("Connect = %v, %v; want context.Canceled", out.res, out.err)
	}
	if errors.Is(out.err, servers.ErrNoConnection) {
		t.Error("a cancelled Connect should not claim the server is unreachable")
	}
	var ce *servers.ConnectError
	if !errors.As(out.err, &ce) {
		t.Fatalf("err is %T, want *ConnectError", out.err)
	}
	for _, c := range ce.Candidates {
		if !errors.Is(c.Err, context.Canceled) {
			t.Errorf("candidate %v: want cancelled", c)
		}
	}
	waitGoroutines(t, base, rec)
}

func TestConnectInvalidInput(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	alice := account(t, fake, plextest.DefaultLogin)
	sdk := newSDK(t, fake, nil, alice.AuthToken)
	srv := findServer(t, sdk, fake.Servers()[0].MachineIdentifier)
	ctx := context.Background()

	if _, err := servers.Connect(ctx, nil, srv, servers.ConnectOptions{}); err == nil {
		t.Error("nil SDK: want an error")
	}
	if _, err := servers.Connect(ctx, &plexgo.PlexAPI{}, srv, servers.ConnectOptions{}); err == nil {
		t.Error("zero SDK: want an error")
	}
	noID := srv
	noID.MachineIdentifier = ""
	if _, err := servers.Connect(ctx, sdk, noID, servers.ConnectOptions{}); err == nil {
		t.Error("no machine identifier: want an error")
	}
	if _, err := servers.Connect(ctx, sdk, srv, servers.ConnectOptions{PerCandidateTimeout: -time.Second}); err == nil {
		t.Error("negative timeout: want an error")
	}
	none := srv
	none.Connections = nil
	if _, err := servers.Connect(ctx, sdk, none, servers.ConnectOptions{}); !errors.Is(err, servers.ErrNoConnection) {
		t.Errorf("no connections: err = %v", err)
	}
	bad := srv
	bad.Connections = []servers.Connection{{URI: "ftp://127.0.0.1:21"}, {URI: "::nonsense"}, {URI: "http://user:pw@127.0.0.1:1"}}
	_, err := servers.Connect(ctx, sdk, bad, servers.ConnectOptions{})
	var ce *servers.ConnectError
	if !errors.As(err, &ce) || !errors.Is(err, servers.ErrNoConnection) {
		t.Fatalf("invalid URIs: err = %v", err)
	}
	for _, c := range ce.Candidates {
		if !c.Skipped {
			t.Errorf("invalid URI probed: %v", c)
		}
	}
	noSecret(t, "error", err.Error(), "pw@")
	// An already-cancelled context is reported as such, not as "no connection".
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := servers.Connect(cancelled, sdk, srv, servers.ConnectOptions{}); !errors.Is(err, context.Canceled) || errors.Is(err, servers.ErrNoConnection) {
		t.Errorf("cancelled context: err = %v", err)
	}
	// Duplicates are probed once.
	dup := srv
	dup.Connections = []servers.Connection{srv.Connections[0], srv.Connections[0]}
	res, err := servers.Connect(ctx, sdk, dup, servers.ConnectOptions{})
	if err != nil {
		t.Fatalf("duplicates: %v", err)
	}
	if !res.Candidates[1].Skipped {
		t.Errorf("duplicate not skipped: %v", res.Candidates)
	}
	// The relay alone with relays excluded: nothing to probe.
	relayOnly := srv
	relayOnly.Connections = nil
	for _, c := range srv.Connections {
		if c.Relay {
			relayOnly.Connections = append(relayOnly.Connections, c)
		}
	}
	if _, err := servers.Connect(ctx, sdk, relayOnly, servers.ConnectOptions{}); !errors.Is(err, servers.ErrNoConnection) {
		t.Errorf("relay only, excluded: err = %v", err)
	}
	if res, err := servers.Connect(ctx, sdk, relayOnly, servers.ConnectOptions{IncludeRelay: true}); err != nil || !res.Connection.Relay {
		t.Errorf("relay only, included: %v, %v", res, err)
	}
}
