package servers_test

import (
	"strings"
	"testing"

	"github.com/plexkit/plexgo/servers"
)

func TestShareURLChecksBase(t *testing.T) {
	t.Parallel()
	for base, want := range map[string]string{
		"https://u:s3cr3t@10.0.0.5:32400": "user information",
		"ftp://10.0.0.5/":                 "absolute http(s)",
		"10.0.0.5:32400":                  "absolute http(s)",
	} {
		_, err := servers.ShareURL(base, "/library", "tok")
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("ShareURL(base %d bytes): error %v does not say %q", len(base), err != nil, want)
		}
	}
}
