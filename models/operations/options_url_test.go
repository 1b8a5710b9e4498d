package operations

import (
	"strings"
	"testing"
)

func TestWithServerURLChecksURL(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"::", "", "ftp://h/", "plex.tv", "http://u:s3cr3t@h/", "https://s3cr3t@h:1"} {
		var o Options
		err := WithServerURL(raw)(&o)
		if err == nil || o.ServerURL != nil {
			t.Errorf("WithServerURL accepted an invalid URL (case %d)", len(raw))
			continue
		}
		if !strings.Contains(err.Error(), "WithServerURL") || strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("WithServerURL error does not name the option, or shows the URL's credentials")
		}
	}
	var o Options
	if err := WithServerURL("https://10.0.0.1:32400/")(&o); err != nil || o.ServerURL == nil {
		t.Errorf("valid URL refused: %v", err)
	}
}
