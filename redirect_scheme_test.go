package plexgo_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/models/sdkerrors"
	"github.com/plexkit/plexgo/retry"
)

// sniffConn is a connection whose first byte was read to tell TLS from
// plain http; Read returns it again.
type sniffConn struct {
	net.Conn
	r *bufio.Reader
}

func (c sniffConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// sideListener is one side (TLS or plain) of a dualListener.
type sideListener struct {
	addr  net.Addr
	conns chan net.Conn
	done  chan struct{}
	once  *sync.Once
}

func (l sideListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}
func (l sideListener) Close() error   { l.once.Do(func() { close(l.done) }); return nil }
func (l sideListener) Addr() net.Addr { return l.addr }

// dualPort serves https (through tlsSrv, which trusts its own
// certificate) and plain http (plain) on one loopback port, so that
// https://127.0.0.1:P and http://127.0.0.1:P have the same URL.Host but
// not the same origin: the case a Host-only redirect check misses.
func dualPort(t *testing.T, tlsHandler, plain http.Handler) (tlsSrv *httptest.Server, port string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done, once := make(chan struct{}), &sync.Once{}
	tlsSide := sideListener{ln.Addr(), make(chan net.Conn), done, once}
	plainSide := sideListener{ln.Addr(), make(chan net.Conn), done, once}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				r := bufio.NewReader(c)
				b, err := r.Peek(1)
				if err != nil {
					_ = c.Close()
					return
				}
				side := plainSide
				if b[0] == 0x16 { // TLS handshake record
					side = tlsSide
				}
				select {
				case side.conns <- sniffConn{c, r}:
				case <-done:
					_ = c.Close()
				}
			}()
		}
	}()
	tlsSrv = httptest.NewUnstartedServer(tlsHandler)
	_ = tlsSrv.Listener.Close()
	tlsSrv.Listener = tlsSide
	tlsSrv.StartTLS()
	plainSrv := &http.Server{Handler: plain}
	go func() { _ = plainSrv.Serve(plainSide) }()
	t.Cleanup(func() {
		_ = ln.Close()
		tlsSrv.Close()
		_ = plainSrv.Close()
		_ = tlsSide.Close()
	})
	_, port, _ = net.SplitHostPort(ln.Addr().String())
	return tlsSrv, port
}

// https → http on the same host and port (same URL.Host, another origin):
// neither the SDK nor its HTTPClient sends the token over plain http (issue
// 10 point 2, issue 13 point 9), against a real server on loopback.
func TestRedirectHTTPSToHTTPSameHostPort(t *testing.T) {
	t.Parallel()
	const tok = "same-host-scheme-token"
	var plainRequests, plainTokens atomic.Int32
	plain := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		plainRequests.Add(1)
		if r.Header.Get("X-Plex-Token") != "" || strings.Contains(r.URL.RawQuery, tok) {
			plainTokens.Add(1)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{}`)
	})
	var port string
	secure, port := dualPort(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://127.0.0.1:"+port+r.URL.Path, http.StatusFound)
	}), plain)
	if secure.URL != "https://127.0.0.1:"+port {
		t.Fatalf("TLS side at %s, want port %s", secure.URL, port)
	}
	s := plexgo.New(plexgo.WithPlexTVURL(secure.URL), plexgo.WithSecurity(tok), plexgo.WithClient(secure.Client()),
		plexgo.WithRetryConfig(retry.None()))
	_, err := s.Authentication.Ping(ctx(t))
	var re *sdkerrors.RedirectError
	if !errors.Is(err, sdkerrors.ErrRedirectRefused) || !errors.As(err, &re) || !strings.Contains(re.Reason, "plain http") {
		t.Errorf("SDK: got %v, want ErrRedirectRefused (plain http)", err)
	}
	if n := plainRequests.Load(); n != 0 {
		t.Errorf("SDK: the plain-http side got %d requests", n)
	}

	res, err := s.HTTPClient().Get(secure.URL + "/library/sections")
	if err != nil {
		t.Fatalf("HTTPClient: %v", err)
	}
	_ = res.Body.Close()
	if plainRequests.Load() != 1 || plainTokens.Load() != 0 {
		t.Errorf("HTTPClient: the plain-http side got %d requests, %d with the token; want 1 without", plainRequests.Load(), plainTokens.Load())
	}
}
