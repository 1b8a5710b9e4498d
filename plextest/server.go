package plextest

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

//go:embed seed/*.json
var seedFS embed.FS

// Seeded credentials. See the package documentation.
const (
	// DefaultLogin is the e-mail of the seeded Plex Pass account "alice",
	// owner of the default server and admin of the Plex Home.
	DefaultLogin = "alice@example.com"
	// DefaultPassword is the password of DefaultLogin.
	DefaultPassword = "correct horse battery staple"
	// DefaultUsername is the username of DefaultLogin.
	DefaultUsername = "alice"
	// TwoFactorLogin is the e-mail of the seeded free account "bob", which
	// has two-factor authentication enabled.
	TwoFactorLogin = "bob@example.com"
	// TwoFactorPassword is the password of TwoFactorLogin.
	TwoFactorPassword = "hunter2 hunter2"
	// TwoFactorCode is the verification code the fake always accepts for
	// accounts with two-factor authentication (a fixed value, not a TOTP).
	TwoFactorCode = "123456"
	// OutsiderLogin is the e-mail of the seeded free account "oscar", which
	// has access to no server (for denial tests).
	OutsiderLogin = "oscar@example.com"
	// OutsiderPassword is the password of OutsiderLogin.
	OutsiderPassword = "outside looking in"
	// OutsiderUsername is the username of OutsiderLogin.
	OutsiderUsername = "oscar"
	// HomeUserPIN is the Plex Home PIN of the protected managed user "teen".
	HomeUserPIN = "1234"
	// SeedClientID is the client identifier the seed tokens
	// (Account.AuthToken) are issued for.
	SeedClientID = "plextest-seed"
	// ControlPrefix is the path prefix of the control API on the plex.tv
	// listener. See the package documentation.
	ControlPrefix = "/__plextest/"
)

// Server is an in-process fake of plex.tv (also serving the clients.plex.tv
// paths) and of Plex Media Servers, each on its own loopback listener.
type Server struct {
	// PlexTVURL is the base URL of the plex.tv listener, e.g.
	// http://127.0.0.1:PORT (no trailing slash).
	PlexTVURL string
	// PMSURL is the base URL of the default server's main (local, http)
	// connection.
	PMSURL string
	// AuthAppURL (PlexTVURL + "/auth") serves an HTML page standing in for
	// https://app.plex.tv/auth: open AuthAppURL + "#?clientID=…&code=…"
	// in a browser to approve or deny a PIN. See the package documentation.
	AuthAppURL string

	cfg   config
	seeds seeds
	done  chan struct{}
	wg    sync.WaitGroup
	once  sync.Once

	tv         *http.Server
	tvAddr     *net.TCPAddr   // the plex.tv listener
	tvServeMux *http.ServeMux // the plex.tv router (read by tests)

	mu           sync.Mutex
	closed       bool
	accounts     []*account
	byID         map[int64]*account
	nextAcctID   int64
	tokens       map[string]*tokenRec
	devTokens    map[devKey]string
	devs         map[devKey]*devRec
	claims       map[string]*claimRec
	jwts         map[string]*jwtRec
	devices      map[string]*deviceKey // client identifier → registered key
	thumbs       map[string]string     // thumbprint or kid → client identifier
	nonces       map[string]*nonceRec
	pins         map[int64]*pin
	pinCodes     map[string]int64
	nextPinID    int64
	nextServerID int64
	tvMachineID  string // machineIdentifier of plex.tv's own v1 MediaContainers
	nextShareID  int64
	nextDevID    int64
	keys         []*signingKey
	servers      []*pmsServer
	faults       map[string]*faultState
	reqs         reqRing
	lastPrune    time.Time
	rate         map[string][]time.Time
	lockouts     map[string]*lockState
	tlsCert      *tls.Certificate
	certPool     *x509.CertPool
	httpSrvs     []*http.Server
	holes        []*blackHole
	reserved     []func() // releases the ports of Dead connections
}

// TB is the part of testing.TB that NewServer uses. *testing.T,
// *testing.B and *testing.F implement it; it is an interface so that the
// fake's core does not link the testing package into programs (such as
// cmd/plexauth's demo) that use New.
type TB interface {
	Helper()
	Cleanup(func())
	Fatalf(format string, args ...any)
}

// NewServer starts a fake and registers t.Cleanup(s.Close). It calls
// t.Fatalf if the fake cannot start.
func NewServer(t TB, opts ...Option) *Server {
	t.Helper()
	s, err := New(opts...)
	if err != nil {
		t.Fatalf("plextest: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// New starts a fake with the seeded accounts and default server. The
// caller must call Close.
func New(opts ...Option) (*Server, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	sd, err := loadSeeds()
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:          cfg,
		seeds:        sd,
		done:         make(chan struct{}),
		byID:         map[int64]*account{},
		nextAcctID:   1000001,
		tokens:       map[string]*tokenRec{},
		devTokens:    map[devKey]string{},
		devs:         map[devKey]*devRec{},
		claims:       map[string]*claimRec{},
		jwts:         map[string]*jwtRec{},
		devices:      map[string]*deviceKey{},
		thumbs:       map[string]string{},
		nonces:       map[string]*nonceRec{},
		pins:         map[int64]*pin{},
		pinCodes:     map[string]int64{},
		nextPinID:    308000001,
		nextServerID: 91000001,
		tvMachineID:  randHex(40),
		nextShareID:  470000001,
		nextDevID:    520000001,
		faults:       map[string]*faultState{},
		rate:         map[string][]time.Time{},
		lockouts:     map[string]*lockState{},
		reqs:         reqRing{max: cfg.reqLogSize},
	}
	k, err := newSigningKey()
	if err != nil {
		return nil, err
	}
	s.keys = []*signingKey{k}

	ln, err := net.Listen("tcp", cfg.plexTVAddr)
	if err != nil {
		return nil, fmt.Errorf("plextest: listen plex.tv on %s: %w", cfg.plexTVAddr, err)
	}
	s.tvAddr, _ = ln.Addr().(*net.TCPAddr)
	if s.tvAddr == nil {
		_ = ln.Close()
		return nil, fmt.Errorf("plextest: listen plex.tv on %s: not a TCP address", cfg.plexTVAddr)
	}
	s.PlexTVURL = "http://" + ln.Addr().String()
	s.AuthAppURL = s.PlexTVURL + "/auth"
	s.tv = s.newHTTPServer(s.plexTVHandler())
	s.serve(s.tv, ln)

	s.seed()
	info, err := s.addServer(ServerSpec{
		Name:       "plextest",
		OwnerLogin: DefaultLogin,
		SharedWith: []string{TwoFactorLogin},
		// bob gets some libraries: Movies and TV Shows, not Music.
		SharedSections: []int{1, 2},
		Connections: []ConnSpec{
			{Local: true},
			{},
			{Relay: true},
		},
	}, cfg.pmsAddr)
	if err != nil {
		s.Close()
		return nil, err
	}
	s.PMSURL = info.URL
	s.cfg.logger.Info("plextest started", "plextv", s.PlexTVURL, "pms", s.PMSURL, "authApp", s.AuthAppURL)
	return s, nil
}

func (s *Server) newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		MaxHeaderBytes:    s.cfg.maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.cfg.logger.Handler(), slog.LevelDebug),
	}
}

// serve runs srv on ln until Close.
func (s *Server) serve(srv *http.Server, ln net.Listener) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = ln.Close()
		return
	}
	s.httpSrvs = append(s.httpSrvs, srv)
	s.wg.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.wg.Done()
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.cfg.logger.Warn("plextest: serve", "err", err)
		}
	}()
}

// Close stops every listener (plex.tv, all PMS connections, black holes)
// and waits for their goroutines. Requests still running after a short
// grace period (250ms) are cut off. It is safe to call more than once.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.done)
		s.mu.Lock()
		s.closed = true
		srvs := append([]*http.Server(nil), s.httpSrvs...)
		holes := append([]*blackHole(nil), s.holes...)
		reserved := s.reserved
		s.reserved = nil
		s.mu.Unlock()
		for _, release := range reserved {
			release()
		}
		for _, h := range holes {
			h.close()
		}
		var wg sync.WaitGroup
		for _, srv := range srvs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx, cancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
				defer cancel()
				if err := srv.Shutdown(ctx); err != nil {
					_ = srv.Close()
				}
			}()
		}
		wg.Wait()
		s.wg.Wait()
	})
}

func (s *Server) now() time.Time { return s.cfg.clock.Now() }

// sleep waits d, returning false if ctx ended or the server closed first.
func (s *Server) sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.done:
		return false
	}
}

// ---- random values (crypto/rand) ----

const (
	alnum      = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
	hexDigits  = "0123456789abcdef"
)

func randString(alphabet string, n int) string {
	out := make([]byte, n)
	buf := make([]byte, n)
	max := 256 - 256%len(alphabet)
	i := 0
	for i < n {
		_, _ = rand.Read(buf) // never fails since Go 1.24
		for _, b := range buf {
			if int(b) >= max {
				continue
			}
			out[i] = alphabet[int(b)%len(alphabet)]
			i++
			if i == n {
				break
			}
		}
	}
	return string(out)
}

func randToken() string { return randString(alnum, 20) }
func randHex(n int) string {
	return randString(hexDigits, n)
}

func randUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func lower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
