// Package deadport gives an address that refuses TCP connections: the
// "dead" port of a test, or of a plextest Dead connection.
//
// On Unix ([Held] is true), [Reserve] binds a socket to the address
// without listening on it. Connections to it are refused, since nothing
// listens, and while the reservation is held the kernel gives the port to
// no other socket: no later listener, of this process or of another one,
// can be handed the port and answer in its place. A port found by
// listening on port 0 and closing the listener at once gives no such
// guarantee: on a busy machine the next listener may get it.
//
// Elsewhere ([Held] is false), Reserve falls back to exactly that:
// connections are refused when it returns, but the port is not held, and
// a later listener may be given it.
//
// The package does not import testing: plextest, which release binaries
// link, uses it.
package deadport

import (
	"fmt"
	"net"
	"sync"
)

// Reserve returns an address on addr's host (host:port; port 0 picks a
// free port) to which TCP connections are refused, and release, which
// frees it. While release has not been called, the port is held on Unix
// (see [Held]). release is safe to call more than once; only the first
// call does anything.
func Reserve(addr string) (bound *net.TCPAddr, release func(), err error) {
	ta, err := net.ResolveTCPAddr("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("deadport: %w", err)
	}
	if ta.Zone != "" {
		return nil, nil, fmt.Errorf("deadport: %s: an IPv6 zone is not supported", ta)
	}
	bound, free, err := reserve(ta)
	if err != nil {
		return nil, nil, fmt.Errorf("deadport: reserving %s: %w", ta, err)
	}
	var once sync.Once
	return bound, func() { once.Do(free) }, nil
}
