package cli

import (
	"io"
	"os"

	"golang.org/x/term"
)

// IOStreams are the standard streams of one plexauth run, with what each
// is connected to. Results go to Out; progress, prompts and diagnostics go
// to ErrOut.
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
func (s IOStreams) CanPrompt() bool { return s.IsStdinTTY && s.IsStderrTTY }

// terminalFd returns the file descriptor of r when it is a terminal.
func terminalFd(r io.Reader) (int, bool) {
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
