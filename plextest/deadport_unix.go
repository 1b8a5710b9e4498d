//go:build unix

package plextest

import (
	"fmt"
	"net"
	"syscall"
)

// reserveDeadPort binds a TCP socket to addr (host:port, port 0 for any)
// without listening on it: connections to the address are refused, and no
// other listener (of this fake, or of another one in the same machine) can
// be given the port while the reservation is held. release frees it.
func reserveDeadPort(addr string) (bound *net.TCPAddr, release func(), err error) {
	ta, err := net.ResolveTCPAddr("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("plextest: dead connection address: %w", err)
	}
	family, sa := syscall.AF_INET, syscall.Sockaddr(nil)
	if ip4 := ta.IP.To4(); ip4 != nil {
		s4 := &syscall.SockaddrInet4{Port: ta.Port}
		copy(s4.Addr[:], ip4)
		sa = s4
	} else {
		family = syscall.AF_INET6
		s6 := &syscall.SockaddrInet6{Port: ta.Port}
		copy(s6.Addr[:], ta.IP.To16())
		sa = s6
	}
	fd, err := syscall.Socket(family, syscall.SOCK_STREAM, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("plextest: dead connection socket: %w", err)
	}
	if err := syscall.Bind(fd, sa); err != nil {
		_ = syscall.Close(fd)
		return nil, nil, fmt.Errorf("plextest: dead connection bind: %w", err)
	}
	got, err := syscall.Getsockname(fd)
	if err != nil {
		_ = syscall.Close(fd)
		return nil, nil, fmt.Errorf("plextest: dead connection address: %w", err)
	}
	switch a := got.(type) {
	case *syscall.SockaddrInet4:
		bound = &net.TCPAddr{IP: net.IP(a.Addr[:]).To16(), Port: a.Port}
	case *syscall.SockaddrInet6:
		bound = &net.TCPAddr{IP: net.IP(a.Addr[:]), Port: a.Port}
	}
	return bound, func() { _ = syscall.Close(fd) }, nil
}
