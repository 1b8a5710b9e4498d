package plexgo_test

import (
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/internal/testutil"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/models/sdkerrors"
	"github.com/plexkit/plexgo/plextest"
)

// The tests of the issue-12 operations against plextest. The v1 endpoints
// (/api/users, /api/servers/…, /api/home/users, /devices.xml) answer XML
// whatever the client asks, as real plex.tv does; their JSON decoding is
// tested against httptest in sdkops_test.go.

// Friends and shares as alice (the owner) sees them: bob has an accepted
// share of Movies and TV Shows, her Home members are listed as Home users
// (and her managed users among her friends), oscar is nowhere; the share's token works on the server and shows bob
// only his sections.
func TestSharingAgainstFake(t *testing.T) {
	t.Parallel()
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			srv := fake.Servers()[0]
			s := newClient(t, fake, alice(t, fake).AuthToken, f.opt(t))
			users, err := s.Plex.GetUsers(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			var shareID int64
			names := map[string]operations.SharedUser{}
			for _, u := range users.Users {
				names[u.Title] = u
			}
			bob, ok := names["bob"]
			if !ok || bob.Home || len(bob.Servers) != 1 {
				t.Fatalf("bob in the users list: %v %+v", ok, bob)
			}
			sv := bob.Servers[0]
			if sv.MachineIdentifier != srv.MachineIdentifier || sv.Name != srv.Name || sv.AllLibraries || sv.NumLibraries != 2 || sv.Owned || sv.Pending || sv.ID == 0 {
				t.Errorf("bob's server %+v", sv)
			}
			shareID = sv.ID
			if kid, ok := names["kid"]; !ok || !kid.Home || !kid.Restricted || kid.Username != "" {
				t.Errorf("kid in the users list: %v %+v", ok, kid)
			}
			if _, ok := names[plextest.OutsiderUsername]; ok {
				t.Error("oscar is listed")
			}

			friends, err := s.Plex.GetFriends(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			// bob, then alice's managed Home users (no username, their
			// title as friendly name), as plex.tv lists them
			if len(friends.Friends) != 3 || friends.Friends[0].Username != "bob" || friends.Friends[0].Status != operations.FriendStatusAccepted ||
				len(friends.Friends[0].SharedServers) != 1 || friends.Friends[0].SharedServers[0].MachineIdentifier != srv.MachineIdentifier {
				t.Errorf("friends %+v", friends.Friends)
			}
			for i, title := range []string{"kid", "teen"} {
				if len(friends.Friends) != 3 {
					break
				}
				m := friends.Friends[i+1]
				if m.Title != title || m.Username != "" || m.Email != "" || !m.Home || !m.Restricted || m.FriendlyName == nil || *m.FriendlyName != title ||
					len(m.SharedServers) != 1 || m.SharedServers[0].MachineIdentifier != srv.MachineIdentifier {
					t.Errorf("managed friend %d %+v", i, m)
				}
			}
			wantContentType(t, f, friends.ContentType)

			shares, err := s.Plex.GetSharedServers(ctx(t), srv.MachineIdentifier)
			if err != nil {
				t.Fatal(err)
			}
			if len(shares.SharedServers) != 1 {
				t.Fatalf("%d shares", len(shares.SharedServers))
			}
			one, err := s.Plex.GetSharedServer(ctx(t), srv.MachineIdentifier, shareID)
			if err != nil {
				t.Fatal(err)
			}
			for _, sh := range []operations.SharedServer{shares.SharedServers[0], *one.SharedServer} {
				var shared []string
				for _, sec := range sh.Sections {
					if sec.Shared {
						shared = append(shared, sec.Key+":"+sec.Title)
					}
				}
				if sh.ID != shareID || sh.Username != "bob" || sh.UserID != bob.ID || sh.AccessToken == "" || sh.AllLibraries || len(sh.Sections) != 3 ||
					!slices.Equal(shared, []string{"1:Movies", "2:TV Shows"}) || sh.AcceptedAt == 0 || sh.Pending {
					t.Errorf("share %v, shared sections %v", sh, shared)
				}
			}
			// The share's token is bob's access to the server.
			bobOnServer := newClient(t, fake, shares.SharedServers[0].AccessToken, f.opt(t))
			secs, err := bobOnServer.Server.GetLibrarySections(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			if len(secs.Sections) != 2 || secs.Sections[0].Title != "Movies" || secs.Sections[1].Type != operations.LibrarySectionTypeShow {
				t.Errorf("bob's sections %+v", secs.Sections)
			}
			if _, err := s.Plex.GetSharedServer(ctx(t), srv.MachineIdentifier, shareID+1000); !errors.Is(err, sdkerrors.ErrNotFound) {
				t.Errorf("unknown share: %v", err)
			}
		})
	}
}

// oscar, whom no server is shared with, sees no users, no friends, and may
// not read the shares of alice's server.
func TestSharingOutsider(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	oscar, _ := fake.Account(plextest.OutsiderLogin)
	if !oscar.Outsider {
		t.Fatal("oscar is not marked outsider")
	}
	s := newClient(t, fake, oscar.AuthToken)
	users, err := s.Plex.GetUsers(ctx(t))
	if err != nil || len(users.Users) != 0 {
		t.Errorf("oscar's users: %v %v", users, err)
	}
	friends, err := s.Plex.GetFriends(ctx(t))
	if err != nil || len(friends.Friends) != 0 {
		t.Errorf("oscar's friends: %v %v", friends, err)
	}
	_, err = s.Plex.GetSharedServers(ctx(t), fake.Servers()[0].MachineIdentifier)
	wantAPIError(t, err, http.StatusForbidden, 0, []error{sdkerrors.ErrForbidden})
	_, err = s.Plex.GetSharedServers(ctx(t), "no-such-server")
	wantAPIError(t, err, http.StatusNotFound, plexCodeNotFound, []error{sdkerrors.ErrNotFound})
}

// Home v2 and v1: the Home, its members with their flags, and the v1 switch
// with and without the PIN; the switched-to token is teen's.
func TestHomeV1AgainstFake(t *testing.T) {
	t.Parallel()
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			s := newClient(t, fake, alice(t, fake).AuthToken, f.opt(t))
			home, err := s.Plex.GetHome(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			wantContentType(t, f, home.ContentType)
			if home.Home.ID == 0 || home.Home.Name == "" || !home.Home.Subscription || home.Home.GuestEnabled {
				t.Errorf("home %+v", home.Home)
			}
			v1, err := s.Plex.GetHomeUsersV1(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			byName := map[string]operations.HomeUser{}
			for _, u := range v1.Users {
				byName[u.Title] = u
			}
			if a := byName["alice"]; !a.Admin || !a.HasPassword || a.Restricted || a.ID == 0 {
				t.Errorf("alice %+v", a)
			}
			if k := byName["kid"]; k.Admin || k.Protected || !k.Restricted || k.HasPassword {
				t.Errorf("kid %+v", k)
			}
			teen := byName["teen"]
			if !teen.Protected || teen.UUID == "" {
				t.Fatalf("teen %+v", teen)
			}
			for _, pin := range []*string{nil, plexgo.String("0000")} {
				_, err := s.Plex.SwitchHomeUserV1(ctx(t), teen.ID, pin)
				wantAPIError(t, err, http.StatusForbidden, sdkerrors.CodeInvalidPIN, []error{sdkerrors.ErrInvalidPIN, sdkerrors.ErrForbidden}, sdkerrors.ErrUnauthorized)
				wantType[sdkerrors.SwitchHomeUserV1Forbidden](t, err)
			}
			if got := fake.CountRequests(http.MethodPost, "/api/home/users/"+itoa(teen.ID)+"/switch"); got != 2 {
				t.Errorf("%d switch requests, want 2 (never retried)", got)
			}
			sw, err := s.Plex.SwitchHomeUserV1(ctx(t), teen.ID, plexgo.String(plextest.HomeUserPIN))
			if err != nil {
				t.Fatal(err)
			}
			if sw.StatusCode != http.StatusCreated || sw.User.ID != teen.ID || sw.User.UUID != teen.UUID || sw.GetToken() == "" {
				t.Fatalf("switched %v (status %d)", sw.User, sw.StatusCode)
			}
			who, err := s.Authentication.GetTokenDetails(ctx(t), operations.WithToken(sw.GetToken()))
			if err != nil || who.UserPlexAccount.UUID != teen.UUID {
				t.Errorf("the switched token is not teen's: %v", err)
			}
		})
	}
}

// Devices: every client that got a token is listed with it, and so is the
// server; deleting a device revokes its token, and a server's entry
// cannot be deleted.
func TestDevicesAgainstFake(t *testing.T) {
	t.Parallel()
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			s := newClient(t, fake, alice(t, fake).AuthToken, f.opt(t))
			phone, err := fake.IssueToken(plextest.DefaultLogin, "sdkops-phone")
			if err != nil {
				t.Fatal(err)
			}
			list, err := s.Plex.GetDevices(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			var phoneDev, serverDev *operations.AccountDevice
			for i, d := range list.Devices {
				switch {
				case d.ClientIdentifier == "sdkops-phone":
					phoneDev = &list.Devices[i]
				case d.ClientIdentifier == fake.Servers()[0].MachineIdentifier:
					serverDev = &list.Devices[i]
				}
			}
			if phoneDev == nil || phoneDev.Token != phone || phoneDev.ID == 0 || phoneDev.CreatedAt == 0 || phoneDev.LastSeenTime().IsZero() || phoneDev.Provides != "" {
				t.Fatalf("phone device %v", phoneDev)
			}
			if serverDev == nil || !serverDev.HasProvides("server") || len(serverDev.Connections) == 0 || serverDev.Product != "Plex Media Server" {
				t.Fatalf("server device %v", serverDev)
			}
			if _, err := s.Plex.DeleteDevice(ctx(t), phoneDev.ID); err != nil {
				t.Fatal(err)
			}
			_, err = s.Authentication.GetTokenDetails(ctx(t), operations.WithToken(phone))
			wantAPIError(t, err, http.StatusUnauthorized, sdkerrors.CodeNotAuthenticated, []error{sdkerrors.ErrUnauthorized})
			_, err = s.Plex.DeleteDevice(ctx(t), phoneDev.ID)
			wantAPIError(t, err, http.StatusNotFound, plexCodeNotFound, []error{sdkerrors.ErrNotFound})
			_, err = s.Plex.DeleteDevice(ctx(t), serverDev.ID)
			wantAPIError(t, err, http.StatusNotFound, plexCodeNotFound, []error{sdkerrors.ErrNotFound})
		})
	}
}

// Claiming: unclaim alice's server, claim it for oscar with his claim
// token (single use), and the server's own account, identity and oscar's
// resources follow.
func TestClaimAgainstFake(t *testing.T) {
	t.Parallel()
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			extra := fake.AddServer(plextest.ServerSpec{Name: "to-claim"})
			at := operations.WithServerURL(extra.URL)
			s := newClient(t, fake, alice(t, fake).AuthToken, f.opt(t))
			acct, err := s.Server.GetMyPlexAccount(ctx(t), at)
			if err != nil {
				t.Fatal(err)
			}
			wantContentType(t, f, acct.ContentType)
			if !acct.MyPlex.SignedIn() || acct.MyPlex.Username != plextest.DefaultLogin || acct.MyPlex.AuthToken == "" || acct.MyPlex.MappingState != operations.MyPlexMappingStateMapped {
				t.Fatalf("account of a claimed server %v", acct.MyPlex)
			}
			if _, err := s.Server.UnclaimServer(ctx(t), at); err != nil {
				t.Fatal(err)
			}
			acct, err = s.Server.GetMyPlexAccount(ctx(t), at)
			if err != nil || acct.MyPlex.SignedIn() || acct.MyPlex.SignInState != operations.MyPlexSignInStateNone || acct.MyPlex.AuthToken != "" {
				t.Fatalf("account of an unclaimed server %v %v", acct, err)
			}
			id, err := s.Server.GetIdentity(ctx(t), at)
			if err != nil || id.MediaContainer.Claimed {
				t.Errorf("identity of an unclaimed server: %v %v", id, err)
			}

			oscar, _ := fake.Account(plextest.OutsiderLogin)
			so := newClient(t, fake, oscar.AuthToken, f.opt(t))
			tok, err := so.Plex.GetClaimToken(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(tok.GetToken(), "claim-") {
				t.Fatalf("claim token of %d bytes without the claim- prefix", len(tok.GetToken()))
			}
			claimed, err := so.Server.ClaimServer(ctx(t), tok.GetToken(), at)
			if err != nil {
				t.Fatal(err)
			}
			if !claimed.MyPlex.SignedIn() || claimed.MyPlex.Username != plextest.OutsiderLogin {
				t.Errorf("claimed account %v", claimed.MyPlex)
			}
			// Single use: the same token fails, and is not retried.
			_, err = so.Server.ClaimServer(ctx(t), tok.GetToken(), at)
			wantAPIError(t, err, http.StatusBadRequest, 0, nil, sdkerrors.ErrUnauthorized)
			if got := fake.CountRequests(http.MethodPost, "/myplex/claim"); got != 2 {
				t.Errorf("%d claim requests, want 2", got)
			}
			res, err := so.Plex.GetResources(ctx(t), operations.GetResourcesRequest{})
			if err != nil {
				t.Fatal(err)
			}
			if i := slices.IndexFunc(res.Resources, func(r operations.Resource) bool { return r.ClientIdentifier == extra.MachineIdentifier }); i < 0 || !res.Resources[i].Owned {
				t.Errorf("the claimed server is not oscar's resource (index %d)", i)
			}
		})
	}
}

// The server's own lists: system accounts (the server, the owner as 1, and
// bob), the devices that used it, and its library sections.
func TestServerListsAgainstFake(t *testing.T) {
	t.Parallel()
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			bob, _ := fake.Account(plextest.TwoFactorLogin)
			s := newClient(t, fake, alice(t, fake).AuthToken, f.opt(t))
			accts, err := s.Server.GetAccounts(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			wantContentType(t, f, accts.ContentType)
			ids := map[int64]operations.SystemAccount{}
			for _, a := range accts.Accounts {
				ids[a.ID] = a
			}
			if _, ok := ids[0]; !ok || ids[1].Name != "alice" || ids[bob.ID].Name != "bob" || ids[1].DefaultAudioLanguage != "en" || !ids[1].AutoSelectAudio || ids[1].Key != "/accounts/1" {
				t.Errorf("system accounts %+v", accts.Accounts)
			}
			devs, err := s.Server.GetSystemDevices(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(devs.Devices, func(d operations.SystemDevice) bool {
				return d.ClientIdentifier == testClientID && d.ID != 0 && d.CreatedAt != 0
			}) {
				t.Errorf("this client is not among the system devices %+v", devs.Devices)
			}
			secs, err := s.Server.GetLibrarySections(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, sec := range secs.Sections {
				got = append(got, sec.Key+":"+string(sec.Type))
				if len(sec.Locations) == 0 || sec.UUID == "" || sec.Agent == "" {
					t.Errorf("section %+v", sec)
				}
			}
			if !slices.Equal(got, []string{"1:movie", "2:show", "3:artist"}) {
				t.Errorf("sections %v", got)
			}
			// Only the server's admin reads its accounts and devices.
			shares, err := s.Plex.GetSharedServers(ctx(t), fake.Servers()[0].MachineIdentifier)
			if err != nil {
				t.Fatal(err)
			}
			asBob := newClient(t, fake, shares.SharedServers[0].AccessToken, f.opt(t))
			for _, err := range []error{second(asBob.Server.GetAccounts(ctx(t))), second(asBob.Server.GetSystemDevices(ctx(t))), second(asBob.Server.GetMyPlexAccount(ctx(t)))} {
				wantAPIError(t, err, http.StatusForbidden, 0, []error{sdkerrors.ErrForbidden})
			}
		})
	}
}

// Ping reads plex.tv's answer in both encodings.
func TestPlexPingAgainstFake(t *testing.T) {
	t.Parallel()
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			s := newClient(t, fake, alice(t, fake).AuthToken, f.opt(t))
			res, err := s.Plex.Ping(ctx(t))
			if err != nil || !res.Pong {
				t.Fatalf("ping: %v %v", res, err)
			}
			wantContentType(t, f, res.ContentType)
			_, err = newClient(t, fake, "not-a-token", f.opt(t)).Plex.Ping(ctx(t))
			wantAPIError(t, err, http.StatusUnauthorized, sdkerrors.CodeNotAuthenticated, []error{sdkerrors.ErrUnauthorized})
		})
	}
}

// The idempotent new operations get through two 503s from plextest; the v1
// switch and the claim are sent once.
func TestNewOperationsRetriesAgainstFake(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	srv := fake.Servers()[0]
	s := newClient(t, fake, alice(t, fake).AuthToken)
	cases := []struct {
		route string
		once  bool
		call  func() error
	}{
		{"GET /api/users", false, func() error { return second(s.Plex.GetUsers(ctx(t))) }},
		{"GET /api/v2/friends", false, func() error { return second(s.Plex.GetFriends(ctx(t))) }},
		{"GET /api/servers/" + srv.MachineIdentifier + "/shared_servers", false, func() error {
			return second(s.Plex.GetSharedServers(ctx(t), srv.MachineIdentifier))
		}},
		{"GET /api/v2/home", false, func() error { return second(s.Plex.GetHome(ctx(t))) }},
		{"GET /api/home/users", false, func() error { return second(s.Plex.GetHomeUsersV1(ctx(t))) }},
		{"GET /devices.xml", false, func() error { return second(s.Plex.GetDevices(ctx(t))) }},
		{"GET /api/claim/token.json", false, func() error { return second(s.Plex.GetClaimToken(ctx(t))) }},
		{"GET /api/v2/ping", false, func() error { return second(s.Plex.Ping(ctx(t))) }},
		{"GET /myplex/account", false, func() error { return second(s.Server.GetMyPlexAccount(ctx(t))) }},
		{"GET /accounts", false, func() error { return second(s.Server.GetAccounts(ctx(t))) }},
		{"GET /devices", false, func() error { return second(s.Server.GetSystemDevices(ctx(t))) }},
		{"GET /library/sections", false, func() error { return second(s.Server.GetLibrarySections(ctx(t))) }},
		{"POST /api/home/users/{id}/switch", true, func() error { return second(s.Plex.SwitchHomeUserV1(ctx(t), 1, nil)) }},
		{"POST /myplex/claim", true, func() error { return second(s.Server.ClaimServer(ctx(t), "claim-unused")) }},
	}
	for _, tc := range cases {
		method, path, _ := strings.Cut(tc.route, " ")
		path = strings.Replace(path, "{id}", "1", 1)
		fake.InjectFault(method+" "+path, plextest.Fault{Statuses: []int{503, 503}})
		before := fake.CountRequests(method, path)
		err := tc.call()
		sent := fake.CountRequests(method, path) - before
		switch {
		case tc.once && (sent != 1 || !errors.Is(err, sdkerrors.ErrServer)):
			t.Errorf("%s: %d requests, %v; want one request and the 503", tc.route, sent, err)
		case !tc.once && (sent != 3 || err != nil):
			t.Errorf("%s: %d requests, %v; want 3 and success", tc.route, sent, err)
		}
		fake.ClearFaults()
	}
}

// The new operations' failures and answers never show a token, a claim
// token or a PIN, in errors, printed values or the debug log.
func TestNewOperationsSecretsNeverPrinted(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	a := alice(t, fake)
	const (
		badToken   = "s3cr3t-sdkops-bad-token"
		claimToken = "claim-s3cr3tClaimTokenXyz"
		wrongPIN   = "9q8w"
	)
	logs := &testutil.SyncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	// The Home PIN is four digits, which turn up by chance in ports, ids and
	// times: look for it in the forms a leak would take instead.
	pin := plextest.HomeUserPIN
	secrets := []string{a.AuthToken, badToken, claimToken, wrongPIN,
		"pin=" + pin, "pin%3D" + pin, `"` + pin + `"`, "=" + pin + " ", "=" + pin + "\n", ":" + pin + "}"}
	var printed strings.Builder
	dead := testutil.DeadURL(t)
	clients := map[string]*plexgo.PlexAPI{
		"refused":   plexgo.New(plexgo.WithPlexTVURL(dead), plexgo.WithServerURL(dead), plexgo.WithSecurity(a.AuthToken), plexgo.WithLogger(logger), plexgo.WithRetryConfig(fastRetry())),
		"bad token": newClient(t, fake, badToken, plexgo.WithLogger(logger)),
		"xml":       newClient(t, fake, badToken, plexgo.WithLogger(logger), formats[1].opt(t)),
		"alice":     newClient(t, fake, a.AuthToken, plexgo.WithLogger(logger)),
	}
	var answers []any
	for name, s := range clients {
		c := ctx(t)
		calls := []func() (any, error){
			func() (any, error) { return s.Plex.GetUsers(c) },
			func() (any, error) { return s.Plex.GetSharedServers(c, fake.Servers()[0].MachineIdentifier) },
			func() (any, error) { return s.Plex.GetDevices(c) },
			func() (any, error) { return s.Plex.DeleteDevice(c, 424242) },
			func() (any, error) { return s.Plex.GetClaimToken(c) },
			func() (any, error) { return s.Plex.SwitchHomeUserV1(c, 424242, plexgo.String(plextest.HomeUserPIN)) },
			func() (any, error) { return s.Plex.SwitchHomeUserV1(c, 1, plexgo.String(wrongPIN)) },
			func() (any, error) { return s.Server.GetMyPlexAccount(c) },
			func() (any, error) { return s.Server.ClaimServer(c, claimToken) },
			func() (any, error) { return s.Server.GetAccounts(c) },
		}
		for _, call := range calls {
			res, err := call()
			if err != nil {
				printed.WriteString(err.Error() + "\n" + fmtAll(err))
				continue
			}
			if name == "alice" {
				answers = append(answers, res)
			}
		}
		testutil.NoSecret(t, name+": errors", printed.String(), secrets...)
		printed.Reset()
	}
	// The answers carry secrets of their own: print and log them.
	for _, res := range answers {
		printed.WriteString(printAndLog(res))
		switch r := res.(type) {
		case *operations.GetSharedServersResponse:
			for _, sh := range r.SharedServers {
				secrets = append(secrets, sh.AccessToken)
			}
		case *operations.GetDevicesResponse:
			for _, d := range r.Devices {
				secrets = append(secrets, d.Token)
			}
		case *operations.GetClaimTokenResponse:
			secrets = append(secrets, r.GetToken())
		case *operations.GetMyPlexAccountResponse:
			secrets = append(secrets, r.MyPlex.AuthToken)
		}
	}
	if len(answers) < 5 {
		t.Fatalf("only %d successful answers", len(answers))
	}
	testutil.NoSecret(t, "answers", printed.String(), secrets...)
	testutil.NoSecret(t, "debug log", logs.String(), secrets...)
	if !strings.Contains(logs.String(), "claimServer") || !strings.Contains(logs.String(), "switchHomeUserV1") {
		t.Error("the debug log misses the new operations")
	}
}
