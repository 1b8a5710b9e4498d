package plexgo

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/plexkit/plexgo/internal/wire"
)

// maxHTTPClientRedirects bounds the redirects HTTPClient follows.
const maxHTTPClientRedirects = 10

// HTTPClient returns an *http.Client for the Plex endpoints the SDK does
// not cover, e.g. GET {server}/library/sections on a connected server:
//
//	res, err := conn.Client.HTTPClient().Get(conn.URI + "/library/sections")
//
// Every request through it gets the SDK's identity headers (Accept,
// User-Agent, X-Plex-Client-Identifier, X-Plex-Product, …) where the
// request has none. The SDK's token (WithSecurity or WithSecuritySource)
// is added as X-Plex-Token only to requests for the SDK's own origins
// (scheme, host and port of its plex.tv URL, clients.plex.tv and its server
// URL), and never once a redirect has left the origin of the first
// request: the token, also one the caller set, is removed from every
// request of a redirect chain that went to another origin, so it never
// reaches another host, nor plain http after https. A 307/308 redirect of
// a request with a body to another origin is not followed (the body could
// hold credentials). At most 10 redirects are followed.
//
// It sends through the SDK's HTTP client: for an *http.Client (the
// default) its transport and timeout; for any other HTTPClient its Do,
// whose own redirect handling then applies. Reading and bounding response
// bodies is the caller's job.
func (p *PlexAPI) HTTPClient() *http.Client {
	t := &identityTransport{p: p}
	c := &http.Client{Transport: t, CheckRedirect: checkIdentityRedirect}
	if p != nil && p.wire != nil {
		if hc, ok := p.wire.HTTP.(*http.Client); ok {
			c.Timeout, c.Jar = hc.Timeout, hc.Jar
			t.base = hc.Transport
			if t.base == nil {
				t.base = http.DefaultTransport
			}
		} else {
			t.do = p.wire.HTTP
		}
	}
	return c
}

// identityTransport adds the SDK's headers and, toward its own origins,
// its token.
type identityTransport struct {
	p    *PlexAPI
	base http.RoundTripper // for an *http.Client
	do   HTTPClient        // for any other HTTPClient
}

// RoundTrip implements http.RoundTripper.
func (t *identityTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	p := t.p
	if p == nil || p.wire == nil || (t.base == nil && t.do == nil) {
		closeBody(req)
		return nil, errNotCreated
	}
	if err := p.wire.ConfigErr; err != nil {
		closeBody(req)
		return nil, fmt.Errorf("plexgo: HTTPClient: %w", err)
	}
	out := req.Clone(req.Context())
	for k, v := range p.wire.Header {
		if out.Header.Get(k) == "" {
			out.Header[k] = append([]string(nil), v...)
		}
	}
	switch {
	case !sameOriginChain(req):
		out.Header.Del("X-Plex-Token")
	case out.Header.Get("X-Plex-Token") == "" && p.wire.Security != nil && p.ownOrigin(req.URL):
		tok, err := p.wire.Security(req.Context())
		if err != nil {
			closeBody(req)
			return nil, fmt.Errorf("plexgo: HTTPClient: security source: %w", err)
		}
		if tok != "" {
			out.Header.Set("X-Plex-Token", tok)
		}
	}
	if t.do != nil {
		return t.do.Do(out)
	}
	return t.base.RoundTrip(out)
}

// ownOrigin reports whether u is on one of the SDK's origins.
func (p *PlexAPI) ownOrigin(u *url.URL) bool {
	o := wire.Origin(u)
	if o == "" {
		return false
	}
	for _, base := range []string{p.wire.PlexTVURL, p.wire.ClientsURL, p.wire.PMSURL} {
		if b, err := url.Parse(base); err == nil && wire.Origin(b) == o {
			return true
		}
	}
	return false
}

// sameOriginChain reports whether every request of req's redirect chain
// had req's origin.
func sameOriginChain(req *http.Request) bool {
	o := wire.Origin(req.URL)
	for r := req.Response; r != nil && r.Request != nil; r = r.Request.Response {
		if wire.Origin(r.Request.URL) != o {
			return false
		}
	}
	return true
}

// checkIdentityRedirect bounds redirects and refuses to replay a body to
// another origin.
func checkIdentityRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxHTTPClientRedirects {
		return fmt.Errorf("plexgo: HTTPClient: stopped after %d redirects", maxHTTPClientRedirects)
	}
	prev := via[len(via)-1]
	if req.Response != nil && (req.Response.StatusCode == http.StatusTemporaryRedirect || req.Response.StatusCode == http.StatusPermanentRedirect) &&
		prev.GetBody != nil && prev.ContentLength != 0 && wire.Origin(req.URL) != wire.Origin(prev.URL) {
		return errors.New("plexgo: HTTPClient: not following a redirect that would send the request body to another origin")
	}
	return nil
}

func closeBody(req *http.Request) {
	if req != nil && req.Body != nil {
		_ = req.Body.Close()
	}
}
