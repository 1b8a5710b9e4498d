package wire

import (
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/plexkit/plexgo/models/sdkerrors"
)

// CheckRedirect is plexgo's redirect policy, in the shape of
// http.Client.CheckRedirect. It refuses:
//
//   - a redirect of a request that carries X-Plex-Token or a body (a
//     password, a 2FA code, a device JWT) to another origin (scheme, host
//     and port; a missing port is the scheme's default), and so also
//     https→http with a token: sdkerrors.ErrRedirectRefused;
//   - a chain longer than sdkerrors.MaxRedirects hops, a loop included:
//     sdkerrors.ErrTooManyRedirects.
//
// Redirects within the origin keep the token; redirects of requests
// without token or body may leave it. The error is a
// *sdkerrors.RedirectError naming origins only.
func CheckRedirect(req *http.Request, via []*http.Request) error {
	if len(via) == 0 {
		return nil
	}
	first := via[0]
	status := 0
	if req.Response != nil {
		status = req.Response.StatusCode
	}
	if len(via) >= sdkerrors.MaxRedirects {
		reason := "stopped after 10 redirects"
		if revisits(req, via) {
			reason = "redirect loop: stopped after 10 redirects"
		}
		return &sdkerrors.RedirectError{From: Origin(first.URL), To: Origin(req.URL), StatusCode: status, Reason: reason, TooMany: true}
	}
	if reason := refuse(first, req.URL); reason != "" {
		return &sdkerrors.RedirectError{From: Origin(first.URL), To: Origin(req.URL), StatusCode: status, Reason: "would send " + reason}
	}
	return nil
}

// refuse says what of first's credentials would go where it must not
// if first were sent again to target, or "" when nothing would.
func refuse(first *http.Request, target *url.URL) string {
	token := first.Header.Get("X-Plex-Token") != ""
	body := first.GetBody != nil || first.ContentLength > 0 || (first.Body != nil && first.Body != http.NoBody)
	if (!token && !body) || sameOrigin(first.URL, target) {
		return ""
	}
	switch {
	case token && strings.EqualFold(first.URL.Scheme, "https") && !strings.EqualFold(target.Scheme, "https"):
		return "the token over plain http"
	case token:
		return "the token to another origin"
	}
	return "the request body to another origin"
}

// sameOrigin reports whether a and b have the same origin, without
// allocating when they are spelled alike.
func sameOrigin(a, b *url.URL) bool {
	if a == b || (a.Scheme == b.Scheme && a.Host == b.Host) {
		return true
	}
	return Origin(a) == Origin(b)
}

// revisits reports whether req goes back to a URL of the chain.
func revisits(req *http.Request, via []*http.Request) bool {
	for _, r := range via {
		if r.URL.String() == req.URL.String() {
			return true
		}
	}
	return false
}

// Origin returns "scheme://host:port", lowercased, with the default port
// filled in and no userinfo, path or query; "" for nil or a URL without
// scheme or host.
func Origin(u *url.URL) string {
	if u == nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "http":
			port = "80"
		case "https":
			port = "443"
		}
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// GuardRedirects returns hc with CheckRedirect in force. For an
// *http.Client it returns a copy whose CheckRedirect runs the policy first
// and then hc's own CheckRedirect (if any); hc itself is not changed, and
// later changes to it are not seen. Any other HTTPClient is returned as
// it is: the transport cannot see the redirects such a client follows, so
// it must apply CheckRedirect itself; the transport then only refuses an
// answer that came from another origin than a request carrying
// credentials was sent to (see offOrigin).
func GuardRedirects(hc HTTPClient) HTTPClient {
	c, ok := hc.(*http.Client)
	if !ok || c == nil {
		return hc
	}
	cp := *c
	own := c.CheckRedirect
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if err := CheckRedirect(req, via); err != nil {
			return err
		}
		if own != nil {
			return own(req, via)
		}
		return nil
	}
	return &cp
}

// offOrigin returns an error when resp was answered for another request
// than req (an HTTPClient that followed a redirect) and that redirect
// breaks the policy. Cheap when there was no redirect.
func offOrigin(req *http.Request, resp *http.Response) error {
	// http.Client sends a shallow copy of req when it has a timeout: same URL.
	if resp.Request == nil || resp.Request == req || resp.Request.URL == nil || resp.Request.URL == req.URL {
		return nil
	}
	if reason := refuse(req, resp.Request.URL); reason != "" {
		return &sdkerrors.RedirectError{From: Origin(req.URL), To: Origin(resp.Request.URL), Reason: "the HTTP client followed a redirect with " + reason}
	}
	return nil
}
