package deadport

import (
	"net"
	"strings"
	"testing"
	"time"
)

func TestReserveRefusesConnections(t *testing.T) {
	t.Parallel()
	bound, release, err := Reserve("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if !bound.IP.Equal(net.IPv4(127, 0, 0, 1)) || bound.Port == 0 {
		t.Fatalf("Reserve(127.0.0.1:0) = %v, want 127.0.0.1 and a port", bound)
	}
	if c, err := net.DialTimeout("tcp", bound.String(), 5*time.Second); err == nil {
		_ = c.Close()
		t.Fatalf("a connection to the reserved %v was accepted", bound)
	}
}

func TestReserveBadAddress(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{"no port", "127.0.0.1:port", "[fe80::1%lo]:0"} {
		if bound, release, err := Reserve(addr); err == nil {
			release()
			t.Errorf("Reserve(%q) = %v, want an error", addr, bound)
		} else if !strings.HasPrefix(err.Error(), "deadport: ") {
			t.Errorf("Reserve(%q): %q does not name the package", addr, err)
		}
	}
}
