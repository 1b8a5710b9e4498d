package plextest

import "time"

// DefaultRequestLogSize is how many requests the request log keeps by
// default (see WithRequestLogSize): the oldest are dropped first.
const DefaultRequestLogSize = 10000

// pruneInterval is how often (on the fake's clock) expired state is
// dropped: PINs, nonces, transient tokens, Plex JWT records, rate-limit
// windows and sign-in failure counts.
const pruneInterval = time.Minute

// reqRing is the request log: a ring of at most cap(buf) entries.
type reqRing struct {
	buf   []Request
	start int // index of the oldest entry once the ring is full
	max   int
}

func (r *reqRing) add(req Request) {
	if r.max <= 0 {
		return
	}
	if len(r.buf) < r.max {
		r.buf = append(r.buf, req)
		return
	}
	r.buf[r.start] = req
	r.start = (r.start + 1) % r.max
}

// all returns the entries oldest first.
func (r *reqRing) all() []Request {
	out := make([]Request, 0, len(r.buf))
	out = append(out, r.buf[r.start:]...)
	return append(out, r.buf[:r.start]...)
}

func (r *reqRing) reset() { r.buf, r.start = nil, 0 }

// maybePruneLocked drops expired state at most once per pruneInterval.
func (s *Server) maybePruneLocked(now time.Time) {
	if d := now.Sub(s.lastPrune); !s.lastPrune.IsZero() && d >= 0 && d < pruneInterval {
		return
	}
	s.lastPrune = now
	s.pruneLocked(now)
}

// pruneLocked drops every record that can no longer change an answer:
// expired PINs (an unknown PIN gets the same 404 as an expired one),
// expired or used nonces, expired transient tokens, records of Plex JWTs
// past their exp (they get 498 from their exp claim alone), empty
// rate-limit windows and sign-in failure counts older than the lock-out
// cool-down.
func (s *Server) pruneLocked(now time.Time) {
	for id, p := range s.pins {
		if p.expired || !now.Before(p.expires) {
			if s.pinCodes[p.code] == id {
				delete(s.pinCodes, p.code)
			}
			delete(s.pins, id)
		}
	}
	for k, c := range s.claims {
		if !now.Before(c.expires) {
			delete(s.claims, k)
		}
	}
	for k, n := range s.nonces {
		if n.used || !now.Before(n.expires) {
			delete(s.nonces, k)
		}
	}
	for _, srv := range s.servers {
		for k, t := range srv.transient {
			if !now.Before(t.expires) {
				delete(srv.transient, k)
			}
		}
	}
	for k, j := range s.jwts {
		if !j.exp.IsZero() && !now.Before(j.exp) {
			delete(s.jwts, k)
		}
	}
	cutoff := now.Add(-s.cfg.ratePer)
	for k, ts := range s.rate {
		if len(ts) == 0 || !ts[len(ts)-1].After(cutoff) {
			delete(s.rate, k)
		}
	}
	for k, ls := range s.lockouts {
		if now.Before(ls.until) {
			continue
		}
		if !ls.last.IsZero() && now.Sub(ls.last) < s.cfg.lockoutCool {
			continue
		}
		delete(s.lockouts, k)
	}
}
