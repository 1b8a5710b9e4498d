package cmdutil

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"golang.org/x/term"
)

// IOStreams are the standard streams of one plexauth run, with what each
// is connected to. Results go to Out; progress, prompts and diagnostics go
// to ErrOut.
//
// Commands print text with [IOStreams.Printf] and [IOStreams.Eprintf]
// (or [Textf] on another writer), which sanitize every argument, and
// JSON with [IOStreams.WriteJSON], which is exact.
type IOStreams struct {
	// In is standard input: passwords and codes with --password-stdin or
	// --pin-stdin, and interactive answers.
	In io.Reader
	// Out receives results: text or one JSON document.
	Out io.Writer
	// ErrOut receives progress, prompts, warnings and errors.
	ErrOut io.Writer
	// IsStdinTTY reports whether In is a terminal (prompts are possible
	// and passwords are read without echo).
	IsStdinTTY bool
	// IsStdoutTTY reports whether Out is a terminal.
	IsStdoutTTY bool
	// IsStderrTTY reports whether ErrOut is a terminal (QR code, spinner
	// and live countdown are drawn only then).
	IsStderrTTY bool
}

// System returns the process's standard streams with their terminal state.
func System() IOStreams {
	return IOStreams{
		In:          os.Stdin,
		Out:         os.Stdout,
		ErrOut:      os.Stderr,
		IsStdinTTY:  isTerminal(os.Stdin),
		IsStdoutTTY: isTerminal(os.Stdout),
		IsStderrTTY: isTerminal(os.Stderr),
	}
}

// CanPrompt reports whether the user can be asked questions: stdin and
// stderr (where prompts go) are both terminals.
func (s *IOStreams) CanPrompt() bool { return s.IsStdinTTY && s.IsStderrTTY }

// Printf prints text on Out; every argument is sanitized (see [Textf]).
func (s *IOStreams) Printf(format string, args ...any) { Textf(s.Out, format, args...) }

// Eprintf prints text on ErrOut; every argument is sanitized.
func (s *IOStreams) Eprintf(format string, args ...any) { Textf(s.ErrOut, format, args...) }

// WriteJSON writes v on Out as one JSON document: indented on a
// terminal, one line otherwise. Values are exact (not sanitized).
func (s *IOStreams) WriteJSON(v any) error { return WriteJSON(s.Out, v, s.IsStdoutTTY) }

// WriteJSON writes v to w as one JSON document, indented or on one line.
func WriteJSON(w io.Writer, v any, indent bool) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}

// TerminalFd returns the file descriptor of r when it is a terminal.
func TerminalFd(r io.Reader) (int, bool) {
	f, ok := r.(*os.File)
	if !ok || f == nil {
		return 0, false
	}
	fd := int(f.Fd())
	return fd, term.IsTerminal(fd)
}

func isTerminal(f *os.File) bool {
	return f != nil && term.IsTerminal(int(f.Fd()))
}
