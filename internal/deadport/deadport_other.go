//go:build !unix

package deadport

import "net"

// Held is false: outside Unix a reserved port is not held. Connections to
// it are refused when [Reserve] returns, but a later listener may be
// given the port.
const Held = false

// reserve finds a free port on ta's host by listening on ta and closing
// the listener at once. The port is not held; the returned release does
// nothing.
func reserve(ta *net.TCPAddr) (*net.TCPAddr, func(), error) {
	ln, err := net.ListenTCP("tcp", ta)
	if err != nil {
		return nil, nil, err
	}
	bound, _ := ln.Addr().(*net.TCPAddr)
	if err := ln.Close(); err != nil {
		return nil, nil, err
	}
	return bound, func() {}, nil
}
