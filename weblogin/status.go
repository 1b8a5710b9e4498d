package weblogin

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// Status values of GET {prefix}/status.
const (
	StatusPending  = "pending"
	StatusSignedIn = "signed-in"
	StatusDenied   = "denied"
	StatusExpired  = "expired"
)

// statusBody is the JSON of GET {prefix}/status.
type statusBody struct {
	Status  string `json:"status"`
	Reason  string `json:"reason,omitempty"`
	Message string `json:"message,omitempty"`
	User    *User  `json:"user,omitempty"`
}

// status reports a popup sign-in's progress, and finishes it (sets the
// session) once the PIN is approved. plex.tv is asked at most once per
// MinCheckInterval per sign-in, however often the page polls.
func (h *Handler) status(w http.ResponseWriter, r *http.Request) {
	st, e, serr := h.readState(r)
	if serr != 0 {
		if u, ok := h.readSession(r); ok && (serr == stateMissing || serr == stateUsed) {
			if serr == stateUsed {
				h.clearCookie(w, r, h.cfg.stateCookie, h.cfg.prefix)
			}
			writeJSON(w, http.StatusOK, statusBody{Status: StatusSignedIn, User: &u})
			return
		}
		code, msg := http.StatusOK, "No sign-in is in progress in this browser."
		switch serr {
		case stateInvalid:
			code, msg = http.StatusBadRequest, "The sign-in data in this browser is not valid."
		case stateExpired:
			msg = "The sign-in took too long."
		case stateUsed:
			msg = "This sign-in was already finished."
		}
		if serr != stateMissing {
			h.clearCookie(w, r, h.cfg.stateCookie, h.cfg.prefix)
		}
		writeJSON(w, code, statusBody{Status: StatusExpired, Message: msg})
		return
	}
	ctx := r.Context()
	e.check.Lock()
	defer e.check.Unlock()
	if e.used {
		writeJSON(w, http.StatusOK, statusBody{Status: StatusExpired, Message: "This sign-in was already finished."})
		return
	}
	res, token := h.checkPIN(ctx, st, e, 1, false)
	switch res {
	case pinPending, pinUnreachable:
		writeJSON(w, http.StatusOK, statusBody{Status: StatusPending})
		return
	case pinExpired:
		e.used = true
		h.clearCookie(w, r, h.cfg.stateCookie, h.cfg.prefix)
		writeJSON(w, http.StatusOK, statusBody{Status: StatusExpired, Message: "The Plex sign-in code expired before it was approved."})
		return
	}
	u, d, err := h.complete(ctx, w, r, st, e, token)
	switch {
	case errors.Is(err, errUpstream):
		// Approved, but plex.tv failed afterwards: stay pending, the next
		// poll tries again.
		writeJSON(w, http.StatusOK, statusBody{Status: StatusPending, Message: "Waiting for plex.tv."})
	case err != nil:
		e.used = true
		h.clearCookie(w, r, h.cfg.stateCookie, h.cfg.prefix)
		writeJSON(w, http.StatusInternalServerError, statusBody{Status: StatusExpired, Message: "Something went wrong on our side. Start again."})
	case d != nil:
		writeJSON(w, http.StatusOK, statusBody{Status: StatusDenied, Reason: string(d.Reason), Message: d.Message()})
	default:
		writeJSON(w, http.StatusOK, statusBody{Status: StatusSignedIn, User: u})
	}
}

// logout ends the session. Only a POST from this origin is accepted
// (Sec-Fetch-Site, else the Origin header): a cross-site form cannot sign
// anyone out.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if !h.sameOrigin(r) {
		writeText(w, http.StatusForbidden, "Sign-out refused: the request did not come from this site.")
		return
	}
	h.clearCookie(w, r, h.cfg.sessionCookie, "/")
	h.clearCookie(w, r, h.cfg.stateCookie, h.cfg.prefix)
	if wantsJSON(r) {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	http.Redirect(w, r, safeReturnTo(r.URL.Query().Get("return_to")), http.StatusSeeOther)
}

func (h *Handler) sameOrigin(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" {
		return false
	}
	o := r.Header.Get("Origin")
	if o == "" || o == "null" {
		return false
	}
	own := h.origin(r)
	if own == "" {
		return false
	}
	ou, err := url.Parse(o)
	if err != nil {
		return false
	}
	return strings.EqualFold(ou.Scheme+"://"+ou.Host, own)
}

func wantsJSON(r *http.Request) bool {
	a := r.Header.Get("Accept")
	return strings.Contains(a, "application/json") && !strings.Contains(a, "text/html")
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func writeText(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(msg + "\n"))
}
