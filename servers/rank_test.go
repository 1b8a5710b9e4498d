package servers

import (
	"slices"
	"testing"
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
	got := candidates(conns, true)
	var uris []string
	var ranks []int
	for _, c := range got {
		uris = append(uris, c.Connection.URI)
		ranks = append(ranks, c.Rank)
	}
	wantURIs := []string{"HTTPS://local:6", "http://local:5", "http://local:5", "https://remote:4", "http://remote:3", "https://relay:2", "http://relay:1", "http://local:7"}
	if !slices.Equal(uris, wantURIs) {
		t.Errorf("order = %q\nwant    %q", uris, wantURIs)
	}
	if !slices.Equal(ranks, []int{0, 1, 1, 2, 3, 4, 5, 5}) {
		t.Errorf("ranks = %v", ranks)
	}
	if got[1].Skipped || !got[2].Skipped {
		t.Errorf("the second copy of a URI must be skipped, the first probed: %v %v", got[1], got[2])
	}

	noRelay := candidates(conns, false)
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
