package wire

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/plexkit/plexgo/models/components"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/models/sdkerrors"
	"github.com/plexkit/plexgo/plextest"
	"github.com/plexkit/plexgo/retry"
)

// sleeper records the waits the client asks for and returns at once.
type sleeper struct {
	mu    sync.Mutex
	waits []time.Duration
	err   error
}

func (s *sleeper) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waits = append(s.waits, d)
	if s.err != nil {
		return s.err
	}
	return ctx.Err()
}

func (s *sleeper) got() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

var testNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// newTestClient returns a wire client for the fake with a recording
// sleeper, jitter fixed at 0.5 and a frozen clock.
func newTestClient(t *testing.T, fake *plextest.Server, token string) (*Client, *sleeper) {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	sl := &sleeper{}
	h := http.Header{}
	h.Set("Accept", "application/json")
	h.Set("X-Plex-Client-Identifier", "wire-test")
	c := &Client{
		HTTP:       &http.Client{Transport: tr, Timeout: 30 * time.Second},
		PlexTVURL:  fake.PlexTVURL,
		ClientsURL: fake.PlexTVURL,
		PMSURL:     fake.PMSURL,
		Header:     h,
		Logger:     slog.New(slog.DiscardHandler),
		MaxBody:    1 << 20,
		Retry: retry.Config{
			MaxAttempts: 4, InitialInterval: 100 * time.Millisecond, MaxInterval: time.Second, Multiplier: 2,
			MaxRetryAfter: time.Minute, RetryConnectionErrors: true,
		},
		Sleep:  sl.Sleep,
		Jitter: func() float64 { return 0.5 },
		Now:    func() time.Time { return testNow },
	}
	if token != "" {
		c.Security = func(context.Context) (string, error) { return token, nil }
	}
	return c, sl
}

func userCall() *Call {
	var u components.UserPlexAccount
	return &Call{Op: "getTokenDetails", Method: http.MethodGet, Host: PlexTV, Path: "api/v2/user", Auth: WithToken, Retryable: true, Out: &u}
}

func seedToken(t *testing.T, fake *plextest.Server) string {
	t.Helper()
	a, ok := fake.Account(plextest.DefaultLogin)
	if !ok {
		t.Fatal("no seeded account")
	}
	return a.AuthToken
}

func TestBackoffWaits(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	fake.InjectFault("GET /api/v2/user", plextest.Fault{Statuses: []int{503, 502, 500}})
	c, sl := newTestClient(t, fake, seedToken(t, fake))
	m, err := c.Do(t.Context(), userCall(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.StatusCode != 200 {
		t.Errorf("status %d", m.StatusCode)
	}
	// Full jitter at 0.5 of 100ms, 200ms, 400ms.
	want := []time.Duration{50 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond}
	if got := sl.got(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("waits %v, want %v", got, want)
	}
	if n := fake.CountRequests(http.MethodGet, "/api/v2/user"); n != 4 {
		t.Errorf("%d requests", n)
	}
}

func TestRetryAfterWaits(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		retryAfter string
		want       time.Duration
	}{
		{"seconds", "7", 7 * time.Second},
		{"date", testNow.Add(42 * time.Second).Format(http.TimeFormat), 42 * time.Second},
		{"past date", testNow.Add(-time.Hour).Format(http.TimeFormat), 50 * time.Millisecond},
		{"shorter than backoff", "0", 50 * time.Millisecond},
		{"garbage", "soon", 50 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := plextest.NewServer(t)
			fake.InjectFault("GET /api/v2/user", plextest.Fault{Statuses: []int{429}, RetryAfter: tc.retryAfter})
			c, sl := newTestClient(t, fake, seedToken(t, fake))
			if _, err := c.Do(t.Context(), userCall(), nil); err != nil {
				t.Fatal(err)
			}
			if got := sl.got(); len(got) != 1 || got[0] != tc.want {
				t.Errorf("waits %v, want [%v]", got, tc.want)
			}
		})
	}
}

func TestRetryAfterAboveCap(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	fake.InjectFault("GET /api/v2/user", plextest.Fault{Statuses: []int{503}, RetryAfter: "61"})
	c, sl := newTestClient(t, fake, seedToken(t, fake))
	_, err := c.Do(t.Context(), userCall(), nil)
	var apiErr *sdkerrors.APIError
	if !errors.As(err, &apiErr) || apiErr.RetryAfter != 61*time.Second || apiErr.Attempts != 1 {
		t.Fatalf("got %v", err)
	}
	if len(sl.got()) != 0 {
		t.Errorf("waited %v", sl.got())
	}
}

func TestRetryBudget(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	fake.InjectFault("GET /api/v2/user", plextest.Fault{Statuses: []int{503, 503, 503}, RetryAfter: "20"})
	c, sl := newTestClient(t, fake, seedToken(t, fake))
	c.Retry.MaxElapsedTime = 30 * time.Second
	// The frozen clock never advances, so only the next wait counts: 20s
	// fits in 30s, every time.
	if _, err := c.Do(t.Context(), userCall(), nil); err != nil {
		t.Fatal(err)
	}
	if len(sl.got()) != 3 {
		t.Errorf("waits %v", sl.got())
	}
	// A wait that would end after the budget is not taken.
	fake.InjectFault("GET /api/v2/user", plextest.Fault{Statuses: []int{503}, RetryAfter: "45"})
	c2, sl2 := newTestClient(t, fake, seedToken(t, fake))
	c2.Retry.MaxElapsedTime = 30 * time.Second
	_, err := c2.Do(t.Context(), userCall(), nil)
	if !errors.Is(err, sdkerrors.ErrServer) || len(sl2.got()) != 0 {
		t.Errorf("got %v after waits %v", err, sl2.got())
	}
}

// A wait that the sleeper refuses (the context ended) returns the context
// error with the last answer.
func TestSleepCancelled(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	fake.InjectFault("GET /api/v2/user", plextest.Fault{Statuses: []int{503, 503}})
	c, sl := newTestClient(t, fake, seedToken(t, fake))
	ctx, cancel := context.WithCancel(t.Context())
	c.Sleep = func(ctx context.Context, d time.Duration) error {
		cancel()
		return sl.Sleep(ctx, d)
	}
	_, err := c.Do(ctx, userCall(), nil)
	if !errors.Is(err, context.Canceled) || !errors.Is(err, sdkerrors.ErrServer) {
		t.Fatalf("got %v", err)
	}
	if n := fake.CountRequests(http.MethodGet, "/api/v2/user"); n != 1 {
		t.Errorf("%d requests", n)
	}
}

// The real timer (no Sleep hook) also stops when the context ends.
func TestDefaultSleepCancelled(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	fake.InjectFault("GET /api/v2/user", plextest.Fault{Statuses: []int{503, 503}, RetryAfter: "30"})
	c, _ := newTestClient(t, fake, seedToken(t, fake))
	c.Sleep, c.Now = nil, nil
	ctx, cancel := context.WithCancel(t.Context())
	c.HTTP = &http.Client{Transport: rtFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := http.DefaultTransport.RoundTrip(r)
		cancel() // cancelled while the client would wait 30s
		return resp, err
	})}
	done := make(chan error, 1)
	go func() { _, err := c.Do(ctx, userCall(), nil); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("got %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the backoff timer ignored the cancelled context")
	}
}

type rtFunc func(*http.Request) (*http.Response, error)

func (f rtFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// stub answers every request with the same response.
func stub(status int, header http.Header, body string) rtFunc {
	return func(r *http.Request) (*http.Response, error) {
		if header == nil {
			header = http.Header{}
		}
		return &http.Response{
			StatusCode: status, Status: http.StatusText(status), Header: header.Clone(),
			Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)), Request: r,
		}, nil
	}
}

func stubClient(rt http.RoundTripper) *Client {
	return &Client{
		HTTP: &http.Client{Transport: rt}, PlexTVURL: "http://plex.invalid", ClientsURL: "http://clients.invalid",
		PMSURL: "http://pms.invalid:32400", Header: http.Header{"Accept": {"application/json"}},
		MaxBody: 1 << 20, Retry: retry.None(),
	}
}

func TestURLBuilding(t *testing.T) {
	t.Parallel()
	var got []string
	rt := rtFunc(func(r *http.Request) (*http.Response, error) {
		got = append(got, r.URL.String())
		return stub(204, nil, "")(r)
	})
	c := stubClient(rt)
	c.PlexTVURL = "http://plex.invalid/base/"
	calls := []struct {
		call     Call
		override *string
		want     string
	}{
		{Call{Op: "a", Method: "GET", Host: PlexTV, Path: "api/v2/user"}, nil, "http://plex.invalid/base/api/v2/user"},
		{Call{Op: "b", Method: "GET", Host: ClientsPlexTV, Path: "api/v2/auth/keys"}, nil, "http://clients.invalid/api/v2/auth/keys"},
		{Call{Op: "c", Method: "GET", Host: PMS, Path: ""}, nil, "http://pms.invalid:32400/"},
		{Call{Op: "d", Method: "GET", Host: PMS, Path: "security/resources", Query: url.Values{"source": {"server://a b&c"}}}, nil,
			"http://pms.invalid:32400/security/resources?source=server%3A%2F%2Fa+b%26c"},
		{Call{Op: "e", Method: "GET", Host: PlexTV, Path: "api/v2/pins/1", Query: url.Values{"x": {"1"}}}, ptr("http://other.invalid/p?keep=1"),
			"http://other.invalid/p/api/v2/pins/1?keep=1&x=1"},
		// Path is already escaped: it must not be escaped again.
		{Call{Op: "f", Method: "POST", Host: PlexTV, Path: "api/v2/home/users/" + url.PathEscape("a b/c%") + "/switch"}, nil,
			"http://plex.invalid/base/api/v2/home/users/a%20b%2Fc%25/switch"},
		{Call{Op: "g", Method: "GET", Host: PMS, Path: "identity"}, ptr("https://10-0-0-2.abc.plex.direct:32400/"),
			"https://10-0-0-2.abc.plex.direct:32400/identity"},
	}
	for _, tc := range calls {
		var opts []operations.Option
		if tc.override != nil {
			opts = append(opts, operations.WithServerURL(*tc.override))
		}
		if _, err := c.Do(t.Context(), &tc.call, opts); err != nil {
			t.Fatalf("%s: %v", tc.call.Op, err)
		}
	}
	for i, tc := range calls {
		if got[i] != tc.want {
			t.Errorf("%s: URL %s, want %s", tc.call.Op, got[i], tc.want)
		}
	}
	// Traversal and bad bases are refused before anything is sent.
	for _, p := range []string{"api/../../etc", "api/%2e%2E/x", "./x", "api/%zz"} {
		if _, err := c.Do(t.Context(), &Call{Op: "x", Method: "GET", Host: PlexTV, Path: p}, nil); err == nil {
			t.Errorf("path %q accepted", p)
		}
	}
	for _, base := range []string{"http://", "http:///x", "ftp://h/", "//h/x"} {
		bad := stubClient(rt)
		bad.PlexTVURL = base
		if _, err := bad.Do(t.Context(), &Call{Op: "y", Method: "GET", Host: PlexTV, Path: "p"}, nil); err == nil {
			t.Errorf("base %q accepted", base)
		}
	}
	if len(got) != len(calls) {
		t.Errorf("%d requests", len(got))
	}
}

func ptr[T any](v T) *T { return &v }

func TestConfigErr(t *testing.T) {
	t.Parallel()
	c := stubClient(rtFunc(func(*http.Request) (*http.Response, error) { t.Error("request sent"); return nil, errors.New("no") }))
	c.ConfigErr = errors.New("WithTimeout: -1s is not positive")
	_, err := c.Do(t.Context(), userCall(), nil)
	if err == nil || !strings.Contains(err.Error(), "WithTimeout") || !strings.Contains(err.Error(), "getTokenDetails") {
		t.Errorf("got %v", err)
	}
}

// The raw response keeps a request without the token.
func TestRawResponseForgetsToken(t *testing.T) {
	t.Parallel()
	const tok = "raw-secret-token"
	var sent string
	rt := rtFunc(func(r *http.Request) (*http.Response, error) {
		sent = r.Header.Get("X-Plex-Token")
		return stub(200, http.Header{"Content-Type": {"application/json"}}, `{"id":1}`)(r)
	})
	c := stubClient(rt)
	c.Security = func(context.Context) (string, error) { return tok, nil }
	m, err := c.Do(t.Context(), userCall(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if sent != tok {
		t.Error("token not sent")
	}
	if m.RawResponse.Request.Header.Get("X-Plex-Token") != "REDACTED" {
		t.Error("raw response's request still holds the token")
	}
	c.HTTP = &http.Client{Transport: stub(401, http.Header{"Content-Type": {"application/json"}}, `{"errors":[{"code":1001,"message":"no"}]}`)}
	_, err = c.Do(t.Context(), userCall(), nil)
	var apiErr *sdkerrors.APIError
	if !errors.As(err, &apiErr) || apiErr.RawResponse.Request.Header.Get("X-Plex-Token") != "REDACTED" {
		t.Errorf("error's raw response keeps the token (%v)", err)
	}
}

func TestDetect(t *testing.T) {
	t.Parallel()
	cases := []struct {
		ct, body string
		want     format
	}{
		{"application/json", "", formatJSON},
		{"application/json; charset=utf-8", "<x/>", formatJSON},
		{"application/problem+json", "", formatJSON},
		{"text/xml;charset=utf-8", "", formatXML},
		{"application/xml", "", formatXML},
		{"application/atom+xml", "", formatXML},
		{"text/html", "{}", formatHTML},
		{"", `  {"a":1}`, formatJSON},
		{"", "[1]", formatJSON},
		{"", "\ufeff<?xml version=\"1.0\"?><a/>", formatXML},
		{"", "<!DOCTYPE html><p>", formatHTML},
		{"text/plain", "<HTML><body>", formatHTML},
		{"bogus/;;;", `{"a":1}`, formatJSON},
		{"", "", formatUnknown},
		{"", "   ", formatUnknown},
		{"text/plain", "hello", formatUnknown},
	}
	for _, tc := range cases {
		if got := detect(tc.ct, []byte(tc.body)); got != tc.want {
			t.Errorf("detect(%q, %q) = %d, want %d", tc.ct, tc.body, got, tc.want)
		}
	}
}

func TestHTMLTitle(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"<html><head><title>401 Unauthorized</title></head></html>": "401 Unauthorized",
		"<HTML><H1> Not Found </H1></HTML>":                         "Not Found",
		"<html><title></title><h1>Fallback</h1></html>":             "Fallback",
		"<html><title>" + strings.Repeat("x", 300) + "</title>":     "HTML page",
		"<html><title><script>x</script></title>":                   "HTML page",
		"<html><title>unterminated":                                 "HTML page",
		"":                                                          "HTML page",
	}
	for in, want := range cases {
		if got := htmlTitle([]byte(in)); got != want {
			t.Errorf("htmlTitle(%.40q) = %q, want %q", in, got, want)
		}
	}
}

func TestRedactURL(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"http://h/p?X-Plex-Token=abc&x=1":             "http://h/p?X-Plex-Token=REDACTED&x=1",
		"http://h/p?x-plex-token=abc":                 "http://h/p?x-plex-token=REDACTED",
		"http://h/pins/1?deviceJWT=a.b.c":             "http://h/pins/1?deviceJWT=REDACTED",
		"http://h/switch?pin=1234":                    "http://h/switch?pin=REDACTED",
		"http://u:pw@h/":                              "http://REDACTED@h/",
		"http://h/?password=p&verificationCode=1&a=b": "http://h/?a=b&password=REDACTED&verificationCode=REDACTED",
		"http://h/plain":                              "http://h/plain",
		"://bad":                                      "(unparseable URL)",
	}
	for in, want := range cases {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReadLimited(t *testing.T) {
	t.Parallel()
	data, err := readLimited(strings.NewReader("12345"), 5)
	if err != nil || string(data) != "12345" {
		t.Errorf("at the limit: %q %v", data, err)
	}
	data, err = readLimited(strings.NewReader("123456"), 5)
	if !errors.Is(err, sdkerrors.ErrResponseTooLarge) || string(data) != "12345" {
		t.Errorf("over the limit: %q %v", data, err)
	}
	if _, err := readLimited(strings.NewReader(strings.Repeat("x", 5<<20)), 0); !errors.Is(err, sdkerrors.ErrResponseTooLarge) {
		t.Errorf("default limit: %v", err)
	}
}

func TestNewAPIError(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, ct, body string
		status         int
		code           int
		msg            string
	}{
		{"json errors", "application/json", `{"errors":[{"code":1029,"message":"Please enter the verification code","status":401}]}`, 401, 1029, "Please enter the verification code"},
		{"json flat", "application/json", `{"code":408,"message":"RequestTimeout"}`, 408, 408, "RequestTimeout"},
		{"json error string", "application/json", `{"error":"Invalid token"}`, 422, 0, "Invalid token"},
		{"json garbage", "application/json", `{"errors":`, 500, 0, "Internal Server Error"},
		{"xml", "application/xml", `<?xml version="1.0"?><errors><error code="1031" message="locked" status="401"/></errors>`, 401, 1031, "locked"},
		{"xml garbage", "text/xml", `<errors><error code="x"`, 400, 0, "Bad Request"},
		{"html", "text/html", `<html><title>Forbidden</title></html>`, 403, 0, "Forbidden"},
		{"empty", "", ``, 498, 0, ""},
	}
	for _, tc := range cases {
		resp := &http.Response{StatusCode: tc.status, Header: http.Header{"Retry-After": {"3"}}}
		e := newAPIError("op", resp, tc.ct, []byte(tc.body), 2, testNow)
		if e.StatusCode != tc.status || e.Code() != tc.code || e.Message != tc.msg || e.Attempts != 2 || e.RetryAfter != 3*time.Second || e.Op != "op" {
			t.Errorf("%s: %+v", tc.name, e)
		}
		if e.Error() == "" || !strings.Contains(e.Error(), "op") {
			t.Errorf("%s: Error() = %q", tc.name, e.Error())
		}
	}
	big := newAPIError("op", &http.Response{StatusCode: 500, Header: http.Header{}}, "text/plain", bytes.Repeat([]byte("x"), 10000), 1, testNow)
	if len(big.Body) != 4096 {
		t.Errorf("Body kept %d bytes", len(big.Body))
	}
}

// Requests carry the identity headers, the call's client identifier and
// the token; the shared header is never changed.
func TestRequestHeaders(t *testing.T) {
	t.Parallel()
	var got http.Header
	rt := rtFunc(func(r *http.Request) (*http.Response, error) {
		got = r.Header.Clone()
		return stub(204, nil, "")(r)
	})
	c := stubClient(rt)
	c.Header.Set("X-Plex-Client-Identifier", "configured")
	c.Security = func(context.Context) (string, error) { return "tok", nil }
	before := c.Header.Clone()
	call := &Call{Op: "s", Method: "POST", Host: PlexTV, Path: "api/v2/users/signin", Form: url.Values{"login": {"a"}}, ClientID: "per-call"}
	if _, err := c.Do(t.Context(), call, nil); err != nil {
		t.Fatal(err)
	}
	if got.Get("X-Plex-Client-Identifier") != "per-call" || got.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Errorf("sign-in headers: client %q, content type %q", got.Get("X-Plex-Client-Identifier"), got.Get("Content-Type"))
	}
	if _, ok := got["X-Plex-Token"]; ok {
		t.Error("sign-in sent a token")
	}
	call = &Call{Op: "t", Method: "POST", Host: ClientsPlexTV, Path: "api/v2/auth/jwk", JSON: map[string]int{"a": 1}, Auth: WithToken}
	if _, err := c.Do(t.Context(), call, []operations.Option{operations.WithToken("per-call-token")}); err != nil {
		t.Fatal(err)
	}
	if got.Get("X-Plex-Client-Identifier") != "configured" || got.Get("Content-Type") != "application/json" {
		t.Errorf("jwk headers: client %q, content type %q", got.Get("X-Plex-Client-Identifier"), got.Get("Content-Type"))
	}
	if got.Get("X-Plex-Token") != "per-call-token" {
		t.Error("per-call token not sent")
	}
	if fmt.Sprint(before) != fmt.Sprint(c.Header) {
		t.Error("shared header changed")
	}
	// A JSON body that cannot be encoded fails before sending.
	got = nil
	if _, err := c.Do(t.Context(), &Call{Op: "u", Method: "POST", Host: PlexTV, JSON: func() {}}, nil); err == nil || got != nil {
		t.Errorf("unencodable body: %v", err)
	}
}

// A caller changing the header of a raw response's request cannot change
// what the next request sends.
func TestRequestHeaderIsolated(t *testing.T) {
	t.Parallel()
	var accepts []string
	c := stubClient(rtFunc(func(r *http.Request) (*http.Response, error) {
		accepts = append(accepts, r.Header.Get("Accept"))
		return stub(204, nil, "")(r)
	}))
	c.Header.Set("X-Plex-Product", "p")
	m, err := c.Do(t.Context(), &Call{Op: "a", Method: "GET", Host: PlexTV}, nil)
	if err != nil {
		t.Fatal(err)
	}
	h := m.RawResponse.Request.Header
	h["Accept"][0] = "text/evil"
	h["Accept"] = append(h["Accept"], "more")
	h["X-Plex-Product"] = append(h["X-Plex-Product"], "extra")
	if _, err := c.Do(t.Context(), &Call{Op: "b", Method: "GET", Host: PlexTV}, nil); err != nil {
		t.Fatal(err)
	}
	if accepts[1] != "application/json" || c.Header.Get("Accept") != "application/json" || len(c.Header["X-Plex-Product"]) != 1 {
		t.Errorf("shared header changed through a raw response: %q", accepts)
	}
}

// The sign-in cool-down: a 1031 with Retry-After blocks the operation
// locally until the wait is over, then requests go out again. Answers
// without a wait, and operations without CoolDown, start none.
func TestCoolDown(t *testing.T) {
	var sent atomic.Int32
	locked := stub(http.StatusUnauthorized, http.Header{"Content-Type": {"application/json"}, "Retry-After": {"60"}},
		`{"errors":[{"code":1031,"message":"locked","status":401}]}`)
	c := stubClient(rtFunc(func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		return locked(r)
	}))
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c.Now = func() time.Time { return now }
	signIn := func() *Call {
		return &Call{Op: "post-users-sign-in-data", Method: http.MethodPost, Host: PlexTV, Path: "api/v2/users/signin", CoolDown: true}
	}

	_, err := c.Do(context.Background(), signIn(), nil)
	if !errors.Is(err, sdkerrors.ErrSignInLocked) || sent.Load() != 1 {
		t.Fatalf("first: err %v, %d sent", err, sent.Load())
	}
	now = now.Add(20 * time.Second)
	_, err = c.Do(context.Background(), signIn(), nil)
	var e *sdkerrors.APIError
	if !errors.Is(err, sdkerrors.ErrSignInLocked) || !errors.As(err, &e) || e.RetryAfter != 40*time.Second || e.Attempts != 0 {
		t.Fatalf("during the cool-down: err %v (%+v), want the lock-out with 40s left and no attempt", err, e)
	}
	if sent.Load() != 1 {
		t.Fatalf("%d requests sent during the cool-down, want none", sent.Load()-1)
	}
	// Another operation is not blocked.
	if _, err := c.Do(context.Background(), &Call{Op: "getTokenDetails", Method: http.MethodGet, Host: PlexTV, Path: "api/v2/user"}, nil); sent.Load() != 2 {
		t.Fatalf("other operation not sent during the cool-down: %v", err)
	}
	now = now.Add(41 * time.Second)
	if _, err := c.Do(context.Background(), signIn(), nil); !errors.Is(err, sdkerrors.ErrSignInLocked) || sent.Load() != 3 {
		t.Fatalf("after the cool-down: err %v, %d sent, want a real request", err, sent.Load())
	}
}

// A 1031 without Retry-After starts the default cool-down; Retry-After
// values beyond an hour (MaxInt64 seconds, year-9999 dates) are capped at
// an hour wherever they are reported or honoured.
func TestCoolDownDefaultAndCap(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, retryAfter string
		want             time.Duration
	}{
		{"no Retry-After", "", retry.LockoutCoolDown},
		{"MaxInt64 seconds", "9223372036854775807", retry.RetryAfterLimit},
		{"year 9999", "Fri, 31 Dec 9999 23:59:59 GMT", retry.RetryAfterLimit},
		{"two hours", "7200", retry.RetryAfterLimit},
	} {
		var sent atomic.Int32
		h := http.Header{"Content-Type": {"application/json"}}
		if tc.retryAfter != "" {
			h.Set("Retry-After", tc.retryAfter)
		}
		locked := stub(http.StatusUnauthorized, h, `{"errors":[{"code":1031,"message":"locked","status":401}]}`)
		c := stubClient(rtFunc(func(r *http.Request) (*http.Response, error) {
			sent.Add(1)
			return locked(r)
		}))
		now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		c.Now = func() time.Time { return now }
		signIn := &Call{Op: "post-users-sign-in-data", Method: http.MethodPost, Host: PlexTV, Path: "api/v2/users/signin", CoolDown: true}
		_, err := c.Do(t.Context(), signIn, nil)
		var e *sdkerrors.APIError
		if !errors.As(err, &e) || (tc.retryAfter != "" && e.RetryAfter != tc.want) || (tc.retryAfter == "" && e.RetryAfter != 0) {
			t.Errorf("%s: first answer %v (RetryAfter %v)", tc.name, err, e)
			continue
		}
		now = now.Add(tc.want - time.Second)
		_, err = c.Do(t.Context(), signIn, nil)
		if !errors.As(err, &e) || e.Attempts != 0 || e.RetryAfter != time.Second || sent.Load() != 1 {
			t.Errorf("%s: just before the end of the cool-down: %v, %d sent", tc.name, err, sent.Load())
		}
		now = now.Add(time.Second)
		if _, _ = c.Do(t.Context(), signIn, nil); sent.Load() != 2 {
			t.Errorf("%s: after %s, %d sent, want the request to go out", tc.name, tc.want, sent.Load())
		}
	}
	if retry.LockoutCoolDown < 10*time.Second {
		t.Errorf("the default lock-out cool-down is %s, want at least 10s", retry.LockoutCoolDown)
	}
}

// A retryable answer's Retry-After is reported capped too.
func TestRetryAfterReportedCapped(t *testing.T) {
	t.Parallel()
	c := stubClient(stub(http.StatusTooManyRequests, http.Header{"Retry-After": {"Fri, 31 Dec 9999 23:59:59 GMT"}}, ""))
	_, err := c.Do(t.Context(), &Call{Op: "x", Method: http.MethodGet, Host: PlexTV, Path: "x", Retryable: true}, nil)
	var e *sdkerrors.APIError
	if !errors.As(err, &e) || e.RetryAfter != retry.RetryAfterLimit {
		t.Fatalf("got %v, want RetryAfter capped at %s", err, retry.RetryAfterLimit)
	}
}
