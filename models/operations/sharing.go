package operations

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"

	"github.com/plexkit/plexgo/internal/xmlattr"
)

// SharingSettings are what a share allows (sync, camera upload, channels,
// tuners, subtitle admin) and its content filters, as both a SharedUser
// and a SharedServer carry them. It is decoded as part of those types,
// which accept plex.tv's 0/1 flags for its fields.
type SharingSettings struct {
	AllowSync          bool        `json:"allowSync" xml:"allowSync,attr"`
	AllowCameraUpload  bool        `json:"allowCameraUpload" xml:"allowCameraUpload,attr"`
	AllowChannels      bool        `json:"allowChannels" xml:"allowChannels,attr"`
	AllowTuners        TunerAccess `json:"allowTuners" xml:"allowTuners,attr"`
	AllowSubtitleAdmin bool        `json:"allowSubtitleAdmin" xml:"allowSubtitleAdmin,attr"`
	FilterAll          string      `json:"filterAll" xml:"filterAll,attr"`
	FilterMovies       string      `json:"filterMovies" xml:"filterMovies,attr"`
	FilterMusic        string      `json:"filterMusic" xml:"filterMusic,attr"`
	FilterPhotos       string      `json:"filterPhotos" xml:"filterPhotos,attr"`
	FilterTelevision   string      `json:"filterTelevision" xml:"filterTelevision,attr"`
}

// TunerAccess is what a share allows of the server's tuners: plex.tv sends
// 0 (none), 1 (Live TV) or 2 (Live TV and DVR). Open enum: any other
// number decodes as itself.
type TunerAccess int

// Known tuner access levels.
const (
	TunerAccessNone         TunerAccess = 0
	TunerAccessLiveTV       TunerAccess = 1
	TunerAccessLiveTVAndDVR TunerAccess = 2
)

// IsKnown reports whether the value is one of the constants above.
func (t TunerAccess) IsKnown() bool { return t >= TunerAccessNone && t <= TunerAccessLiveTVAndDVR }

// Allowed reports whether the share allows Live TV at all.
func (t TunerAccess) Allowed() bool { return t != TunerAccessNone }

// UnmarshalJSON accepts a number, a numeric string, true/false (1/0),
// null and "" (0).
func (t *TunerAccess) UnmarshalJSON(data []byte) error {
	return t.parse(strings.Trim(string(bytes.TrimSpace(data)), `"`))
}

// UnmarshalXMLAttr accepts what UnmarshalJSON accepts, as an attribute.
func (t *TunerAccess) UnmarshalXMLAttr(attr xml.Attr) error { return t.parse(attr.Value) }

func (t *TunerAccess) parse(s string) error {
	switch s = strings.ToLower(strings.TrimSpace(s)); s {
	case "", "null", "false":
		*t = TunerAccessNone
		return nil
	case "true":
		*t = TunerAccessLiveTV
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("operations: allowTuners %.20q is not a number", s)
	}
	*t = TunerAccess(n)
	return nil
}

// SharedUser is a friend or shared user of the caller's account, from the
// v1 users list: the people the caller's servers are shared with (and the
// Home members), each with the servers involved.
type SharedUser struct {
	ID         int64  `json:"id" xml:"id,attr"`
	UUID       string `json:"uuid" xml:"uuid,attr"`
	Username   string `json:"username" xml:"username,attr"`
	Email      string `json:"email" xml:"email,attr"`
	Title      string `json:"title" xml:"title,attr"`
	Thumb      string `json:"thumb" xml:"thumb,attr"`
	Home       bool   `json:"home" xml:"home,attr"`
	Restricted bool   `json:"restricted" xml:"restricted,attr"`
	Protected  bool   `json:"protected" xml:"protected,attr"`
	SharingSettings
	RecommendationsPlaylistID string `json:"recommendationsPlaylistId" xml:"recommendationsPlaylistId,attr"`
	// Servers are the caller's servers shared with this user.
	Servers []SharedUserServer `json:"Server" xml:"Server"`
}

// UnmarshalJSON reads the v1 JSON form, whose flags are 0/1 numbers and
// whose nulls stand for empty strings.
func (u *SharedUser) UnmarshalJSON(data []byte) error { return sharedUserJSON.decode(data, u) }

// SharedUserServer is one of the caller's servers as shared with a
// SharedUser.
type SharedUserServer struct {
	// ID is the share's id (the id of GetSharedServer).
	ID int64 `json:"id" xml:"id,attr"`
	// ServerID is plex.tv's id of the server.
	ServerID          int64  `json:"serverId" xml:"serverId,attr"`
	MachineIdentifier string `json:"machineIdentifier" xml:"machineIdentifier,attr"`
	Name              string `json:"name" xml:"name,attr"`
	Home              bool   `json:"home" xml:"home,attr"`
	AllLibraries      bool   `json:"allLibraries" xml:"allLibraries,attr"`
	Owned             bool   `json:"owned" xml:"owned,attr"`
	// Pending is true while the user has not accepted the invitation.
	Pending      bool `json:"pending" xml:"pending,attr"`
	NumLibraries int  `json:"numLibraries" xml:"numLibraries,attr"`
	// LastSeenAt is in Unix seconds (0 when never seen).
	LastSeenAt int64 `json:"lastSeenAt" xml:"lastSeenAt,attr"`
}

// UnmarshalJSON reads the v1 JSON form (0/1 flags, numbers possibly as
// strings).
func (s *SharedUserServer) UnmarshalJSON(data []byte) error {
	return sharedUserServerJSON.decode(data, s)
}

// GetUsersResponse is the answer of GetUsers.
type GetUsersResponse struct {
	HTTPMeta
	// Users are the caller's friends and shared users.
	Users []SharedUser
}

// FriendStatus is the state of a friendship. Open enum.
type FriendStatus string

// Known friendship states.
const (
	FriendStatusAccepted FriendStatus = "accepted"
)

// IsKnown reports whether the value is one of the constants above.
func (s FriendStatus) IsKnown() bool { return s == FriendStatusAccepted }

// FriendServer is a server named in a Friend's shares.
type FriendServer struct {
	ID                int64  `json:"id" xml:"id,attr"`
	MachineIdentifier string `json:"machineIdentifier" xml:"machineIdentifier,attr"`
	Name              string `json:"name" xml:"name,attr"`
}

// UnmarshalJSON tolerates an id sent as a string.
func (s *FriendServer) UnmarshalJSON(data []byte) error { return friendServerJSON.decode(data, s) }

// Friend is one of the caller's plex.tv friends (v2 friends list).
type Friend struct {
	ID       int64  `json:"id" xml:"id,attr"`
	UUID     string `json:"uuid" xml:"uuid,attr"`
	Username string `json:"username" xml:"username,attr"`
	Title    string `json:"title" xml:"title,attr"`
	Email    string `json:"email" xml:"email,attr"`
	// FriendlyName is nil when plex.tv sends null.
	FriendlyName *string      `json:"friendlyName" xml:"friendlyName,attr,omitempty"`
	Thumb        string       `json:"thumb" xml:"thumb,attr"`
	Home         bool         `json:"home" xml:"home,attr"`
	Restricted   bool         `json:"restricted" xml:"restricted,attr"`
	Status       FriendStatus `json:"status" xml:"status,attr"`
	// SharedServers are the servers shared with this friend, as far as
	// plex.tv lists them here.
	SharedServers []FriendServer `json:"sharedServers" xml:"sharedServers>sharedServer"`
}

// UnmarshalJSON tolerates 0/1 flags and ids as strings.
func (f *Friend) UnmarshalJSON(data []byte) error { return friendJSON.decode(data, f) }

// UnmarshalXML decodes a <friend> element; an empty friendlyName (plex.tv
// writes a null as an empty attribute) leaves FriendlyName nil, as in the
// JSON form.
func (f *Friend) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	type plain Friend
	return xmlattr.Decode(d, start, (*plain)(f))
}

// GetFriendsResponse is the answer of GetFriends.
type GetFriendsResponse struct {
	HTTPMeta
	// Friends are the caller's friends.
	Friends []Friend
}

// SharedSection is a library section of a shared server, and whether the
// share includes it.
type SharedSection struct {
	ID     int64  `json:"id" xml:"id,attr"`
	Key    string `json:"key" xml:"key,attr"`
	Title  string `json:"title" xml:"title,attr"`
	Type   string `json:"type" xml:"type,attr"`
	Shared bool   `json:"shared" xml:"shared,attr"`
}

// UnmarshalJSON tolerates 0/1 flags and numbers as strings.
func (s *SharedSection) UnmarshalJSON(data []byte) error { return sharedSectionJSON.decode(data, s) }

// rawString returns a JSON string's value, or a number's text ("" for
// null or anything else).
func rawString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// SharedServer is one share of a server: the user it is shared with, the
// access token that user's apps use with the server, and the sections.
// AccessToken is a secret: it never appears in fmt or slog output.
type SharedServer struct {
	// ID is the share's id.
	ID int64 `json:"id" xml:"id,attr"`
	// UserID is the plex.tv account the server is shared with.
	UserID   int64  `json:"userID" xml:"userID,attr"`
	Username string `json:"username" xml:"username,attr"`
	Email    string `json:"email" xml:"email,attr"`
	// Name is the server's name.
	Name string `json:"name" xml:"name,attr"`
	// AccessToken is the share's token for the server. Secret.
	AccessToken string `json:"accessToken" xml:"accessToken,attr"`
	// InvitedAt and AcceptedAt are Unix seconds; AcceptedAt is 0 while the
	// invitation is pending.
	InvitedAt    int64 `json:"invitedAt" xml:"invitedAt,attr"`
	AcceptedAt   int64 `json:"acceptedAt" xml:"acceptedAt,attr"`
	Pending      bool  `json:"pending" xml:"pending,attr"`
	Owned        bool  `json:"owned" xml:"owned,attr"`
	AllLibraries bool  `json:"allLibraries" xml:"allLibraries,attr"`
	SharingSettings
	// Sections are the server's library sections, each with Shared set
	// when the share includes it.
	Sections []SharedSection `json:"Section" xml:"Section"`
}

// UnmarshalJSON tolerates 0/1 flags and numbers as strings.
func (s *SharedServer) UnmarshalJSON(data []byte) error { return sharedServerJSON.decode(data, s) }

// GetSharedServersResponse is the answer of GetSharedServers.
type GetSharedServersResponse struct {
	HTTPMeta
	// SharedServers are the server's shares.
	SharedServers []SharedServer
}

// GetSharedServerResponse is the answer of GetSharedServer.
type GetSharedServerResponse struct {
	HTTPMeta
	// SharedServer is the share with its sections.
	SharedServer *SharedServer
}
