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

func TestOptions(t *testing.T) {
	var logs lockedBuf
	tv, pms := freeAddr(t), freeAddr(t)
	s := NewServer(t, WithPlexTVAddr(tv), WithPMSAddr(pms),
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
