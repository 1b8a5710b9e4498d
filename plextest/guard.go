package plextest

import (
	"errors"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// The control API and the auth app's backend change the fake's state and
// hand out credentials, so a web page the developer happens to visit must
// not drive them: requests with a foreign Origin, or a Host other than the
// listener's own loopback address (DNS rebinding), are refused, and POST
// bodies must be application/json (which a cross-origin page cannot send
// without a CORS preflight, and the fake grants none).

var (
	errForeignOrigin = errors.New("cross-origin request refused: the Origin is not this listener")
	errForeignHost   = errors.New("request refused: the Host header is not this listener's loopback address")
	errNotJSON       = errors.New("Content-Type must be application/json")
)

// localHost reports whether hostport names the plex.tv listener: same port,
// and "localhost", a loopback IP, or the IP the listener is bound to.
func (s *Server) localHost(hostport string) bool {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil || port != strconv.Itoa(s.tvAddr.Port) {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || (!s.tvAddr.IP.IsUnspecified() && ip.Equal(s.tvAddr.IP)))
}

// checkSameOrigin refuses a request whose Host is not the listener or
// whose Origin (when present) is another origin.
func (s *Server) checkSameOrigin(r *http.Request) error {
	if !s.localHost(r.Host) {
		return errForeignHost
	}
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || u.Scheme != "http" || u.Path != "" || !s.localHost(u.Host) {
			return errForeignOrigin
		}
	}
	return nil
}

// isJSONContentType reports whether the request declares an
// application/json body.
func isJSONContentType(r *http.Request) bool {
	mt, err := mediaType(r)
	return err == nil && mt == "application/json"
}

// mediaType is the media type of r's Content-Type header, lower-cased and
// without parameters.
func mediaType(r *http.Request) (string, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt, err
}
