package auth_test

import (
	"strings"
	"testing"

	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/plextest"
)

// PIN login URLs with credentials in them (user:password@) are refused
// before anything is sent, and the error does not show them.
func TestLoginWithPINRefusesUserinfoURLs(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := flowSDK(fake, "userinfo-client")
	for name, opts := range map[string]auth.PINOptions{
		"AuthAppURL": {ClientIdentifier: "userinfo-client", AuthAppURL: "https://u:s3cr3t@app.plex.tv/auth"},
		"LinkURL":    {ClientIdentifier: "userinfo-client", LinkURL: "https://s3cr3t@plex.tv/link"},
		"ForwardURL": {ClientIdentifier: "userinfo-client", ForwardURL: "https://u:s3cr3t@example.com/done"},
	} {
		res, err := auth.LoginWithPIN(flowCtx(t), sdk, opts)
		if err == nil || res != nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s with userinfo: no error naming it (error %v)", name, err != nil)
		}
		if err != nil && strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("%s: the error shows the URL's credentials", name)
		}
	}
	if n := len(fake.Requests()); n != 0 {
		t.Errorf("%d requests sent for bad input", n)
	}
}
