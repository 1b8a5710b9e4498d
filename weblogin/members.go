package weblogin

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/models/operations"
)

// userMemberships is the user-side check: the allowed servers among the
// resources plex.tv lists for the user's own token (what servers.Discover
// reads). The account is the owner of an owned server, a Home member of a
// Home server, a friend of any other.
func (h *Handler) userMemberships(ctx context.Context, token string, restricted bool) ([]Membership, error) {
	res, err := h.sdk.Plex.GetResources(ctx, operations.GetResourcesRequest{}, operations.WithToken(token))
	if err != nil {
		return nil, err
	}
	var ms []Membership
	for _, r := range res.Resources {
		if !r.HasProvides("server") || !slices.Contains(h.cfg.policy.Servers, r.ClientIdentifier) {
			continue
		}
		m := Membership{MachineIdentifier: r.ClientIdentifier, Name: r.Name, Role: RoleFriend, Source: "resources"}
		switch {
		case r.Owned:
			m.Role = RoleOwner
		case r.Home:
			m.Role, m.Managed = RoleHome, restricted
		}
		ms = append(ms, m)
	}
	return ms, nil
}

// ownerUser is one account in the owner's view.
type ownerUser struct {
	home, restricted bool
	// servers maps a machine identifier to whether the share is pending.
	servers map[string]bool
}

// ownerData is the owner's view: the owner's account and the users the
// owner's servers are shared with.
type ownerData struct {
	ownerID int64
	users   map[int64]ownerUser
}

// ownerSource reads the owner's view from plex.tv. It is small so that the
// owner-side endpoints can be swapped (and faked in tests).
type ownerSource interface {
	// load returns the owner's account id and users.
	load(ctx context.Context) (*ownerData, error)
	// ownedServers returns the machine identifiers of the owner's servers.
	ownedServers(ctx context.Context) ([]string, error)
}

// ownerView caches the owner's data for the configured TTL.
type ownerView struct {
	src     ownerSource
	servers []string
	ttl     time.Duration
	now     func() time.Time

	mu      sync.Mutex
	data    *ownerData
	fetched time.Time
	owned   []string
	ownedAt time.Time
}

func (o *ownerView) get(ctx context.Context) (*ownerData, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	now := o.now()
	if o.data != nil && now.Sub(o.fetched) < o.ttl {
		return o.data, nil
	}
	d, err := o.src.load(ctx)
	if err != nil {
		return nil, err
	}
	o.data, o.fetched = d, now
	return d, nil
}

// memberships returns the account's memberships of the allowed servers
// in the owner's view, and the first allowed server whose share with the
// account is still pending.
func (o *ownerView) memberships(ctx context.Context, u User) ([]Membership, string, error) {
	d, err := o.get(ctx)
	if err != nil {
		return nil, "", err
	}
	var ms []Membership
	if u.ID != 0 && u.ID == d.ownerID {
		for _, s := range o.servers {
			ms = append(ms, Membership{MachineIdentifier: s, Role: RoleOwner, Source: "owner"})
		}
		return ms, "", nil
	}
	ou, ok := d.users[u.ID]
	if !ok {
		return nil, "", nil
	}
	pending := ""
	for _, s := range o.servers {
		p, ok := ou.servers[s]
		switch {
		case !ok:
		case p:
			if pending == "" {
				pending = s
			}
		default:
			m := Membership{MachineIdentifier: s, Role: RoleFriend, Source: "owner"}
			if ou.home {
				m.Role, m.Managed = RoleHome, ou.restricted
			}
			ms = append(ms, m)
		}
	}
	return ms, pending, nil
}

// unknownServer returns an allowed server the owner does not own, or ""
// (also when the owner's servers cannot be read).
func (o *ownerView) unknownServer(ctx context.Context) string {
	o.mu.Lock()
	defer o.mu.Unlock()
	now := o.now()
	if o.owned == nil || now.Sub(o.ownedAt) >= o.ttl {
		owned, err := o.src.ownedServers(ctx)
		if err != nil {
			return ""
		}
		o.owned, o.ownedAt = append([]string{}, owned...), now
	}
	for _, s := range o.servers {
		if !slices.Contains(o.owned, s) {
			return s
		}
	}
	return ""
}

// sdkOwnerSource reads the owner's view through the SDK with the owner's
// token.
type sdkOwnerSource struct {
	sdk   *plexgo.PlexAPI
	token string
}

func (s sdkOwnerSource) ownedServers(ctx context.Context) ([]string, error) {
	res, err := s.sdk.Plex.GetResources(ctx, operations.GetResourcesRequest{}, operations.WithToken(s.token))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range res.Resources {
		if r.Owned && r.HasProvides("server") {
			out = append(out, r.ClientIdentifier)
		}
	}
	return out, nil
}
