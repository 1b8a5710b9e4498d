package plexgo_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/models/sdkerrors"
	"github.com/plexkit/plexgo/plextest"
	"github.com/plexkit/plexgo/retry"
)

// testClientID is the client identifier every test client sends.
const testClientID = "test-client"

// fastRetry is the default policy shape with millisecond waits, so retry
// tests run quickly without changing what is retried.
func fastRetry() retry.Config {
	c := retry.Default()
	c.InitialInterval = time.Millisecond
	c.MaxInterval = 5 * time.Millisecond
	return c
}

// newFake starts a plextest fake that stops with the test.
func newFake(t testing.TB, opts ...plextest.Option) *plextest.Server {
	t.Helper()
	return plextest.NewServer(t, opts...)
}

// alice returns the seeded Plex Pass account (owner of the default server).
func alice(t testing.TB, fake *plextest.Server) plextest.Account {
	t.Helper()
	a, ok := fake.Account(plextest.DefaultLogin)
	if !ok {
		t.Fatal("fake has no default account")
	}
	return a
}

// newTransport returns a private transport, closed with the test, so tests
// never share pooled connections.
func newTransport(t testing.TB) *http.Transport {
	t.Helper()
	tr := &http.Transport{
		Proxy:               nil,
		MaxIdleConnsPerHost: 64,
		IdleConnTimeout:     30 * time.Second,
	}
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

// httpClient wraps rt (or a fresh transport) in an *http.Client with a
// generous timeout.
func httpClient(t testing.TB, rt http.RoundTripper) *http.Client {
	t.Helper()
	if rt == nil {
		rt = newTransport(t)
	}
	return &http.Client{Transport: rt, Timeout: 30 * time.Second}
}

// newClient returns an SDK client pointed at the fake, authenticated with
// token (none when empty), with fast retries. Later options win.
func newClient(t testing.TB, fake *plextest.Server, token string, opts ...plexgo.SDKOption) *plexgo.PlexAPI {
	t.Helper()
	return newClientAt(t, fake.PlexTVURL, fake.PMSURL, token, opts...)
}

// newClientAt is the one SDK builder of this package's tests: a client
// for plex.tv at tvURL and the server at pmsURL, with the test client
// identifier, a private transport closed with the test, fast retries and
// token (none when empty). Later options win.
func newClientAt(t testing.TB, tvURL, pmsURL, token string, opts ...plexgo.SDKOption) *plexgo.PlexAPI {
	t.Helper()
	base := []plexgo.SDKOption{
		plexgo.WithPlexTVURL(tvURL),
		plexgo.WithServerURL(pmsURL),
		plexgo.WithXPlexClientIdentifier(testClientID),
		plexgo.WithClient(httpClient(t, nil)),
		plexgo.WithRetryConfig(fastRetry()),
	}
	if token != "" {
		base = append(base, plexgo.WithSecurity(token))
	}
	return plexgo.New(append(base, opts...)...)
}

// acceptRewriter replaces the Accept header the SDK sends (always
// application/json) so the fake answers in another format. It clones the
// request, as a RoundTripper must not modify its input.
type acceptRewriter struct {
	accept string
	next   http.RoundTripper
}

func (a acceptRewriter) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Accept", a.accept)
	return a.next.RoundTrip(r)
}

// format names the two wire formats the SDK must decode.
type format struct {
	name string
	opt  func(t testing.TB) plexgo.SDKOption
}

// formats is JSON (the SDK default) and XML (forced through an
// acceptRewriter, the answer plex.tv and PMS give without exact
// Accept: application/json).
var formats = []format{
	{"JSON", func(t testing.TB) plexgo.SDKOption { return plexgo.WithClient(httpClient(t, nil)) }},
	{"XML", func(t testing.TB) plexgo.SDKOption {
		return plexgo.WithClient(httpClient(t, acceptRewriter{"application/xml", newTransport(t)}))
	}},
}

// wantContentType fails unless ct is the content type of format f.
func wantContentType(t testing.TB, f format, ct string) {
	t.Helper()
	switch f.name {
	case "JSON":
		if !strings.Contains(ct, "json") {
			t.Errorf("content type %q, want JSON", ct)
		}
	case "XML":
		if !strings.Contains(ct, "xml") {
			t.Errorf("content type %q, want XML", ct)
		}
	}
}

// ctx returns a context bounded well above anything a test needs, so a
// hung call fails the test instead of the whole run.
func ctx(t testing.TB) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// requestsTo returns the requests the fake logged for method and path.
func requestsTo(fake *plextest.Server, method, path string) []plextest.Request {
	var out []plextest.Request
	for _, r := range fake.Requests() {
		if r.Method == method && r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// fmtAll formats every value with the verbs that reveal the most (%v, %+v,
// %#v, %s) and joins the results, for secret checks.
func fmtAll(vs ...any) string {
	var b strings.Builder
	for _, v := range vs {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			fmt.Fprintf(&b, verb+"\n", v)
		}
	}
	return b.String()
}

func isUnauthorized(err error) bool  { return errors.Is(err, sdkerrors.ErrUnauthorized) }
func isUnprocessable(err error) bool { return errors.Is(err, sdkerrors.ErrUnprocessable) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// testJWK returns a fresh Ed25519 public key as a JWK.
func testJWK(t testing.TB) operations.JWK {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return operations.JWK{Kty: "OKP", Crv: "Ed25519", X: base64.RawURLEncoding.EncodeToString(pub), Use: "sig", Alg: "EdDSA"}
}

// copyBody copies a response body into w.
func copyBody(w io.Writer, r *http.Response) (int64, error) {
	defer r.Body.Close()
	return io.Copy(w, r.Body)
}
