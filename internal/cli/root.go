package cli

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/internal/urlcheck"
)

// annotationAuth marks commands that need a login; the root's persistent
// pre-run checks it for them, in one place.
const annotationAuth = "plexauth/needs-login"

func needsLogin(cmd *cobra.Command) *cobra.Command {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[annotationAuth] = "true"
	return cmd
}

// NewCmdRoot returns the plexauth command tree bound to f.
func NewCmdRoot(f *Factory) *cobra.Command {
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
				return flagErrorf("unknown command %q", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		},
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			return f.preRun(cmd)
		},
	}
	root.SetVersionTemplate("plexauth {{.Version}}\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &FlagError{Err: err} })

	pf := root.PersistentFlags()
	pf.BoolVar(&f.Opts.JSON, "json", false, "print one JSON document on stdout")
	pf.StringVar(&f.Opts.Profile, "profile", auth.DefaultProfile, "stored login to use")
	pf.StringVar(&f.Opts.PlexTVURL, "plextv-url", "", "plex.tv base URL (env "+EnvPlexTVURL+"; default https://plex.tv)")
	pf.StringVar(&f.Opts.ClientID, "client-id", "", "X-Plex-Client-Identifier to present (default: this install's persisted identity)")
	pf.BoolVarP(&f.Opts.Verbose, "verbose", "v", false, "log requests to stderr (secrets redacted)")
	pf.StringVar(&f.Opts.ConfigDir, "config-dir", "", "directory of the token store and identity (env "+EnvConfigDir+")")

	root.AddCommand(
		NewCmdLogin(f, nil),
		NewCmdLogout(f, nil),
		NewCmdWhoami(f, nil),
		NewCmdStatus(f, nil),
		NewCmdToken(f, nil),
		NewCmdServers(f, nil),
		NewCmdConnect(f, nil),
		NewCmdSourceInfo(f, nil),
		NewCmdHome(f),
		NewCmdDemo(f, nil),
		NewCmdVersion(f),
	)
	return root
}

// preRun validates the global flags and, for commands that need one,
// checks that there is a login.
func (f *Factory) preRun(cmd *cobra.Command) error {
	if err := checkProfileFlag("--profile", f.Opts.Profile); err != nil {
		return err
	}
	if f.Opts.PlexTVURL != "" {
		if err := checkHTTPURL(f.Opts.PlexTVURL); err != nil {
			return &FlagError{Err: fmt.Errorf("--plextv-url: %w", err)}
		}
	} else if u := f.Getenv(EnvPlexTVURL); u != "" {
		if err := checkHTTPURL(u); err != nil {
			return &FlagError{Err: fmt.Errorf("%s: %w", EnvPlexTVURL, err)}
		}
	}
	if id := f.Opts.ClientID; id != "" {
		if len(id) > 256 {
			return flagErrorf("--client-id: longer than 256 characters")
		}
		if strings.IndexFunc(id, func(r rune) bool { return r <= ' ' || r == 0x7f || r > unicode.MaxASCII }) >= 0 {
			return flagErrorf("--client-id: use printable ASCII without spaces")
		}
	}
	for c := cmd; c != nil; c = c.Parent() {
		if c.Annotations[annotationAuth] == "true" {
			_, err := f.Session(cmd.Context())
			return err
		}
	}
	return nil
}

// checkProfileFlag validates a profile name given on the command line,
// refusing, without echoing it, one that looks like a token pasted by
// mistake.
func checkProfileFlag(flag, name string) error {
	if looksLikeToken(name) {
		return flagErrorf("%s: that looks like a token, not a profile name (refused, not shown); "+
			"name profiles with letters of one case, digits and '-', e.g. work-laptop", flag)
	}
	if err := auth.ValidateProfile(name); err != nil {
		return &FlagError{Err: fmt.Errorf("%s: %w", flag, err)}
	}
	return nil
}

// looksLikeToken reports whether s has the shape of a plex.tv token (a
// legacy token is about 20 characters of mixed-case letters and digits; a
// JWT is longer and has dots) rather than of a name someone chose.
func looksLikeToken(s string) bool {
	if len(s) < 16 {
		return false
	}
	var upper, lower, digit bool
	for _, r := range s {
		switch {
		case 'A' <= r && r <= 'Z':
			upper = true
		case 'a' <= r && r <= 'z':
			lower = true
		case '0' <= r && r <= '9':
			digit = true
		case r == '-' || r == '_' || r == '.':
		default:
			return false
		}
	}
	return upper && lower && digit
}

func checkHTTPURL(raw string) error {
	_, err := urlcheck.HTTP(raw)
	if errors.Is(err, urlcheck.ErrNotHTTP) {
		return errors.New("need an absolute http(s) URL such as https://plex.tv")
	}
	return err
}

// exactArgs is cobra.ExactArgs with a usage error naming the arguments.
func exactArgs(n int, names string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			if n == 0 {
				return flagErrorf("%s takes no arguments", cmd.CommandPath())
			}
			return flagErrorf("%s needs %s (got %d arguments)", cmd.CommandPath(), names, len(args))
		}
		return nil
	}
}
