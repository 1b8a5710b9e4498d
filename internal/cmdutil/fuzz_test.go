package cmdutil

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// FuzzLineReader feeds arbitrary standard input (what --password-stdin and
// --pin-stdin read) to a LineReader, through readers that return it whole,
// in halves or one byte at a time, and compares every line with a
// reference split of the input.
func FuzzLineReader(f *testing.F) {
	long := strings.Repeat("x", maxLineBytes)
	for _, s := range []string{
		"pass word\r\n123456\nlast",
		"", "\n", "\r\n", "\r", "\n\n\n", "a\r\r\n", "a\rb\n", "\x00\xff\n",
		"p\u00e4ss\u4e2d\U0001F600\n123456\n",
		long + "\n", long + "\r\n", long, long + "x\n", long + "x", long + "xx",
		long + "x\r\n", long[1:] + "\r\r\r\n", long + long + "\nnext\n",
		"short\n" + long + "y\nafter\n",
	} {
		f.Add([]byte(s), uint8(0))
	}
	f.Add([]byte("a\nb\r\nc"), uint8(1))
	f.Add([]byte(long+"\r\nz"), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		var r io.Reader = bytes.NewReader(data)
		switch mode % 3 {
		case 1:
			r = iotest.HalfReader(r)
		case 2:
			r = iotest.OneByteReader(r)
		}
		lr := NewLineReader(r)
		ctx := t.Context()
		rest := data
		for range len(data) + 2 {
			got, err := lr.ReadLine(ctx)
			if len(rest) == 0 {
				if !errors.Is(err, ErrInputClosed) {
					t.Fatalf("at end of input: line of %d bytes, err %v; want ErrInputClosed", len(got), err)
				}
				return
			}
			raw := rest
			if i := bytes.IndexByte(rest, '\n'); i >= 0 {
				raw = rest[:i+1]
			}
			rest = rest[len(raw):]
			want := strings.TrimRight(string(raw), "\r\n")
			if err != nil {
				if errors.Is(err, ErrInputClosed) {
					t.Fatalf("ErrInputClosed with %d bytes of input left", len(raw)+len(rest))
				}
				if !strings.Contains(err.Error(), "longer than") {
					t.Fatalf("unexpected error %v", err)
				}
				// Too long: the line, or the raw line with its
				// ending, exceeds the limit. Reading stops here (the
				// rest of the line is not resynchronised).
				if len(want) <= maxLineBytes && len(raw) <= maxLineBytes+2 {
					t.Fatalf("line of %d bytes (%d with its ending) rejected: %v", len(want), len(raw), err)
				}
				return
			}
			if len(got) > maxLineBytes {
				t.Fatalf("ReadLine returned a line of %d bytes, more than the %d-byte limit", len(got), maxLineBytes)
			}
			if got != want {
				t.Fatalf("ReadLine = %q, want %q", got, want)
			}
		}
		t.Fatalf("more lines than bytes of input")
	})
}
