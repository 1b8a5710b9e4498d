package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"strings"

	"github.com/plexkit/plexgo/internal/urlcheck"
)

// Browser opens a URL for the user.
type Browser interface {
	Open(ctx context.Context, url string) error
}

// systemBrowser starts $BROWSER, or the platform's opener (xdg-open on
// Linux and BSDs, open on macOS, rundll32 on Windows). It does not wait
// for the browser.
type systemBrowser struct {
	getenv func(string) string
	goos   string
	// start runs a program without waiting for it.
	start func(name string, args ...string) error
}

// NewSystemBrowser returns the Browser that starts $BROWSER or the
// platform's opener.
func NewSystemBrowser(getenv func(string) string) Browser { return newSystemBrowser(getenv) }

func newSystemBrowser(getenv func(string) string) *systemBrowser {
	return &systemBrowser{getenv: getenv, goos: runtime.GOOS, start: startDetached}
}

// Open starts the opener with raw, which must be an http(s) URL.
func (b *systemBrowser) Open(_ context.Context, raw string) error {
	if !urlcheck.Valid(raw) {
		return errors.New("refusing to open a URL that is not http(s) or holds credentials")
	}
	name, args := b.command()
	if name == "" {
		return fmt.Errorf("no browser opener for %s", b.goos)
	}
	return b.start(name, append(args, raw)...)
}

// command returns the opener program and its leading arguments.
func (b *systemBrowser) command() (string, []string) {
	if env := strings.Fields(b.getenv(EnvBrowser)); len(env) > 0 {
		return env[0], env[1:]
	}
	switch b.goos {
	case "darwin":
		return "open", nil
	case "windows":
		return "rundll32", []string{"url.dll,FileProtocolHandler"}
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly", "solaris", "illumos":
		return "xdg-open", nil
	}
	return "", nil
}

func startDetached(name string, args ...string) error {
	cmd := exec.Command(name, args...)
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}
