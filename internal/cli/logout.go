package cli

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/models/sdkerrors"
)

// LogoutOptions are the inputs of plexauth logout.
type LogoutOptions struct {
	f *Factory

	// Forget deletes the stored login even when signing out fails.
	Forget bool
}

// NewCmdLogout returns the logout command.
func NewCmdLogout(f *Factory, runF func(*LogoutOptions) error) *cobra.Command {
	opts := &LogoutOptions{f: f}
	cmd := &cobra.Command{
		Use:   "logout",
		Short: "Sign the stored token out of plex.tv and delete it",
		Long: `Sign the profile's token out of plex.tv (this device only) and delete the stored
login. When plex.tv cannot be reached the login is kept, so the token can still
be revoked later; --forget deletes it anyway. PLEX_TOKEN is never touched.

JSON: {"profile", "loggedOut", "signedOut"}.`,
		Args: exactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return logoutRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Forget, "forget", false, "delete the stored login even if signing out fails")
	return cmd
}

func logoutRun(ctx context.Context, opts *LogoutOptions) error {
	f := opts.f
	profile := f.Opts.Profile
	store, err := f.Store()
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
		if f.Opts.JSON {
			return f.writeJSON(logoutJSON{Profile: profile})
		}
		textf(f.IO.Out, "Not logged in (profile %s); nothing to do.\n", profile)
		return nil
	}
	if err != nil {
		return &ExitError{Code: ExitFailure, What: "read the stored login", Err: err}
	}
	clientID := c.ClientIdentifier
	if clientID == "" || f.Opts.ClientID != "" {
		id, err := f.Identity()
		if err != nil {
			return err
		}
		clientID = id.ClientIdentifier
	}
	// Sign out where the token belongs, whatever --plextv-url says.
	sdk := f.sdkFor(clientID, orDefault(c.PlexTVURL))
	// A store that cannot be changed would keep a token that signing out
	// killed: check first, by writing the login back unchanged.
	if err := store.Save(ctx, profile, c); err != nil {
		return &ExitError{Code: ExitFailure, What: "the stored login cannot be changed, so nothing was signed out", Err: err,
			Hint: "make the token store writable, then run plexauth logout again"}
	}
	signedOut := true
	err = auth.SignOut(ctx, sdk, c.Token)
	if errors.Is(err, sdkerrors.ErrUnauthorized) || errors.Is(err, sdkerrors.ErrTokenExpired) {
		err = nil // plex.tv already rejects it: as good as signed out
	}
	if err != nil {
		if !opts.Forget || errors.Is(err, context.Canceled) {
			return &ExitError{Code: ExitFailure, What: "sign out of plex.tv", Err: err,
				Hint: "the login is kept so it can be revoked later: try again, or use --forget to delete it anyway"}
		}
		signedOut = false
		textf(f.IO.ErrOut, "Warning: could not sign out of plex.tv (%v); deleting the stored login anyway.\n", err)
	}
	if err := store.Delete(ctx, profile); err != nil {
		if signedOut {
			return &ExitError{Code: ExitFailure, What: "signed out of plex.tv, but deleting the stored login failed", Err: err,
				Hint: "the stored token no longer works: run plexauth logout again once the store is writable"}
		}
		return &ExitError{Code: ExitFailure, What: "delete the stored login", Err: err}
	}
	if f.Opts.JSON {
		return f.writeJSON(logoutJSON{Profile: profile, LoggedOut: true, SignedOut: signedOut})
	}
	who := c.Username
	if who == "" {
		who = "the account"
	}
	textf(f.IO.Out, "Logged out %s (profile %s).\n", who, profile)
	if f.Getenv(EnvPlexToken) != "" {
		textf(f.IO.ErrOut, "Note: %s is still set; unset it too.\n", EnvPlexToken)
	}
	return nil
}
