package plextest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// State is a JSON-friendly snapshot of the fake: its URLs, accounts (with
// credentials and seed tokens) and servers. GET /__plextest/state serves it
// and cmd/plexfake prints it.
type State struct {
	PlexTV   string       `json:"plextv"`
	PMS      string       `json:"pms"`
	Control  string       `json:"control"`
	AuthApp  string       `json:"authApp"`
	Accounts []Account    `json:"accounts"`
	Servers  []ServerInfo `json:"servers"`
}

// ControlURL is the base URL of the control API (PlexTVURL + ControlPrefix,
// without the trailing slash).
func (s *Server) ControlURL() string {
	return s.PlexTVURL + strings.TrimSuffix(ControlPrefix, "/")
}

// State returns a snapshot of the fake's URLs, accounts and servers.
func (s *Server) State() State {
	st := State{PlexTV: s.PlexTVURL, PMS: s.PMSURL, Control: s.ControlURL(), AuthApp: s.AuthAppURL}
	st.Accounts = s.Accounts()
	st.Servers = s.Servers()
	for i := range st.Servers {
		if st.Servers[i].Connections == nil {
			st.Servers[i].Connections = []Connection{} // JSON [] rather than null
		}
	}
	return st
}

// ctlParams holds the members of a control request's JSON body.
type ctlParams struct {
	v map[string]any
}

func (p ctlParams) str(k string) string {
	switch t := p.v[k].(type) {
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(t)
	}
	return ""
}

func (p ctlParams) duration(k string) (time.Duration, error) {
	switch t := p.v[k].(type) {
	case nil:
		return 0, nil
	case float64:
		return time.Duration(t * float64(time.Millisecond)), nil
	case string:
		if t == "" {
			return 0, nil
		}
		if ms, err := strconv.ParseFloat(t, 64); err == nil {
			return time.Duration(ms * float64(time.Millisecond)), nil
		}
		return time.ParseDuration(t)
	}
	return 0, fmt.Errorf("%s: not a duration", k)
}

func (p ctlParams) boolean(k string) bool {
	switch t := p.v[k].(type) {
	case bool:
		return t
	case string:
		return parseBool(t)
	case float64:
		return t != 0
	}
	return false
}

func (p ctlParams) integer(k string) (int64, error) {
	switch t := p.v[k].(type) {
	case nil:
		return 0, nil
	case float64:
		return int64(t), nil
	case string:
		if t == "" {
			return 0, nil
		}
		return strconv.ParseInt(t, 10, 64)
	}
	return 0, fmt.Errorf("%s: not an integer", k)
}

func (p ctlParams) ints(k string) ([]int, error) {
	var out []int
	switch t := p.v[k].(type) {
	case nil:
	case []any:
		for _, e := range t {
			f, ok := e.(float64)
			if !ok {
				return nil, fmt.Errorf("%s: not a list of integers", k)
			}
			out = append(out, int(f))
		}
	case string:
		for _, part := range strings.Split(t, ",") {
			if part = strings.TrimSpace(part); part == "" {
				continue
			}
			n, err := strconv.Atoi(part)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			out = append(out, n)
		}
	default:
		return nil, fmt.Errorf("%s: not a list of integers", k)
	}
	return out, nil
}

// readCtlParams reads control parameters from a JSON object body (an
// empty body means no parameters).
func readCtlParams(w http.ResponseWriter, r *http.Request, max int64) (ctlParams, error) {
	p := ctlParams{v: map[string]any{}}
	if r.Body == nil {
		return p, nil
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		return p, err
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return p, nil
	}
	if err := json.Unmarshal(body, &p.v); err != nil || p.v == nil {
		return ctlParams{v: map[string]any{}}, errors.New("the body must be a JSON object")
	}
	return p, nil
}

func ctlJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"encoding failed"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

func ctlErr(w http.ResponseWriter, status int, err error) {
	ctlJSON(w, status, map[string]string{"error": err.Error()})
}

// control serves the control API under ControlPrefix. Control requests are
// neither logged nor faulted.
func (s *Server) control(w http.ResponseWriter, r *http.Request) {
	if err := s.checkSameOrigin(r); err != nil {
		ctlErr(w, http.StatusForbidden, err)
		return
	}
	op := strings.TrimPrefix(r.URL.Path, ControlPrefix)
	if r.Method == http.MethodGet {
		switch op {
		case "state":
			ctlJSON(w, http.StatusOK, s.State())
		case "requests":
			reqs := s.Requests()
			if reqs == nil {
				reqs = []Request{}
			}
			ctlJSON(w, http.StatusOK, reqs)
		default:
			ctlErr(w, http.StatusNotFound, errors.New("unknown control operation"))
		}
		return
	}
	if r.Method == http.MethodDelete && op == "requests" {
		s.ResetRequests()
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if r.Method != http.MethodPost {
		ctlErr(w, http.StatusMethodNotAllowed, errors.New("use GET or POST"))
		return
	}
	if !isJSONContentType(r) {
		ctlErr(w, http.StatusUnsupportedMediaType, errNotJSON)
		return
	}
	p, err := readCtlParams(w, r, s.cfg.maxBody)
	if err != nil {
		ctlErr(w, http.StatusBadRequest, err)
		return
	}
	s.controlPost(w, op, p)
}

// controlPost runs the POST control operation op.
func (s *Server) controlPost(w http.ResponseWriter, op string, p ctlParams) {
	done := func() { w.WriteHeader(http.StatusNoContent) }
	switch op {
	case "approve-pin":
		login := p.str("login")
		if login == "" {
			login = DefaultLogin
		}
		tok, err := s.IssueToken(login, SeedClientID)
		if err == nil {
			err = s.ApprovePIN(p.str("code"), tok)
		}
		if err != nil {
			ctlErr(w, http.StatusNotFound, err)
			return
		}
		done()
	case "expire-pin":
		id, err := p.integer("id")
		if err == nil {
			err = s.ExpirePIN(id)
		}
		if err != nil {
			ctlErr(w, http.StatusNotFound, err)
			return
		}
		done()
	case "issue-token":
		tok, err := s.IssueToken(p.str("login"), p.str("clientID"))
		if err != nil {
			ctlErr(w, http.StatusBadRequest, err)
			return
		}
		ctlJSON(w, http.StatusOK, map[string]string{"token": tok})
	case "invite-friend":
		if err := s.InviteFriend(p.str("login"), p.str("machineIdentifier")); err != nil {
			ctlErr(w, http.StatusBadRequest, err)
			return
		}
		done()
	case "revoke-token":
		s.RevokeToken(p.str("token"))
		done()
	case "expire-token":
		s.ExpireToken(p.str("token"))
		done()
	case "restart-pms":
		s.RestartPMS()
		done()
	case "rotate-keys":
		s.RotateSigningKeys()
		done()
	case "retire-old-keys":
		s.RetireOldKeys()
		done()
	case "advance-clock":
		fc, ok := s.cfg.clock.(*FakeClock)
		if !ok {
			ctlErr(w, http.StatusConflict, errors.New("the fake is not running on a FakeClock"))
			return
		}
		d, err := p.duration("duration")
		if err != nil {
			ctlErr(w, http.StatusBadRequest, err)
			return
		}
		fc.Advance(d)
		ctlJSON(w, http.StatusOK, map[string]string{"now": fc.Now().UTC().Format(time.RFC3339Nano)})
	case "faults":
		route := p.str("route")
		if route == "" {
			ctlErr(w, http.StatusBadRequest, errors.New("route is required"))
			return
		}
		f, err := faultFromParams(p)
		if err != nil {
			ctlErr(w, http.StatusBadRequest, err)
			return
		}
		s.InjectFault(route, f)
		done()
	case "clear-faults":
		s.ClearFaults()
		done()
	case "reset-requests":
		s.ResetRequests()
		done()
	default:
		ctlErr(w, http.StatusNotFound, errors.New("unknown control operation"))
	}
}

func faultFromParams(p ctlParams) (Fault, error) {
	var f Fault
	var err error
	if f.Latency, err = p.duration("latency"); err != nil {
		return f, err
	}
	if f.Statuses, err = p.ints("statuses"); err != nil {
		return f, err
	}
	if f.Oversize, err = p.integer("oversize"); err != nil {
		return f, err
	}
	times, err := p.integer("times")
	if err != nil {
		return f, err
	}
	f.Times = int(times)
	f.RetryAfter = p.str("retryAfter")
	f.Reset = p.boolean("reset")
	f.Truncate = p.boolean("truncate")
	f.ContentType = p.str("contentType")
	f.Body = p.str("body")
	return f, nil
}
