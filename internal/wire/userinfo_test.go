package wire

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// A base URL (configured or per call) with userinfo is refused before
// anything is sent, on the fast path as on the parsed one, and the error
// does not show the credentials.
func TestBaseURLWithUserinfoRefused(t *testing.T) {
	t.Parallel()
	sent := 0
	c := stubClient(rtFunc(func(r *http.Request) (*http.Response, error) {
		sent++
		return stub(204, nil, "")(r)
	}))
	for _, base := range []string{"http://u:s3cr3t-pw@plex.invalid", "https://s3cr3t-user@plex.invalid/x", "http://u:s3cr3t-pw@plex.invalid/?a=b"} {
		c.PlexTVURL = base
		_, err := c.Do(context.Background(), &Call{Op: "getUser", Method: "GET", Host: PlexTV, Path: "api/v2/user"}, nil)
		if err == nil || !strings.Contains(err.Error(), "userinfo") || strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("base with userinfo: err = %v", err != nil)
		}
	}
	if sent != 0 {
		t.Errorf("%d requests sent", sent)
	}
}
