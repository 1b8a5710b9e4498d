package weblogin

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/models/sdkerrors"
)

func createPinRequest() operations.CreatePinRequest { return operations.CreatePinRequest{Strong: true} }

// pinResult is what one or more checks of a PIN found.
type pinResult int

const (
	pinPending pinResult = iota
	pinApproved
	pinExpired
	pinUnreachable
)

// stateError is why a state cookie was refused.
type stateError int

const (
	stateMissing stateError = iota + 1
	stateInvalid
	stateExpired
	stateUsed
)

// readState opens the state cookie. The PIN id comes from here only.
func (h *Handler) readState(r *http.Request) (*state, *pinEntry, stateError) {
	c, err := r.Cookie(h.cfg.stateCookie)
	if err != nil || c.Value == "" {
		return nil, nil, stateMissing
	}
	var st state
	if err := h.openJSON(purposeState, c.Value, &st); err != nil || st.PIN <= 0 || st.Nonce == "" {
		return nil, nil, stateInvalid
	}
	now := h.cfg.now()
	exp := time.Unix(st.Expires, 0)
	if !now.Before(exp) {
		return nil, nil, stateExpired
	}
	e := h.pins.entry(st.PIN, exp, now)
	e.check.Lock()
	used := e.used
	e.check.Unlock()
	if used {
		return &st, e, stateUsed
	}
	st.ReturnTo = safeReturnTo(st.ReturnTo)
	return &st, e, 0
}

// checkPIN asks plex.tv about the PIN up to checks times, never twice
// within MinCheckInterval (waiting when it must, if wait is set). The
// caller holds e.check.
func (h *Handler) checkPIN(ctx context.Context, st *state, e *pinEntry, checks int, wait bool) (pinResult, string) {
	res := pinPending
	for i := 0; i < checks; i++ {
		if since := h.cfg.now().Sub(e.lastCheck); since < MinCheckInterval {
			if !wait {
				return pinPending, ""
			}
			if err := h.cfg.sleep(ctx, MinCheckInterval-since); err != nil {
				return res, ""
			}
		}
		e.lastCheck = h.cfg.now()
		got, err := h.sdk.Plex.GetPin(ctx, st.PIN)
		switch {
		case err == nil && got.Pin.Approved():
			return pinApproved, *got.Pin.AuthToken
		case err == nil:
			res = pinPending
		case errors.Is(err, sdkerrors.ErrPINNotFound):
			return pinExpired, ""
		case ctx.Err() != nil:
			return pinUnreachable, ""
		default:
			h.cfg.logger.WarnContext(ctx, "weblogin: checking the PIN failed", "err", err)
			res = pinUnreachable
		}
	}
	return res, ""
}

// errUpstream marks a plex.tv failure while completing a sign-in.
var errUpstream = errors.New("weblogin: plex.tv failed")

// errHook marks a failed WithOnSignIn hook.
var errHook = errors.New("weblogin: sign-in hook failed")

// complete finishes a sign-in whose PIN was approved: it reads the
// account, checks the expected account and the policy, calls the hook, and
// sets the session. Nothing is written unless every step succeeded. The
// caller holds e.check.
func (h *Handler) complete(ctx context.Context, w http.ResponseWriter, r *http.Request, st *state, e *pinEntry, token string) (*User, *Denial, error) {
	details, err := h.sdk.Authentication.GetTokenDetails(ctx, operations.WithToken(token))
	if err != nil || details.UserPlexAccount == nil || details.UserPlexAccount.ID == 0 {
		h.cfg.logger.ErrorContext(ctx, "weblogin: reading the signed-in account failed", "err", err)
		return nil, nil, errUpstream
	}
	a := details.UserPlexAccount
	now := h.cfg.now()
	u := User{ID: a.ID, UUID: a.UUID, Username: a.Username, Title: a.Title, Thumb: a.Thumb,
		SignedInAt: time.Unix(now.Unix(), 0), ExpiresAt: time.Unix(now.Add(h.cfg.sessionTTL).Unix(), 0)}
	if st.Expect != "" && a.UUID != st.Expect {
		return h.deny(ctx, w, r, e, u, &Denial{Reason: ReasonOtherAccount})
	}
	dec := h.decide(ctx, u, token, a.Restricted)
	if dec.denial != nil {
		if dec.denial.Reason == ReasonUnavailable {
			h.cfg.logger.ErrorContext(ctx, "weblogin: membership could not be checked", "err", dec.denial.Err)
			return nil, nil, errUpstream
		}
		return h.deny(ctx, w, r, e, u, dec.denial)
	}
	u.Roles, u.Servers = rolesOf(dec.memberships)
	if h.cfg.onSignIn != nil {
		if err := h.cfg.onSignIn(ctx, u, token); err != nil {
			h.cfg.logger.ErrorContext(ctx, "weblogin: the sign-in hook failed", "user", u, "err", err)
			return nil, nil, errHook
		}
	}
	s := session{ID: u.ID, UUID: u.UUID, Username: u.Username, Title: u.Title, Thumb: u.Thumb,
		Roles: u.Roles, Servers: u.Servers, Issued: u.SignedInAt.Unix(), Expires: u.ExpiresAt.Unix(), Validated: now.Unix()}
	if h.cfg.keepToken {
		s.Token = secret(token)
	}
	val, err := h.sealSession(&s)
	if err != nil {
		h.cfg.logger.ErrorContext(ctx, "weblogin: sealing the session failed", "err", err)
		return nil, nil, errHook
	}
	e.used = true
	http.SetCookie(w, h.cookie(r, h.cfg.sessionCookie, val, "/", u.ExpiresAt))
	h.clearCookie(w, r, h.cfg.stateCookie, h.cfg.prefix)
	h.cfg.logger.InfoContext(ctx, "weblogin: signed in", "user", u, "roles", u.Roles)
	return &u, nil, nil
}

func (h *Handler) deny(ctx context.Context, w http.ResponseWriter, r *http.Request, e *pinEntry, u User, d *Denial) (*User, *Denial, error) {
	e.used = true
	h.clearCookie(w, r, h.cfg.stateCookie, h.cfg.prefix)
	h.cfg.logger.InfoContext(ctx, "weblogin: sign-in refused", "user", u, "reason", string(d.Reason), "server", d.Server)
	if h.cfg.onDeny != nil {
		h.cfg.onDeny(ctx, u, d)
	}
	return nil, d, nil
}

// rolesOf returns the distinct roles and servers of the memberships.
func rolesOf(ms []Membership) ([]Role, []string) {
	var roles []Role
	var servers []string
	add := func(r Role) {
		for _, x := range roles {
			if x == r {
				return
			}
		}
		roles = append(roles, r)
	}
	for _, m := range ms {
		add(m.Role)
		if m.Managed {
			add(RoleManaged)
		}
		dup := false
		for _, s := range servers {
			dup = dup || s == m.MachineIdentifier
		}
		if !dup {
			servers = append(servers, m.MachineIdentifier)
		}
	}
	return roles, servers
}

// callback finishes a same-tab sign-in. The PIN id comes from the state
// cookie only.
func (h *Handler) callback(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("popup") == "1" {
		h.popupDone(w)
		return
	}
	st, e, serr := h.readState(r)
	if serr != 0 {
		h.stateFailure(w, r, st, serr)
		return
	}
	ctx := r.Context()
	e.check.Lock()
	defer e.check.Unlock()
	if e.used {
		h.stateFailure(w, r, st, stateUsed)
		return
	}
	res, token := h.checkPIN(ctx, st, e, h.cfg.callbackChecks, true)
	switch res {
	case pinExpired:
		h.clearCookie(w, r, h.cfg.stateCookie, h.cfg.prefix)
		h.page(w, http.StatusUnauthorized, "Sign-in expired", "The Plex sign-in code expired before it was approved. Start again.", st.ReturnTo)
		return
	case pinPending:
		h.clearCookie(w, r, h.cfg.stateCookie, h.cfg.prefix)
		h.page(w, http.StatusUnauthorized, "Sign-in not approved", "Plex has not approved this sign-in (it was denied or not finished). Start again.", st.ReturnTo)
		return
	case pinUnreachable:
		h.page(w, http.StatusBadGateway, "Plex is not reachable", "plex.tv did not answer, so the sign-in could not be finished. Reload this page in a minute, or start again.", st.ReturnTo)
		return
	}
	_, d, err := h.complete(ctx, w, r, st, e, token)
	switch {
	case errors.Is(err, errUpstream):
		h.page(w, http.StatusBadGateway, "Plex is not reachable", "plex.tv did not answer, so the sign-in could not be finished. Reload this page in a minute, or start again.", st.ReturnTo)
	case err != nil:
		h.page(w, http.StatusInternalServerError, "Sign-in failed", "Something went wrong on our side. Start again.", st.ReturnTo)
	case d != nil:
		h.page(w, http.StatusForbidden, "Access denied", d.Message(), st.ReturnTo)
	default:
		http.Redirect(w, r, st.ReturnTo, http.StatusSeeOther)
	}
}

// stateFailure answers a callback whose state cookie is missing, invalid,
// expired or already used. A used one in a browser that is signed in (the
// back button) goes on to return_to; no session is ever set here.
func (h *Handler) stateFailure(w http.ResponseWriter, r *http.Request, st *state, serr stateError) {
	if serr == stateUsed {
		if _, ok := h.readSession(r); ok {
			http.Redirect(w, r, safeReturnTo(st.ReturnTo), http.StatusSeeOther)
			return
		}
	}
	if serr != stateMissing {
		h.clearCookie(w, r, h.cfg.stateCookie, h.cfg.prefix)
	}
	switch serr {
	case stateMissing:
		h.page(w, http.StatusBadRequest, "No sign-in in progress", "This sign-in was not started in this browser, or it was already finished. Start again.", "")
	case stateExpired:
		h.page(w, http.StatusBadRequest, "Sign-in expired", "The sign-in took too long. Start again.", "")
	case stateUsed:
		h.page(w, http.StatusBadRequest, "Sign-in already used", "This sign-in was already finished. Start again.", "")
	default:
		h.page(w, http.StatusBadRequest, "Sign-in not recognised", "The sign-in data in this browser is not valid. Start again.", "")
	}
}
