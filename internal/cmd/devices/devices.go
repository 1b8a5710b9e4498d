// Package devices implements "plexauth devices": list the devices signed
// in to the account and sign them out.
package devices

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo/internal/cmdutil"
	"github.com/plexkit/plexgo/models/operations"
)

// Options are the inputs of plexauth devices and devices revoke.
type Options struct {
	// The streams, the login of the run and --json.
	cmdutil.Base
	// Prompter asks before revoking; Now dates "last seen".
	Prompter func() cmdutil.Prompter
	Now      func() time.Time

	// ID is the device to revoke (revoke only).
	ID int64
	// AllOthers revokes every device but this one and the servers.
	AllOthers bool
	// Yes skips the question.
	Yes bool
}

func newOptions(f *cmdutil.Factory) *Options {
	return &Options{Base: cmdutil.BaseOf(f), Prompter: f.Prompter, Now: f.Now}
}

// NewCmdDevices returns the devices command and its revoke subcommand.
func NewCmdDevices(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := newOptions(f)
	cmd := &cobra.Command{
		Use: "devices", Short: "List the devices signed in to the account",
		Long: `List every device signed in to the Plex account (apps, browsers, servers) with
its product, platform and when plex.tv last saw it; this device is marked "*".
Tokens are never shown. Sign devices out with "plexauth devices revoke".

JSON: {"devices":[{id, name, product, productVersion, platform,
platformVersion, device, clientIdentifier, provides, createdAt, lastSeenAt,
current}]}.`,
		Args: cmdutil.ExactArgs(0, ""),
		RunE: cmdutil.RunE(f, &opts.JSON, opts, runF, listRun),
	}
	cmd.AddCommand(newCmdRevoke(f, runF))
	return cmd
}

func newCmdRevoke(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := newOptions(f)
	cmd := &cobra.Command{
		Use: "revoke ID | --all-others", Short: "Sign devices out of the account (revoke their tokens)",
		Long: `Remove a device from the account, which revokes its tokens: it is signed out
and must log in again. ID is the device's id from "plexauth devices".
--all-others signs out every device except this one; servers are kept (signing
a server out unclaims it: revoke one by ID to do that).

plexauth asks first; --yes confirms for scripts.

JSON: {"revoked":[{id, name, product}]}.`,
		Example: `  plexauth devices revoke 1234
  plexauth devices revoke --all-others --yes`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON = f.Options.JSON
			switch {
			case opts.AllOthers && len(args) > 0:
				return cmdutil.FlagErrorf("give a device ID or --all-others, not both")
			case !opts.AllOthers && len(args) != 1:
				return cmdutil.FlagErrorf("revoke needs a device ID (see plexauth devices) or --all-others")
			case len(args) == 1:
				id, err := strconv.ParseInt(args[0], 10, 64)
				if err != nil || id <= 0 {
					return cmdutil.FlagErrorf("device ID %q is not a positive number (see plexauth devices)", args[0])
				}
				opts.ID = id
			}
			return cmdutil.Run(cmd.Context(), opts, runF, revokeRun)
		},
	}
	cmd.Flags().BoolVar(&opts.AllOthers, "all-others", false, "sign out every device but this one (servers are kept)")
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}

// deviceJSON is one device in JSON, without its token.
type deviceJSON struct {
	ID               int64      `json:"id"`
	Name             string     `json:"name"`
	Product          string     `json:"product"`
	ProductVersion   string     `json:"productVersion,omitempty"`
	Platform         string     `json:"platform,omitempty"`
	PlatformVersion  string     `json:"platformVersion,omitempty"`
	Device           string     `json:"device,omitempty"`
	ClientIdentifier string     `json:"clientIdentifier"`
	Provides         string     `json:"provides,omitempty"`
	CreatedAt        *time.Time `json:"createdAt,omitempty"`
	LastSeenAt       *time.Time `json:"lastSeenAt,omitempty"`
	Current          bool       `json:"current"`
}

func unix(sec int64) *time.Time {
	if sec <= 0 {
		return nil
	}
	return cmdutil.TimePtr(time.Unix(sec, 0))
}

func newDeviceJSON(d operations.AccountDevice, current string) deviceJSON {
	return deviceJSON{ID: d.ID, Name: d.Name, Product: d.Product, ProductVersion: d.ProductVersion, Platform: d.Platform,
		PlatformVersion: d.PlatformVersion, Device: d.Device, ClientIdentifier: d.ClientIdentifier, Provides: d.Provides,
		CreatedAt: unix(d.CreatedAt), LastSeenAt: unix(d.LastSeenAt), Current: d.ClientIdentifier == current}
}

// list returns the account's devices and this device's client identifier.
func list(ctx context.Context, opts *Options) (*cmdutil.Session, []operations.AccountDevice, string, error) {
	s, sdk, err := opts.Login(ctx)
	if err != nil {
		return nil, nil, "", err
	}
	res, err := sdk.Plex.GetDevices(ctx)
	if err != nil {
		return nil, nil, "", fmt.Errorf("list devices: %w", err)
	}
	current, _ := s.ClientID()
	return s, res.Devices, current, nil
}

func listRun(ctx context.Context, opts *Options) error {
	_, devs, current, err := list(ctx, opts)
	if err != nil {
		return err
	}
	if opts.JSON {
		return cmdutil.WriteJSONList(opts.IO, "devices", devs, func(d operations.AccountDevice) deviceJSON { return newDeviceJSON(d, current) })
	}
	tw := tabwriter.NewWriter(opts.IO.Out, 0, 4, 2, ' ', 0)
	cmdutil.Textf(tw, "  ID\tNAME\tPRODUCT\tPLATFORM\tLAST SEEN\n")
	for _, d := range devs {
		mark := " "
		if d.ClientIdentifier == current {
			mark = "*"
		}
		seen := "-"
		if t := unix(d.LastSeenAt); t != nil {
			seen = ago(opts.Now().Sub(*t)) + " (" + t.Format("2006-01-02") + ")"
		}
		platform := strings.TrimSpace(d.Platform + " " + d.PlatformVersion)
		cmdutil.Textf(tw, "%s %d\t%s\t%s\t%s\t%s\n", mark, d.ID, deviceName(d), orDash(strings.TrimSpace(d.Product+" "+d.ProductVersion)), orDash(platform), seen)
	}
	_ = tw.Flush()
	opts.IO.Printf("\n* this device. Sign one out with: plexauth devices revoke ID\n")
	return nil
}

// deviceName is how the table and the messages name d: its name, else
// (a device that sent no X-Plex-Device-Name) "client " and the first 8
// characters of its client identifier, else "-". It is sanitized.
func deviceName(d operations.AccountDevice) string {
	if name := strings.TrimSpace(d.Name); name != "" {
		return cmdutil.Sanitize(name)
	}
	id := []rune(strings.TrimSpace(d.ClientIdentifier))
	switch {
	case len(id) == 0:
		return "-"
	case len(id) > 8:
		return "client " + cmdutil.Sanitize(string(id[:8])) + "…"
	}
	return "client " + cmdutil.Sanitize(string(id))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// ago renders a duration as "just now", "5m ago", "3h ago", "12d ago".
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m ago"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h ago"
	}
	return strconv.Itoa(int(d/(24*time.Hour))) + "d ago"
}

func revokeRun(ctx context.Context, opts *Options) error {
	s, devs, current, err := list(ctx, opts)
	if err != nil {
		return err
	}
	var targets []operations.AccountDevice
	for _, d := range devs {
		switch {
		case opts.AllOthers && d.ClientIdentifier != current && !strings.Contains(d.Provides, "server"):
			targets = append(targets, d)
		case !opts.AllOthers && d.ID == opts.ID:
			targets = append(targets, d)
		}
	}
	if !opts.AllOthers && len(targets) == 0 {
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: fmt.Sprintf("no device %d on this account", opts.ID), Hint: "run plexauth devices to list them"}
	}
	if len(targets) > 0 {
		q := fmt.Sprintf("Sign out %d devices (every one but this)?", len(targets))
		if !opts.AllOthers {
			q = fmt.Sprintf("Sign out device %d (%s, %s)?", targets[0].ID, deviceName(targets[0]), orDash(targets[0].Product))
			if targets[0].ClientIdentifier == current {
				q = fmt.Sprintf("Sign out device %d, which is THIS device (profile %s stops working)?", targets[0].ID, s.Profile)
			}
		}
		if err := cmdutil.Confirm(ctx, opts.IO, opts.Prompter(), q, opts.Yes); err != nil {
			return err
		}
	}
	sdk, err := s.AuthSDK(ctx)
	if err != nil {
		return err
	}
	type revokedJSON struct {
		ID      int64  `json:"id"`
		Name    string `json:"name"`
		Product string `json:"product"`
	}
	revoked := []revokedJSON{}
	for _, d := range targets {
		if _, err := sdk.Plex.DeleteDevice(ctx, d.ID); err != nil {
			return fmt.Errorf("sign out device %d: %w", d.ID, err)
		}
		revoked = append(revoked, revokedJSON{d.ID, d.Name, d.Product})
		if !opts.JSON {
			opts.IO.Printf("Signed out device %d (%s, %s).\n", d.ID, deviceName(d), orDash(d.Product))
		}
	}
	if opts.JSON {
		return opts.IO.WriteJSON(struct {
			Revoked []revokedJSON `json:"revoked"`
		}{revoked})
	}
	if len(targets) == 0 {
		opts.IO.Printf("No other devices to sign out.\n")
	}
	return nil
}
