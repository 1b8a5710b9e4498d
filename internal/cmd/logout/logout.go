// Package logout implements "plexauth logout".
package logout

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/internal/cmdutil"
	"github.com/plexkit/plexgo/models/sdkerrors"
)

// Options are the inputs of plexauth logout.
type Options struct {
	// Dependencies, taken from the Factory.
	IO       *cmdutil.IOStreams
	Getenv   func(string) string
	Store    func() (auth.TokenStore, error)
	Identity func() (auth.Identity, error)
	NewSDK   func(clientID, plexTVURL string, opts ...cmdutil.SDKOption) *plexgo.PlexAPI

	// Profile is the login to sign out (--profile).
	Profile string
	// ClientID is --client-id: present it instead of the login's device.
	ClientID string
	// JSON prints JSON (--json).
	JSON bool

	// Forget deletes the stored login even when signing out fails.
	Forget bool
}

// NewCmdLogout returns the logout command.
func NewCmdLogout(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Getenv: f.Getenv, Store: f.Store, Identity: f.Identity, NewSDK: f.NewSDK}
	cmd := &cobra.Command{
		Use:   "logout",
		Short: "Sign the stored token out of plex.tv and delete it",
		Long: `Sign the profile's token out of plex.tv (this device only) and delete the stored
login. When plex.tv cannot be reached the login is kept, so the token can still
be revoked later; --forget deletes it anyway. PLEX_TOKEN is never touched.

JSON: {"profile", "loggedOut", "signedOut"}.`,
		Args: cmdutil.ExactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Profile, opts.ClientID, opts.JSON = f.Options.Profile, f.Options.ClientID, f.Options.JSON
			if runF != nil {
				return runF(opts)
			}
			return logoutRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Forget, "forget", false, "delete the stored login even if signing out fails")
	return cmdutil.DisableAuth(cmd) // not logged in is "nothing to do"
}

func logoutRun(ctx context.Context, opts *Options) error {
	profile := opts.Profile
	store, err := opts.Store()
	if err != nil {
		return err
	}
	type logoutJSON struct {
		Profile   string `json:"profile"`
		LoggedOut bool   `json:"loggedOut"`
		SignedOut bool   `json:"signedOut"`
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
	clientID := c.ClientIdentifier
	if clientID == "" || opts.ClientID != "" {
		id, err := opts.Identity()
		if err != nil {
			return err
		}
		clientID = id.ClientIdentifier
	}
	// Sign out where the token belongs, whatever --plextv-url says.
	sdk := opts.NewSDK(clientID, cmdutil.OrDefault(c.PlexTVURL))
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
	if opts.JSON {
		return opts.IO.WriteJSON(logoutJSON{Profile: profile, LoggedOut: true, SignedOut: signedOut})
	}
	who := c.Username
	if who == "" {
		who = "the account"
	}
	opts.IO.Printf("Logged out %s (profile %s).\n", who, profile)
	if opts.Getenv(cmdutil.EnvPlexToken) != "" {
		opts.IO.Eprintf("Note: %s is still set; unset it too.\n", cmdutil.EnvPlexToken)
	}
	return nil
}
