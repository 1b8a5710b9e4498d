package cmdutil

import (
	"strings"
	"time"

	"github.com/plexkit/plexgo/models/components"
	"github.com/plexkit/plexgo/servers"
)

// AccountJSON is the account as plexauth prints it in JSON. It has no token
// field: tokens are printed only on request, at the top level.
type AccountJSON struct {
	ID               int64             `json:"id"`
	UUID             string            `json:"uuid"`
	Username         string            `json:"username"`
	Title            string            `json:"title,omitempty"`
	Email            string            `json:"email,omitempty"`
	PlexPass         bool              `json:"plexPass"`
	Subscription     *SubscriptionJSON `json:"subscription,omitempty"`
	Home             bool              `json:"home"`
	HomeAdmin        bool              `json:"homeAdmin"`
	Restricted       bool              `json:"restricted"`
	Protected        bool              `json:"protected"`
	TwoFactorEnabled bool              `json:"twoFactorEnabled"`
	JoinedAt         *time.Time        `json:"joinedAt,omitempty"`
}

// SubscriptionJSON is the account's subscription in JSON.
type SubscriptionJSON struct {
	Active   bool     `json:"active"`
	Status   string   `json:"status,omitempty"`
	Plan     string   `json:"plan,omitempty"`
	Features []string `json:"features,omitempty"`
}

// NewAccountJSON returns the JSON form of a (nil for nil).
func NewAccountJSON(a *components.UserPlexAccount) *AccountJSON {
	if a == nil {
		return nil
	}
	out := &AccountJSON{
		ID: a.ID, UUID: a.UUID, Username: a.Username, Title: a.Title, Email: a.Email,
		PlexPass: a.PlexPass(), Home: a.Home, HomeAdmin: a.HomeAdmin, Restricted: a.Restricted,
		Protected: a.Protected, TwoFactorEnabled: a.TwoFactorEnabled,
	}
	if t := a.JoinedTime(); !t.IsZero() {
		out.JoinedAt = &t
	}
	if s := a.Subscription; s != nil {
		sj := &SubscriptionJSON{Active: s.Active, Status: string(s.Status)}
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

// AccountLine is "alice <alice@example.com>" (to print with Textf).
func AccountLine(a *components.UserPlexAccount) string {
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

// SubscriptionLine describes the subscription for humans.
func SubscriptionLine(a *components.UserPlexAccount) string {
	if a == nil || a.Subscription == nil || !a.Subscription.Active {
		return "free (no active Plex Pass)"
	}
	s := "Plex Pass (" + strings.ToLower(string(a.Subscription.Status))
	if a.Subscription.Plan != nil && *a.Subscription.Plan != "" {
		s += ", " + *a.Subscription.Plan
	}
	return s + ")"
}

// TimePtr returns nil for the zero time, else t in UTC to the second.
func TimePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC().Truncate(time.Second)
	return &t
}

// ShortDuration renders d as "29m41s" / "3s" / "120ms".
func ShortDuration(d time.Duration) string {
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

// ConnectionJSON is one connection of a server or source in JSON: the
// fields of servers.Connection with its kind after the URI ({uri, kind,
// protocol, address, port, local, relay, ipv6}).
type ConnectionJSON struct {
	// URI comes first in JSON; it shadows Connection.URI, which is the
	// same value.
	URI  string `json:"uri"`
	Kind string `json:"kind"`
	servers.Connection
}

// NewConnectionJSON returns the JSON form of c, of the given kind.
func NewConnectionJSON(c servers.Connection, kind string) ConnectionJSON {
	return ConnectionJSON{URI: c.URI, Kind: kind, Connection: c}
}
