package wire

import (
	"net/url"
	"testing"
)

// Origin is what the redirect policy and the root package's HTTPClient
// compare: one form per origin, "" when there is none.
func TestOrigin(t *testing.T) {
	for in, want := range map[string]string{
		"https://Plex.TV/api?x=1":       "https://plex.tv:443",
		"http://user:pw@10.0.0.2/p":     "http://10.0.0.2:80",
		"http://[::1]:32400/identity":   "http://[::1]:32400",
		"HTTPS://[FE80::1]/":            "https://[fe80::1]:443",
		"ftp://example.com/":            "ftp://example.com:",
		"/relative/path":                "",
		"mailto:someone@example.com":    "",
		"https://plex.tv:8443/resource": "https://plex.tv:8443",
	} {
		u, err := url.Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := Origin(u); got != want {
			t.Errorf("Origin(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Origin(nil); got != "" {
		t.Errorf("Origin(nil) = %q", got)
	}
}
