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
	"github.com/plexkit/plexgo/internal/cmd/connect"
	"github.com/plexkit/plexgo/internal/cmd/demo"
	"github.com/plexkit/plexgo/internal/cmd/home"
	"github.com/plexkit/plexgo/internal/cmd/login"
	"github.com/plexkit/plexgo/internal/cmd/logout"
	"github.com/plexkit/plexgo/internal/cmd/servers"
	"github.com/plexkit/plexgo/internal/cmd/sourceinfo"
	"github.com/plexkit/plexgo/internal/cmd/status"
	"github.com/plexkit/plexgo/internal/cmd/token"
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
	err := root.ExecuteContext(ctx)
	if err == nil {
		return cmdutil.ExitOK
	}
	code, hint := cmdutil.Classify(err)
	// Print our own message, not the layers a library wrapped around it.
	var ee *cmdutil.ExitError
	var fe *cmdutil.FlagError
	switch {
	case errors.As(err, &ee):
		err = ee
	case errors.As(err, &fe):
		err = fe
	}
	cmdutil.Textln(f.IOStreams.ErrOut, cmdutil.ErrorLine(err, hint))
	return code
}

// NewCmdRoot returns the plexauth command tree bound to f.
func NewCmdRoot(f *cmdutil.Factory) *cobra.Command {
	if f.Exec == nil {
		f.Exec = Run
	}
	root := &cobra.Command{
		Use:   "plexauth <command>",
		Short: "Log in to Plex and inspect what the login can reach",
		Long: `plexauth logs in to plex.tv (PIN in a browser by default, or password with
two-factor authentication, or JWT device authentication), keeps the token in a
private file, and shows what it can reach: the account, servers, the best
connection to each server, Plex Home users.

Results go to stdout (one JSON document with --json); progress and prompts go
to stderr. Only "plexauth token" prints the token.

Exit codes: 0 ok, 1 error, 2 usage, 3 not logged in or token rejected,
4 wrong login/password/Home PIN, 5 wrong or missing 2FA code, 6 sign-in locked,
7 rate limited, 130 interrupted.`,
		Version:       f.Version,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
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

	root.AddCommand(
		login.NewCmdLogin(f, nil),
		logout.NewCmdLogout(f, nil),
		whoami.NewCmdWhoami(f, nil),
		status.NewCmdStatus(f, nil),
		token.NewCmdToken(f, nil),
		servers.NewCmdServers(f, nil),
		connect.NewCmdConnect(f, nil),
		sourceinfo.NewCmdSourceInfo(f, nil),
		home.NewCmdHome(f),
		demo.NewCmdDemo(f, nil),
		version.NewCmdVersion(f, nil),
	)
	return root
}

// preRun validates the global flags and, for every command that needs
// one (all but those marked cmdutil.DisableAuth), checks that there is a
// login.
func preRun(cmd *cobra.Command, f *cmdutil.Factory) error {
	o := f.Options
	if err := cmdutil.CheckProfileFlag("--profile", o.Profile); err != nil {
		return err
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
