package cmdutil

import (
	"fmt"
	"testing"
	"unicode/utf8"
)

// hostile is what a hostile server or user puts in a name: an OSC that
// retitles the window, ending in BEL, then a screen clear.
const hostile = "\x1b]0;pwned\a\x1b[2J"

func TestSanitize(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Living Room", "Living Room"},
		{"Zoë 中文 😀", "Zoë 中文 😀"},
		{hostile, `\x1b]0;pwned\x07\x1b[2J`},
		{"a\u009b31mb", `a\u009b31mb`}, // C1 CSI
		{"x\u0085y", `x\u0085y`},       // C1 NEL
		{"del\x7f", `del\x7f`},         // DEL
		{"line\nbreak\ttab\rcr", `line\x0abreak\x09tab\x0dcr`},
		{"\u202eevil\u202c", `\u202eevil\u202c`}, // bidi override
		{"\u2066iso\u2069 \u200f", `\u2066iso\u2069 \u200f`},
		{"bad\xffutf8", `bad\xffutf8`},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Sanitize(tt.in); got != tt.want {
			t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := Sanitize(tt.want); got != tt.want {
			t.Errorf("Sanitize is not idempotent on %q: %q", tt.want, got)
		}
	}
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{hostile, "a\u009bb", "\u202e", "\xff\xfe", "plain"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if bad := terminalUnsafe(Sanitize(s)); bad != "" {
			t.Fatalf("Sanitize(%q) keeps %s", s, bad)
		}
	})
}

// terminalUnsafe names the first thing in s a terminal could act on, or
// returns "".
func terminalUnsafe(s string) string {
	if !utf8.ValidString(s) {
		return "invalid UTF-8"
	}
	for _, r := range s {
		if r != '\n' && r != '\t' && unsafeRune(r) {
			return fmt.Sprintf("%U", r)
		}
	}
	return ""
}
