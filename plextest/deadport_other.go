//go:build !unix

package plextest

import (
	"fmt"
	"net"
)

// reserveDeadPort picks a free port on addr's host by listening and closing
// at once: connections to it are refused. Unlike on Unix, the port is not
// held, so another listener may be given it later.
func reserveDeadPort(addr string) (bound *net.TCPAddr, release func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("plextest: dead connection: %w", err)
	}
	bound, _ = ln.Addr().(*net.TCPAddr)
	_ = ln.Close()
	return bound, func() {}, nil
}
