package cli

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
)

// runCmd executes cmd with args (output discarded) and returns its error.
func runCmd(cmd *cobra.Command, args ...string) error {
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &FlagError{Err: err} })
	return cmd.Execute()
}

func isUsage(err error) bool {
	var fe *FlagError
	return errors.As(err, &fe)
}

func TestNewCmdLogin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		want    LoginOptions
		wantErr bool
	}{
		{name: "PIN by default", args: nil, want: LoginOptions{}},
		{name: "no browser", args: []string{"--no-browser"}, want: LoginOptions{NoBrowser: true}},
		{name: "short code", args: []string{"--short"}, want: LoginOptions{Short: true}},
		{name: "jwt", args: []string{"--jwt", "--show-token"}, want: LoginOptions{JWT: true, ShowToken: true}},
		{name: "password", args: []string{"--password"}, want: LoginOptions{Password: true}},
		{name: "password with username and code", args: []string{"--password", "-u", "alice", "--code", "123456"},
			want: LoginOptions{Password: true, Username: "alice", Code: "123456"}},
		{name: "password-stdin implies password", args: []string{"--password-stdin", "--username", "alice"},
			want: LoginOptions{Password: true, PasswordStdin: true, Username: "alice"}},
		{name: "poll interval", args: []string{"--poll-interval", "250ms"}, want: LoginOptions{PollInterval: 250 * time.Millisecond}},
		{name: "password-stdin needs username", args: []string{"--password-stdin"}, wantErr: true},
		{name: "username needs password", args: []string{"--username", "alice"}, wantErr: true},
		{name: "code needs password", args: []string{"--code", "1"}, wantErr: true},
		{name: "jwt conflicts with password", args: []string{"--jwt", "--password"}, wantErr: true},
		{name: "short conflicts with password", args: []string{"--short", "--password"}, wantErr: true},
		{name: "password is never an argument", args: []string{"--password", "hunter2"}, wantErr: true},
		{name: "unknown flag", args: []string{"--pasword"}, wantErr: true},
		{name: "negative poll interval", args: []string{"--poll-interval", "-1s"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := NewFactory(IOStreams{}, nil)
			var got *LoginOptions
			err := runCmd(NewCmdLogin(f, func(o *LoginOptions) error { got = o; return nil }), tt.args...)
			if tt.wantErr {
				if !isUsage(err) {
					t.Fatalf("err = %v, want a usage error", err)
				}
				if got != nil {
					t.Fatal("run was called despite the usage error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got.f = nil
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("options = %+v, want %+v", *got, tt.want)
			}
		})
	}
}

func TestNewCmdToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args    []string
		want    TokenOptions
		wantErr bool
	}{
		{args: nil, want: TokenOptions{}},
		{args: []string{"--transient", "--server", "Living Room"}, want: TokenOptions{Transient: true, Server: "Living Room"}},
		{args: []string{"--transient"}, wantErr: true},
		{args: []string{"--server", "x"}, wantErr: true},
		{args: []string{"extra"}, wantErr: true},
	}
	for _, tt := range tests {
		var got *TokenOptions
		err := runCmd(NewCmdToken(NewFactory(IOStreams{}, nil), func(o *TokenOptions) error { got = o; return nil }), tt.args...)
		if tt.wantErr {
			if !isUsage(err) {
				t.Errorf("%v: err = %v, want a usage error", tt.args, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		got.f = nil
		if *got != tt.want {
			t.Errorf("%v: options = %+v, want %+v", tt.args, *got, tt.want)
		}
	}
}

func TestNewCmdConnect(t *testing.T) {
	t.Parallel()
	var got *ConnectOptions
	run := func(o *ConnectOptions) error { got = o; return nil }
	if err := runCmd(NewCmdConnect(NewFactory(IOStreams{}, nil), run), "Living Room", "--timeout", "2s", "--no-relay"); err != nil {
		t.Fatal(err)
	}
	if got.Server != "Living Room" || got.Timeout != 2*time.Second || !got.NoRelay {
		t.Errorf("options = %+v", *got)
	}
	for _, args := range [][]string{nil, {"a", "b"}, {"a", "--timeout", "-1s"}} {
		if err := runCmd(NewCmdConnect(NewFactory(IOStreams{}, nil), run), args...); !isUsage(err) {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
}

func TestNewCmdSourceInfo(t *testing.T) {
	t.Parallel()
	var got *SourceInfoOptions
	run := func(o *SourceInfoOptions) error { got = o; return nil }
	if err := runCmd(NewCmdSourceInfo(NewFactory(IOStreams{}, nil), run), "server://abc", "--server", "home"); err != nil {
		t.Fatal(err)
	}
	if got.Source != "server://abc" || got.Server != "home" {
		t.Errorf("options = %+v", *got)
	}
	for _, args := range [][]string{{"server://abc"}, {"--server", "x"}, {" ", "--server", "x"}} {
		if err := runCmd(NewCmdSourceInfo(NewFactory(IOStreams{}, nil), run), args...); !isUsage(err) {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
}

func TestNewCmdHomeSwitch(t *testing.T) {
	t.Parallel()
	var got *HomeSwitchOptions
	run := func(o *HomeSwitchOptions) error { got = o; return nil }
	if err := runCmd(NewCmdHomeSwitch(NewFactory(IOStreams{}, nil), run), "teen", "--pin-stdin", "--save-as", "teen"); err != nil {
		t.Fatal(err)
	}
	if got.User != "teen" || !got.PINStdin || got.SaveAs != "teen" {
		t.Errorf("options = %+v", *got)
	}
	for _, args := range [][]string{nil, {"teen", "--save-as", "bad name"}, {"teen", "--save-as", ".hidden"}, {"a", "b"}} {
		if err := runCmd(NewCmdHomeSwitch(NewFactory(IOStreams{}, nil), run), args...); !isUsage(err) {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
}

func TestNewCmdServersAndLogout(t *testing.T) {
	t.Parallel()
	var servers *ServersOptions
	if err := runCmd(NewCmdServers(NewFactory(IOStreams{}, nil), func(o *ServersOptions) error { servers = o; return nil }), "--owned"); err != nil {
		t.Fatal(err)
	}
	if !servers.Owned {
		t.Error("--owned not parsed")
	}
	var logout *LogoutOptions
	if err := runCmd(NewCmdLogout(NewFactory(IOStreams{}, nil), func(o *LogoutOptions) error { logout = o; return nil }), "--forget"); err != nil {
		t.Fatal(err)
	}
	if !logout.Forget {
		t.Error("--forget not parsed")
	}
	var demo *DemoOptions
	if err := runCmd(NewCmdDemo(NewFactory(IOStreams{}, nil), func(o *DemoOptions) error { demo = o; return nil })); err != nil {
		t.Fatal(err)
	}
	if demo.ApproveAfter != 2*time.Second {
		t.Errorf("demo approves after %v, want 2s", demo.ApproveAfter)
	}
}

func TestGlobalFlags(t *testing.T) {
	t.Parallel()
	streams, out, _ := testStreams("")
	f := NewFactory(streams, nil)
	code := f.Run(t.Context(), []string{
		"--json", "--profile", "work", "--plextv-url", "http://127.0.0.1:9/", "--client-id", "cli-1",
		"-v", "--config-dir", t.TempDir(), "version",
	})
	if code != ExitOK {
		t.Fatalf("exit code %d", code)
	}
	o := f.Opts
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
	f := NewFactory(IOStreams{Out: io.Discard, ErrOut: io.Discard}, fakeEnv(map[string]string{
		EnvPlexTVURL: "http://fake.example:1234",
		EnvConfigDir: "/tmp/plexauth-env",
	}))
	if code := f.Run(t.Context(), []string{"version"}); code != ExitOK {
		t.Fatalf("exit code %d", code)
	}
	if f.Opts.Profile != "default" || f.Opts.JSON || f.Opts.Verbose {
		t.Errorf("defaults = %+v", f.Opts)
	}
	if got := f.PlexTVURL(); got != "http://fake.example:1234" {
		t.Errorf("PlexTVURL() = %q", got)
	}
	if got, _ := f.ConfigDir(); got != "/tmp/plexauth-env" {
		t.Errorf("ConfigDir() = %q", got)
	}
	// Flags beat the environment.
	if code := f.Run(t.Context(), []string{"--config-dir", "/tmp/flag", "--plextv-url", "https://plex.example", "version"}); code != ExitOK {
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
		code := NewFactory(streams, nil).Run(t.Context(), args)
		if code != ExitUsage {
			t.Errorf("%q: exit code %d, want %d", args, code, ExitUsage)
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
