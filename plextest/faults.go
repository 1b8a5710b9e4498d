package plextest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/plexkit/plexgo/internal/redact"
)

// Request is one request received by the fake, as logged by Requests.
// Secret values (X-Plex-Token in headers and query, Authorization,
// password, verificationCode, pin, jwt, deviceJWT, authToken) are replaced
// by "REDACTED".
type Request struct {
	Service string // "plextv" or "pms"
	Method  string
	Path    string
	Query   url.Values
	Header  http.Header
	Form    url.Values // form-urlencoded body fields, or the top-level members of a JSON body (an object or array as JSON, its secret-named members masked at any depth)
	Time    time.Time  // on the fake's clock
}

// Fault changes how the fake answers the requests of one route. See
// InjectFault.
type Fault struct {
	Latency     time.Duration // delay before answering
	Statuses    []int         // served in order, one per request, then normal behaviour (e.g. 503, 503, then real)
	RetryAfter  string        // Retry-After header on the faulted responses
	Reset       bool          // close the TCP connection without a response
	Truncate    bool          // Content-Length of the full body but only half of it written, then close
	Oversize    int64         // real status, a valid-looking body padded to this many bytes
	ContentType string        // override Content-Type (an HTML body is generated for text/html when Body is empty)
	Body        string        // override body
	Times       int           // how many requests it applies to; 0 = len(Statuses) if set, else forever
}

type faultState struct {
	f    Fault
	used int
}

const redacted = redact.Placeholder

// isSecret reports whether a header, query or form field name may hold a
// secret; the request log redacts those (see redact.IsSecretName).
func isSecret(name string) bool { return redact.IsSecretName(name) }

func maskValues(v url.Values) url.Values { return redact.Values(v) }

func maskHeader(h http.Header) http.Header { return redact.Header(h) }

func bodyFields(r *http.Request, body []byte) url.Values {
	if len(body) == 0 {
		return url.Values{}
	}
	mt, _ := mediaType(r)
	switch {
	case mt == "application/x-www-form-urlencoded":
		v, _ := url.ParseQuery(string(body))
		if v == nil {
			v = url.Values{}
		}
		return v
	case strings.HasSuffix(mt, "json") || bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")):
		var m map[string]json.RawMessage
		out := url.Values{}
		if json.Unmarshal(body, &m) != nil {
			return out
		}
		for k, raw := range m {
			var str string
			if json.Unmarshal(raw, &str) == nil {
				out.Set(k, str)
			} else {
				out.Set(k, redact.JSON(raw))
			}
		}
		return out
	}
	return url.Values{}
}

func (s *Server) logRequest(service string, r *http.Request, body []byte) {
	q, _ := url.ParseQuery(r.URL.RawQuery)
	if q == nil {
		q = url.Values{}
	}
	req := Request{
		Service: service,
		Method:  r.Method,
		Path:    r.URL.Path,
		Query:   maskValues(q),
		Header:  maskHeader(r.Header),
		Form:    maskValues(bodyFields(r, body)),
		Time:    s.now(),
	}
	s.mu.Lock()
	s.reqs.add(req)
	s.maybePruneLocked(req.Time)
	s.mu.Unlock()
	s.cfg.logger.Debug("request", "service", service, "method", r.Method, "path", r.URL.Path)
}

// Requests returns the requests received so far on every listener (plex.tv
// and all PMS connections), in order, with secrets masked. Requests to the
// control path are not logged.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.reqs.buf) == 0 {
		return nil
	}
	return s.reqs.all()
}

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	s.reqs.reset()
	s.mu.Unlock()
}

// CountRequests counts logged requests with this method ("*" for any) and
// exact path.
func (s *Server) CountRequests(method, path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.reqs.buf {
		if (method == "*" || strings.EqualFold(r.Method, method)) && r.Path == path {
			n++
		}
	}
	return n
}

func normalizeRoute(route string) string {
	route = strings.TrimSpace(route)
	m, p, ok := strings.Cut(route, " ")
	if !ok {
		return "* " + route
	}
	return strings.ToUpper(strings.TrimSpace(m)) + " " + strings.TrimSpace(p)
}

// InjectFault makes the fake misbehave on a route, given as "METHOD /path"
// exactly as the client sends the path (no query), e.g.
// "POST /api/v2/users/signin" or "GET /security/token"; the method "*"
// matches any method ("* /identity"). The route applies to every listener
// that receives that path. A later InjectFault for the same route replaces
// the earlier one; a method-specific fault wins over a "*" fault.
func (s *Server) InjectFault(route string, f Fault) {
	f.Statuses = append([]int(nil), f.Statuses...)
	s.mu.Lock()
	s.faults[normalizeRoute(route)] = &faultState{f: f}
	s.mu.Unlock()
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	s.faults = map[string]*faultState{}
	s.mu.Unlock()
}

func (s *Server) takeFault(method, path string) (Fault, int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, key := range []string{strings.ToUpper(method) + " " + path, "* " + path} {
		fs := s.faults[key]
		if fs == nil {
			continue
		}
		limit := fs.f.Times
		if limit == 0 && len(fs.f.Statuses) > 0 {
			limit = len(fs.f.Statuses)
		}
		if limit > 0 && fs.used >= limit {
			continue
		}
		n := fs.used
		fs.used++
		return fs.f, n, true
	}
	return Fault{}, 0, false
}

// wrap is the middleware shared by every listener: bounded body, request
// log, faults.
func (s *Server) wrap(service string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body []byte
		if r.Body != nil {
			b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.maxBody))
			if err != nil {
				var mbe *http.MaxBytesError
				if errors.As(err, &mbe) {
					s.logRequest(service, r, nil)
					s.errorFor(service, w, r, http.StatusRequestEntityTooLarge)
				}
				return
			}
			body = b
			r.Body = io.NopCloser(bytes.NewReader(b))
		}
		s.logRequest(service, r, body)
		if s.applyFault(service, w, r, next) {
			return
		}
		next.ServeHTTP(w, r)
	})
}

// errorFor writes a generic error in the style of the service.
func (s *Server) errorFor(service string, w http.ResponseWriter, r *http.Request, status int) {
	if service == "pms" {
		writeHTML(w, status)
		return
	}
	writeTVError(w, wantsJSON(r), status, 0, http.StatusText(status))
}

func htmlBody(status int) string {
	t := http.StatusText(status)
	return fmt.Sprintf("<html><head><title>%s</title></head><body><h1>%d %s</h1></body></html>", t, status, t)
}

func writeHTML(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, htmlBody(status))
}

func (s *Server) applyFault(service string, w http.ResponseWriter, r *http.Request, next http.Handler) bool {
	f, n, ok := s.takeFault(r.Method, r.URL.Path)
	if !ok {
		return false
	}
	if f.Latency > 0 && !s.sleep(r.Context(), f.Latency) {
		return true
	}
	if f.Reset {
		resetConn(w)
		return true
	}
	status := 0
	if n < len(f.Statuses) {
		status = f.Statuses[n]
	}
	if status == 0 && f.RetryAfter == "" && f.ContentType == "" && f.Body == "" && !f.Truncate && f.Oversize <= 0 {
		next.ServeHTTP(w, r) // latency-only fault
		return true
	}
	var hdr http.Header
	var body []byte
	if status != 0 {
		rec := newRecorder()
		s.errorFor(service, rec, r, status)
		hdr, body = rec.Header(), rec.body.Bytes()
	} else {
		rec := newRecorder()
		next.ServeHTTP(rec, r)
		status, hdr, body = rec.code, rec.Header(), rec.body.Bytes()
	}
	if f.RetryAfter != "" {
		hdr.Set("Retry-After", f.RetryAfter)
	}
	if f.ContentType != "" {
		hdr.Set("Content-Type", f.ContentType)
		if f.Body == "" && strings.Contains(f.ContentType, "html") && !bytes.Contains(body, []byte("<html")) {
			body = []byte(htmlBody(status))
		}
	}
	if f.Body != "" {
		body = []byte(f.Body)
	}
	hdr.Del("Content-Length")
	if f.Truncate {
		writeTruncated(w, status, hdr, body)
		return true
	}
	writeOversize(w, status, hdr, body, f.Oversize)
	return true
}

func rawConn(c net.Conn) net.Conn {
	if nc, ok := c.(interface{ NetConn() net.Conn }); ok {
		return nc.NetConn()
	}
	return c
}

// resetConn closes the client connection without a response (RST).
func resetConn(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	if tc, ok := rawConn(conn).(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// writeTruncated announces the full length but writes half the body, then
// closes the connection.
func writeTruncated(w http.ResponseWriter, status int, hdr http.Header, body []byte) {
	conn, bw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	if bw == nil {
		bw = bufio.NewReadWriter(bufio.NewReader(conn), bufio.NewWriter(conn))
	}
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	hdr.Set("Connection", "close")
	fmt.Fprintf(bw, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	_ = hdr.Write(bw)
	_, _ = bw.WriteString("\r\n")
	_, _ = bw.Write(body[:len(body)/2])
	_ = bw.Flush()
}

// writeOversize writes the response, padding body to n bytes when n is
// larger than the body. A JSON object gets a "_padding" member, anything
// else trailing spaces; both stay well-formed.
func writeOversize(w http.ResponseWriter, status int, hdr http.Header, body []byte, n int64) {
	for k, v := range hdr {
		w.Header()[k] = v
	}
	if n <= int64(len(body)) {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(status)
		_, _ = w.Write(body)
		return
	}
	prefix, suffix, padByte := body, []byte(nil), byte(' ')
	trim := bytes.TrimSpace(body)
	if len(trim) > 0 && trim[0] == '{' {
		rest := bytes.TrimSpace(trim[1:])
		p := []byte(`{"_padding":"`)
		var sfx []byte
		if len(rest) > 0 && rest[0] == '}' {
			sfx = append([]byte(`"`), rest...)
		} else {
			sfx = append([]byte(`",`), rest...)
		}
		if int64(len(p)+len(sfx)) <= n {
			prefix, suffix, padByte = p, sfx, 'x'
		}
	}
	pad := n - int64(len(prefix)) - int64(len(suffix))
	w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
	w.WriteHeader(status)
	if _, err := w.Write(prefix); err != nil {
		return
	}
	chunk := bytes.Repeat([]byte{padByte}, 32<<10)
	for pad > 0 {
		c := chunk
		if pad < int64(len(c)) {
			c = c[:pad]
		}
		if _, err := w.Write(c); err != nil {
			return
		}
		pad -= int64(len(c))
	}
	_, _ = w.Write(suffix)
}

// recorder captures a response in memory (the fault middleware rewrites
// it before it reaches the client).
type recorder struct {
	hdr         http.Header
	code        int
	wroteHeader bool
	body        bytes.Buffer
}

func newRecorder() *recorder { return &recorder{hdr: http.Header{}, code: http.StatusOK} }

func (r *recorder) Header() http.Header { return r.hdr }

func (r *recorder) WriteHeader(code int) {
	if !r.wroteHeader {
		r.code, r.wroteHeader = code, true
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	r.wroteHeader = true
	return r.body.Write(p)
}
