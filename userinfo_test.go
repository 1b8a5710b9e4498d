package plexgo_test

import (
	"strings"
	"testing"

	"github.com/plexkit/plexgo"
)

// Base URLs with credentials in them (user:password@) are invalid options:
// every call fails naming the option, nothing is sent, and the error does
// not show the credentials.
func TestBaseURLUserinfoRefused(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	host := strings.TrimPrefix(fake.PlexTVURL, "http://")
	for name, opt := range map[string]plexgo.SDKOption{
		"WithPlexTVURL": plexgo.WithPlexTVURL("http://u:s3cr3t-pw@" + host),
		"WithServerURL": plexgo.WithServerURL("http://s3cr3t-user@" + strings.TrimPrefix(fake.PMSURL, "http://")),
	} {
		before := len(fake.Requests())
		s := newClient(t, fake, alice(t, fake).AuthToken, opt)
		_, err := s.Authentication.GetTokenDetails(ctx(t))
		if name == "WithServerURL" {
			_, err = s.Server.GetIdentity(ctx(t))
		}
		if err == nil || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "credentials in the URL") {
			t.Errorf("%s with userinfo: error = %v", name, err != nil)
		}
		if err != nil && strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("%s: the error shows the URL's credentials", name)
		}
		if n := len(fake.Requests()) - before; n != 0 {
			t.Errorf("%s: %d requests sent", name, n)
		}
	}
}
