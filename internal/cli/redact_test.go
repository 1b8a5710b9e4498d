package cli

import (
	"log/slog"
	"strings"
	"testing"
)

// The verbose log's ReplaceAttr also redacts the secrets of URL values,
// whatever their key.
func TestRedactAttrURLValues(t *testing.T) {
	t.Parallel()
	got := redactAttr(nil, slog.String("target", "https://u:s3cr3t-a@plex.tv/api?X-Plex-Token=s3cr3t-b&x=1")).Value.String()
	if strings.Contains(got, "s3cr3t") || !strings.Contains(got, "x=1") || !strings.Contains(got, "plex.tv/api") {
		t.Errorf("URL value not redacted as expected (%d bytes)", len(got))
	}
}
