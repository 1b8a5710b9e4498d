package plextest

import (
	"bytes"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

type lockedBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// newOnFreeAddrs starts a fake on two fixed addresses that were free a
// moment ago. Another process (go test runs packages in parallel) may be
// given one of them in between: that attempt is retried with new
// addresses, a few times.
func newOnFreeAddrs(t *testing.T, opts ...Option) (s *Server, tv, pms string) {
	t.Helper()
	var err error
	for range 5 {
		tv, pms = freeAddr(t), freeAddr(t)
		if s, err = New(append([]Option{WithPlexTVAddr(tv), WithPMSAddr(pms)}, opts...)...); err == nil {
			t.Cleanup(s.Close)
			return s, tv, pms
		}
	}
	t.Fatalf("start on free addresses: %v", err)
	return nil, "", ""
}

func TestOptions(t *testing.T) {
	var logs lockedBuf
	s, tv, pms := newOnFreeAddrs(t,
		WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))), nil)
	if s.PlexTVURL != "http://"+tv || s.PMSURL != "http://"+pms {
		t.Fatalf("urls %s %s", s.PlexTVURL, s.PMSURL)
	}
	do(t, call{url: s.PMSURL + "/identity"}).want(t, 200)
	if !strings.Contains(logs.String(), "plextest started") || !strings.Contains(logs.String(), "/identity") {
		t.Fatalf("logs: %s", logs.String())
	}
	// a taken address is an error, not a panic
	if _, err := New(WithPlexTVAddr(tv)); err == nil {
		t.Fatal("New on a taken plex.tv address")
	}
	if _, err := New(WithPMSAddr(pms)); err == nil {
		t.Fatal("New on a taken PMS address")
	}
	clk := NewFakeClock(time.Unix(0, 0))
	at := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	clk.Set(at)
	clk.Advance(time.Second)
	if !clk.Now().Equal(at.Add(time.Second)) {
		t.Fatal("FakeClock")
	}
}
