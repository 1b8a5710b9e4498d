package redact

import (
	"strings"
	"testing"
)

func TestJSON(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"login":"alice","password":"s3cr3t","n":1.50}`, `{"login":"alice","n":1.50,"password":"REDACTED"}`},
		{`[{"deviceJWT":"s3cr3t","id":7},{"prefs":{"authToken":"s3cr3t"}}]`, `[{"deviceJWT":"REDACTED","id":7},{"prefs":{"authToken":"REDACTED"}}]`},
		{`{"token":{"nested":"s3cr3t"}}`, `{"token":"REDACTED"}`},
		{`true`, `true`},
		{`{"a":`, Placeholder},
		{``, Placeholder},
	} {
		if got := JSON([]byte(tc.in)); got != tc.want {
			// The test's secret is shown as <secret> if it was kept.
			t.Errorf("JSON(%d bytes) = %q, want %q", len(tc.in), strings.ReplaceAll(got, "s3cr3t", "<secret>"), tc.want)
		}
	}
}

func TestJSONDepthBounded(t *testing.T) {
	deep := strings.Repeat("[", 200) + strings.Repeat("]", 200)
	if got := JSON([]byte(deep)); strings.Count(got, "[") > maxJSONDepth+2 || !strings.Contains(got, Placeholder) {
		t.Errorf("a 200-deep array gave %.80q…", got)
	}
}
