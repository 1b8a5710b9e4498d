//go:build unix

package plextest

import (
	"errors"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"
)

// A Dead connection refuses connections, and its port stays reserved while
// the fake runs: no later listener (of this fake or another) is given it,
// so a dead address can never start answering as some other server.
func TestDeadConnectionKeepsItsPort(t *testing.T) {
	t.Parallel()
	fake := NewServer(t)
	info := fake.AddServer(ServerSpec{Connections: []ConnSpec{{Local: true, Dead: true}, {Relay: true}}})
	dead := info.Connections[0]
	addr := net.JoinHostPort(dead.Address, itoa(dead.Port))
	if ln, err := net.Listen("tcp", addr); err == nil {
		_ = ln.Close()
		t.Fatalf("the dead connection's port %d could be listened on", dead.Port)
	}
	c := &http.Client{Timeout: 5 * time.Second}
	_, err := c.Get(dead.URI + "/identity")
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("GET on the dead connection: %v, want connection refused", err)
	}
}
