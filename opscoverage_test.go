package plexgo_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/plexkit/plexgo"
)

// notInAllOps lists the operations the cross-cutting tests cannot run
// with the others, and why; each has its own test.
var notInAllOps = map[string]string{
	"Authentication.SignOut": "revokes the token the other operations use (TestRequestHeaders calls it last; TestPingAndSignOut)",
}

// sdkOperations returns every operation of the SDK as "Section.Method",
// from the method sets of PlexAPI's section fields.
func sdkOperations(t *testing.T) map[string]bool {
	t.Helper()
	ops := map[string]bool{}
	api := reflect.TypeFor[plexgo.PlexAPI]()
	for i := range api.NumField() {
		f := api.Field(i)
		if !f.IsExported() || f.Type.Kind() != reflect.Pointer {
			continue
		}
		for j := range f.Type.NumMethod() {
			if m := f.Type.Method(j); m.Name != "Format" {
				ops[f.Name+"."+m.Name] = true
			}
		}
	}
	if len(ops) < 19 {
		t.Fatalf("found %d operations by reflection, want at least 19", len(ops))
	}
	return ops
}

// resolve maps an allOps name part ("Ping" or "Authentication.Ping") to
// its operation; a bare method name must be unique across sections.
func resolve(t *testing.T, ops map[string]bool, part string) string {
	t.Helper()
	if ops[part] {
		return part
	}
	var found []string
	for op := range ops {
		if strings.HasSuffix(op, "."+part) {
			found = append(found, op)
		}
	}
	switch len(found) {
	case 1:
		return found[0]
	case 0:
		t.Errorf("allOps names %q, which is no SDK operation", part)
	default:
		t.Errorf("allOps names %q, which is ambiguous (%v): qualify it as Section.Method", part, found)
	}
	return ""
}

// Every SDK operation is in allOps (or in notInAllOps with a reason), so
// the cross-cutting tests (headers, token placement, invalid options,
// concurrency, hosts) cover it.
func TestAllOpsComplete(t *testing.T) {
	t.Parallel()
	ops := sdkOperations(t)
	covered := map[string]bool{}
	for _, o := range allOps(newFake(t)) {
		for part := range strings.SplitSeq(o.name, "+") {
			covered[resolve(t, ops, part)] = true
		}
	}
	for op := range notInAllOps {
		if !ops[op] {
			t.Errorf("notInAllOps names %s, which is no SDK operation", op)
		}
		covered[op] = true
	}
	for op := range ops {
		if !covered[op] {
			t.Errorf("%s is missing from allOps (headers_test.go): add it, or to notInAllOps with the reason", op)
		}
	}
}

// opHosts is the documented host of every allOps entry (and of the
// operations outside it): "plex.tv", "clients.plex.tv" or "pms".
var opHosts = map[string]string{
	"GetTransientToken":              "pms",
	"GetSourceConnectionInformation": "pms",
	"GetTokenDetails":                "plex.tv",
	"PostUsersSignInData":            "plex.tv",
	"Authentication.Ping":            "plex.tv",
	"GetNonce":                       "clients.plex.tv",
	"GetPublicKeys":                  "clients.plex.tv",
	"CreatePin+GetPin":               "plex.tv",
	"LinkPin":                        "plex.tv",
	"GetResources":                   "plex.tv",
	"GetHomeUsers+SwitchHomeUser":    "plex.tv",
	"RegisterDeviceKey+GetNonce+ExchangeDeviceJWT": "clients.plex.tv",
	"CreatePin+GetPinWithDeviceJWT":                "clients.plex.tv",
	"GetIdentity":                                  "pms",
	"GetServerInfo":                                "pms",
	"Authentication.SignOut":                       "plex.tv",
	// issue 12 (sdkops)
	"Plex.Ping": "plex.tv",
	"GetUsers+GetSharedServers+GetSharedServer": "plex.tv",
	"GetFriends":                      "plex.tv",
	"GetHome":                         "plex.tv",
	"GetHomeUsersV1+SwitchHomeUserV1": "plex.tv",
	"GetDevices+DeleteDevice":         "plex.tv",
	"GetClaimToken":                   "plex.tv",
	"GetMyPlexAccount":                "pms",
	"UnclaimServer+ClaimServer":       "pms",
	"GetAccounts":                     "pms",
	"GetSystemDevices":                "pms",
	"GetLibrarySections":              "pms",
}

// hostRecorder stands for one host: it forwards to the fake and records
// which requests it got.
type hostRecorder struct {
	mu   sync.Mutex
	seen []string
}

func (h *hostRecorder) serve(t *testing.T, name, target string) *httptest.Server {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.seen = append(h.seen, name+" "+r.Method+" "+r.URL.Path)
		h.mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func (h *hostRecorder) take() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.seen
	h.seen = nil
	return s
}

// Each operation goes to its documented host: plex.tv, clients.plex.tv
// and the PMS are three different listeners here, so an operation sent to
// the wrong one fails this test even though the fake serves plex.tv and
// clients.plex.tv on one listener.
func TestOperationHosts(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	rec := &hostRecorder{}
	tv := rec.serve(t, "plex.tv", fake.PlexTVURL)
	clients := rec.serve(t, "clients.plex.tv", fake.PlexTVURL)
	pms := rec.serve(t, "pms", fake.PMSURL)
	// The claim operation works on a server of its own: record it too.
	claimPMS := rec.serve(t, "pms", claimableServer(fake).URL)
	s := newClient(t, fake, alice(t, fake).AuthToken,
		plexgo.WithPlexTVURL(tv.URL), plexgo.WithClientsPlexTVURL(clients.URL), plexgo.WithServerURL(pms.URL))
	ops := allOps(fake)
	ops = append(ops, op{"Authentication.SignOut", true, func(c context.Context, s *plexgo.PlexAPI) error {
		_, err := s.Authentication.SignOut(c)
		return err
	}})
	for _, o := range ops {
		want, ok := opHosts[o.name]
		if !ok {
			t.Errorf("%s: no documented host in opHosts", o.name)
			continue
		}
		if err := o.call(context.WithValue(ctx(t), claimURLKey{}, claimPMS.URL), s); err != nil {
			t.Errorf("%s: %v", o.name, err)
		}
		seen := rec.take()
		if len(seen) == 0 {
			t.Errorf("%s: no request reached any host", o.name)
		}
		for _, r := range seen {
			if !strings.HasPrefix(r, want+" ") {
				t.Errorf("%s: %s, want every request on %s", o.name, r, want)
			}
		}
	}
	for name := range opHosts {
		found := false
		for _, o := range ops {
			found = found || o.name == name
		}
		if !found {
			t.Errorf("opHosts names %q, which no operation has", name)
		}
	}
}
