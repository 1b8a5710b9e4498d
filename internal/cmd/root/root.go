// Package root is plexauth, the command-line front end of plexgo: it
// wires the commands (one package each under internal/cmd) into one
// cobra tree, checks the global flags and the login in one place, and
// maps every error to its exit code and one line on stderr.
//
// The program is the function [Main]: it takes the arguments, the
// standard streams (with their terminal state) and the environment, and
// returns the process exit code, so tests run the whole CLI in-process.
//
// Output rules: results go to stdout (one JSON document with --json);
// progress, prompts and diagnostics go to stderr. The token is printed only
// by "plexauth token" (and by "login --show-token"); no other output,
// error or log line contains it. Text output shows whatever came from the
// network with its control characters escaped (cmdutil.Sanitize).
//
// Exit codes: see cmdutil.ExitOK and the constants after it.
package root

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/internal/cmd/claim"
	"github.com/plexkit/plexgo/internal/cmd/connect"
	"github.com/plexkit/plexgo/internal/cmd/demo"
	"github.com/plexkit/plexgo/internal/cmd/devices"
	"github.com/plexkit/plexgo/internal/cmd/home"
	"github.com/plexkit/plexgo/internal/cmd/login"
	"github.com/plexkit/plexgo/internal/cmd/logout"
	"github.com/plexkit/plexgo/internal/cmd/man"
	"github.com/plexkit/plexgo/internal/cmd/servers"
	"github.com/plexkit/plexgo/internal/cmd/sourceinfo"
	"github.com/plexkit/plexgo/internal/cmd/status"
	switchcmd "github.com/plexkit/plexgo/internal/cmd/switch"
	"github.com/plexkit/plexgo/internal/cmd/token"
	"github.com/plexkit/plexgo/internal/cmd/unclaim"
	"github.com/plexkit/plexgo/internal/cmd/version"
	"github.com/plexkit/plexgo/internal/cmd/whoami"
	"github.com/plexkit/plexgo/internal/cmdutil"
)

// Main runs plexauth with args (without the program name) and returns the
// process exit code. Errors are printed to streams.ErrOut as one line,
// "plexauth: what failed: what to do". env reads the environment (nil
// means an empty one).
func Main(ctx context.Context, args []string, streams cmdutil.IOStreams, env func(string) string) int {
	return Run(ctx, cmdutil.New(streams, env), args)
}

// Run runs one command line with f's dependencies and returns the exit
// code. f serves this one run: build a new one (cmdutil.New) for the next.
func Run(ctx context.Context, f *cmdutil.Factory, args []string) int {
	root := NewCmdRoot(f)
	root.SetArgs(args)
	root.SetIn(f.IOStreams.In)
	root.SetOut(f.IOStreams.Out)
	root.SetErr(f.IOStreams.ErrOut)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return cmdutil.ExitOK
	}
	if errors.Is(ctx.Err(), context.Canceled) && !errors.Is(err, context.Canceled) {
		// A signal ended the run, whatever the command made of it.
		err = fmt.Errorf("%w (%w)", context.Canceled, err)
	}
	code, hint := cmdutil.Classify(err)
	hint = adjustHint(f, cmd, err, code, hint)
	msg := cmdutil.ErrorMessage(err, hint)
	if code == cmdutil.ExitCancelled {
		msg = "interrupted"
	}
	if wantsJSON(f, args) && !f.IOStreams.JSONWritten() {
		_ = f.IOStreams.WriteJSON(ErrorDocument{Error: ErrorJSON{Code: cmdutil.CodeName(code), ExitCode: code, Message: msg}})
	}
	cmdutil.Textln(f.IOStreams.ErrOut, "plexauth: "+msg)
	if f.Options.Verbose && code != cmdutil.ExitUsage {
		cmdutil.Textln(f.IOStreams.ErrOut, "plexauth: (verbose) "+cmdutil.ErrorChain(err))
	}
	return code
}

// ErrorDocument is what a command run with --json prints on stdout when it
// fails (and printed nothing else): {"error":{"code","exitCode","message"}}.
type ErrorDocument struct {
	Error ErrorJSON `json:"error"`
}

// ErrorJSON is the error of an [ErrorDocument]. Code is one of the stable
// names of cmdutil.CodeName; Message is the line printed on stderr.
type ErrorJSON struct {
	Code     string `json:"code"`
	ExitCode int    `json:"exitCode"`
	Message  string `json:"message"`
}

// wantsJSON reports whether the run asked for --json, even when the
// command line failed before the flags were parsed.
func wantsJSON(f *cmdutil.Factory, args []string) bool {
	if f.Options.JSON {
		return true
	}
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "--json" || a == "--json=true" {
			return true
		}
	}
	return false
}

// adjustHint points usage errors at the command's own help and login
// hints at the --profile in use (or at PLEX_TOKEN when it is set).
func adjustHint(f *cmdutil.Factory, cmd *cobra.Command, err error, code int, hint string) string {
	var fe *cmdutil.FlagError
	if errors.As(err, &fe) || (code == cmdutil.ExitUsage && hint == "") {
		path := "plexauth"
		if cmd != nil {
			path = cmd.CommandPath()
		}
		return "run " + path + " --help for usage"
	}
	if !strings.HasSuffix(hint, "run plexauth login") {
		return hint
	}
	if f.Getenv(cmdutil.EnvPlexToken) != "" {
		return strings.TrimSuffix(hint, "run plexauth login") + "set " + cmdutil.EnvPlexToken + " to a valid token, or unset it to use the stored login"
	}
	return strings.TrimSuffix(hint, "run plexauth login") + cmdutil.LoginHint(f.Options.Profile)
}

// NewCmdRoot returns the plexauth command tree bound to f.
func NewCmdRoot(f *cmdutil.Factory) *cobra.Command {
	if f.Exec == nil {
		f.Exec = Run
	}
	root := &cobra.Command{
		Use: "plexauth <command>", Short: "Log in to Plex and inspect what the login can reach",
		Long: `plexauth logs in to plex.tv (PIN in a browser by default, or password with
two-factor authentication, or JWT device authentication), keeps the token in
the OS keyring (or, where none answers, a private 0600 file), and shows what it
can reach: the account, servers, the best connection to each server, Plex Home
users, the devices signed in; it also claims servers. Each profile
(--profile, "plexauth switch") is its own device. PLEX_TOKEN, when set, is
used instead of any stored profile.

Results go to stdout (one JSON document with --json); progress and prompts go
to stderr. Only "plexauth token" prints the stored token ("login --show-token"
the new one, "claim" a claim token).

JSON: with --json every command prints exactly one JSON document on stdout
("login --json" prints JSON lines: a "pending" event, then the result). On
failure the document is {"error":{"code","exitCode","message"}}. Field names are
stable: within a major version fields are only added, never renamed, removed
or given another type.

` + cmdutil.ExitCodeTable,
		Version:       f.Version,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				if sug := cmd.SuggestionsFor(args[0]); len(sug) > 0 {
					return cmdutil.FlagErrorf("unknown command %q (did you mean %s?)", args[0], strings.Join(sug, " or "))
				}
				return cmdutil.FlagErrorf("unknown command %q", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		},
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			return preRun(cmd, f)
		},
	}
	root.SuggestionsMinimumDistance = 2
	root.SetVersionTemplate("plexauth {{.Version}}\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &cmdutil.FlagError{Err: err} })

	o := f.Options
	pf := root.PersistentFlags()
	pf.BoolVar(&o.JSON, "json", false, "print one JSON document on stdout")
	pf.StringVar(&o.Profile, "profile", auth.DefaultProfile, "stored login to use")
	pf.StringVar(&o.PlexTVURL, "plextv-url", "", "plex.tv base URL (env "+cmdutil.EnvPlexTVURL+"; default https://plex.tv)")
	pf.StringVar(&o.ClientID, "client-id", "", "X-Plex-Client-Identifier to present (default: this install's persisted identity)")
	pf.BoolVarP(&o.Verbose, "verbose", "v", false, "log requests to stderr (secrets redacted)")
	pf.StringVar(&o.ConfigDir, "config-dir", "", "directory of the token store and identity (env "+cmdutil.EnvConfigDir+")")
	pf.BoolVar(&o.InsecureStorage, "insecure-storage", false, "keep new tokens in the 0600 file, not the OS keyring (env "+cmdutil.EnvInsecureStorage+"=1)")
	_ = root.RegisterFlagCompletionFunc("profile", cmdutil.CompleteProfiles(f))

	root.AddCommand(
		// The logins.
		login.NewCmdLogin(f, nil), logout.NewCmdLogout(f, nil), whoami.NewCmdWhoami(f, nil),
		status.NewCmdStatus(f, nil), switchcmd.NewCmdSwitch(f, nil), token.NewCmdToken(f, nil),
		// What a login reaches.
		servers.NewCmdServers(f, nil), connect.NewCmdConnect(f, nil), sourceinfo.NewCmdSourceInfo(f, nil),
		home.NewCmdHome(f), devices.NewCmdDevices(f, nil),
		claim.NewCmdClaim(f, nil), unclaim.NewCmdUnclaim(f, nil),
		// Everything else.
		man.NewCmdMan(f, nil), demo.NewCmdDemo(f, nil), version.NewCmdVersion(f, nil),
	)
	return root
}

// usesToken reports whether cmd runs with a login that PLEX_TOKEN would
// replace (login, logout and switch manage stored profiles instead).
func usesToken(cmd *cobra.Command) bool {
	switch cmd.CommandPath() {
	case "plexauth", "plexauth login", "plexauth logout", "plexauth switch", "plexauth status",
		"plexauth version", "plexauth man", "plexauth demo", "plexauth help":
		return false
	}
	for c := cmd; c != nil; c = c.Parent() {
		switch c.Name() {
		case "completion", cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd:
			return false
		}
	}
	return true
}

// preRun validates the global flags and, for every command that needs
// one (all but those marked cmdutil.DisableAuth), checks that there is a
// login.
func preRun(cmd *cobra.Command, f *cmdutil.Factory) error {
	o := f.Options
	if err := cmdutil.CheckProfileFlag("--profile", o.Profile); err != nil {
		return err
	}
	if f.Getenv(cmdutil.EnvPlexToken) != "" && cmd.Flags().Changed("profile") && usesToken(cmd) {
		return cmdutil.FlagErrorf("--profile and %s both name a login: unset %s to use a stored profile, or drop --profile", cmdutil.EnvPlexToken, cmdutil.EnvPlexToken)
	}
	if !cmd.Flags().Changed("profile") {
		if dir, err := f.ConfigDir(); err == nil {
			o.Profile = cmdutil.DefaultProfile(dir)
		}
	}
	if o.PlexTVURL != "" {
		if err := cmdutil.CheckHTTPURL(o.PlexTVURL); err != nil {
			return &cmdutil.FlagError{Err: fmt.Errorf("--plextv-url: %w", err)}
		}
	} else if u := f.Getenv(cmdutil.EnvPlexTVURL); u != "" {
		if err := cmdutil.CheckHTTPURL(u); err != nil {
			return &cmdutil.FlagError{Err: fmt.Errorf("%s: %w", cmdutil.EnvPlexTVURL, err)}
		}
	}
	if id := o.ClientID; id != "" {
		if len(id) > 256 {
			return cmdutil.FlagErrorf("--client-id: longer than 256 characters")
		}
		if strings.IndexFunc(id, func(r rune) bool { return r <= ' ' || r == 0x7f || r > unicode.MaxASCII }) >= 0 {
			return cmdutil.FlagErrorf("--client-id: use printable ASCII without spaces")
		}
	}
	if !cmdutil.IsAuthCheckEnabled(cmd) {
		return nil
	}
	_, err := f.Session(cmd.Context())
	return err
}
