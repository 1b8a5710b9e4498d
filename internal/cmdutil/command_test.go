package cmdutil

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

func TestWriteJSONList(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	io := &IOStreams{Out: &out}
	if err := WriteJSONList(io, "users", []int(nil), func(i int) int { return i }); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "{\"users\":[]}\n" {
		t.Errorf("no items: %q, want an empty list", got)
	}
	out.Reset()
	if err := WriteJSONList(io, "n", []int{1, 2}, func(i int) string { return strings.Repeat("x", i) }); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "{\"n\":[\"x\",\"xx\"]}\n" {
		t.Errorf("two items: %q", got)
	}
}

func TestSecretInput(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	lines := func(s string) func() *LineReader {
		r := NewLineReader(strings.NewReader(s))
		return func() *LineReader { return r }
	}
	noTTY := errors.New("no terminal")
	got, err := SecretInput{FromStdin: true, Lines: lines("1234\n")}.Read(ctx, "PIN: ", "the PIN", noTTY)
	if err != nil || got != "1234" {
		t.Errorf("from stdin: %q, %v", got, err)
	}
	if _, err := (SecretInput{FromStdin: true, Lines: lines("")}).Read(ctx, "PIN: ", "the PIN", noTTY); !errors.Is(err, ErrInputClosed) {
		t.Errorf("stdin closed: err = %v, want ErrInputClosed", err)
	} else if code, _ := Classify(err); code != ExitInputClosed {
		t.Errorf("stdin closed: exit code %d, want %d", code, ExitInputClosed)
	}
	if _, err := (SecretInput{}).Read(ctx, "PIN: ", "the PIN", noTTY); err != noTTY {
		t.Errorf("neither stdin nor a terminal: err = %v, want the given error", err)
	}
}
