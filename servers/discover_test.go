package servers_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/models/sdkerrors"
	"github.com/plexkit/plexgo/plextest"
	"github.com/plexkit/plexgo/servers"
)

func TestDiscover(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	bobs := fake.AddServer(plextest.ServerSpec{Name: "Bob's Server", OwnerLogin: plextest.TwoFactorLogin, SharedWith: []string{plextest.DefaultLogin}})
	alice := account(t, fake, plextest.DefaultLogin)
	rec := newRecorder(t, "")
	sdk := newSDK(t, fake, rec, alice.AuthToken)
	ctx := context.Background()
	def := fake.Servers()[0]

	all, err := servers.Discover(ctx, sdk, servers.Filter{})
	if err != nil {
		t.Fatalf("Discover: %v", err)
	}
	if len(all) != 2 {
		t.Fatalf("Discover = %d servers, want 2 (players must be left out): %v", len(all), all)
	}
	got := all[0]
	if got.Name != def.Name || got.MachineIdentifier != def.MachineIdentifier || !got.Owned || got.Home || got.Shared {
		t.Errorf("default server = %v, want owned %q %s", got, def.Name, def.MachineIdentifier)
	}
	if got.AccessToken != def.AccessToken {
		t.Error("default server: wrong access token")
	}
	if !slices.Equal(got.Provides, []string{"server"}) {
		t.Errorf("Provides = %q", got.Provides)
	}
	if len(got.Connections) != len(def.Connections) {
		t.Fatalf("connections = %d, want %d (https, relay and IPv6 must be requested)", len(got.Connections), len(def.Connections))
	}
	for i, c := range got.Connections {
		w := def.Connections[i]
		if c.URI != w.URI || c.Local != w.Local || c.Relay != w.Relay || c.Port != w.Port || c.Address != w.Address || c.Protocol != w.Protocol {
			t.Errorf("connection %d = %+v, want %+v", i, c, w)
		}
	}
	if b := all[1]; b.Name != "Bob's Server" || b.Owned || b.Home || !b.Shared || b.MachineIdentifier != bobs.MachineIdentifier {
		t.Errorf("shared server = %v", b)
	}

	// The query asks for every kind of connection.
	reqs := fake.Requests()
	var found bool
	for _, r := range reqs {
		if r.Path == "/api/v2/resources" {
			found = true
			for _, k := range []string{"includeHttps", "includeRelay", "includeIPv6"} {
				if r.Query.Get(k) != "1" {
					t.Errorf("resources query %s = %q, want 1", k, r.Query.Get(k))
				}
			}
		}
	}
	if !found {
		t.Fatal("no resources request")
	}

	tests := []struct {
		name string
		f    servers.Filter
		want []string
	}{
		{"owned only", servers.Filter{OwnedOnly: true}, []string{def.Name}},
		{"name, any case", servers.Filter{Name: "BOB'S server"}, []string{"Bob's Server"}},
		{"machine id", servers.Filter{MachineIdentifier: strings.ToUpper(bobs.MachineIdentifier)}, []string{"Bob's Server"}},
		{"no match", servers.Filter{Name: "nope"}, nil},
		{"players", servers.Filter{Provides: "player"}, []string{"alice's Player"}},
		{"owned and named", servers.Filter{OwnedOnly: true, Name: "Bob's Server"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			list, err := servers.Discover(ctx, sdk, tc.f)
			if err != nil {
				t.Fatalf("Discover: %v", err)
			}
			var names []string
			for _, s := range list {
				names = append(names, s.Name)
			}
			if !slices.Equal(names, tc.want) {
				t.Errorf("names = %q, want %q", names, tc.want)
			}
		})
	}
}

func TestDiscoverXMLMatchesJSON(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	fake.AddServer(plextest.ServerSpec{Name: "ipv6", Connections: []plextest.ConnSpec{{Local: true, IPv6: true}, {Protocol: "https"}}})
	alice := account(t, fake, plextest.DefaultLogin)
	ctx := context.Background()

	viaJSON, err := servers.Discover(ctx, newSDK(t, fake, nil, alice.AuthToken), servers.Filter{})
	if err != nil {
		t.Fatalf("Discover JSON: %v", err)
	}
	xmlRec := newRecorder(t, "application/xml")
	viaXML, err := servers.Discover(ctx, newSDK(t, fake, xmlRec, alice.AuthToken), servers.Filter{})
	if err != nil {
		t.Fatalf("Discover XML: %v", err)
	}
	var sawXML bool
	for _, r := range fake.Requests() {
		if r.Path == "/api/v2/resources" && r.Header.Get("Accept") == "application/xml" {
			sawXML = true
		}
	}
	if !sawXML {
		t.Fatal("the XML request did not reach plex.tv with Accept: application/xml")
	}
	if len(viaJSON) != 2 || len(viaXML) != 2 {
		t.Fatalf("servers: JSON %d, XML %d, want 2", len(viaJSON), len(viaXML))
	}
	for i := range viaJSON {
		j, x := viaJSON[i], viaXML[i]
		// The token must decode the same way; compare without printing it.
		if j.AccessToken != x.AccessToken || j.AccessToken == "" {
			t.Errorf("server %d: access tokens differ between JSON and XML", i)
		}
		if j.Resource.AccessToken != j.AccessToken || x.Resource.AccessToken != x.AccessToken {
			t.Errorf("server %d: Resource.AccessToken differs from AccessToken", i)
		}
		j.AccessToken, x.AccessToken = "", ""
		j.Resource.AccessToken, x.Resource.AccessToken = "", ""
		if !reflect.DeepEqual(j, x) {
			t.Errorf("server %d differs:\nJSON %+v %+v\nXML  %+v %+v", i, j.Connections, j.Resource, x.Connections, x.Resource)
		}
	}
	if c := viaXML[1].Connections; len(c) != 2 || !c[0].IPv6 || !c[0].Local || c[1].Protocol != "https" {
		t.Errorf("XML connections = %+v", c)
	}
}

func TestDiscoverHomeAndShared(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	ctx := context.Background()

	kid := account(t, fake, "kid")
	list, err := servers.Discover(ctx, newSDK(t, fake, nil, kid.AuthToken), servers.Filter{})
	if err != nil {
		t.Fatalf("Discover as kid: %v", err)
	}
	if len(list) != 1 || !list[0].Home || list[0].Owned || list[0].Shared {
		t.Fatalf("kid sees %v, want the admin's server as a Home server", list)
	}
	if list[0].AccessToken == "" || list[0].AccessToken == fake.Servers()[0].AccessToken {
		t.Error("a Home user must get its own server token, not the admin token")
	}

	bob := account(t, fake, plextest.TwoFactorLogin)
	list, err = servers.Discover(ctx, newSDK(t, fake, nil, bob.AuthToken), servers.Filter{})
	if err != nil {
		t.Fatalf("Discover as bob: %v", err)
	}
	if len(list) != 1 || !list[0].Shared || list[0].Owned || list[0].Home {
		t.Fatalf("bob sees %v, want one shared server", list)
	}
	if list, _ := servers.Discover(ctx, newSDK(t, fake, nil, bob.AuthToken), servers.Filter{OwnedOnly: true}); len(list) != 0 {
		t.Errorf("bob owns %v, want none", list)
	}
}

func TestDiscoverErrors(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	ctx := context.Background()
	if _, err := servers.Discover(ctx, nil, servers.Filter{}); err == nil {
		t.Error("nil SDK: want an error")
	}
	if _, err := servers.Discover(ctx, &plexgo.PlexAPI{}, servers.Filter{}); err == nil {
		t.Error("zero SDK: want an error")
	}
	_, err := servers.Discover(ctx, newSDK(t, fake, nil, "not-a-valid-token"), servers.Filter{})
	if !errors.Is(err, sdkerrors.ErrUnauthorized) {
		t.Errorf("bad token: err = %v, want ErrUnauthorized", err)
	}
	noSecret(t, "error", fmt.Sprint(err), "not-a-valid-token")
}

func TestFind(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	twinA := fake.AddServer(plextest.ServerSpec{Name: "Twin"})
	fake.AddServer(plextest.ServerSpec{Name: "twin"})
	alice := account(t, fake, plextest.DefaultLogin)
	sdk := newSDK(t, fake, nil, alice.AuthToken)
	ctx := context.Background()
	def := fake.Servers()[0]

	s, err := servers.Find(ctx, sdk, "PLEXTEST")
	if err != nil || s.MachineIdentifier != def.MachineIdentifier {
		t.Errorf("Find by name = %v, %v", s, err)
	}
	s, err = servers.Find(ctx, sdk, twinA.MachineIdentifier)
	if err != nil || s.Name != "Twin" {
		t.Errorf("Find by machine id = %v, %v", s, err)
	}
	_, err = servers.Find(ctx, sdk, "twin")
	if !errors.Is(err, servers.ErrAmbiguousServer) {
		t.Errorf("ambiguous: err = %v", err)
	}
	_, err = servers.Find(ctx, sdk, "nowhere")
	if !errors.Is(err, servers.ErrServerNotFound) {
		t.Fatalf("not found: err = %v", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "plextest") || !strings.Contains(msg, def.MachineIdentifier) {
		t.Errorf("not-found error should list the servers: %s", msg)
	}
	var secrets []string
	for _, srv := range fake.Servers() {
		secrets = append(secrets, srv.AccessToken)
	}
	noSecret(t, "not-found error", msg, append(secrets, alice.AuthToken)...)
	if _, err := servers.Find(ctx, sdk, "  "); err == nil {
		t.Error("empty name: want an error")
	}
}

func TestServerNeverPrintsToken(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	alice := account(t, fake, plextest.DefaultLogin)
	s := findServer(t, newSDK(t, fake, nil, alice.AuthToken), fake.Servers()[0].MachineIdentifier)
	if s.AccessToken == "" {
		t.Fatal("no access token")
	}
	js, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{
		fmt.Sprintf("%v", s), fmt.Sprintf("%+v", s), fmt.Sprintf("%#v", s), s.String(),
		fmt.Sprintf("%v", &s), fmt.Sprintf("%v", []servers.Server{s}), string(js),
	} {
		noSecret(t, "formatted server", out, s.AccessToken)
	}
	if !strings.Contains(string(js), s.MachineIdentifier) {
		t.Errorf("JSON lacks the machine identifier: %s", js)
	}
}
