//go:build unix

package deadport

import (
	"errors"
	"net"
	"os"
	"syscall"
)

// Held is true: on Unix a reserved port stays bound, and so cannot be
// given to another socket, until it is released.
const Held = true

// reserve binds a TCP socket to ta without listening on it and returns the
// address it got and the function closing the socket.
func reserve(ta *net.TCPAddr) (*net.TCPAddr, func(), error) {
	fd, err := bindSocket(ta)
	if err != nil {
		return nil, nil, err
	}
	got, err := syscall.Getsockname(fd)
	if err != nil {
		_ = syscall.Close(fd)
		return nil, nil, os.NewSyscallError("getsockname", err)
	}
	var bound *net.TCPAddr
	switch a := got.(type) {
	case *syscall.SockaddrInet4:
		bound = &net.TCPAddr{IP: net.IP(a.Addr[:]).To16(), Port: a.Port}
	case *syscall.SockaddrInet6:
		bound = &net.TCPAddr{IP: net.IP(a.Addr[:]), Port: a.Port}
	default:
		_ = syscall.Close(fd)
		return nil, nil, errors.New("getsockname: not an IP address")
	}
	return bound, func() { _ = syscall.Close(fd) }, nil
}

// bindSocket returns a close-on-exec TCP socket bound to ta. An address
// without an IP (":0") binds the IPv6 wildcard, which also holds the IPv4
// port on a dual-stack system, or the IPv4 one without IPv6.
func bindSocket(ta *net.TCPAddr) (int, error) {
	if ta.IP == nil {
		fd, err := bindTo(syscall.AF_INET6, &syscall.SockaddrInet6{Port: ta.Port})
		if errors.Is(err, syscall.EAFNOSUPPORT) {
			fd, err = bindTo(syscall.AF_INET, &syscall.SockaddrInet4{Port: ta.Port})
		}
		return fd, err
	}
	if ip4 := ta.IP.To4(); ip4 != nil {
		sa := &syscall.SockaddrInet4{Port: ta.Port}
		copy(sa.Addr[:], ip4)
		return bindTo(syscall.AF_INET, sa)
	}
	sa := &syscall.SockaddrInet6{Port: ta.Port}
	copy(sa.Addr[:], ta.IP.To16())
	return bindTo(syscall.AF_INET6, sa)
}

// bindTo opens a stream socket of family and binds it to sa. The socket
// is made close-on-exec under syscall.ForkLock, so that a process started
// meanwhile does not inherit it (and hold the port after release).
func bindTo(family int, sa syscall.Sockaddr) (int, error) {
	syscall.ForkLock.RLock()
	fd, err := syscall.Socket(family, syscall.SOCK_STREAM, 0)
	if err == nil {
		syscall.CloseOnExec(fd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return -1, os.NewSyscallError("socket", err)
	}
	if err := syscall.Bind(fd, sa); err != nil {
		_ = syscall.Close(fd)
		return -1, os.NewSyscallError("bind", err)
	}
	return fd, nil
}
