package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/models/sdkerrors"
	"github.com/plexkit/plexgo/servers"
)

// NewCmdHome returns the home command group.
func NewCmdHome(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "home <command>",
		Short: "List and switch to Plex Home users",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return flagErrorf("unknown command %q for %s", args[0], cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(NewCmdHomeUsers(f, nil), NewCmdHomeSwitch(f, nil))
	return cmd
}

// HomeUsersOptions are the inputs of plexauth home users.
type HomeUsersOptions struct {
	f *Factory
}

// NewCmdHomeUsers returns the home users command.
func NewCmdHomeUsers(f *Factory, runF func(*HomeUsersOptions) error) *cobra.Command {
	opts := &HomeUsersOptions{f: f}
	cmd := &cobra.Command{
		Use:   "users",
		Short: "List the members of the account's Plex Home",
		Long: `List the members of the account's Plex Home.

JSON: {"users":[{id, uuid, title, username, email, admin, guest, restricted,
protected}]}.`,
		Args: exactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return homeUsersRun(cmd.Context(), opts)
		},
	}
	return needsLogin(cmd)
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

func homeUsersRun(ctx context.Context, opts *HomeUsersOptions) error {
	f := opts.f
	sdk, err := f.AuthSDK(ctx)
	if err != nil {
		return err
	}
	users, err := servers.HomeUsers(ctx, sdk)
	if err != nil {
		return fmt.Errorf("list Plex Home users: %w", err)
	}
	if f.Opts.JSON {
		doc := struct {
			Users []homeUserJSON `json:"users"`
		}{Users: []homeUserJSON{}}
		for _, u := range users {
			doc.Users = append(doc.Users, homeUserJSON{ID: u.ID, UUID: u.UUID, Title: u.Title, Username: u.Username, Email: u.Email,
				Admin: u.Admin, Guest: u.Guest, Restricted: u.Restricted, Protected: u.Protected})
		}
		return f.writeJSON(doc)
	}
	tw := tabwriter.NewWriter(f.IO.Out, 0, 4, 2, ' ', 0)
	textf(tw, "USER\tUUID\tROLE\n")
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
		textf(tw, "%s\t%s\t%s\n", userName(u), u.UUID, strings.Join(role, ", "))
	}
	return tw.Flush()
}

// HomeSwitchOptions are the inputs of plexauth home switch.
type HomeSwitchOptions struct {
	f *Factory

	// User is the member's name, username, UUID or id.
	User string
	// SaveAs is the profile the member's token is stored under (default
	// "home-<user>").
	SaveAs string
	// PINStdin reads the member's Home PIN from stdin.
	PINStdin bool
}

// NewCmdHomeSwitch returns the home switch command.
func NewCmdHomeSwitch(f *Factory, runF func(*HomeSwitchOptions) error) *cobra.Command {
	opts := &HomeSwitchOptions{f: f}
	cmd := &cobra.Command{
		Use:   "switch <user>",
		Short: "Switch to a Plex Home user and store that user's token under its own profile",
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
				if err := checkProfileFlag("--save-as", opts.SaveAs); err != nil {
					return err
				}
			}
			return exactArgs(1, "a Home user")(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.User = strings.TrimSpace(args[0])
			if opts.User == "" {
				return flagErrorf("empty user")
			}
			if runF != nil {
				return runF(opts)
			}
			return homeSwitchRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.SaveAs, "save-as", "", `profile to store the user's token under (default "home-<user>")`)
	cmd.Flags().BoolVar(&opts.PINStdin, "pin-stdin", false, "read the user's Home PIN from stdin")
	return needsLogin(cmd)
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

func homeSwitchRun(ctx context.Context, opts *HomeSwitchOptions) error {
	f := opts.f
	s, err := f.Session(ctx)
	if err != nil {
		return err
	}
	sdk, err := f.AuthSDK(ctx)
	if err != nil {
		return err
	}
	var switched operations.HomeUser
	askPIN := func(ctx context.Context, u operations.HomeUser) (string, error) {
		switched = u
		var pin string
		var err error
		switch {
		case opts.PINStdin:
			pin, err = f.Lines().ReadLine(ctx)
			if err != nil {
				return "", inputError("read the Home PIN from stdin", err)
			}
		case f.IO.CanPrompt():
			pin, err = f.prompter().Secret(ctx, "Home PIN for "+userName(u)+": ")
			if err != nil {
				return "", inputError("read the Home PIN", err)
			}
		default:
			return "", flagErrorf("%s has a Home PIN: pass it on stdin with --pin-stdin", userName(u))
		}
		pin = strings.TrimSpace(pin)
		if pin == "" {
			return "", flagErrorf("empty Home PIN")
		}
		return pin, nil
	}
	token, acct, err := servers.SwitchHomeUser(ctx, sdk, opts.User, askPIN)
	var ee *ExitError
	var fe *FlagError
	switch {
	case err == nil:
	case errors.As(err, &ee), errors.As(err, &fe), errors.Is(err, context.Canceled):
		return err
	case errors.Is(err, sdkerrors.ErrInvalidPIN), errors.Is(err, sdkerrors.ErrForbidden) && switched.Protected:
		return &ExitError{Code: ExitBadCredentials, What: "switch to " + userName(switched) + ": wrong Home PIN", Hint: "check the PIN and try again"}
	case errors.Is(err, servers.ErrHomeUserNotFound):
		return &ExitError{Code: ExitFailure, What: "switch Home user", Err: err, Hint: "run plexauth home users to list them"}
	case errors.Is(err, servers.ErrAmbiguousHomeUser):
		return &ExitError{Code: ExitFailure, What: "switch Home user", Err: err, Hint: "use the user's UUID (plexauth home users)"}
	default:
		return fmt.Errorf("switch Home user: %w", err)
	}
	if token == "" {
		return &ExitError{Code: ExitFailure, What: "switch Home user", Err: errors.New("plex.tv returned no token")}
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
	if profile == s.Profile && !s.FromEnv {
		return flagErrorf("--save-as %s is the login used to switch; pick another profile", profile)
	}
	clientID, err := f.sessionClientID(s)
	if err != nil {
		return err
	}
	c := auth.Credentials{Token: token, Kind: tokenKindOf(token), ClientIdentifier: clientID}
	if f.PlexTVURL() != orDefault("") {
		c.PlexTVURL = f.PlexTVURL()
	}
	if acct != nil {
		c.AccountID, c.AccountUUID, c.Username, c.Email = acct.ID, acct.UUID, acct.Username, acct.Email
	}
	store, err := f.Store()
	if err != nil {
		return err
	}
	if err := store.Save(ctx, profile, c); err != nil {
		return &ExitError{Code: ExitFailure, What: "store the Home user's token", Err: err}
	}
	if f.Opts.JSON {
		return f.writeJSON(struct {
			Profile string       `json:"profile"`
			Account *accountJSON `json:"account"`
		}{profile, newAccountJSON(acct)})
	}
	textf(f.IO.Out, "Switched to %s; saved as profile %s (use --profile %s).\n", accountLine(acct), profile, profile)
	return nil
}
