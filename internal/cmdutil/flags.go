package cmdutil

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/internal/urlcheck"
)

// DisableAuthCheck is the annotation of a command that runs without a
// login. Every other command needs one: the root command checks it in
// one place, before the command runs (see [IsAuthCheckEnabled]).
const DisableAuthCheck = "plexauth/no-login-needed"

// DisableAuth marks cmd (and its subcommands) as running without a login.
func DisableAuth(cmd *cobra.Command) *cobra.Command {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[DisableAuthCheck] = "true"
	return cmd
}

// IsAuthCheckEnabled reports whether cmd needs a login: not for help,
// completion, command groups (which only print their help) and commands
// marked with [DisableAuth] (or under one that is).
func IsAuthCheckEnabled(cmd *cobra.Command) bool {
	if cmd.HasSubCommands() {
		return false
	}
	for c := cmd; c != nil; c = c.Parent() {
		switch c.Name() {
		case "help", "completion", cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd:
			return false
		}
		if c.Annotations[DisableAuthCheck] == "true" {
			return false
		}
	}
	return true
}

// ExactArgs is cobra.ExactArgs with a usage error naming the arguments.
func ExactArgs(n int, names string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			if n == 0 {
				return FlagErrorf("%s takes no arguments", cmd.CommandPath())
			}
			return FlagErrorf("%s needs %s (got %d arguments)", cmd.CommandPath(), names, len(args))
		}
		return nil
	}
}

// CheckProfileFlag validates a profile name given on the command line
// with flag, refusing, without echoing it, one that looks like a token
// pasted by mistake.
func CheckProfileFlag(flag, name string) error {
	if LooksLikeToken(name) {
		return FlagErrorf("%s: that looks like a token, not a profile name (refused, not shown); "+
			"name profiles with letters of one case, digits and '-', e.g. work-laptop", flag)
	}
	if err := auth.ValidateProfile(name); err != nil {
		return &FlagError{Err: fmt.Errorf("%s: %w", flag, err)}
	}
	return nil
}

// LooksLikeToken reports whether s has the shape of a plex.tv token (a
// legacy token is about 20 characters of mixed-case letters and digits; a
// JWT is longer and has dots) rather than of a name someone chose.
func LooksLikeToken(s string) bool {
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

// CheckHTTPURL accepts an absolute http(s) URL without credentials.
func CheckHTTPURL(raw string) error {
	_, err := urlcheck.HTTP(raw)
	if errors.Is(err, urlcheck.ErrNotHTTP) {
		return errors.New("need an absolute http(s) URL such as https://plex.tv")
	}
	return err
}
