package cmdutil

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"golang.org/x/term"
)

// maxLineBytes bounds one line read from standard input.
const maxLineBytes = 4096

// ErrInputClosed is returned when standard input ends before an answer.
var ErrInputClosed = errors.New("standard input closed")

// Prompter asks the user for input. Prompts go to stderr.
type Prompter interface {
	// Input shows prompt and reads one line, echoed.
	Input(ctx context.Context, prompt string) (string, error)
	// Secret shows prompt and reads one line without echo when stdin is
	// a terminal. The answer is never logged or printed.
	Secret(ctx context.Context, prompt string) (string, error)
}

// LineReader reads lines from standard input, one at a time, sharing one
// buffer so that consecutive reads (a password, then a code) see
// consecutive lines.
type LineReader struct {
	mu sync.Mutex
	r  *bufio.Reader
}

// NewLineReader returns a LineReader over r.
func NewLineReader(r io.Reader) *LineReader {
	return &LineReader{r: bufio.NewReaderSize(r, maxLineBytes)}
}

// ReadLine returns the next line without its line ending. It fails on
// end of input before any byte, on a line longer than 4096 bytes, and when
// ctx ends.
func (l *LineReader) ReadLine(ctx context.Context) (string, error) {
	type result struct {
		line string
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		line, err := l.read()
		ch <- result{line, err}
	}()
	select {
	case res := <-ch:
		return res.line, res.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func (l *LineReader) read() (string, error) {
	var b strings.Builder
	for {
		chunk, err := l.r.ReadSlice('\n')
		if b.Len()+len(chunk) > maxLineBytes+2 {
			return "", fmt.Errorf("input line longer than %d bytes", maxLineBytes)
		}
		b.Write(chunk)
		switch {
		case err == nil:
			return trimLine(b.String())
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if b.Len() == 0 {
				return "", ErrInputClosed
			}
			return trimLine(b.String())
		default:
			return "", fmt.Errorf("read standard input: %w", err)
		}
	}
}

// trimLine drops the line ending and enforces the limit on what is left:
// the check in read allows 2 bytes more for the ending.
func trimLine(s string) (string, error) {
	line := strings.TrimRight(s, "\r\n")
	if len(line) > maxLineBytes {
		return "", fmt.Errorf("input line longer than %d bytes", maxLineBytes)
	}
	return line, nil
}

// termPrompter prompts on stderr and reads from stdin, without echo for
// secrets when stdin is a terminal.
type termPrompter struct {
	io    *IOStreams
	lines *LineReader
}

// NewTermPrompter returns the terminal Prompter: prompts on io.ErrOut
// (sanitized), answers from lines, no echo for secrets on a terminal.
func NewTermPrompter(io *IOStreams, lines *LineReader) Prompter {
	return &termPrompter{io: io, lines: lines}
}

// Input implements Prompter.
func (p *termPrompter) Input(ctx context.Context, prompt string) (string, error) {
	Textf(p.io.ErrOut, "%s", prompt)
	s, err := p.lines.ReadLine(ctx)
	if err != nil {
		fmt.Fprintln(p.io.ErrOut)
	}
	return strings.TrimSpace(s), err
}

// Secret implements Prompter.
func (p *termPrompter) Secret(ctx context.Context, prompt string) (string, error) {
	fd, isTTY := TerminalFd(p.io.In)
	if !isTTY {
		// Not a terminal: nothing is echoed anyway.
		Textf(p.io.ErrOut, "%s", prompt)
		s, err := p.lines.ReadLine(ctx)
		fmt.Fprintln(p.io.ErrOut)
		return s, err
	}
	Textf(p.io.ErrOut, "%s", prompt)
	state, err := term.GetState(fd)
	if err != nil {
		return "", fmt.Errorf("read from terminal: %w", err)
	}
	type result struct {
		b   []byte
		err error
	}
	ch := make(chan result, 1)
	go func() {
		b, err := term.ReadPassword(fd)
		ch <- result{b, err}
	}()
	select {
	case res := <-ch:
		fmt.Fprintln(p.io.ErrOut)
		if res.err != nil {
			return "", fmt.Errorf("read from terminal: %w", res.err)
		}
		return string(res.b), nil
	case <-ctx.Done():
		// ReadPassword is still blocked; put the echo back ourselves.
		_ = term.Restore(fd, state)
		fmt.Fprintln(p.io.ErrOut)
		return "", ctx.Err()
	}
}

// Confirm asks a yes/no question on the terminal (default no). yes (the
// command's --yes) skips it; without a terminal and without yes it is a
// usage error naming --yes.
func Confirm(ctx context.Context, io *IOStreams, p Prompter, question string, yes bool) error {
	if yes {
		return nil
	}
	if !io.CanPrompt() {
		return FlagErrorf("%s: not a terminal, so pass --yes to confirm", strings.TrimSuffix(question, "?"))
	}
	ans, err := p.Input(ctx, question+" [y/N] ")
	if err != nil {
		return InputError("read the answer", err)
	}
	if a := strings.ToLower(strings.TrimSpace(ans)); a != "y" && a != "yes" {
		return &ExitError{Code: ExitFailure, What: "cancelled: nothing was changed"}
	}
	return nil
}

// SecretInput says where a command reads a secret (a password, a Home
// PIN) from: the next line of stdin (a --…-stdin flag), else the terminal
// without echo.
type SecretInput struct {
	// FromStdin reads the next line of stdin.
	FromStdin bool
	// Lines is the reader of stdin.
	Lines func() *LineReader
	// CanAsk is whether the terminal can be asked.
	CanAsk bool
	// Prompter asks on the terminal.
	Prompter func() Prompter
}

// Read returns the secret, asking with prompt on the terminal; what names
// it in errors ("the password"), and noTerminal is the error when it can
// be neither read from stdin nor asked.
func (in SecretInput) Read(ctx context.Context, prompt, what string, noTerminal error) (string, error) {
	if in.FromStdin {
		s, err := in.Lines().ReadLine(ctx)
		if err != nil {
			return "", InputError("read "+what+" from stdin", err)
		}
		return s, nil
	}
	if !in.CanAsk {
		return "", noTerminal
	}
	s, err := in.Prompter().Secret(ctx, prompt)
	if err != nil {
		return "", InputError("read "+what, err)
	}
	return s, nil
}
