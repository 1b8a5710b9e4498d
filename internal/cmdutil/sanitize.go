package cmdutil

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Sanitize returns s made safe to print on a terminal: every control
// character (C0 including newline and tab, DEL, C1), every bidirectional
// override or isolate, and every byte that is not valid UTF-8 is replaced
// by a visible escape (\x1b, \u009b, \u202e, \xff). An escape sequence
// such as "\x1b]0;title\a" thus prints as plain text and cannot move the
// cursor, clear the screen, retitle the window or reorder the line.
// Text output passes every string it did not write itself (server and
// user names, e-mails, error messages) through Sanitize; JSON output is
// never sanitized (encoding/json escapes control characters itself).
func Sanitize(s string) string {
	if !needsSanitizing(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unsafeRune(r) && r < utf8.RuneSelf:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func needsSanitizing(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unsafeRune(r) || (r == utf8.RuneError && size == 1) {
			return true
		}
		i += size
	}
	return false
}

// unsafeRune reports whether r must not reach a terminal as is.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f: // C0, DEL, C1
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f: // bidi marks
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069: // bidi embeddings, overrides, isolates
		return true
	}
	return false
}

// sanitizeArgs returns args with every string, error and fmt.Stringer
// replaced by its sanitized text. Numbers, booleans and the like are kept.
func sanitizeArgs(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			out[i] = Sanitize(v)
		case error:
			out[i] = Sanitize(v.Error())
		case fmt.Stringer:
			out[i] = Sanitize(v.String())
		case []string:
			s := make([]string, len(v))
			for j := range v {
				s[j] = Sanitize(v[j])
			}
			out[i] = s
		default:
			out[i] = a
		}
	}
	return out
}

// Textf is fmt.Fprintf for text output: the format is plexauth's own,
// every argument that is a string, an error, a fmt.Stringer or a []string
// is sanitized (see [Sanitize]). Text output of every command goes
// through Textf (or the IOStreams methods built on it), never fmt
// directly (a test checks).
func Textf(w io.Writer, format string, args ...any) {
	_, _ = fmt.Fprintf(w, format, sanitizeArgs(args)...)
}

// Textln is fmt.Fprintln for text output, with sanitized arguments.
func Textln(w io.Writer, args ...any) {
	_, _ = fmt.Fprintln(w, sanitizeArgs(args)...)
}
