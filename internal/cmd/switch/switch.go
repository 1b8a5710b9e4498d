// Package switchcmd implements "plexauth switch": choose the default
// profile.
package switchcmd

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/internal/cmdutil"
)

// Options are the inputs of plexauth switch.
type Options struct {
	// Dependencies, taken from the Factory.
	IO        *cmdutil.IOStreams
	Store     func() (auth.TokenStore, error)
	ConfigDir func() (string, error)
	Prompter  func() cmdutil.Prompter

	// JSON prints JSON (--json).
	JSON bool
	// Profile is the profile to make the default ("" asks on a terminal).
	Profile string
}

// NewCmdSwitch returns the switch command.
func NewCmdSwitch(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Store: f.Store, ConfigDir: f.ConfigDir, Prompter: f.Prompter}
	cmd := &cobra.Command{
		Use: "switch [PROFILE]", Short: "Choose the profile commands use without --profile",
		Long: `Make a stored profile the default: every command without --profile uses it
(status marks it). Without PROFILE, on a terminal, pick one from a numbered list.

JSON: {"defaultProfile", "previous"}.`,
		Example: `  plexauth switch work
  plexauth switch`,
		Args: cobra.MaximumNArgs(1),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return cmdutil.CompleteProfiles(f)(cmd, args, toComplete)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON = f.Options.JSON
			if len(args) == 1 {
				if err := cmdutil.CheckProfileFlag("PROFILE", args[0]); err != nil {
					return err
				}
				opts.Profile = args[0]
			}
			return cmdutil.Run(cmd.Context(), opts, runF, switchRun)
		},
	}
	return cmdutil.DisableAuth(cmd)
}

func switchRun(ctx context.Context, opts *Options) error {
	store, err := opts.Store()
	if err != nil {
		return err
	}
	profiles, err := store.Profiles(ctx)
	if err != nil {
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "read the stored logins", Err: err}
	}
	if len(profiles) == 0 {
		return &cmdutil.ExitError{Code: cmdutil.ExitAuth, What: "not logged in (no stored logins)", Hint: "run plexauth login"}
	}
	slices.Sort(profiles)
	dir, err := opts.ConfigDir()
	if err != nil {
		return err
	}
	previous := cmdutil.DefaultProfile(dir)
	name := opts.Profile
	if name == "" {
		if name, err = pick(ctx, opts, profiles, previous); err != nil {
			return err
		}
	}
	if !slices.Contains(profiles, name) {
		return &cmdutil.ExitError{Code: cmdutil.ExitUsage, What: fmt.Sprintf("no stored profile %q", name),
			Hint: "stored profiles: " + strings.Join(profiles, ", ")}
	}
	if err := cmdutil.SetDefaultProfile(dir, name); err != nil {
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "save the default profile", Err: err}
	}
	if opts.JSON {
		return opts.IO.WriteJSON(struct {
			DefaultProfile string `json:"defaultProfile"`
			Previous       string `json:"previous"`
		}{name, previous})
	}
	opts.IO.Printf("Default profile is now %s (was %s).\n", name, previous)
	return nil
}

// pick asks for a profile on the terminal.
func pick(ctx context.Context, opts *Options, profiles []string, current string) (string, error) {
	if !opts.IO.CanPrompt() {
		return "", cmdutil.FlagErrorf("switch needs PROFILE when stdin is not a terminal (stored: %s)", strings.Join(profiles, ", "))
	}
	for i, p := range profiles {
		mark := " "
		if p == current {
			mark = "*"
		}
		opts.IO.Eprintf("%s %d. %s\n", mark, i+1, p)
	}
	for range 3 {
		ans, err := opts.Prompter().Input(ctx, fmt.Sprintf("Profile to use by default [1-%d]: ", len(profiles)))
		if err != nil {
			return "", cmdutil.InputError("read the choice", err)
		}
		if n, err := strconv.Atoi(ans); err == nil && n >= 1 && n <= len(profiles) {
			return profiles[n-1], nil
		}
		if slices.Contains(profiles, ans) {
			return ans, nil
		}
		opts.IO.Eprintf("Type a number from 1 to %d, or a profile name.\n", len(profiles))
	}
	return "", cmdutil.FlagErrorf("no profile chosen")
}
