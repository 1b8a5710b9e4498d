package cmdutil

import (
	"log/slog"
	"strings"
	"testing"
)

// The verbose log's ReplaceAttr also redacts the secrets of URL values,
// whatever their key.
func TestRedactAttrURLValues(t *testing.T) {
	t.Parallel()
	got := RedactAttr(nil, slog.String("target", "https://u:s3cr3t-a@plex.tv/api?X-Plex-Token=s3cr3t-b&x=1")).Value.String()
	if strings.Contains(got, "s3cr3t") || !strings.Contains(got, "x=1") || !strings.Contains(got, "plex.tv/api") {
		t.Errorf("URL value not redacted as expected (%d bytes)", len(got))
	}
}

// The browser opener refuses URLs with credentials in them, like every
// other URL check (internal/urlcheck).
func TestBrowserRefusesUserinfo(t *testing.T) {
	t.Parallel()
	b := newSystemBrowser(func(string) string { return "" })
	b.goos = "linux"
	started := 0
	b.start = func(string, ...string) error { started++; return nil }
	if err := b.Open(t.Context(), "https://u:s3cr3t@app.plex.tv/auth#?code=x"); err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("userinfo URL: error %v", err != nil)
	}
	if err := b.Open(t.Context(), "https://app.plex.tv/auth#?code=x"); err != nil {
		t.Errorf("plain URL: %v", err)
	}
	if started != 1 {
		t.Errorf("opener started %d times, want 1", started)
	}
}
