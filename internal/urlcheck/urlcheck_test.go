package urlcheck

import (
	"errors"
	"strings"
	"testing"
)

func TestHTTP(t *testing.T) {
	t.Parallel()
	good := []string{"http://h", "https://plex.tv", "https://plex.tv/", "HTTPS://H:32400/prefix", "http://127.0.0.1:1/?a=b", "http://[::1]:32400"}
	for _, raw := range good {
		u, err := HTTP(raw)
		if err != nil || u == nil || u.Host == "" {
			t.Errorf("HTTP(%q) = %v, %v", raw, u, err)
		}
		if !Valid(raw) {
			t.Errorf("Valid(%q) = false", raw)
		}
	}
	bad := map[string]error{
		"":                       ErrNotHTTP,
		"plex.tv":                ErrNotHTTP,
		"/relative":              ErrNotHTTP,
		"ftp://h/":               ErrNotHTTP,
		"file:///etc/passwd":     ErrNotHTTP,
		"javascript:alert(1)":    ErrNotHTTP,
		"http://":                ErrNotHTTP,
		"http:///path":           ErrNotHTTP,
		"http://h:port/":         ErrNotHTTP,
		"://bad":                 ErrNotHTTP,
		"http://u:s3cr3t@h/":     ErrUserinfo,
		"https://s3cr3t@h:1/":    ErrUserinfo,
		"http://%zz":             ErrNotHTTP,
		"http://h/\x00":          ErrNotHTTP,
		" http://leading-space/": ErrNotHTTP,
	}
	for raw, want := range bad {
		u, err := HTTP(raw)
		if !errors.Is(err, want) || u != nil {
			t.Errorf("HTTP(%q) = %v, %v; want %v", raw, u, err, want)
		}
		if Valid(raw) {
			t.Errorf("Valid(%q) = true", raw)
		}
		if err != nil && strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("HTTP error names the URL's secret")
		}
	}
}
