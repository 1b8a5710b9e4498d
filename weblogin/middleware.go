package weblogin

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/models/sdkerrors"
)

// revalidateRetry is how long a session waits before re-validating again
// when plex.tv could not be asked.
const revalidateRetry = time.Minute

// readSession opens the session cookie without re-validating it.
func (h *Handler) readSession(r *http.Request) (User, bool) {
	s, ok := h.openSession(r)
	if !ok {
		return User{}, false
	}
	return s.user(), true
}

func (h *Handler) openSession(r *http.Request) (*session, bool) {
	c, err := r.Cookie(h.cfg.sessionCookie)
	if err != nil || c.Value == "" {
		return nil, false
	}
	var s session
	if err := h.openSessionValue(c.Value, &s); err != nil || s.ID == 0 {
		return nil, false
	}
	if !h.cfg.now().Before(time.Unix(s.Expires, 0)) {
		return nil, false
	}
	return &s, true
}

// load returns the request's session, re-validated when it is due. A
// session that fails re-validation, or a cookie that does not open, is
// cleared.
func (h *Handler) load(w http.ResponseWriter, r *http.Request) (*ctxSession, bool) {
	c, err := r.Cookie(h.cfg.sessionCookie)
	if err != nil || c.Value == "" {
		return nil, false
	}
	s, ok := h.openSession(r)
	if !ok {
		h.clearCookie(w, r, h.cfg.sessionCookie, "/")
		return nil, false
	}
	now := h.cfg.now()
	if now.Sub(time.Unix(s.Validated, 0)) >= h.cfg.revalidateEvery {
		if !h.revalidateOnce(r.Context(), s) {
			h.clearCookie(w, r, h.cfg.sessionCookie, "/")
			return nil, false
		}
		if val, err := h.sealSession(s); err == nil {
			http.SetCookie(w, h.cookie(r, h.cfg.sessionCookie, val, "/", time.Unix(s.Expires, 0)))
		}
	}
	cs := &ctxSession{user: s.user()}
	if h.cfg.keepToken {
		cs.token = string(s.Token)
	}
	return cs, true
}

// revalCall is one re-validation in flight, shared by the concurrent
// requests of the same session.
type revalCall struct {
	done    chan struct{}
	waiters int // requests waiting for it (under Handler.revalMu)
	ok      bool
	s       session
}

// revalKey identifies a session version: the account and when it was last
// validated.
type revalKey struct{ id, validated int64 }

// revalidateOnce is revalidate, run once for concurrent requests that carry
// the same session (a page and its assets): the others wait for its
// result instead of asking plex.tv again.
func (h *Handler) revalidateOnce(ctx context.Context, s *session) bool {
	key := revalKey{s.ID, s.Validated}
	h.revalMu.Lock()
	if c, ok := h.reval[key]; ok {
		c.waiters++
		h.revalMu.Unlock()
		select {
		case <-c.done:
			*s = c.s
			return c.ok
		case <-ctx.Done():
			return true // keep the session; this request is going away anyway
		}
	}
	c := &revalCall{done: make(chan struct{})}
	h.reval[key] = c
	h.revalMu.Unlock()
	c.ok = h.revalidate(ctx, s)
	c.s = *s
	close(c.done)
	h.revalMu.Lock()
	delete(h.reval, key)
	h.revalMu.Unlock()
	return c.ok
}

// revalidate checks the session's account again and updates s. It
// returns false when the session must end: the token was revoked, or the
// account lost its membership. When plex.tv cannot answer the session is
// kept and checked again after revalidateRetry.
func (h *Handler) revalidate(ctx context.Context, s *session) bool {
	now := h.cfg.now()
	u := s.user()
	token := string(s.Token)
	if token == "" && h.cfg.tokenLookup != nil {
		t, err := h.cfg.tokenLookup(ctx, u)
		if err != nil {
			h.cfg.logger.WarnContext(ctx, "weblogin: token lookup failed; re-validating without the user's token", "user", u, "err", err)
		}
		token = t
	}
	postpone := func() bool {
		s.Validated = now.Add(revalidateRetry - h.cfg.revalidateEvery).Unix()
		return true
	}
	restricted := false
	if token != "" {
		details, err := h.sdk.Authentication.GetTokenDetails(ctx, operations.WithToken(token))
		switch {
		case errors.Is(err, sdkerrors.ErrUnauthorized):
			h.cfg.logger.InfoContext(ctx, "weblogin: session ended: the Plex token is no longer valid", "user", u)
			return false
		case err != nil || details.UserPlexAccount == nil:
			return postpone()
		case details.UserPlexAccount.ID != s.ID:
			return false
		}
		a := details.UserPlexAccount
		s.Username, s.Title, s.Thumb, restricted = a.Username, a.Title, a.Thumb, a.Restricted
	}
	if len(h.cfg.policy.Servers) > 0 && token == "" && h.owner == nil {
		// No user token and no owner view: membership cannot be checked,
		// so the session lasts until it expires.
		s.Validated = now.Unix()
		return true
	}
	if len(h.cfg.policy.Servers) > 0 || h.cfg.policy.Allow != nil {
		dec := h.decide(ctx, u, token, restricted)
		if d := dec.denial; d != nil {
			if d.Reason == ReasonUnavailable {
				return postpone()
			}
			h.cfg.logger.InfoContext(ctx, "weblogin: session ended: access withdrawn", "user", u, "reason", string(d.Reason))
			return false
		}
		s.Roles, s.Servers = rolesOf(dec.memberships)
	}
	s.Validated = now.Unix()
	return true
}

// Sessions is middleware that puts the signed-in account (if any) in the
// request context for [Account], re-validating it when due. It never
// refuses a request.
func (h *Handler) Sessions(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if cs, ok := h.load(w, r); ok {
			r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, cs))
		}
		next.ServeHTTP(w, r)
	})
}

// RequireSignIn is middleware that lets only signed-in requests through
// (with the account in the context for [Account]). Others get 401 JSON
// when they are API requests (not a page navigation: a non-GET method, an
// Accept without text/html, or fetch/XHR), and a redirect to the sign-in
// otherwise, returning to the page afterwards.
func (h *Handler) RequireSignIn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cs, ok := h.load(w, r)
		if ok {
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, cs)))
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		if isAPIRequest(r) {
			w.Header().Set("WWW-Authenticate", `Plex realm="`+h.cfg.prefix+`/login"`)
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "not signed in", "login": h.cfg.prefix + "/login"})
			return
		}
		http.Redirect(w, r, h.LoginURL(r.URL.RequestURI()), http.StatusSeeOther)
	})
}

func isAPIRequest(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return true
	}
	if m := r.Header.Get("Sec-Fetch-Mode"); m != "" && m != "navigate" {
		return true
	}
	if r.Header.Get("X-Requested-With") != "" {
		return true
	}
	a := r.Header.Get("Accept")
	return a != "" && !strings.Contains(a, "text/html") && !strings.Contains(a, "*/*")
}
