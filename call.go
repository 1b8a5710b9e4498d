package plexgo

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/plexkit/plexgo/internal/redact"
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

// String describes the client without credentials: its base URLs (with
// secret query values and userinfo redacted) and client identifier.
func (p PlexAPI) String() string {
	var tv, pms, clientID string
	if p.wire != nil {
		tv, pms, clientID = p.wire.PlexTVURL, p.wire.PMSURL, p.wire.Header.Get("X-Plex-Client-Identifier")
	}
	return "PlexAPI{PlexTV:" + redact.URL(tv) + " Server:" + redact.URL(pms) +
		" ClientIdentifier:" + clientID + "}"
}

// Format prints String for every verb, so no fmt verb can reveal the
// configuration's secrets.
func (p PlexAPI) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, p.String()) }

func writeSection(w io.Writer, name string, p *PlexAPI) {
	s := "<nil>"
	if p != nil {
		s = p.String()
	}
	_, _ = io.WriteString(w, name+"{"+s+"}")
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

// tokenCall is the shape most operations share: a retryable call with the
// token and no body (a read, a revocation) whose answer, if any, is
// decoded into out.
func tokenCall(op, method string, host wire.Host, path string, out any) *wire.Call {
	return &wire.Call{Op: op, Method: method, Host: host, Path: path, Auth: wire.WithToken, Retryable: true, Out: out}
}

// listCall is a tokenCall GET whose answer is a MediaContainer of
// elements named name, decoded into *items.
func listCall[T any](op string, host wire.Host, path, name string, items *[]T) *wire.Call {
	c := tokenCall(op, http.MethodGet, host, path, listOf(name, items))
	c.Container = true
	return c
}
