// Package logout implements "plexauth logout".
package logout

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/internal/cmdutil"
	"github.com/plexkit/plexgo/models/sdkerrors"
)

// Options are the inputs of plexauth logout.
type Options struct {
	// Dependencies, taken from the Factory.
	IO       *cmdutil.IOStreams
	Store    func() (auth.TokenStore, error)
	Identity func() (auth.Identity, error)
	NewSDK   cmdutil.NewSDKFunc
	Prompter func() cmdutil.Prompter
	// DeviceOptions name the profile's own device (Factory.DeviceOptions).
	DeviceOptions func(profile, clientID string) []cmdutil.SDKOption
	ConfigDir     func() (string, error)
	Getenv        func(string) string

	// Profile is the login to sign out (--profile).
	Profile string
	// ClientID is --client-id: present it instead of the login's device.
	ClientID string
	// JSON prints JSON (--json).
	JSON bool

	// Forget deletes the stored login even when signing out fails.
	Forget bool
	// KeepToken only forgets the profile: the token is not signed out
	// (for a token other profiles share).
	KeepToken bool
}

// NewCmdLogout returns the logout command.
func NewCmdLogout(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Getenv: f.Getenv, Store: f.Store, Identity: f.Identity, NewSDK: f.NewSDK, Prompter: f.Prompter, ConfigDir: f.ConfigDir, DeviceOptions: f.DeviceOptions}
	cmd := &cobra.Command{
		Use: "logout", Short: "Sign the stored token out of plex.tv and delete it",
		Long: `Sign the profile's token out of plex.tv (this device only) and delete the stored
login. When plex.tv cannot be reached the login is kept, so the token can still
be revoked later; --forget deletes it anyway. The secret is removed from
wherever it is kept (the OS keyring or the file).

Each profile is its own device, but profiles stored by older versions may share
one token: signing it out signs them all out. logout names them first (and on a
terminal asks); --keep-token only forgets the profile and leaves the token,
and the other profiles, working.

While PLEX_TOKEN is set, logout refuses and touches nothing: unset it first.

JSON: {"profile", "loggedOut", "signedOut", "alsoSignedOut"}.`,
		Args: cmdutil.ExactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Profile, opts.ClientID, opts.JSON = f.Options.Profile, f.Options.ClientID, f.Options.JSON
			return cmdutil.Run(cmd.Context(), opts, runF, logoutRun)
		},
	}
	cmd.Flags().BoolVar(&opts.Forget, "forget", false, "delete the stored login even if signing out fails")
	cmd.Flags().BoolVar(&opts.KeepToken, "keep-token", false, "only forget the profile; do not sign its token out")
	return cmdutil.DisableAuth(cmd) // not logged in is "nothing to do"
}

type logoutJSON struct {
	Profile       string   `json:"profile"`
	LoggedOut     bool     `json:"loggedOut"`
	SignedOut     bool     `json:"signedOut"`
	AlsoSignedOut []string `json:"alsoSignedOut,omitempty"`
}

// sharing returns the other profiles that hold the same token.
func sharing(ctx context.Context, store auth.TokenStore, profile, token string) []string {
	profiles, err := store.Profiles(ctx)
	if err != nil {
		return nil
	}
	var out []string
	for _, p := range profiles {
		if p == profile {
			continue
		}
		if c, err := store.Load(ctx, p); err == nil && c.Token == token {
			out = append(out, p)
		}
	}
	return out
}

// decideShared handles a token other profiles share: it says so, and on
// a terminal asks whether to sign it out anyway or only forget the
// profile. It returns whether to keep the token.
func decideShared(ctx context.Context, opts *Options, others []string) (keep bool, err error) {
	list := strings.Join(others, ", ")
	if opts.KeepToken || len(others) == 0 {
		return opts.KeepToken, nil
	}
	if !opts.IO.CanPrompt() {
		opts.IO.Eprintf("Note: profile %s shares its token with %s: signing it out signs them out too (--keep-token only forgets %s).\n", opts.Profile, list, opts.Profile)
		return false, nil
	}
	ans, err := opts.Prompter().Input(ctx, fmt.Sprintf("Profile %s shares its token with %s: signing it out signs them out too. Sign out all (y), only forget %s and keep the token (k), or cancel (N)? ", opts.Profile, list, opts.Profile))
	if err != nil {
		return false, cmdutil.InputError("read the answer", err)
	}
	switch strings.ToLower(strings.TrimSpace(ans)) {
	case "y", "yes":
		return false, nil
	case "k", "keep":
		return true, nil
	}
	return false, &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "logout cancelled: nothing was changed"}
}

func logoutRun(ctx context.Context, opts *Options) error {
	profile := opts.Profile
	if opts.Getenv(cmdutil.EnvPlexToken) != "" {
		return &cmdutil.ExitError{Code: cmdutil.ExitUsage,
			What: "logout does not sign out or delete anything while " + cmdutil.EnvPlexToken + " is set (it names the login in use, not a stored profile)",
			Hint: "unset " + cmdutil.EnvPlexToken + ", then run plexauth logout"}
	}
	store, err := opts.Store()
	if err != nil {
		return err
	}
	c, err := store.Load(ctx, profile)
	if errors.Is(err, auth.ErrNotLoggedIn) {
		if opts.JSON {
			return opts.IO.WriteJSON(logoutJSON{Profile: profile})
		}
		opts.IO.Printf("Not logged in (profile %s); nothing to do.\n", profile)
		return nil
	}
	if err != nil {
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "read the stored login", Err: err}
	}
	others := sharing(ctx, store, profile, c.Token)
	keep, err := decideShared(ctx, opts, others)
	if err != nil {
		return err
	}
	if keep {
		return forgetOnly(ctx, opts, store, c, others)
	}
	clientID := c.ClientIdentifier
	if clientID == "" || opts.ClientID != "" {
		id, err := opts.Identity()
		if err != nil {
			return err
		}
		clientID = id.ClientIdentifier
	}
	// Sign out where the token belongs, whatever --plextv-url says.
	sdk := opts.NewSDK(clientID, cmdutil.OrDefault(c.PlexTVURL), opts.DeviceOptions(profile, clientID)...)
	// A store that cannot be changed would keep a token that signing out
	// killed: check first, by writing the login back unchanged.
	if err := store.Save(ctx, profile, c); err != nil {
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "the stored login cannot be changed, so nothing was signed out", Err: err,
			Hint: "make the token store writable, then run plexauth logout again"}
	}
	signedOut := true
	err = auth.SignOut(ctx, sdk, c.Token)
	if errors.Is(err, sdkerrors.ErrUnauthorized) || errors.Is(err, sdkerrors.ErrTokenExpired) {
		err = nil // plex.tv already rejects it: as good as signed out
	}
	if err != nil {
		if !opts.Forget || errors.Is(err, context.Canceled) {
			return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "sign out of plex.tv", Err: err,
				Hint: "the login is kept so it can be revoked later: try again, or use --forget to delete it anyway"}
		}
		signedOut = false
		opts.IO.Eprintf("Warning: could not sign out of plex.tv (%v); deleting the stored login anyway.\n", err)
	}
	if err := store.Delete(ctx, profile); err != nil {
		if signedOut {
			return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "signed out of plex.tv, but deleting the stored login failed", Err: err,
				Hint: "the stored token no longer works: run plexauth logout again once the store is writable"}
		}
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "delete the stored login", Err: err}
	}
	if !signedOut {
		others = nil
	}
	resetDefault(opts)
	if opts.JSON {
		return opts.IO.WriteJSON(logoutJSON{Profile: profile, LoggedOut: true, SignedOut: signedOut, AlsoSignedOut: others})
	}
	who := c.Name()
	if who == "" {
		who = "the account"
	}
	opts.IO.Printf("Logged out %s (profile %s).\n", who, profile)
	if len(others) > 0 {
		opts.IO.Printf("Also signed out (same token): %s. Log them in again with plexauth login --profile NAME.\n", strings.Join(others, ", "))
	}
	return nil
}

// resetDefault makes "default" the default profile again when the one
// logged out was the default ("plexauth switch").
func resetDefault(opts *Options) {
	dir, err := opts.ConfigDir()
	if err != nil || opts.Profile == auth.DefaultProfile || cmdutil.DefaultProfile(dir) != opts.Profile {
		return
	}
	if cmdutil.SetDefaultProfile(dir, "") == nil {
		opts.IO.Eprintf("Profile %s was the default; the default is %s again.\n", opts.Profile, auth.DefaultProfile)
	}
}

// forgetOnly deletes the profile without signing its token out.
func forgetOnly(ctx context.Context, opts *Options, store auth.TokenStore, c auth.Credentials, others []string) error {
	if err := store.Delete(ctx, opts.Profile); err != nil {
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "delete the stored login", Err: err}
	}
	resetDefault(opts)
	if opts.JSON {
		return opts.IO.WriteJSON(logoutJSON{Profile: opts.Profile, LoggedOut: true})
	}
	who := c.Name()
	if who == "" {
		who = "the account"
	}
	opts.IO.Printf("Forgot profile %s (%s); its token was not signed out", opts.Profile, who)
	if len(others) > 0 {
		opts.IO.Printf(" and still works for %s", strings.Join(others, ", "))
	}
	opts.IO.Printf(".\n")
	return nil
}
