package plextest

import (
	"cmp"
	"slices"
	"time"
)

// PendingPIN is a PIN that was created and is neither expired nor
// approved yet, as returned by PendingPINs.
type PendingPIN struct {
	ID               int64
	Code             string
	ClientIdentifier string
	Product          string
	Strong           bool
	JWT              bool // created with a device key (JWT device authentication)
	CreatedAt        time.Time
	ExpiresAt        time.Time
}

// PendingPINs returns the PINs waiting for approval, oldest first. A test
// playing the second device of a PIN login (the browser, or plex.tv/link)
// reads the code here and approves it with Plex.LinkPin or ApprovePIN.
func (s *Server) PendingPINs() []PendingPIN {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []PendingPIN
	for _, p := range s.pins {
		if p.approvedBy != 0 || p.expired || !now.Before(p.expires) {
			continue
		}
		out = append(out, PendingPIN{
			ID: p.id, Code: p.code, ClientIdentifier: p.clientID, Product: p.product,
			Strong: p.strong, JWT: p.jwk != nil, CreatedAt: p.created, ExpiresAt: p.expires,
		})
	}
	slices.SortFunc(out, func(a, b PendingPIN) int { return cmp.Compare(a.ID, b.ID) })
	return out
}
