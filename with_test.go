package plexgo_test

import (
	"testing"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/plextest"
)

// A client derived with With for another user never sees the first
// user's token, and deriving does not change the original.
func TestWithDerivesIndependentClients(t *testing.T) {
	fake := plextest.NewServer(t)
	alice, _ := fake.Account(plextest.DefaultLogin)
	bob, _ := fake.Account(plextest.TwoFactorLogin)
	a := plexgo.New(
		plexgo.WithPlexTVURL(fake.PlexTVURL),
		plexgo.WithXPlexClientIdentifier("with-test"),
		plexgo.WithProduct("with test"),
		plexgo.WithSecurity(alice.AuthToken),
	)
	b := a.With(plexgo.WithSecurity(bob.AuthToken))

	for _, tc := range []struct {
		name string
		sdk  *plexgo.PlexAPI
		want string
	}{{"original", a, "alice"}, {"derived", b, "bob"}, {"original again", a, "alice"}} {
		res, err := tc.sdk.Authentication.GetTokenDetails(t.Context())
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := res.UserPlexAccount.Username; got != tc.want {
			t.Errorf("%s client acts as %q, want %q", tc.name, got, tc.want)
		}
	}
	// The derived client keeps the original's identity headers.
	for _, r := range fake.Requests() {
		if r.Header.Get("X-Plex-Product") != "with test" || r.Header.Get("X-Plex-Client-Identifier") != "with-test" {
			t.Errorf("%s %s: identity headers not inherited: product %q", r.Method, r.Path, r.Header.Get("X-Plex-Product"))
		}
	}
	var nilClient *plexgo.PlexAPI
	if c := nilClient.With(plexgo.WithPlexTVURL(fake.PlexTVURL)); c == nil || c.Authentication == nil {
		t.Fatal("With on a nil client must return a usable client")
	}
}
