package servers_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/plexkit/plexgo/servers"
)

// Connection URIs print without userinfo and without secret query or
// fragment values (the one redaction of internal/redact), and keep the
// rest so they stay useful.
func TestCandidateURIRedacted(t *testing.T) {
	t.Parallel()
	for _, uri := range []string{
		"https://u:s3cr3t-a@10.0.0.5:32400/",
		"https://10.0.0.5:32400/?X-Plex-Token=s3cr3t-b&v=1",
		"https://10.0.0.5:32400/#?clientID=c&code=s3cr3t-c",
	} {
		c := servers.Candidate{Connection: servers.Connection{URI: uri}}
		r := servers.ConnectResult{URI: uri}
		out := c.String() + fmt.Sprintf("%v %+v %#v", r, r, r)
		if strings.Contains(out, "s3cr3t") {
			t.Errorf("a secret of a connection URI shows (%d bytes)", len(out))
		}
		if !strings.Contains(out, "10.0.0.5:32400") {
			t.Errorf("the URI's host is lost: %s", out)
		}
	}
}
