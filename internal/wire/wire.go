// Package wire is plexgo's one transport. Every operation declares a Call
// (host, method, path, input, retry class, decode targets) and hands it to
// Client.Do, which builds the request, sets the identity and token
// headers, sends it with retries, reads the body through a size limit,
// decodes JSON or XML by Content-Type and maps failures to sdkerrors.
package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/plexkit/plexgo/internal/ctxsleep"
	"github.com/plexkit/plexgo/internal/redact"
	"github.com/plexkit/plexgo/internal/urlcheck"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/models/sdkerrors"
	"github.com/plexkit/plexgo/retry"
)

// HTTPClient sends HTTP requests; *http.Client satisfies it.
type HTTPClient interface {
	Do(req *http.Request) (*http.Response, error)
}

// Host names the service a call goes to.
type Host uint8

// The services.
const (
	PlexTV        Host = iota // plex.tv API (https://plex.tv)
	ClientsPlexTV             // clients.plex.tv (JWT device auth)
	PMS                       // the configured Plex Media Server
)

// Auth says whether a call carries the token.
type Auth uint8

// Token modes.
const (
	NoToken   Auth = iota // never send a token
	WithToken             // send the per-call or configured token
)

// Call declares one request.
type Call struct {
	Op        string // operation id, used in errors and logs
	Method    string
	Host      Host
	Path      string // escaped path relative to the host base, no leading slash
	Query     url.Values
	Form      url.Values // form-urlencoded body
	JSON      any        // JSON body
	Auth      Auth
	Retryable bool   // may be sent again: retries allowed (see retry.Config.Next)
	ClientID  string // overrides the configured client identifier
	// Out receives the decoded body (JSON, and XML when XMLOut is nil).
	// Nil means the body is read and dropped.
	Out any
	// Container says Out is a MediaContainer, the envelope of PMS answers:
	// the JSON body is {"MediaContainer": Out} and the XML root element is
	// Out. The transport unwraps it.
	Container bool
	// XMLOut receives the decoded body when the answer is XML, for the
	// operations whose XML form differs from their JSON form.
	XMLOut any
	// EmptyOK accepts a 2xx with no body even when Out is set.
	EmptyOK bool
	// CoolDown makes the client remember plex.tv's "wait" answers to this
	// call (429, or a 1031 lock-out, with a Retry-After) and fail further
	// calls of it locally, without a request, until the wait is over. For
	// sign-in, where every extra attempt prolongs the lock-out.
	CoolDown bool
}

// Client holds the settings shared by every call. Its settings are
// immutable once built; it is safe for concurrent use.
type Client struct {
	HTTP       HTTPClient
	PlexTVURL  string
	ClientsURL string
	PMSURL     string
	// Security returns the token for calls that carry one.
	Security func(ctx context.Context) (string, error)
	// Header holds the identity headers sent on every request.
	Header    http.Header
	Logger    *slog.Logger
	MaxBody   int64
	Retry     retry.Config
	Timeout   time.Duration
	ConfigErr error
	Sleep     func(ctx context.Context, d time.Duration) error
	Jitter    func() float64
	Now       func() time.Time

	coolDowns coolDowns // per-operation "wait" answers, see Call.CoolDown
}

// coolDowns remembers, per operation, until when plex.tv asked the client
// to wait, and the answer that said so.
type coolDowns struct {
	mu   sync.Mutex
	byOp map[string]coolDown
}

// coolDown is one operation's wait.
type coolDown struct {
	until  time.Time
	answer *sdkerrors.APIError
}

// check returns a copy of the remembered answer, with the time left, when
// op is still cooling down.
func (cd *coolDowns) check(op string, now time.Time) *sdkerrors.APIError {
	cd.mu.Lock()
	defer cd.mu.Unlock()
	w, ok := cd.byOp[op]
	if !ok {
		return nil
	}
	if !now.Before(w.until) {
		delete(cd.byOp, op)
		return nil
	}
	e := *w.answer
	e.RetryAfter = w.until.Sub(now).Round(time.Second)
	if e.RetryAfter <= 0 {
		e.RetryAfter = time.Second
	}
	e.Attempts = 0
	e.RawResponse = nil
	e.Message += " (not sent: still waiting out plex.tv's earlier answer)"
	return &e
}

// record starts a cool-down when e asks the client to wait: a 429 with a
// Retry-After, or a 1031 lock-out for its Retry-After or, without one,
// retry.LockoutCoolDown.
func (cd *coolDowns) record(e *sdkerrors.APIError, now time.Time) {
	wait := e.RetryAfter
	switch {
	case e.HasCode(sdkerrors.CodeSignInLocked):
		if wait <= 0 {
			wait = retry.LockoutCoolDown
		}
	case e.StatusCode != http.StatusTooManyRequests:
		return
	}
	if wait <= 0 {
		return
	}
	cd.mu.Lock()
	defer cd.mu.Unlock()
	if cd.byOp == nil {
		cd.byOp = make(map[string]coolDown)
	}
	cp := *e
	cd.byOp[e.Op] = coolDown{until: now.Add(min(wait, retry.RetryAfterLimit)), answer: &cp}
}

const maxErrorBody = 64 << 10

// request is one call being sent: what prepare worked out once for all
// its attempts. It does not hold the call: escape analysis would then move
// every Call to the heap.
type request struct {
	ctx         context.Context
	policy      retry.Config
	target      string
	token       string
	body        []byte
	contentType string
}

// Do sends the call and decodes its answer: prepare, then the send loop
// (attempts and retries), then finish (decoding or error mapping).
func (c *Client) Do(ctx context.Context, call *Call, opts []operations.Option) (operations.HTTPMeta, error) {
	var r request
	cancel, err := c.prepare(ctx, call, &r, opts)
	if err != nil {
		return operations.HTTPMeta{}, err
	}
	defer cancel()
	resp, data, err := c.send(call, &r)
	if err != nil {
		return operations.HTTPMeta{}, err
	}
	return finish(call, resp, data)
}

// finish decodes a success into the call's targets and describes it.
func finish(call *Call, resp *http.Response, data []byte) (operations.HTTPMeta, error) {
	ct := resp.Header.Get("Content-Type")
	if err := decode(call, ct, data); err != nil {
		return operations.HTTPMeta{}, fmt.Errorf("plexgo: %s: %w", call.Op, err)
	}
	return operations.HTTPMeta{ContentType: ct, StatusCode: resp.StatusCode, RawResponse: resp}, nil
}

// prepare checks the configuration and the per-call options and builds
// what every attempt sends: URL, token and body. The returned cancel
// ends the call's timeout.
func (c *Client) prepare(ctx context.Context, call *Call, r *request, opts []operations.Option) (context.CancelFunc, error) {
	if c.ConfigErr != nil {
		return nil, fmt.Errorf("plexgo: %s: invalid configuration: %w", call.Op, c.ConfigErr)
	}
	o, err := applyOptions(opts)
	if err != nil {
		return nil, fmt.Errorf("plexgo: %s: %w", call.Op, err)
	}
	if call.CoolDown {
		if e := c.coolDowns.check(call.Op, c.now()); e != nil {
			return nil, sdkerrors.Typed(e)
		}
	}
	if r.target, err = c.url(call, o.ServerURL); err != nil {
		return nil, fmt.Errorf("plexgo: %s: %w", call.Op, err)
	}
	r.policy = c.Retry
	if o.Retries != nil {
		r.policy = *o.Retries
	}
	timeout := c.Timeout
	if o.Timeout != nil {
		timeout = *o.Timeout
	}
	cancel := context.CancelFunc(func() {})
	if timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, timeout)
	}
	r.ctx = ctx
	if err := c.prepareBody(call, r, o.Token.Reveal()); err != nil {
		cancel()
		return nil, err
	}
	return cancel, nil
}

// prepareBody sets the token (the per-call one, or the source's) and
// encodes the body.
func (c *Client) prepareBody(call *Call, r *request, token string) error {
	var err error
	if call.Auth == WithToken {
		if token == "" && c.Security != nil {
			if token, err = c.Security(r.ctx); err != nil {
				return fmt.Errorf("plexgo: %s: security source: %w", call.Op, err)
			}
		}
		r.token = token
	}
	switch {
	case call.Form != nil:
		r.body = []byte(call.Form.Encode())
		r.contentType = "application/x-www-form-urlencoded"
	case call.JSON != nil:
		if r.body, err = json.Marshal(call.JSON); err != nil {
			return fmt.Errorf("plexgo: %s: encoding request: %w", call.Op, err)
		}
		r.contentType = "application/json"
	}
	return nil
}

// send is the send loop: it makes attempts until one succeeds (a 2xx
// whose body was read), a failure is final, or retry.Config.Next says
// stop. The returned response's body holds data again.
func (c *Client) send(call *Call, r *request) (*http.Response, []byte, error) {
	start := c.now()
	for attempt := 1; ; attempt++ {
		resp, data, err := c.attempt(call, r, attempt)
		if err != nil {
			return nil, nil, err
		}
		a := retry.Attempt{Number: attempt, Retryable: call.Retryable, Err: resp.err, Jitter: c.jitter()}
		var apiErr *sdkerrors.APIError
		if resp.err == nil {
			if ok2xx(resp.StatusCode) {
				return resp.Response, data, nil
			}
			apiErr = newAPIError(call.Op, resp.Response, resp.Header.Get("Content-Type"), data, attempt, c.now())
			a.Status, a.RetryAfter = resp.StatusCode, apiErr.RetryAfter
		}
		a.Elapsed = c.now().Sub(start)
		if wait, ok := r.policy.Next(a); ok && c.fits(r.ctx, wait) {
			if c.sleep(r.ctx, wait) == nil {
				continue
			}
			if ctxErr := r.ctx.Err(); ctxErr != nil {
				return nil, nil, fmt.Errorf("plexgo: %s: %w (after %w)", call.Op, ctxErr, lastFailure(resp.err, apiErr))
			}
		}
		return nil, nil, c.failure(call, resp, apiErr)
	}
}

// answer is the outcome of one attempt that may be retried: a response
// with its body read, or err (with or without a response) when no usable
// answer arrived.
type answer struct {
	*http.Response
	err error
}

// attempt sends the request once and reads the answer's body through the
// limit. Failures no retry can mend come back as err; the others in the
// answer.
func (c *Client) attempt(call *Call, r *request, n int) (answer, []byte, error) {
	var rd io.Reader
	if r.body != nil {
		rd = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(r.ctx, call.Method, r.target, rd)
	if err != nil {
		return answer{}, nil, fmt.Errorf("plexgo: %s: building request: %w", call.Op, redactErr(err))
	}
	req.Header = c.requestHeader(r.contentType, call.ClientID, r.token)
	sent := c.now()
	resp, err := c.HTTP.Do(req)
	var data []byte
	if err == nil {
		data, err = c.readAnswer(req, resp)
	}
	status := 0
	if resp != nil && (err == nil || errors.Is(err, sdkerrors.ErrResponseTooLarge)) {
		status = resp.StatusCode
	}
	c.log(r.ctx, call, r.target, n, status, sent)
	if err != nil {
		return c.attemptFailed(call, r, resp, err)
	}
	body := &bodyReader{}
	body.Reset(data)
	resp.Body = body
	return answer{Response: resp}, data, nil
}

// attemptFailed sorts the failure of an attempt: final (a refused
// redirect, a success too large, the context's end) or for the retry
// decision (in the answer).
func (c *Client) attemptFailed(call *Call, r *request, resp *http.Response, err error) (answer, []byte, error) {
	var re *sdkerrors.RedirectError
	switch {
	case errors.As(err, &re):
		return answer{}, nil, fmt.Errorf("plexgo: %s: %w", call.Op, re)
	case errors.Is(err, sdkerrors.ErrResponseTooLarge):
		return answer{}, nil, fmt.Errorf("plexgo: %s: %w (limit %d bytes)", call.Op, sdkerrors.ErrResponseTooLarge, c.MaxBody)
	case r.ctx.Err() != nil:
		return answer{}, nil, fmt.Errorf("plexgo: %s: %w", call.Op, r.ctx.Err())
	}
	return answer{Response: resp, err: err}, nil, nil
}

// readAnswer reads and closes the body (a success's up to MaxBody, an
// error's up to maxErrorBody, which may be cut short) and removes the
// token from the request the response keeps.
func (c *Client) readAnswer(req *http.Request, resp *http.Response) ([]byte, error) {
	limit := c.MaxBody
	if !ok2xx(resp.StatusCode) {
		limit = maxErrorBody
	}
	data, err := readBody(resp, limit)
	resp.Body.Close()
	forgetToken(resp)
	if err != nil && !ok2xx(resp.StatusCode) {
		err = nil // an error body cut short still tells the status
	}
	if err == nil {
		err = offOrigin(req, resp)
	}
	return data, err
}

// failure is the error of a final failed attempt; a "wait" answer to a
// CoolDown call starts its cool-down.
func (c *Client) failure(call *Call, resp answer, apiErr *sdkerrors.APIError) error {
	if apiErr == nil {
		if resp.Response != nil {
			return fmt.Errorf("plexgo: %s: reading response: %w: %w", call.Op, sdkerrors.ErrUnexpectedContent, redactErr(resp.err))
		}
		return fmt.Errorf("plexgo: %s: sending request: %w", call.Op, redactErr(resp.err))
	}
	if call.CoolDown {
		c.coolDowns.record(apiErr, c.now())
	}
	return sdkerrors.Typed(apiErr)
}

// lastFailure is what the attempt before a cancelled wait failed with.
func lastFailure(err error, apiErr *sdkerrors.APIError) error {
	if apiErr != nil {
		return apiErr
	}
	return redactErr(err)
}

func ok2xx(status int) bool { return status >= 200 && status <= 299 }

// applyOptions applies the per-call options in order (nil ones are
// skipped). Without options it allocates nothing.
func applyOptions(opts []operations.Option) (operations.Options, error) {
	if len(opts) == 0 {
		return operations.Options{}, nil
	}
	o := new(operations.Options)
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(o); err != nil {
			return operations.Options{}, err
		}
	}
	return *o, nil
}

// fits reports whether a wait of d ends before the context's deadline.
func (c *Client) fits(ctx context.Context, d time.Duration) bool {
	dl, ok := ctx.Deadline()
	return !ok || !c.now().Add(d).After(dl)
}

// sleep waits d, or until the context ends (its error).
func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	if c.Sleep != nil {
		return c.Sleep(ctx, d)
	}
	return ctxsleep.Sleep(ctx, d)
}

func (c *Client) jitter() func() float64 {
	if c.Jitter != nil {
		return c.Jitter
	}
	return rand.Float64
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Client) log(ctx context.Context, call *Call, target string, attempt, status int, sent time.Time) {
	if c.Logger == nil || !c.Logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	c.Logger.LogAttrs(ctx, slog.LevelDebug, "plexgo request",
		slog.String("op", call.Op),
		slog.String("method", call.Method),
		slog.String("url", RedactURL(target)),
		slog.Int("attempt", attempt),
		slog.Int("status", status),
		slog.Duration("elapsed", c.now().Sub(sent)),
	)
}

// url builds the request URL from the host base (or the per-call
// override), the call's path (already escaped, kept as it is) and query.
func (c *Client) url(call *Call, override *string) (string, error) {
	base := c.PlexTVURL
	switch call.Host {
	case ClientsPlexTV:
		base = c.ClientsURL
	case PMS:
		base = c.PMSURL
	}
	if override != nil {
		base = *override
	}
	for seg := range strings.SplitSeq(call.Path, "/") {
		if seg == ".." || seg == "." || (strings.Contains(seg, "%") && isDotSegment(seg)) {
			return "", errors.New("path traversal in request path")
		}
	}
	// Fast path, the common case: "http(s)://host[:port][/prefix]" with no
	// query or fragment needs no parsing.
	if rest, ok := cutScheme(base); ok && !strings.ContainsAny(base, "?#") {
		if host, _, _ := strings.Cut(rest, "/"); host == "" || strings.Contains(host, "@") {
			return "", errors.New("base URL must be an absolute http(s) URL without userinfo")
		}
		u := strings.TrimSuffix(base, "/") + "/" + call.Path
		if len(call.Query) > 0 {
			u += "?" + call.Query.Encode()
		}
		return u, nil
	}
	u, err := urlcheck.HTTP(base)
	if err != nil {
		return "", errors.New("base URL must be an absolute http(s) URL without userinfo")
	}
	escaped := strings.TrimSuffix(u.EscapedPath(), "/") + "/" + call.Path
	path, err := url.PathUnescape(escaped)
	if err != nil {
		return "", errors.New("invalid escaping in request path")
	}
	u.Path, u.RawPath, u.Fragment, u.RawFragment = path, escaped, "", ""
	if len(call.Query) > 0 {
		q := u.Query()
		for k, vs := range call.Query {
			q[k] = vs
		}
		u.RawQuery = q.Encode()
	}
	return u.String(), nil
}

// cutScheme returns what follows "http://" or "https://".
func cutScheme(base string) (string, bool) {
	if rest, ok := strings.CutPrefix(base, "http://"); ok {
		return rest, true
	}
	return strings.CutPrefix(base, "https://")
}

// isDotSegment reports whether an escaped path segment decodes to "." or
// "..".
func isDotSegment(seg string) bool {
	s, err := url.PathUnescape(seg)
	return err != nil || s == "." || s == ".."
}

// requestHeader copies the shared identity headers and adds the call's
// own. It allocates the map with room for every key and one backing array
// for all values, so a caller changing a value of RawResponse.Request's
// header cannot reach the shared header.
func (c *Client) requestHeader(contentType, clientID, token string) http.Header {
	n, extra := 0, 0
	for _, vs := range c.Header {
		n += len(vs)
	}
	for _, v := range [...]string{contentType, clientID, token} {
		if v != "" {
			extra++
		}
	}
	h := make(http.Header, len(c.Header)+extra)
	vals := make([]string, 0, n+extra)
	for k, vs := range c.Header {
		i := len(vals)
		vals = append(vals, vs...)
		h[k] = vals[i:len(vals):len(vals)]
	}
	add := func(k, v string) {
		if v != "" {
			vals = append(vals, v)
			h[k] = vals[len(vals)-1 : len(vals) : len(vals)]
		}
	}
	add("Content-Type", contentType)
	add("X-Plex-Client-Identifier", clientID)
	add("X-Plex-Token", token)
	return h
}

// bodyReader is the re-readable body put back on a response: a
// bytes.Reader that closes, in one allocation.
type bodyReader struct{ bytes.Reader }

// Close does nothing; the data stays readable.
func (*bodyReader) Close() error { return nil }

// preallocMax bounds the buffer reserved for an announced Content-Length
// before any byte arrived: a server cannot make the client allocate more
// than this by announcing a length it does not send.
const preallocMax = 64 << 10

// readBody reads a response body of at most limit bytes. A body whose
// announced length is at most preallocMax is read into a buffer of exactly
// that size; a longer announced body grows its buffer as bytes arrive.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = 4 << 20
	}
	n := resp.ContentLength
	switch {
	case n > limit || n < 0:
		return readLimited(resp.Body, limit)
	case n <= preallocMax:
		buf := make([]byte, n)
		read, err := io.ReadFull(resp.Body, buf)
		return buf[:read], err
	}
	return readAnnounced(resp.Body, n)
}

// readAnnounced reads exactly n bytes (n > preallocMax), starting with a
// preallocMax buffer and doubling it, so memory follows the bytes that
// actually arrived. Fewer than n bytes is io.ErrUnexpectedEOF.
func readAnnounced(r io.Reader, n int64) ([]byte, error) {
	buf := make([]byte, 0, preallocMax)
	for int64(len(buf)) < n {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, int(min(int64(cap(buf)), n-int64(len(buf)))))
		}
		m, err := r.Read(buf[len(buf):int(min(int64(cap(buf)), n))])
		buf = buf[:len(buf)+m]
		if err == io.EOF && int64(len(buf)) < n {
			return buf, io.ErrUnexpectedEOF
		}
		if err != nil && err != io.EOF {
			return buf, err
		}
		if err == io.EOF {
			break
		}
	}
	return buf, nil
}

func readLimited(r io.Reader, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = 4 << 20
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return data, err
	}
	if int64(len(data)) > limit {
		return data[:limit], sdkerrors.ErrResponseTooLarge
	}
	return data, nil
}

type format uint8

const (
	formatUnknown format = iota
	formatJSON
	formatXML
	formatHTML
)

func detect(ct string, data []byte) format {
	if ct != "" {
		if mt := mediaType(ct); mt != "" {
			switch {
			case mt == "application/json" || strings.HasSuffix(mt, "+json"):
				return formatJSON
			case mt == "text/html":
				return formatHTML
			case strings.HasSuffix(mt, "/xml") || strings.HasSuffix(mt, "+xml"):
				return formatXML
			}
		}
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(trimmed) == 0 {
		return formatUnknown
	}
	switch trimmed[0] {
	case '{', '[':
		return formatJSON
	case '<':
		head := trimmed[:min(len(trimmed), 64)]
		if bytes.Contains(bytes.ToLower(head), []byte("<html")) || bytes.Contains(bytes.ToLower(head), []byte("<!doctype html")) {
			return formatHTML
		}
		return formatXML
	}
	return formatUnknown
}

// mediaType returns the lower-case media type of a Content-Type value,
// without its parameters (and without allocating in the common case).
func mediaType(ct string) string {
	mt, _, _ := strings.Cut(ct, ";")
	mt = strings.TrimSpace(mt)
	for i := 0; i < len(mt); i++ {
		if c := mt[i]; 'A' <= c && c <= 'Z' {
			return strings.ToLower(mt)
		}
	}
	return mt
}

func decode(call *Call, ct string, data []byte) error {
	if call.Out == nil {
		return nil
	}
	if len(bytes.TrimSpace(data)) == 0 {
		if call.EmptyOK {
			return nil
		}
		return fmt.Errorf("%w: empty body", sdkerrors.ErrUnexpectedContent)
	}
	switch detect(ct, data) {
	case formatJSON:
		out := call.Out
		if call.Container {
			out = &mediaContainer{MediaContainer: call.Out}
		}
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%w: decoding JSON: %w", sdkerrors.ErrUnexpectedContent, err)
		}
		return nil
	case formatXML:
		out := call.XMLOut
		if out == nil {
			out = call.Out
		}
		if err := checkXML(data); err != nil {
			return fmt.Errorf("%w: decoding XML: %w", sdkerrors.ErrUnexpectedContent, err)
		}
		if err := xml.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%w: decoding XML: %w", sdkerrors.ErrUnexpectedContent, err)
		}
		return nil
	case formatHTML:
		return fmt.Errorf("%w: got an HTML page (%s) where JSON or XML was expected", sdkerrors.ErrUnexpectedContent, htmlTitle(data))
	}
	return fmt.Errorf("%w: unsupported content type %q", sdkerrors.ErrUnexpectedContent, ct)
}

// mediaContainer is the JSON envelope of PMS answers. Its field holds the
// caller's non-nil pointer, which encoding/json decodes into.
type mediaContainer struct {
	MediaContainer any `json:"MediaContainer"`
}

func newAPIError(op string, resp *http.Response, ct string, data []byte, attempts int, now time.Time) *sdkerrors.APIError {
	e := &sdkerrors.APIError{
		Op:          op,
		StatusCode:  resp.StatusCode,
		ContentType: ct,
		Attempts:    attempts,
		RawResponse: resp,
	}
	if ra, ok := retry.ParseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
		e.RetryAfter = min(ra, retry.RetryAfterLimit)
	}
	if len(data) > 4096 {
		e.Body = string(data[:4096])
	} else {
		e.Body = string(data)
	}
	switch detect(ct, data) {
	case formatJSON:
		var body struct {
			Errors  []sdkerrors.PlexError `json:"errors"`
			Code    int                   `json:"code"`
			Message string                `json:"message"`
			Error   string                `json:"error"`
		}
		if json.Unmarshal(data, &body) == nil {
			e.Errors = body.Errors
			if len(e.Errors) == 0 && body.Code != 0 {
				e.Errors = []sdkerrors.PlexError{{Code: body.Code, Message: body.Message, Status: resp.StatusCode}}
			}
			if len(e.Errors) == 0 && body.Error != "" {
				e.Message = body.Error
			}
		}
	case formatXML:
		var body struct {
			Errors []sdkerrors.PlexError `xml:"error"`
		}
		if checkXML(data) == nil && xml.Unmarshal(data, &body) == nil {
			e.Errors = body.Errors
		}
	case formatHTML:
		e.Message = htmlTitle(data)
	}
	if len(e.Errors) > 0 && e.Errors[0].Message != "" {
		e.Message = e.Errors[0].Message
	}
	if e.Message == "" {
		e.Message = http.StatusText(resp.StatusCode)
	}
	return e
}

// htmlTitle extracts a short, printable <title> or <h1> from an HTML page.
func htmlTitle(data []byte) string {
	lower := bytes.ToLower(data)
	for _, tag := range []string{"title", "h1"} {
		i := bytes.Index(lower, []byte("<"+tag+">"))
		if i < 0 {
			continue
		}
		rest := data[i+len(tag)+2:]
		j := bytes.Index(bytes.ToLower(rest), []byte("</"+tag+">"))
		if j < 0 || j > 200 {
			continue
		}
		t := strings.TrimSpace(string(rest[:j]))
		if t != "" && !strings.ContainsAny(t, "<>") {
			return t
		}
	}
	return "HTML page"
}

// RedactURL replaces the values of query parameters that may hold secrets
// (X-Plex-Token, deviceJWT, pin, …) and any userinfo with REDACTED (see
// [redact.URL]).
func RedactURL(raw string) string { return redact.URL(raw) }

// forgetToken replaces the token in the request that the response keeps
// (RawResponse.Request), so a caller printing the raw response or its
// request cannot reveal it. The transport is done with the request once the
// body is closed, so changing its header is safe.
func forgetToken(resp *http.Response) {
	if resp.Request == nil {
		return
	}
	for i := range resp.Request.Header["X-Plex-Token"] {
		resp.Request.Header["X-Plex-Token"][i] = redact.Placeholder
	}
}

// redactErr rewrites the URL inside a *url.Error so that no secret query
// value reaches an error string.
func redactErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		cp := *ue
		cp.URL = RedactURL(ue.URL)
		return &cp
	}
	return err
}
