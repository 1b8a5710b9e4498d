package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/plexkit/plexgo/models/components"
)

// writeJSON writes v as one JSON document: indented on a terminal,
// one line otherwise.
func (f *Factory) writeJSON(v any) error {
	return writeJSONTo(f.IO.Out, v, f.IO.IsStdoutTTY)
}

func writeJSONTo(w io.Writer, v any, indent bool) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}

// accountJSON is the account as plexauth prints it. It has no token
// field: tokens are printed only on request, at the top level.
type accountJSON struct {
	ID               int64             `json:"id"`
	UUID             string            `json:"uuid"`
	Username         string            `json:"username"`
	Title            string            `json:"title,omitempty"`
	Email            string            `json:"email,omitempty"`
	PlexPass         bool              `json:"plexPass"`
	Subscription     *subscriptionJSON `json:"subscription,omitempty"`
	Home             bool              `json:"home"`
	HomeAdmin        bool              `json:"homeAdmin"`
	Restricted       bool              `json:"restricted"`
	Protected        bool              `json:"protected"`
	TwoFactorEnabled bool              `json:"twoFactorEnabled"`
	JoinedAt         *time.Time        `json:"joinedAt,omitempty"`
}

type subscriptionJSON struct {
	Active   bool     `json:"active"`
	Status   string   `json:"status,omitempty"`
	Plan     string   `json:"plan,omitempty"`
	Features []string `json:"features,omitempty"`
}

func newAccountJSON(a *components.UserPlexAccount) *accountJSON {
	if a == nil {
		return nil
	}
	out := &accountJSON{
		ID: a.ID, UUID: a.UUID, Username: a.Username, Title: a.Title, Email: a.Email,
		PlexPass: a.PlexPass(), Home: a.Home, HomeAdmin: a.HomeAdmin, Restricted: a.Restricted,
		Protected: a.Protected, TwoFactorEnabled: a.TwoFactorEnabled,
	}
	if t := a.JoinedTime(); !t.IsZero() {
		out.JoinedAt = &t
	}
	if s := a.Subscription; s != nil {
		sj := &subscriptionJSON{Active: s.Active, Status: string(s.Status)}
		if s.Plan != nil {
			sj.Plan = *s.Plan
		}
		for _, ft := range s.Features {
			sj.Features = append(sj.Features, string(ft))
		}
		out.Subscription = sj
	}
	return out
}

// accountLine is "alice <alice@example.com>".
func accountLine(a *components.UserPlexAccount) string {
	if a == nil {
		return "(unknown account)"
	}
	name := a.Username
	if name == "" {
		name = a.Title
	}
	if a.Email != "" {
		return name + " <" + a.Email + ">"
	}
	return name
}

// subscriptionLine describes the subscription for humans.
func subscriptionLine(a *components.UserPlexAccount) string {
	if a == nil || a.Subscription == nil || !a.Subscription.Active {
		return "free (no active Plex Pass)"
	}
	s := "Plex Pass (" + strings.ToLower(string(a.Subscription.Status))
	if a.Subscription.Plan != nil && *a.Subscription.Plan != "" {
		s += ", " + *a.Subscription.Plan
	}
	return s + ")"
}

// timePtr returns nil for the zero time.
func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC().Truncate(time.Second)
	return &t
}

// shortDuration renders d as "29m41s" / "3s" / "120ms".
func shortDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < time.Millisecond:
		return d.Round(time.Microsecond).String()
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}
