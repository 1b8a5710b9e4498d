// Package home implements "plexauth home users" and "plexauth home switch".
package home

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/internal/cmdutil"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/models/sdkerrors"
)

// NewCmdHome returns the home command group.
func NewCmdHome(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use: "home <command>", Short: "List and switch to Plex Home users",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return cmdutil.FlagErrorf("unknown command %q for %s", args[0], cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(NewCmdHomeUsers(f, nil), NewCmdHomeSwitch(f, nil))
	return cmd
}

// UsersOptions are the inputs of plexauth home users.
type UsersOptions struct {
	// The streams, the login of the run and --json.
	cmdutil.Base
}

// NewCmdHomeUsers returns the home users command.
func NewCmdHomeUsers(f *cmdutil.Factory, runF func(*UsersOptions) error) *cobra.Command {
	opts := &UsersOptions{Base: cmdutil.BaseOf(f)}
	cmd := &cobra.Command{
		Use: "users", Short: "List the members of the account's Plex Home",
		Long: `List the members of the account's Plex Home.

JSON: {"users":[{id, uuid, title, username, email, admin, guest, restricted,
protected}]}.`,
		Args: cmdutil.ExactArgs(0, ""),
		RunE: cmdutil.RunE(f, &opts.JSON, opts, runF, homeUsersRun),
	}
	return cmd
}

type homeUserJSON struct {
	ID         int64  `json:"id"`
	UUID       string `json:"uuid"`
	Title      string `json:"title"`
	Username   string `json:"username,omitempty"`
	Email      string `json:"email,omitempty"`
	Admin      bool   `json:"admin"`
	Guest      bool   `json:"guest"`
	Restricted bool   `json:"restricted"`
	Protected  bool   `json:"protected"`
}

func userName(u operations.HomeUser) string {
	if u.Title != "" {
		return u.Title
	}
	return u.Username
}

func homeUsersRun(ctx context.Context, opts *UsersOptions) error {
	_, sdk, err := opts.Login(ctx)
	if err != nil {
		return err
	}
	users, err := auth.HomeUsers(ctx, sdk)
	if err != nil {
		return fmt.Errorf("list Plex Home users: %w", err)
	}
	if opts.JSON {
		return cmdutil.WriteJSONList(opts.IO, "users", users, func(u operations.HomeUser) homeUserJSON {
			return homeUserJSON{ID: u.ID, UUID: u.UUID, Title: u.Title, Username: u.Username, Email: u.Email,
				Admin: u.Admin, Guest: u.Guest, Restricted: u.Restricted, Protected: u.Protected}
		})
	}
	tw := tabwriter.NewWriter(opts.IO.Out, 0, 4, 2, ' ', 0)
	cmdutil.Textf(tw, "USER\tUUID\tROLE\n")
	for _, u := range users {
		var role []string
		switch {
		case u.Admin:
			role = append(role, "admin")
		case u.Restricted:
			role = append(role, "managed")
		case u.Guest:
			role = append(role, "guest")
		default:
			role = append(role, "member")
		}
		if u.Protected {
			role = append(role, "PIN-protected")
		}
		cmdutil.Textf(tw, "%s\t%s\t%s\n", userName(u), u.UUID, strings.Join(role, ", "))
	}
	return tw.Flush()
}

// SwitchOptions are the inputs of plexauth home switch.
type SwitchOptions struct {
	// The streams, the login of the run and --json.
	cmdutil.Base
	// Store keeps the member's token; PlexTVURL is stored with it.
	Store     func() (auth.TokenStore, error)
	PlexTVURL func() string
	// Prompter and Lines read the member's Home PIN.
	Prompter func() cmdutil.Prompter
	Lines    func() *cmdutil.LineReader

	// User is the member's name, username, UUID or id.
	User string
	// SaveAs is the profile the member's token is stored under (default
	// "home-<user>").
	SaveAs string
	// PINStdin reads the member's Home PIN from stdin.
	PINStdin bool
}

// NewCmdHomeSwitch returns the home switch command.
func NewCmdHomeSwitch(f *cmdutil.Factory, runF func(*SwitchOptions) error) *cobra.Command {
	opts := &SwitchOptions{Base: cmdutil.BaseOf(f), Store: f.Store, PlexTVURL: f.PlexTVURL, Prompter: f.Prompter, Lines: f.Lines}
	cmd := &cobra.Command{
		Use: "switch <user>", Short: "Switch to a Plex Home user and store that user's token under its own profile",
		Long: `Switch to a member of the Plex Home (by name, username, UUID or id) with the
current login, and store the member's token under a profile of its own
(--save-as, default "home-<user>"); use it with --profile. A PIN-protected member's
Home PIN is asked on the terminal without echo, or read from stdin with
--pin-stdin.

JSON: {"profile", "account"}.`,
		Example: `  plexauth home switch kid
  echo "$PIN" | plexauth home switch teen --pin-stdin --save-as teen
  plexauth whoami --profile home-kid`,
		Args: func(cmd *cobra.Command, args []string) error {
			// Checked here, before the login check of the root's pre-run.
			if opts.SaveAs != "" {
				if err := cmdutil.CheckProfileFlag("--save-as", opts.SaveAs); err != nil {
					return err
				}
			}
			return cmdutil.ExactArgs(1, "a Home user")(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.User, opts.JSON = strings.TrimSpace(args[0]), f.Options.JSON
			if opts.User == "" {
				return cmdutil.FlagErrorf("empty user")
			}
			return cmdutil.Run(cmd.Context(), opts, runF, homeSwitchRun)
		},
	}
	cmd.Flags().StringVar(&opts.SaveAs, "save-as", "", `profile to store the user's token under (default "home-<user>")`)
	cmd.Flags().BoolVar(&opts.PINStdin, "pin-stdin", false, "read the user's Home PIN from stdin")
	return cmd
}

// homeProfile derives "home-<user>" from a user name, keeping only
// profile-safe characters.
func homeProfile(name string) string {
	var b strings.Builder
	b.WriteString("home-")
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	p := b.String()
	if len(p) > auth.MaxProfileLen {
		p = p[:auth.MaxProfileLen]
	}
	return p
}

func homeSwitchRun(ctx context.Context, opts *SwitchOptions) error {
	s, sdk, err := opts.Login(ctx)
	if err != nil {
		return err
	}
	var switched operations.HomeUser
	askPIN := func(ctx context.Context, u operations.HomeUser) (string, error) {
		switched = u
		in := cmdutil.SecretInput{FromStdin: opts.PINStdin, Lines: opts.Lines, CanAsk: opts.IO.CanPrompt(), Prompter: opts.Prompter}
		pin, err := in.Read(ctx, "Home PIN for "+userName(u)+": ", "the Home PIN",
			cmdutil.FlagErrorf("%s has a Home PIN: pass it on stdin with --pin-stdin", userName(u)))
		if err != nil {
			return "", err
		}
		pin = strings.TrimSpace(pin)
		if pin == "" {
			return "", cmdutil.FlagErrorf("empty Home PIN")
		}
		return pin, nil
	}
	token, acct, err := auth.SwitchHomeUser(ctx, sdk, opts.User, askPIN)
	var ee *cmdutil.ExitError
	var fe *cmdutil.FlagError
	switch {
	case err == nil:
	case errors.As(err, &ee), errors.As(err, &fe), errors.Is(err, context.Canceled):
		return err
	case errors.Is(err, sdkerrors.ErrInvalidPIN), errors.Is(err, sdkerrors.ErrForbidden) && switched.Protected:
		return &cmdutil.ExitError{Code: cmdutil.ExitBadCredentials, What: "switch to " + userName(switched) + ": wrong Home PIN", Hint: "check the PIN and try again"}
	case errors.Is(err, auth.ErrHomeUserNotFound):
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "switch Home user", Err: err, Hint: "run plexauth home users to list them"}
	case errors.Is(err, auth.ErrAmbiguousHomeUser):
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "switch Home user", Err: err, Hint: "use the user's UUID (plexauth home users)"}
	default:
		return fmt.Errorf("switch Home user: %w", err)
	}
	if token == "" {
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "switch Home user", Err: errors.New("plex.tv returned no token")}
	}
	name := opts.User
	if acct != nil && acct.Username != "" {
		name = acct.Username
	} else if acct != nil && acct.Title != "" {
		name = acct.Title
	}
	profile := opts.SaveAs
	if profile == "" {
		profile = homeProfile(name)
	}
	if profile == s.Profile && !s.FromEnv() {
		return cmdutil.FlagErrorf("--save-as %s is the login used to switch; pick another profile", profile)
	}
	clientID, err := s.ClientID()
	if err != nil {
		return err
	}
	c := auth.Credentials{Token: token, Kind: cmdutil.TokenKindOf(token), ClientIdentifier: clientID}
	if u := opts.PlexTVURL(); u != cmdutil.OrDefault("") {
		c.PlexTVURL = u
	}
	if acct != nil {
		c.AccountID, c.AccountUUID, c.Username, c.Title, c.Email = acct.ID, acct.UUID, acct.Username, acct.Title, acct.Email
	}
	store, err := opts.Store()
	if err != nil {
		return err
	}
	if err := store.Save(ctx, profile, c); err != nil {
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "store the Home user's token", Err: err}
	}
	if opts.JSON {
		return opts.IO.WriteJSON(struct {
			Profile string               `json:"profile"`
			Account *cmdutil.AccountJSON `json:"account"`
		}{profile, cmdutil.NewAccountJSON(acct)})
	}
	opts.IO.Printf("Switched to %s; saved as profile %s (use --profile %s).\n", cmdutil.AccountLine(acct), profile, profile)
	return nil
}
