package servers

import (
	"slices"
	"testing"
	"time"
)

func TestCandidatesRankOrder(t *testing.T) {
	conns := []Connection{
		{URI: "http://relay:1", Relay: true},
		{URI: "https://relay:2", Relay: true},
		{URI: "http://remote:3"},
		{URI: "https://remote:4", Protocol: "http"}, // the URI's scheme decides
		{URI: "http://local:5", Local: true},
		{URI: "HTTPS://local:6", Local: true},
		{URI: "http://local:5", Local: true},              // duplicate
		{URI: "http://local:7", Local: true, Relay: true}, // relay wins over local
	}
	got := candidates(conns, ConnectOptions{IncludeRelay: true, AllowInsecurePublic: true})
	var uris []string
	var ranks []int
	for _, c := range got {
		uris = append(uris, c.Connection.URI)
		ranks = append(ranks, c.Rank)
	}
	// Every https candidate ranks above every plain-http one (issue 10.9).
	wantURIs := []string{"HTTPS://local:6", "https://remote:4", "https://relay:2", "http://local:5", "http://local:5", "http://remote:3", "http://relay:1", "http://local:7"}
	if !slices.Equal(uris, wantURIs) {
		t.Errorf("order = %q\nwant    %q", uris, wantURIs)
	}
	if !slices.Equal(ranks, []int{0, 1, 2, 3, 3, 4, 5, 5}) {
		t.Errorf("ranks = %v", ranks)
	}
	if got[3].Skipped || !got[4].Skipped {
		t.Errorf("the second copy of a URI must be skipped, the first probed: %v %v", got[3], got[4])
	}

	noRelay := candidates(conns, ConnectOptions{AllowInsecurePublic: true})
	for _, c := range noRelay {
		if c.Connection.Relay != c.Skipped && c.Connection.URI != "http://local:5" {
			t.Errorf("IncludeRelay=false: %v skipped=%v", c.Connection.URI, c.Skipped)
		}
	}
}

func TestBetterPending(t *testing.T) {
	p := map[int]int{0: 0, 1: 2, 3: 1}
	if betterPending(p, 1) {
		t.Error("rank 0 has nothing pending")
	}
	if !betterPending(p, 2) {
		t.Error("rank 1 is pending")
	}
}

func TestCandidatesSecurePolicy(t *testing.T) {
	conns := []Connection{
		{URI: "http://127.0.0.1:1", Local: true},
		{URI: "http://[::1]:2", Local: true},
		{URI: "http://localhost:3", Local: true},
		{URI: "http://192.168.1.5:4", Local: true},
		{URI: "http://10.1.2.3:5"},
		{URI: "http://[fe80::1%25eth0]:6", Local: true},
		{URI: "http://203.0.113.7:7", Local: true}, // "local" says plex.tv, public says the address
		{URI: "http://plex.example.com:8"},
		{URI: "https://203.0.113.7:9"},
		{URI: "http://[::ffff:192.168.1.9]:10"},
	}
	public := map[string]bool{"http://203.0.113.7:7": true, "http://plex.example.com:8": true}
	for _, c := range candidates(conns, ConnectOptions{}) {
		if c.Skipped != public[c.Connection.URI] {
			t.Errorf("preferred: %s skipped=%v (%v)", c.Connection.URI, c.Skipped, c.Err)
		}
		if plainHTTPPublic(c.Connection.URI) != public[c.Connection.URI] {
			t.Errorf("plainHTTPPublic(%s) = %v", c.Connection.URI, !public[c.Connection.URI])
		}
	}
	for _, c := range candidates(conns, ConnectOptions{AllowInsecurePublic: true}) {
		if c.Skipped {
			t.Errorf("AllowInsecurePublic: %s skipped (%v)", c.Connection.URI, c.Err)
		}
	}
	for _, c := range candidates(conns, ConnectOptions{Secure: SecureRequired, AllowInsecurePublic: true}) {
		if https := c.Connection.URI == "https://203.0.113.7:9"; c.Skipped == https {
			t.Errorf("required: %s skipped=%v (%v)", c.Connection.URI, c.Skipped, c.Err)
		}
	}
	if SecurePreferred.String() != "preferred" || SecureRequired.String() != "required" || SecureConnections(7).String() == "" {
		t.Error("SecureConnections.String")
	}
}

func TestRaceDecide(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r := &race{
		plan:  connectPlan{grace: 50 * time.Millisecond, insecureGrace: time.Second},
		cands: []Candidate{{Rank: 1}, {Rank: 3}},
		best:  -1,
	}
	r.pendingByRank = map[int]int{1: 1, 3: 0}
	if done, _ := r.decide(t0); done {
		t.Error("no success yet: done")
	}
	// Plain http answered, a secure candidate is pending: wait InsecureGrace.
	r.best, r.firstOK = 1, t0
	if done, after := r.decide(t0.Add(100 * time.Millisecond)); done || after != 900*time.Millisecond {
		t.Errorf("insecure best, secure pending: done=%v after=%s, want a 900ms wait", done, after)
	}
	if done, _ := r.decide(t0.Add(time.Second)); !done {
		t.Error("insecure grace over: not done")
	}
	// The secure candidate answered: done at once.
	r.best, r.pendingByRank[1] = 0, 0
	if done, _ := r.decide(t0.Add(10 * time.Millisecond)); !done {
		t.Error("secure best, nothing better pending: not done")
	}
	// A secure success with a better secure candidate pending: only Grace.
	r.cands = []Candidate{{Rank: 0}, {Rank: 1}}
	r.pendingByRank = map[int]int{0: 1}
	r.best = 1
	if done, after := r.decide(t0.Add(10 * time.Millisecond)); done || after != 40*time.Millisecond {
		t.Errorf("secure best, better pending: done=%v after=%s, want a 40ms wait", done, after)
	}
}
