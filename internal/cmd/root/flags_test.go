package root

import (
	"io"
	"strings"
	"testing"

	"github.com/plexkit/plexgo/internal/cmdutil"
)

func TestGlobalFlags(t *testing.T) {
	t.Parallel()
	streams, out, _ := testStreams("")
	f := cmdutil.New(streams, nil)
	code := Run(t.Context(), f, []string{
		"--json", "--profile", "work", "--plextv-url", "http://127.0.0.1:9/", "--client-id", "cli-1",
		"-v", "--config-dir", t.TempDir(), "version",
	})
	if code != cmdutil.ExitOK {
		t.Fatalf("exit code %d", code)
	}
	o := *f.Options
	if !o.JSON || o.Profile != "work" || o.ClientID != "cli-1" || !o.Verbose || o.ConfigDir == "" {
		t.Errorf("global options = %+v", o)
	}
	if got := f.PlexTVURL(); got != "http://127.0.0.1:9" {
		t.Errorf("PlexTVURL() = %q", got)
	}
	if out.Len() == 0 || out.Bytes()[0] != '{' {
		t.Errorf("version --json printed %q", out.String())
	}
}

func TestGlobalFlagDefaultsAndEnv(t *testing.T) {
	t.Parallel()
	streams := cmdutil.IOStreams{Out: io.Discard, ErrOut: io.Discard}
	env := fakeEnv(map[string]string{
		cmdutil.EnvPlexTVURL: "http://fake.example:1234",
		cmdutil.EnvConfigDir: "/tmp/plexauth-env",
	})
	f := cmdutil.New(streams, env)
	if code := Run(t.Context(), f, []string{"version"}); code != cmdutil.ExitOK {
		t.Fatalf("exit code %d", code)
	}
	if f.Options.Profile != "default" || f.Options.JSON || f.Options.Verbose {
		t.Errorf("defaults = %+v", *f.Options)
	}
	if got := f.PlexTVURL(); got != "http://fake.example:1234" {
		t.Errorf("PlexTVURL() = %q", got)
	}
	if got, _ := f.ConfigDir(); got != "/tmp/plexauth-env" {
		t.Errorf("ConfigDir() = %q", got)
	}
	// Flags beat the environment.
	f = cmdutil.New(streams, env)
	if code := Run(t.Context(), f, []string{"--config-dir", "/tmp/flag", "--plextv-url", "https://plex.example", "version"}); code != cmdutil.ExitOK {
		t.Fatalf("exit code %d", code)
	}
	if got, _ := f.ConfigDir(); got != "/tmp/flag" {
		t.Errorf("ConfigDir() = %q", got)
	}
	if got := f.PlexTVURL(); got != "https://plex.example" {
		t.Errorf("PlexTVURL() = %q", got)
	}
}

func TestUsageExitCodes(t *testing.T) {
	t.Parallel()
	tests := [][]string{
		{"frobnicate"},
		{"whoami", "--nope"},
		{"whoami", "extra"},
		{"--profile", "", "whoami"},
		{"--profile", "a/b", "whoami"},
		{"--plextv-url", "plex.tv", "whoami"},
		{"--plextv-url", "https://user:pw@plex.tv", "whoami"},
		{"home", "nope"},
		{"login", "--password-stdin"},
		{"--client-id", "has space", "whoami"},
		{"--client-id", "line\nbreak", "whoami"},
	}
	for _, args := range tests {
		streams, out, errOut := testStreams("")
		code := Main(t.Context(), args, streams, nil)
		if code != cmdutil.ExitUsage {
			t.Errorf("%q: exit code %d, want %d", args, code, cmdutil.ExitUsage)
		}
		if out.Len() != 0 {
			t.Errorf("%q: stdout %q, want nothing", args, out.String())
		}
		lines := strings.Split(strings.TrimSuffix(errOut.String(), "\n"), "\n")
		if len(lines) != 1 || !strings.HasPrefix(lines[0], "plexauth: ") {
			t.Errorf("%q: stderr %q, want one plexauth: line", args, errOut.String())
		}
	}
}
