//go:build unix

package deadport

import (
	"errors"
	"net"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// dialRefused fails t unless a connection to addr is refused.
func dialRefused(t *testing.T, addr string) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err == nil {
		_ = c.Close()
		t.Fatalf("a connection to %s was accepted", addr)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("dial %s: %v, want connection refused", addr, err)
	}
}

// While held, the port is refused and can be neither listened on nor
// reserved again; once released, it can be reserved again.
func TestReserveHoldsThePort(t *testing.T) {
	t.Parallel()
	if !Held {
		t.Fatal("Held is false on Unix")
	}
	bound, release, err := Reserve("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	addr := bound.String()
	dialRefused(t, addr)
	if ln, err := net.Listen("tcp", addr); err == nil {
		_ = ln.Close()
		t.Fatalf("the reserved %s could be listened on", addr)
	} else if !errors.Is(err, syscall.EADDRINUSE) {
		t.Errorf("Listen on the reserved %s: %v, want address in use", addr, err)
	}
	if _, again, err := Reserve(addr); err == nil {
		again()
		t.Fatalf("the reserved %s could be reserved a second time", addr)
	} else if !errors.Is(err, syscall.EADDRINUSE) {
		t.Errorf("second Reserve of %s: %v, want address in use", addr, err)
	}
	dialRefused(t, addr)

	release()
	_, again, err := Reserve(addr)
	if err != nil {
		t.Fatalf("Reserve of %s after release: %v", addr, err)
	}
	again()
}

// A second release does not close a descriptor that the first one freed
// and that something else got since.
func TestReleaseTwiceClosesNothingElse(t *testing.T) {
	t.Parallel()
	_, release, err := Reserve("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	release()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	release()
	c, err := net.DialTimeout("tcp", ln.Addr().String(), 5*time.Second)
	if err != nil {
		t.Fatalf("a listener opened after release stopped answering after a second release: %v", err)
	}
	_ = c.Close()
}

// The wildcard host holds the port for the loopback address too.
func TestReserveWildcard(t *testing.T) {
	t.Parallel()
	bound, release, err := Reserve(":0")
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if bound.Port == 0 || !bound.IP.IsUnspecified() {
		t.Fatalf("Reserve(:0) = %v, want the wildcard and a port", bound)
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(bound.Port))
	dialRefused(t, addr)
	if ln, err := net.Listen("tcp", addr); err == nil {
		_ = ln.Close()
		t.Fatalf("%s could be listened on while the wildcard port is reserved", addr)
	}
}

func TestReserveIPv6(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	}
	_ = ln.Close()
	bound, release, err := Reserve("[::1]:0")
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if !bound.IP.Equal(net.IPv6loopback) || bound.Port == 0 {
		t.Fatalf("Reserve([::1]:0) = %v, want ::1 and a port", bound)
	}
	dialRefused(t, bound.String())
	if ln, err := net.Listen("tcp", bound.String()); err == nil {
		_ = ln.Close()
		t.Fatalf("the reserved %v could be listened on", bound)
	}
}
