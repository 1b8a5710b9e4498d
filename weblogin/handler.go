package weblogin

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/auth"
)

// Cookie purposes, bound into the sealed values.
const (
	purposeSession = "weblogin/session/v1"
	purposeState   = "weblogin/state/v1"
)

// Handler serves Sign in with Plex under its prefix and provides the
// session middleware. Create it with [New]; it is safe for concurrent use.
// It keeps no sessions: they live in sealed cookies, so any number of
// replicas with the same keys share them. Its only in-memory state is the
// list of pending sign-ins (for the once-per-second check limit and
// replay protection of state cookies), bounded by their lifetime.
type Handler struct {
	sdk      *plexgo.PlexAPI
	clientID string
	cfg      config
	sealer   *sealer
	owner    *ownerView
	pins     pinTracker

	revalMu sync.Mutex
	reval   map[revalKey]*revalCall
}

// New returns a Handler that signs people in with the SDK's plex.tv and
// clientID, which must be the client identifier the SDK sends
// (plexgo.WithXPlexClientIdentifier): the PIN is created and checked with
// it, never with one from the browser. WithKeys is required.
func New(sdk *plexgo.PlexAPI, clientID string, opts ...Option) (*Handler, error) {
	if sdk == nil {
		return nil, errors.New("weblogin: nil SDK")
	}
	if clientID == "" {
		return nil, errors.New("weblogin: empty client identifier: use the app's own (auth.LoadOrCreateIdentity)")
	}
	cfg := defaultConfig()
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("weblogin: nil option")
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	s, err := newSealer(cfg.keys)
	if err != nil {
		return nil, err
	}
	for _, id := range cfg.policy.Servers {
		if id == "" {
			return nil, errors.New("weblogin: WithPolicy: empty machine identifier")
		}
	}
	h := &Handler{sdk: sdk, clientID: clientID, cfg: cfg, sealer: s}
	h.pins.m = map[int64]*pinEntry{}
	h.reval = map[revalKey]*revalCall{}
	if cfg.ownerToken != "" && len(cfg.policy.Servers) > 0 {
		h.owner = &ownerView{
			src:     sdkOwnerSource{sdk: sdk, token: cfg.ownerToken},
			servers: cfg.policy.Servers, ttl: cfg.ownerCacheTTL, now: cfg.now,
		}
	}
	return h, nil
}

// Prefix returns the path prefix the handler serves.
func (h *Handler) Prefix() string { return h.cfg.prefix }

// LoginURL returns the path that starts a sign-in returning to returnTo.
func (h *Handler) LoginURL(returnTo string) string {
	return h.cfg.prefix + "/login?return_to=" + url.QueryEscape(safeReturnTo(returnTo))
}

// ServeHTTP serves {prefix}/login, /callback, /status and /logout.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	route, ok := strings.CutPrefix(r.URL.Path, h.cfg.prefix)
	if !ok {
		http.NotFound(w, r)
		return
	}
	var method string
	var serve func(http.ResponseWriter, *http.Request)
	switch route {
	case "/login":
		method, serve = http.MethodGet, h.login
	case "/callback":
		method, serve = http.MethodGet, h.callback
	case "/status":
		method, serve = http.MethodGet, h.status
	case "/logout":
		method, serve = http.MethodPost, h.logout
	default:
		http.NotFound(w, r)
		return
	}
	if allowMethods(w, r, method) {
		serve(w, r)
	}
}

func allowMethods(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	for _, m := range methods {
		if r.Method == m {
			return true
		}
	}
	w.Header().Set("Allow", strings.Join(methods, ", "))
	writeText(w, http.StatusMethodNotAllowed, "Method not allowed: use "+methods[0]+".")
	return false
}

// login creates a strong PIN with the app's identity, seals its id in the
// state cookie and sends the browser to the auth app.
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	popup := q.Get("popup") == "1"
	returnTo := safeReturnTo(q.Get("return_to"))
	base, err := h.baseURL(r)
	if err != nil {
		h.page(w, http.StatusBadRequest, "Cannot start the sign-in", "The request's host is not usable for a sign-in.", "")
		return
	}
	forward := base + h.cfg.prefix + "/callback"
	if popup {
		forward += "?popup=1"
	}
	ctx := r.Context()
	created, err := h.sdk.Plex.CreatePin(ctx, createPinRequest())
	if err != nil || created.Pin == nil || created.Pin.ID == 0 || created.Pin.Code == "" {
		h.cfg.logger.ErrorContext(ctx, "weblogin: creating the PIN failed", "err", err)
		h.page(w, http.StatusBadGateway, "Plex is not reachable", "The sign-in could not be started because plex.tv did not answer. Try again in a minute.", returnTo)
		return
	}
	pin := created.Pin
	if pin.ClientIdentifier != "" && pin.ClientIdentifier != h.clientID {
		h.cfg.logger.ErrorContext(ctx, "weblogin: the SDK's client identifier differs from the one given to weblogin.New")
		h.page(w, http.StatusInternalServerError, "Sign-in is misconfigured", "This app's Plex client identifier is inconsistent. Tell its administrator.", "")
		return
	}
	now := h.cfg.now()
	expires := now.Add(h.cfg.stateTTL)
	if !pin.ExpiresAt.IsZero() && pin.ExpiresAt.Before(expires) && pin.ExpiresAt.After(now) {
		expires = pin.ExpiresAt
	}
	st := state{PIN: pin.ID, Nonce: randomNonce(), Expires: expires.Unix(), ReturnTo: returnTo, Popup: popup}
	if cur, ok := h.readSession(r); ok && q.Get("reauth") == "1" {
		st.Expect = cur.UUID
	}
	val, err := h.sealJSON(purposeState, st)
	if err != nil {
		h.page(w, http.StatusInternalServerError, "Cannot start the sign-in", "Something went wrong on our side. Try again.", returnTo)
		return
	}
	if !h.pins.start(pin.ID, expires, now) {
		h.page(w, http.StatusServiceUnavailable, "Too many sign-ins", "Too many sign-ins are in progress right now. Try again in a minute.", returnTo)
		return
	}
	http.SetCookie(w, h.cookie(r, h.cfg.stateCookie, val, h.cfg.prefix, expires))
	http.Redirect(w, r, auth.AuthAppURL(h.cfg.authAppURL, h.clientID, pin.Code, h.cfg.product, forward), http.StatusSeeOther)
}

// baseURL is the app's origin for the callback URL: WithPublicURL, or the
// request's scheme and Host. Only http(s) comes out.
func (h *Handler) baseURL(r *http.Request) (string, error) {
	if p := h.cfg.publicURL; p != nil {
		return p.String(), nil
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	u, err := parseHTTPURL(scheme + "://" + r.Host)
	if err != nil || r.Host == "" || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(r.Host, "/\\@") {
		return "", errors.New("bad host")
	}
	return u.Scheme + "://" + u.Host, nil
}

// origin is the app's own origin, for the logout check.
func (h *Handler) origin(r *http.Request) string {
	if p := h.cfg.publicURL; p != nil {
		return p.Scheme + "://" + p.Host
	}
	b, err := h.baseURL(r)
	if err != nil {
		return ""
	}
	return b
}

func (h *Handler) secure(r *http.Request) bool {
	if h.cfg.secure != nil {
		return *h.cfg.secure
	}
	return r.TLS != nil || (h.cfg.publicURL != nil && h.cfg.publicURL.Scheme == "https")
}

func (h *Handler) cookie(r *http.Request, name, value, path string, expires time.Time) *http.Cookie {
	return &http.Cookie{
		Name: name, Value: value, Path: path, Expires: expires.UTC(),
		MaxAge:   max(1, int(expires.Sub(h.cfg.now()).Seconds())),
		HttpOnly: true, Secure: h.secure(r), SameSite: http.SameSiteLaxMode,
	}
}

func (h *Handler) clearCookie(w http.ResponseWriter, r *http.Request, name, path string) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: "", Path: path, MaxAge: -1, Expires: time.Unix(1, 0).UTC(),
		HttpOnly: true, Secure: h.secure(r), SameSite: http.SameSiteLaxMode,
	})
}

func randomNonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// pinTracker remembers pending sign-ins by PIN id: when plex.tv was last
// asked about each (at most once per MinCheckInterval) and whether it was
// used (a replayed state cookie is refused). Entries end with their state.
// maxPending bounds the pending sign-ins one Handler tracks; beyond it,
// new sign-ins are refused with 503 until older ones expire.
const maxPending = 1 << 16

type pinTracker struct {
	mu sync.Mutex
	m  map[int64]*pinEntry
}

type pinEntry struct {
	expires   time.Time
	lastCheck time.Time
	used      bool
	check     sync.Mutex // one plex.tv check of this PIN at a time
}

func (t *pinTracker) start(id int64, expires, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.m) >= 256 {
		for k, e := range t.m {
			if now.After(e.expires.Add(time.Minute)) {
				delete(t.m, k)
			}
		}
	}
	if _, ok := t.m[id]; !ok {
		if len(t.m) >= maxPending {
			return false
		}
		t.m[id] = &pinEntry{expires: expires}
	}
	return true
}

// entry returns the PIN's entry, creating it for a state cookie sealed by
// another replica.
func (t *pinTracker) entry(id int64, expires, now time.Time) *pinEntry {
	t.start(id, expires, now)
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.m[id]
	if e == nil { // the tracker is full: track this one anyway
		e = &pinEntry{expires: expires}
		t.m[id] = e
	}
	return e
}
