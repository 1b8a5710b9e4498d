package plexgo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/plexkit/plexgo/internal/urlcheck"
	"github.com/plexkit/plexgo/internal/wire"
	"github.com/plexkit/plexgo/models/components"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/retry"
)

// Version is this module's version, sent as X-Plex-Version by default and
// in the User-Agent.
const Version = "0.1.0"

// DefaultPlexTVURL is the default base of the plex.tv API.
const DefaultPlexTVURL = "https://plex.tv"

// defaultClientsURL is where JWT device authentication lives when plex.tv
// is not redirected.
const defaultClientsURL = "https://clients.plex.tv"

// DefaultMaxResponseBytes is the default limit on a response body.
const DefaultMaxResponseBytes = 4 << 20

// ServerTemplate is the template of the Plex Media Server base URL that
// WithProtocol, WithIP and WithPort fill in.
const ServerTemplate = "{protocol}://{ip}:{port}"

// HTTPClient sends HTTP requests. *http.Client satisfies it.
type HTTPClient interface {
	Do(req *http.Request) (*http.Response, error)
}

// String returns a pointer to v.
func String(v string) *string { return &v }

// Bool returns a pointer to v.
func Bool(v bool) *bool { return &v }

// Int returns a pointer to v.
func Int(v int) *int { return &v }

// Int64 returns a pointer to v.
func Int64(v int64) *int64 { return &v }

// Float32 returns a pointer to v.
func Float32(v float32) *float32 { return &v }

// Float64 returns a pointer to v.
func Float64(v float64) *float64 { return &v }

// Pointer returns a pointer to v.
func Pointer[T any](v T) *T { return &v }

// ServerProtocol is the scheme of the Plex Media Server URL.
type ServerProtocol string

// Server protocols.
const (
	ServerProtocolHTTP  ServerProtocol = "http"
	ServerProtocolHTTPS ServerProtocol = "https"
)

// ToPointer returns a pointer to the value.
func (e ServerProtocol) ToPointer() *ServerProtocol { return &e }

// SDKOption configures New. An invalid option does not panic: New records
// it and every operation returns it as an error.
type SDKOption func(*config)

// PlexAPI is the client. Its sections group the operations; they share one
// configuration and one transport.
type PlexAPI struct {
	// Authentication: the documented operations (transient tokens, source
	// connection information, token details, sign-in) plus ping, sign-out
	// and JWT device authentication.
	Authentication *Authentication
	// Plex: plex.tv PINs, resources (servers), Plex Home, friends and
	// shares, devices, claim tokens and ping.
	Plex *Plex
	// Server: a Plex Media Server's identity and description, its own
	// plex.tv account (claim, unclaim), system accounts and devices, and
	// library sections.
	Server *Server

	opts []SDKOption // as given to New, for With
	wire *wire.Client
}

// config is what the options set; New turns it into the transport.
type config struct {
	client      HTTPClient
	security    func(ctx context.Context) (components.Security, error)
	serverURL   string
	protocol    ServerProtocol
	ip          string
	port        string
	plexTVURL   string
	clientsURL  string
	clientID    string
	product     string
	version     string
	platform    string
	platformVer string
	device      string
	deviceName  string
	model       string
	userAgent   string
	logger      *slog.Logger
	maxBody     int64
	retry       *retry.Config
	timeout     time.Duration
	errs        []error
}

func (c *config) fail(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf(format, args...))
}

// WithServerURL sets the Plex Media Server base URL, e.g.
// "http://192.168.1.10:32400". It wins over WithProtocol, WithIP and
// WithPort.
func WithServerURL(serverURL string) SDKOption {
	err := checkBase(serverURL)
	return checked(err != nil, func(c *config) { c.serverURL = serverURL }, "WithServerURL: %w", err)
}

// WithTemplatedServerURL fills the "{protocol}://{ip}:{port}" template with
// params; a missing parameter keeps its default.
func WithTemplatedServerURL(serverURL string, params map[string]string) SDKOption {
	return func(c *config) {
		for k, v := range params {
			switch k {
			case "protocol":
				c.protocol = ServerProtocol(v)
			case "ip":
				c.ip = v
			case "port":
				c.port = v
			default:
				c.fail("WithTemplatedServerURL: unknown parameter %q", k)
				return
			}
		}
		if serverURL != "" && serverURL != ServerTemplate {
			c.fail("WithTemplatedServerURL: unknown template %q", serverURL)
		}
	}
}

// WithProtocol sets the Plex Media Server URL scheme (default http).
func WithProtocol(protocol ServerProtocol) SDKOption {
	bad := protocol != ServerProtocolHTTP && protocol != ServerProtocolHTTPS
	return checked(bad, func(c *config) { c.protocol = protocol }, "WithProtocol: %q is not http or https", string(protocol))
}

// WithIP sets the Plex Media Server host (default 127.0.0.1).
func WithIP(ip string) SDKOption {
	bad := ip == "" || strings.ContainsAny(ip, "/?#@ ")
	return checked(bad, func(c *config) { c.ip = ip }, "WithIP: %q is not a host", ip)
}

// WithPort sets the Plex Media Server port (default 32400).
func WithPort(port string) SDKOption {
	_, err := net.LookupPort("tcp", port)
	return checked(err != nil || port == "", func(c *config) { c.port = port }, "WithPort: %q is not a port", port)
}

// WithPlexTVURL sets the base of the plex.tv API (default
// https://plex.tv), for tests, mirrors and proxies. Every plex.tv
// operation uses it, and JWT device authentication too unless
// WithClientsPlexTVURL is set.
func WithPlexTVURL(plexTVURL string) SDKOption {
	return withBase("WithPlexTVURL", plexTVURL, func(c *config) *string { return &c.plexTVURL })
}

// WithClientsPlexTVURL sets the base of clients.plex.tv, where JWT device
// authentication lives (RegisterDeviceKey, GetNonce, ExchangeDeviceJWT,
// GetPublicKeys, and PINs with a device key). The default is
// https://clients.plex.tv, or the WithPlexTVURL value when that is set,
// so one redirected base serves both.
func WithClientsPlexTVURL(clientsURL string) SDKOption {
	return withBase("WithClientsPlexTVURL", clientsURL, func(c *config) *string { return &c.clientsURL })
}

// withBase is the option named name that stores base, without its
// trailing slash, in the field of the config that field returns; a base
// checkBase refuses fails New.
func withBase(name, base string, field func(*config) *string) SDKOption {
	err := checkBase(base)
	return checked(err != nil, func(c *config) { *field(c) = strings.TrimSuffix(base, "/") }, name+": %w", err)
}

// checked is the option that applies set or, when bad, fails New with the
// message format and args make instead.
func checked(bad bool, set func(*config), format string, args ...any) SDKOption {
	return func(c *config) {
		if bad {
			c.fail(format, args...)
			return
		}
		set(c)
	}
}

// WithClient sets the HTTP client (default DefaultHTTPClient()). The
// redirect policy (see CheckRedirect) holds for an *http.Client too: New
// uses a copy of it whose CheckRedirect runs the policy before the
// client's own CheckRedirect, so later changes to client are not seen.
// Another HTTPClient implementation follows redirects out of plexgo's
// sight and must apply CheckRedirect itself; plexgo then only refuses an
// answer that came from another origin than a request with a token or a
// body was sent to (after the fact: the credentials have left).
func WithClient(client HTTPClient) SDKOption {
	return checked(isNil(client), func(c *config) { c.client = client }, "WithClient: nil client")
}

// WithSecurity sets the token sent as X-Plex-Token.
func WithSecurity(accessToken string) SDKOption {
	return func(c *config) {
		sec := components.Security{AccessToken: &accessToken}
		c.security = func(context.Context) (components.Security, error) { return sec, nil }
	}
}

// WithSecuritySource sets a function asked for the token on every request,
// for tokens that rotate (see package auth's JWT token source).
func WithSecuritySource(security func(context.Context) (components.Security, error)) SDKOption {
	return checked(security == nil, func(c *config) { c.security = security }, "WithSecuritySource: nil source")
}

// WithXPlexClientIdentifier sets X-Plex-Client-Identifier, the stable id of
// this installation (it is the device in the user's Authorized Devices).
// plex.tv rejects requests without it (error 1000). Generate it once and
// keep it: see auth.LoadOrCreateIdentity.
func WithXPlexClientIdentifier(clientID string) SDKOption {
	return func(c *config) { c.clientID = clientID }
}

// WithClientIdentifier is WithXPlexClientIdentifier.
func WithClientIdentifier(clientID string) SDKOption { return WithXPlexClientIdentifier(clientID) }

// WithProduct sets X-Plex-Product, the application name shown in the
// user's Authorized Devices (default "plexgo").
func WithProduct(product string) SDKOption { return func(c *config) { c.product = product } }

// WithVersion sets X-Plex-Version (default this module's Version).
func WithVersion(version string) SDKOption { return func(c *config) { c.version = version } }

// WithPlatform sets X-Plex-Platform (default from runtime.GOOS).
func WithPlatform(platform string) SDKOption { return func(c *config) { c.platform = platform } }

// WithPlatformVersion sets X-Plex-Platform-Version.
func WithPlatformVersion(v string) SDKOption { return func(c *config) { c.platformVer = v } }

// WithDevice sets X-Plex-Device, a friendly device kind.
func WithDevice(device string) SDKOption { return func(c *config) { c.device = device } }

// WithDeviceName sets X-Plex-Device-Name (default the host name). UTF-8 is
// fine.
func WithDeviceName(name string) SDKOption { return func(c *config) { c.deviceName = name } }

// WithModel sets X-Plex-Model.
func WithModel(model string) SDKOption { return func(c *config) { c.model = model } }

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) SDKOption { return func(c *config) { c.userAgent = ua } }

// WithLogger logs each request (operation, method, redacted URL, attempt,
// status, duration) at debug level. Tokens are never logged. The default
// discards.
func WithLogger(logger *slog.Logger) SDKOption {
	return checked(logger == nil, func(c *config) { c.logger = logger }, "WithLogger: nil logger")
}

// WithMaxResponseBytes limits how much of a response body is read (default
// DefaultMaxResponseBytes). A larger body fails with
// sdkerrors.ErrResponseTooLarge.
func WithMaxResponseBytes(n int64) SDKOption {
	return checked(n <= 0, func(c *config) { c.maxBody = n }, "WithMaxResponseBytes: %d is not positive", n)
}

// WithRetryConfig sets the retry policy (default retry.Default()).
func WithRetryConfig(policy retry.Config) SDKOption {
	return func(c *config) { c.retry = &policy }
}

// WithTimeout bounds every operation, retries included.
func WithTimeout(timeout time.Duration) SDKOption {
	return checked(timeout <= 0, func(c *config) { c.timeout = timeout }, "WithTimeout: %s is not positive", timeout)
}

// isNil reports whether v is nil or an interface holding a nil pointer
// (such as a (*http.Client)(nil)), which would panic when used.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Pointer, reflect.Func, reflect.Map, reflect.Interface, reflect.Chan, reflect.Slice:
		return rv.IsNil()
	}
	return false
}

func checkBase(raw string) error {
	_, err := urlcheck.HTTP(raw)
	return err
}

// New returns a client. It never fails; an invalid option makes every
// operation return an error that names it.
func New(opts ...SDKOption) *PlexAPI {
	p := &PlexAPI{opts: slices.Clone(opts)}
	c := &config{
		protocol:  ServerProtocolHTTP,
		ip:        "127.0.0.1",
		port:      "32400",
		plexTVURL: DefaultPlexTVURL,
		product:   "plexgo",
		version:   Version,
		platform:  platformName(),
		maxBody:   DefaultMaxResponseBytes,
	}
	for _, opt := range opts {
		if opt != nil {
			opt(c)
		}
	}
	if c.client == nil {
		c.client = DefaultHTTPClient()
	}
	if c.deviceName == "" {
		if h, err := os.Hostname(); err == nil {
			c.deviceName = h
		}
	}
	if c.userAgent == "" {
		c.userAgent = "plexgo/" + Version + " (+https://github.com/plexkit/plexgo)"
	}
	pms := c.serverURL
	if pms == "" {
		pms = string(c.protocol) + "://" + net.JoinHostPort(c.ip, c.port)
	}
	clients := c.clientsURL
	if clients == "" {
		clients = c.plexTVURL
		if clients == DefaultPlexTVURL {
			clients = defaultClientsURL
		}
	}
	h := http.Header{}
	set := func(k, v string) {
		if v != "" {
			h[k] = []string{v}
		}
	}
	set("Accept", "application/json")
	set("User-Agent", c.userAgent)
	set("X-Plex-Client-Identifier", c.clientID)
	set("X-Plex-Product", c.product)
	set("X-Plex-Version", c.version)
	set("X-Plex-Platform", c.platform)
	set("X-Plex-Platform-Version", c.platformVer)
	set("X-Plex-Device", c.device)
	set("X-Plex-Device-Name", c.deviceName)
	set("X-Plex-Model", c.model)
	logger := c.logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	policy := retry.Default()
	if c.retry != nil {
		policy = *c.retry
	}
	security := c.security
	p.wire = &wire.Client{
		HTTP:       wire.GuardRedirects(c.client),
		PlexTVURL:  c.plexTVURL,
		ClientsURL: clients,
		PMSURL:     pms,
		Header:     h,
		Logger:     logger,
		MaxBody:    c.maxBody,
		Retry:      policy,
		Timeout:    c.timeout,
		ConfigErr:  errors.Join(c.errs...),
	}
	if security != nil {
		p.wire.Security = func(ctx context.Context) (string, error) {
			s, err := security(ctx)
			if err != nil {
				return "", err
			}
			return s.GetAccessToken(), nil
		}
	}
	p.Authentication = &Authentication{sdk: p}
	p.Plex = &Plex{sdk: p}
	p.Server = &Server{sdk: p}
	return p
}

// With returns a new, independent client configured like p plus opts,
// which are applied after p's own options and so win over them. Use it to
// derive a client for another server or user without repeating the
// configuration:
//
//	srv := sdk.With(plexgo.WithServerURL(uri), plexgo.WithSecurity(serverToken))
//
// p is not changed, and the two clients share no mutable state.
func (p *PlexAPI) With(opts ...SDKOption) *PlexAPI {
	if p == nil {
		return New(opts...)
	}
	all := make([]SDKOption, 0, len(p.opts)+len(opts))
	all = append(all, p.opts...)
	return New(append(all, opts...)...)
}

// errNotCreated is returned by the operations of a PlexAPI (or section)
// that did not come from New.
var errNotCreated = errors.New("plexgo: client not created with plexgo.New")

// do hands a call to the transport. A nil or zero PlexAPI fails instead of
// panicking.
func (p *PlexAPI) do(ctx context.Context, call *wire.Call, opts []operations.Option) (operations.HTTPMeta, error) {
	if p == nil || p.wire == nil {
		return operations.HTTPMeta{}, fmt.Errorf("%w (operation %s)", errNotCreated, call.Op)
	}
	if ctx == nil {
		return operations.HTTPMeta{}, fmt.Errorf("plexgo: %s: nil context", call.Op)
	}
	return p.wire.Do(ctx, call, opts)
}

// alloc returns a response and the value it points to, allocated together:
// one allocation per operation instead of two.
func alloc[R, V any]() (*R, *V) {
	b := new(struct {
		r R
		v V
	})
	return &b.r, &b.v
}

// DefaultHTTPClient returns the client New uses when none is given: a 60
// second timeout and CheckRedirect as its redirect policy.
func DefaultHTTPClient() *http.Client {
	return &http.Client{
		Timeout:       60 * time.Second,
		CheckRedirect: CheckRedirect,
	}
}

// CheckRedirect is plexgo's redirect policy, for http.Client.CheckRedirect
// (New applies it to any *http.Client; use it in other HTTP clients). A
// redirect of a request that carries the token or a body (a password, a
// 2FA code, a device JWT) is followed only within its origin (scheme, host
// and port), so never from https to http; otherwise the operation fails
// with an error matching sdkerrors.ErrRedirectRefused. After
// sdkerrors.MaxRedirects redirects (a loop included) it fails with
// sdkerrors.ErrTooManyRedirects. Requests without token or body follow
// redirects anywhere. Both errors are a *sdkerrors.RedirectError naming
// the two origins only.
func CheckRedirect(req *http.Request, via []*http.Request) error {
	return wire.CheckRedirect(req, via)
}

func platformName() string {
	switch runtime.GOOS {
	case "darwin":
		return "macOS"
	case "linux":
		return "Linux"
	case "windows":
		return "Windows"
	case "freebsd":
		return "FreeBSD"
	}
	return runtime.GOOS
}
