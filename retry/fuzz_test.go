package retry

import (
	"net/http"
	"testing"
	"time"
)

// FuzzParseRetryAfter: any header value parses to a non-negative delay or
// is rejected; delay-seconds round-trip exactly.
func FuzzParseRetryAfter(f *testing.F) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	for _, seed := range []string{"", "0", "30", "-5", "1.5", " 7 ", "99999999999999999999",
		now.Add(time.Minute).Format(http.TimeFormat), "Mon, 02 Jan 2006 15:04:05 GMT", "garbage", "\x00"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := ParseRetryAfter(v, now)
		if !ok {
			if d != 0 {
				t.Fatalf("rejected value gave a delay %v", d)
			}
			return
		}
		if d < 0 {
			t.Fatalf("negative delay %v for %q", d, v)
		}
	})
}
