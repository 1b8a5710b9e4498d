package operations

import (
	"strconv"
	"strings"
	"time"

	"github.com/plexkit/plexgo/models/components"
)

// GeoData is where plex.tv thinks a PIN was created.
type GeoData struct {
	Code                       string                `json:"code" xml:"code,attr"`
	ContinentCode              string                `json:"continent_code" xml:"continent_code,attr"`
	Country                    string                `json:"country" xml:"country,attr"`
	City                       string                `json:"city" xml:"city,attr"`
	EuropeanUnionMember        bool                  `json:"european_union_member" xml:"european_union_member,attr"`
	TimeZone                   string                `json:"time_zone" xml:"time_zone,attr"`
	PostalCode                 components.FlexString `json:"postal_code" xml:"postal_code,attr"`
	InPrivacyRestrictedCountry bool                  `json:"in_privacy_restricted_country" xml:"in_privacy_restricted_country,attr"`
	InPrivacyRestrictedRegion  bool                  `json:"in_privacy_restricted_region" xml:"in_privacy_restricted_region,attr"`
	Subdivisions               string                `json:"subdivisions" xml:"subdivisions,attr"`
	Coordinates                string                `json:"coordinates" xml:"coordinates,attr"`
}

// Pin is a plex.tv PIN: a code a user approves in a browser (strong PINs)
// or types at plex.tv/link (4-character PINs). AuthToken is set once the
// PIN has been approved.
type Pin struct {
	ID               int64     `json:"id" xml:"id,attr"`
	Code             string    `json:"code" xml:"code,attr"`
	Product          string    `json:"product" xml:"product,attr"`
	Trusted          bool      `json:"trusted" xml:"trusted,attr"`
	QR               string    `json:"qr" xml:"qr,attr"`
	ClientIdentifier string    `json:"clientIdentifier" xml:"clientIdentifier,attr"`
	Location         *GeoData  `json:"location" xml:"location"`
	ExpiresIn        int       `json:"expiresIn" xml:"expiresIn,attr"`
	CreatedAt        time.Time `json:"createdAt" xml:"createdAt,attr"`
	ExpiresAt        time.Time `json:"expiresAt" xml:"expiresAt,attr"`
	AuthToken        *string   `json:"authToken" xml:"authToken,attr,omitempty"`
	NewRegistration  *bool     `json:"newRegistration" xml:"newRegistration,attr,omitempty"`
}

// Approved reports whether the PIN carries a token.
func (p *Pin) Approved() bool { return p != nil && p.AuthToken != nil && *p.AuthToken != "" }

// String never shows the token.
func (p Pin) String() string {
	state := "pending"
	if p.Approved() {
		state = "approved"
	}
	return "Pin{ID:" + strconv.FormatInt(p.ID, 10) + " Code:" + p.Code + " ExpiresAt:" + p.ExpiresAt.Format(time.RFC3339) + " " + state + "}"
}

// CreatePinRequest is the input of CreatePin.
type CreatePinRequest struct {
	// Strong asks for a long code with a longer life, for the browser
	// flow. A 4-character code (Strong false) is for plex.tv/link.
	Strong bool
	// JWK, when set, registers this device key with the PIN (JWT device
	// authentication); the approved PIN then yields a Plex JWT.
	JWK *JWK
}

// CreatePinResponse is the answer of CreatePin.
type CreatePinResponse struct {
	HTTPMeta
	// Pin is the new PIN.
	Pin *Pin
}

// GetPinResponse is the answer of GetPin.
type GetPinResponse struct {
	HTTPMeta
	// Pin is the PIN's current state.
	Pin *Pin
}

// LinkPinResponse is the answer of LinkPin.
type LinkPinResponse struct {
	HTTPMeta
}

// GetResourcesRequest selects which connections plex.tv lists.
type GetResourcesRequest struct {
	IncludeHTTPS bool
	IncludeRelay bool
	IncludeIPv6  bool
}

// ResourceConnection is a Connection of a Resource (GetResources).
type ResourceConnection = Connection

// Resource is a device on the account: a server (owned, shared or in the
// Plex Home) or a client. AccessToken is the token to use with it.
type Resource struct {
	Name                   string               `json:"name" xml:"name,attr"`
	Product                string               `json:"product" xml:"product,attr"`
	ProductVersion         string               `json:"productVersion" xml:"productVersion,attr"`
	Platform               string               `json:"platform" xml:"platform,attr"`
	PlatformVersion        string               `json:"platformVersion" xml:"platformVersion,attr"`
	Device                 string               `json:"device" xml:"device,attr"`
	ClientIdentifier       string               `json:"clientIdentifier" xml:"clientIdentifier,attr"`
	CreatedAt              time.Time            `json:"createdAt" xml:"createdAt,attr"`
	LastSeenAt             time.Time            `json:"lastSeenAt" xml:"lastSeenAt,attr"`
	Provides               string               `json:"provides" xml:"provides,attr"`
	OwnerID                *int64               `json:"ownerId" xml:"ownerId,attr,omitempty"`
	SourceTitle            *string              `json:"sourceTitle" xml:"sourceTitle,attr,omitempty"`
	PublicAddress          string               `json:"publicAddress" xml:"publicAddress,attr"`
	AccessToken            string               `json:"accessToken" xml:"accessToken,attr"`
	Owned                  bool                 `json:"owned" xml:"owned,attr"`
	Home                   bool                 `json:"home" xml:"home,attr"`
	Synced                 bool                 `json:"synced" xml:"synced,attr"`
	Relay                  bool                 `json:"relay" xml:"relay,attr"`
	Presence               bool                 `json:"presence" xml:"presence,attr"`
	HTTPSRequired          bool                 `json:"httpsRequired" xml:"httpsRequired,attr"`
	PublicAddressMatches   bool                 `json:"publicAddressMatches" xml:"publicAddressMatches,attr"`
	DNSRebindingProtection bool                 `json:"dnsRebindingProtection" xml:"dnsRebindingProtection,attr"`
	NATLoopbackSupported   bool                 `json:"natLoopbackSupported" xml:"natLoopbackSupported,attr"`
	Connections            []ResourceConnection `json:"connections" xml:"connections>connection"`
}

// HasProvides reports whether the comma-separated Provides list has role
// (e.g. "server", "player").
func (r *Resource) HasProvides(role string) bool {
	return hasProvides(r.Provides, role)
}

// String identifies the resource without its token.
func (r Resource) String() string {
	return "Resource{Name:" + r.Name + " ClientIdentifier:" + r.ClientIdentifier + " Provides:" + r.Provides + " AccessToken:REDACTED}"
}

// GoString identifies the resource without its token.
func (r Resource) GoString() string { return r.String() }

// GetResourcesResponse is the answer of GetResources.
type GetResourcesResponse struct {
	HTTPMeta
	// Resources are the account's devices.
	Resources []Resource
}

// HomeMember is who a member of a Plex Home is, as both the member lists
// (HomeUser) and a v1 switch (SwitchedHomeUser) describe it. It is
// decoded as part of those types, which accept plex.tv's loose JSON for
// its fields.
type HomeMember struct {
	ID    int64  `json:"id" xml:"id,attr"`
	UUID  string `json:"uuid" xml:"uuid,attr"`
	Title string `json:"title" xml:"title,attr"`
	// Username and Email are empty for a managed user (plex.tv sends null
	// or ""): Title is its name.
	Username   string `json:"username" xml:"username,attr"`
	Email      string `json:"email" xml:"email,attr"`
	Thumb      string `json:"thumb" xml:"thumb,attr"`
	Restricted bool   `json:"restricted" xml:"restricted,attr"`
	Protected  bool   `json:"protected" xml:"protected,attr"`
	Admin      bool   `json:"admin" xml:"admin,attr"`
	Guest      bool   `json:"guest" xml:"guest,attr"`
	Home       bool   `json:"home" xml:"home,attr"`
}

// HomeUser is a member of a Plex Home.
type HomeUser struct {
	HomeMember
	HasPassword bool `json:"hasPassword" xml:"hasPassword,attr"`
}

// Home is a Plex Home and its members (Users is empty in GetHome's
// answer).
type Home struct {
	ID            int64      `json:"id" xml:"id,attr"`
	Name          string     `json:"name" xml:"name,attr"`
	GuestUserID   int64      `json:"guestUserID" xml:"guestUserID,attr"`
	GuestUserUUID string     `json:"guestUserUUID" xml:"guestUserUUID,attr"`
	GuestEnabled  bool       `json:"guestEnabled" xml:"guestEnabled,attr"`
	Subscription  bool       `json:"subscription" xml:"subscription,attr"`
	Users         []HomeUser `json:"users" xml:"users>user"`
}

// GetHomeUsersResponse is the answer of GetHomeUsers.
type GetHomeUsersResponse struct {
	HTTPMeta
	// Home is the Plex Home with its users.
	Home *Home
}

// SwitchHomeUserResponse is the answer of SwitchHomeUser.
type SwitchHomeUserResponse struct {
	HTTPMeta
	// UserPlexAccount is the account switched to, with its AuthToken.
	UserPlexAccount *components.UserPlexAccount
}

// hasProvides reports whether the comma-separated Provides list has role.
func hasProvides(provides, role string) bool {
	for p := range strings.SplitSeq(provides, ",") {
		if strings.TrimSpace(p) == role {
			return true
		}
	}
	return false
}
