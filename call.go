package plexgo

import (
	"context"
	"fmt"

	"github.com/plexkit/plexgo/internal/wire"
	"github.com/plexkit/plexgo/models/operations"
)

// section is what each group of operations (Authentication, Plex,
// Server) is: a handle on the client that made it.
type section struct{ sdk *PlexAPI }

// client returns the section's client; nil for a nil or zero section,
// which send turns into errNotCreated.
func (s *section) client() *PlexAPI {
	if s == nil {
		return nil
	}
	return s.sdk
}

// Format prints the section's client without its secrets, for every verb.
func (s *Authentication) Format(f fmt.State, _ rune) {
	writeSection(f, "Authentication", (*section)(s).client())
}

// Format prints the section's client without its secrets, for every verb.
func (s *Plex) Format(f fmt.State, _ rune) { writeSection(f, "Plex", (*section)(s).client()) }

// Format prints the section's client without its secrets, for every verb.
func (s *Server) Format(f fmt.State, _ rune) { writeSection(f, "Server", (*section)(s).client()) }

// send makes call through the section's client and returns res with its
// HTTP metadata stored in *meta (res's embedded operations.HTTPMeta), or
// the error. An operation is then a declaration: what to send (call),
// where the answer goes (call.Out, allocated with res) and what it
// returns.
func send[R any](ctx context.Context, s *section, opts []operations.Option, res *R, meta *operations.HTTPMeta, call *wire.Call) (*R, error) {
	m, err := s.client().do(ctx, call, opts)
	if err != nil {
		return nil, err
	}
	*meta = m
	return res, nil
}
