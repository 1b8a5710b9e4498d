package weblogin

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// Policy decides who may sign in. The zero value (and AnyAccount) admits
// any Plex account.
//
// With Servers set, an account must be a member of at least one of them
// in one of Roles (all roles when Roles is empty). Membership is decided by
// two independent checks with fallback: the owner's view (/api/users,
// with WithOwnerToken, cached) and the user's own view (the servers
// /api/v2/resources lists for the user's token). When one of them fails
// (an error, a 410, a changed answer) the other decides.
type Policy struct {
	// Servers are the machine identifiers whose members may sign in.
	Servers []string
	// Roles are the memberships that count (default: all).
	Roles []Role
	// Allow, when set, has the last word: it sees the account and its
	// memberships of the allowed servers (empty when Servers is empty) and
	// returns nil to admit the account, or an error to refuse it (a
	// *Denial names the reason; any other error is reported as
	// ReasonPolicy).
	Allow func(ctx context.Context, u User, m []Membership) error
}

// AnyAccount admits every Plex account.
func AnyAccount() Policy { return Policy{} }

// MembersOf admits the owner, Plex Home members and friends of any of the
// servers.
func MembersOf(machineIdentifiers ...string) Policy { return Policy{Servers: machineIdentifiers} }

// OwnerOf admits only the owner of one of the servers.
func OwnerOf(machineIdentifiers ...string) Policy {
	return Policy{Servers: machineIdentifiers, Roles: []Role{RoleOwner}}
}

// HomeOf admits the owner and the Plex Home members of the servers' owner.
func HomeOf(machineIdentifiers ...string) Policy {
	return Policy{Servers: machineIdentifiers, Roles: []Role{RoleOwner, RoleHome}}
}

// FriendsOf admits the friends the servers are shared with (and their
// owner).
func FriendsOf(machineIdentifiers ...string) Policy {
	return Policy{Servers: machineIdentifiers, Roles: []Role{RoleOwner, RoleFriend}}
}

// Membership is an account's access to one allowed server.
type Membership struct {
	// MachineIdentifier is the server's id.
	MachineIdentifier string
	// Name is the server's name when known.
	Name string
	// Role is how the account relates to the server.
	Role Role
	// Managed is true for a managed Plex Home user.
	Managed bool
	// Source names the check that found it: "owner" or "resources".
	Source string
}

// Reason says why an account was refused.
type Reason string

// The reasons of a Denial.
const (
	// ReasonNotMember: the account is not a member of any allowed server.
	ReasonNotMember Reason = "not-member"
	// ReasonSharePending: the server was shared with the account, but the
	// invitation has not been accepted yet.
	ReasonSharePending Reason = "share-pending"
	// ReasonServerUnknown: the owner's account does not know the
	// configured server (a configuration error).
	ReasonServerUnknown Reason = "server-unknown"
	// ReasonRole: a member, but not in one of the policy's roles.
	ReasonRole Reason = "role-not-allowed"
	// ReasonPolicy: the policy's Allow func refused the account.
	ReasonPolicy Reason = "policy"
	// ReasonUnavailable: neither membership check could be completed
	// (plex.tv unreachable or answering errors).
	ReasonUnavailable Reason = "membership-unavailable"
	// ReasonOtherAccount: the PIN was approved by another account than
	// the signed-in one that started a re-authentication.
	ReasonOtherAccount Reason = "other-account"
)

// Denial is the error of a refused sign-in. Reason is for the app;
// Message is a plain sentence for the user.
type Denial struct {
	Reason Reason
	// Server is the machine identifier concerned, when one is.
	Server string
	// Err is the cause, for ReasonPolicy and ReasonUnavailable.
	Err error
}

// Error implements error.
func (d *Denial) Error() string {
	s := "weblogin: sign-in refused: " + string(d.Reason)
	if d.Server != "" {
		s += " (server " + d.Server + ")"
	}
	if d.Err != nil {
		s += ": " + d.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (d *Denial) Unwrap() error { return d.Err }

// Message is a plain sentence for the user.
func (d *Denial) Message() string {
	switch d.Reason {
	case ReasonSharePending:
		return "The server was shared with your Plex account, but the invitation is still pending. Accept it on plex.tv, then sign in again."
	case ReasonServerUnknown:
		return "This app is not set up correctly (its Plex server is unknown). Tell its administrator."
	case ReasonRole, ReasonPolicy:
		return "Your Plex account is not allowed to use this app."
	case ReasonUnavailable:
		return "Plex could not confirm your access right now. Try again in a minute."
	case ReasonOtherAccount:
		return "The sign-in was approved with a different Plex account than the one signed in here."
	}
	return "Your Plex account does not have access to this app's Plex server."
}

// decision is the outcome of evaluating the policy.
type decision struct {
	memberships []Membership
	denial      *Denial
}

// decide evaluates the policy for the account behind token.
func (h *Handler) decide(ctx context.Context, u User, token string, restricted bool) decision {
	p := h.cfg.policy
	var ms []Membership
	if len(p.Servers) > 0 {
		var d *Denial
		ms, d = h.memberships(ctx, u, token, restricted)
		if d != nil {
			return decision{denial: d}
		}
		if len(p.Roles) > 0 {
			ms = slices.DeleteFunc(ms, func(m Membership) bool {
				return !slices.Contains(p.Roles, m.Role) && !(m.Managed && slices.Contains(p.Roles, RoleManaged))
			})
			if len(ms) == 0 {
				return decision{denial: &Denial{Reason: ReasonRole}}
			}
		}
	}
	if p.Allow != nil {
		if err := p.Allow(ctx, u, ms); err != nil {
			var d *Denial
			if errors.As(err, &d) {
				return decision{denial: d}
			}
			return decision{denial: &Denial{Reason: ReasonPolicy, Err: err}}
		}
	}
	return decision{memberships: ms}
}

// memberships runs the two checks. The owner's view, when configured,
// goes first because its data is cached (a warm sign-in then costs no
// membership request); an account it does not list as a member, or an
// owner-side failure, falls back to the user's own resources, which
// decide.
func (h *Handler) memberships(ctx context.Context, u User, token string, restricted bool) ([]Membership, *Denial) {
	var ownerErr error
	var pending string
	if h.owner != nil {
		ms, pend, err := h.owner.memberships(ctx, u)
		switch {
		case err != nil:
			ownerErr = err
			h.cfg.logger.WarnContext(ctx, "weblogin: owner-side membership check failed; the user-side check decides", "err", err)
		case len(ms) > 0:
			return ms, nil
		default:
			pending = pend
		}
	}
	if token == "" {
		// Re-validation without a user token: only the owner's view exists.
		if ownerErr != nil {
			return nil, &Denial{Reason: ReasonUnavailable, Err: ownerErr}
		}
		return nil, h.notMember(ctx, pending)
	}
	ms, err := h.userMemberships(ctx, token, restricted)
	switch {
	case err != nil && ownerErr != nil:
		return nil, &Denial{Reason: ReasonUnavailable, Err: fmt.Errorf("owner side: %w; user side: %w", ownerErr, err)}
	case err != nil && h.owner == nil:
		return nil, &Denial{Reason: ReasonUnavailable, Err: err}
	case err != nil:
		// The owner's fresh data said "not a member"; the user side failed.
		h.cfg.logger.WarnContext(ctx, "weblogin: user-side membership check failed; the owner side decides", "err", err)
		return nil, h.notMember(ctx, pending)
	case len(ms) > 0:
		return ms, nil
	}
	return nil, h.notMember(ctx, pending)
}

// notMember names the reason of a refusal: a pending share, a server the
// owner does not know, or plain non-membership.
func (h *Handler) notMember(ctx context.Context, pending string) *Denial {
	if pending != "" {
		return &Denial{Reason: ReasonSharePending, Server: pending}
	}
	if h.owner != nil {
		if unknown := h.owner.unknownServer(ctx); unknown != "" {
			return &Denial{Reason: ReasonServerUnknown, Server: unknown}
		}
	}
	return &Denial{Reason: ReasonNotMember}
}
