package operations

import (
	"github.com/plexkit/plexgo/models/components"
)

// GetTransientTokenQueryParamType is the kind of transient token. Only
// "delegation" exists.
type GetTransientTokenQueryParamType string

// GetTransientTokenQueryParamTypeDelegation asks for a delegation token.
const GetTransientTokenQueryParamTypeDelegation GetTransientTokenQueryParamType = "delegation"

// ToPointer returns a pointer to the value.
func (e GetTransientTokenQueryParamType) ToPointer() *GetTransientTokenQueryParamType { return &e }

// Scope is the scope of a transient token. Only "all" exists.
type Scope string

// ScopeAll gives the transient token the caller's full access.
const ScopeAll Scope = "all"

// ToPointer returns a pointer to the value.
func (e Scope) ToPointer() *Scope { return &e }

// GetTransientTokenRequest is the query of GET /security/token.
type GetTransientTokenRequest struct {
	Type  GetTransientTokenQueryParamType
	Scope Scope
}

// GetTransientTokenMediaContainer is the body of a transient-token answer.
type GetTransientTokenMediaContainer struct {
	Size  int    `json:"size" xml:"size,attr"`
	Token string `json:"token" xml:"token,attr"`
}

// String never shows the token.
func (m GetTransientTokenMediaContainer) String() string {
	return "GetTransientTokenMediaContainer{Token:REDACTED}"
}

// GoString never shows the token.
func (m GetTransientTokenMediaContainer) GoString() string { return m.String() }

// GetTransientTokenResponse is the answer of GetTransientToken.
type GetTransientTokenResponse struct {
	HTTPMeta
	// MediaContainer holds the transient token.
	MediaContainer *GetTransientTokenMediaContainer
}

// GetToken returns the transient token, or "".
func (r *GetTransientTokenResponse) GetToken() string {
	if r == nil || r.MediaContainer == nil {
		return ""
	}
	return r.MediaContainer.Token
}

// GetSourceConnectionInformationRequest is the query of GET
// /security/resources.
type GetSourceConnectionInformationRequest struct {
	// Source is the source identifier with its prefix, e.g.
	// "server://<machineIdentifier>" or "provider://<id>".
	Source string
}

// Connection is one way to reach a device or a resource, as plex.tv and
// the Plex Media Server describe it.
type Connection struct {
	Protocol string `json:"protocol" xml:"protocol,attr"`
	Address  string `json:"address" xml:"address,attr"`
	Port     int    `json:"port" xml:"port,attr"`
	URI      string `json:"uri" xml:"uri,attr"`
	Local    bool   `json:"local" xml:"local,attr"`
	Relay    bool   `json:"relay" xml:"relay,attr"`
	IPv6     bool   `json:"IPv6" xml:"IPv6,attr"`
}

// DeviceConnection is a Connection of a source's Device
// (GetSourceConnectionInformation).
type DeviceConnection = Connection

// Device is a source's connection information: a token to use with it and
// where it can be reached.
type Device struct {
	Name             string             `json:"name" xml:"name,attr"`
	ClientIdentifier string             `json:"clientIdentifier" xml:"clientIdentifier,attr"`
	AccessToken      string             `json:"accessToken" xml:"accessToken,attr"`
	Connections      []DeviceConnection `json:"Connection" xml:"Connection"`
}

// String identifies the device without its token.
func (d Device) String() string {
	return "Device{Name:" + d.Name + " ClientIdentifier:" + d.ClientIdentifier + " AccessToken:REDACTED}"
}

// GoString identifies the device without its token.
func (d Device) GoString() string { return d.String() }

// GetSourceConnectionInformationMediaContainer is the body of a source
// connection information answer.
type GetSourceConnectionInformationMediaContainer struct {
	Size   int     `json:"size" xml:"size,attr"`
	Device *Device `json:"Device" xml:"Device"`
}

// GetSourceConnectionInformationResponse is the answer of
// GetSourceConnectionInformation.
type GetSourceConnectionInformationResponse struct {
	HTTPMeta
	// MediaContainer holds the source's Device.
	MediaContainer *GetSourceConnectionInformationMediaContainer
}

// GetDevice returns the source's device, or nil.
func (r *GetSourceConnectionInformationResponse) GetDevice() *Device {
	if r == nil || r.MediaContainer == nil {
		return nil
	}
	return r.MediaContainer.Device
}

// GetTokenDetailsUserPlexAccount is the account GetTokenDetails returns.
type GetTokenDetailsUserPlexAccount = components.UserPlexAccount

// GetTokenDetailsResponse is the answer of GetTokenDetails.
type GetTokenDetailsResponse struct {
	HTTPMeta
	// UserPlexAccount is the account the token belongs to.
	UserPlexAccount *GetTokenDetailsUserPlexAccount
}

// PostUsersSignInDataRequestBody holds the sign-in credentials. It never
// prints the password or verification code.
type PostUsersSignInDataRequestBody struct {
	// Login is the account's e-mail address or username.
	Login string
	// Password is the account password.
	Password string
	// RememberMe asks for a longer-lived session (false when nil).
	RememberMe *bool
	// VerificationCode is the two-factor authentication code, when the
	// account has 2FA.
	VerificationCode *string
}

// String shows the login only.
func (b PostUsersSignInDataRequestBody) String() string {
	return "PostUsersSignInDataRequestBody{Login:" + b.Login + " Password:REDACTED}"
}

// GoString shows the login only.
func (b PostUsersSignInDataRequestBody) GoString() string { return b.String() }

// PostUsersSignInDataUserPlexAccount is the account a sign-in returns.
type PostUsersSignInDataUserPlexAccount = components.UserPlexAccount

// PostUsersSignInDataResponse is the answer of PostUsersSignInData.
type PostUsersSignInDataResponse struct {
	HTTPMeta
	// UserPlexAccount is the signed-in account, with its AuthToken.
	UserPlexAccount *PostUsersSignInDataUserPlexAccount
}

// PingResponse is the answer of Ping.
type PingResponse struct {
	HTTPMeta
}

// SignOutResponse is the answer of SignOut.
type SignOutResponse struct {
	HTTPMeta
}
