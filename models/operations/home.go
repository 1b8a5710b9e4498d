package operations

import (
	"encoding/json"
	"encoding/xml"
)

// UnmarshalJSON reads both the v2 form (true/false) and the v1 form (0/1
// flags, ids as strings) of a Home member.
func (u *HomeUser) UnmarshalJSON(data []byte) error { return homeUserJSON.decode(data, u) }

// GetHomeResponse is the answer of GetHome.
type GetHomeResponse struct {
	HTTPMeta
	// Home is the caller's Plex Home (without its users: see GetHomeUsers).
	Home *Home
}

// GetHomeUsersV1Response is the answer of GetHomeUsersV1.
type GetHomeUsersV1Response struct {
	HTTPMeta
	// Users are the members of the caller's Plex Home.
	Users []HomeUser
}

// SwitchedHomeUser is the Plex Home user a v1 switch returned, with that
// user's token. AuthenticationToken is a secret: it never appears in fmt
// or slog output.
type SwitchedHomeUser struct {
	HomeMember
	// AuthenticationToken is the switched-to user's plex.tv token. Secret.
	AuthenticationToken string `json:"authenticationToken" xml:"authenticationToken,attr"`
}

// UnmarshalJSON tolerates 0/1 flags and takes the token from
// authenticationToken or authToken.
func (u *SwitchedHomeUser) UnmarshalJSON(data []byte) error {
	if err := switchedHomeUserJSON.decode(data, u); err != nil {
		return err
	}
	var alt struct {
		AuthToken string `json:"authToken"`
	}
	if err := json.Unmarshal(data, &alt); err != nil {
		return err
	}
	if u.AuthenticationToken == "" {
		u.AuthenticationToken = alt.AuthToken
	}
	return nil
}

// UnmarshalXML reads the <user> element; older answers carry the token in
// an <authentication-token> child instead of the attribute.
func (u *SwitchedHomeUser) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	type plain SwitchedHomeUser
	aux := struct {
		*plain
		Element string `xml:"authentication-token"`
	}{plain: (*plain)(u)}
	if err := d.DecodeElement(&aux, &start); err != nil {
		return err
	}
	if u.AuthenticationToken == "" {
		u.AuthenticationToken = aux.Element
	}
	return nil
}

// SwitchHomeUserV1Response is the answer of SwitchHomeUserV1.
type SwitchHomeUserV1Response struct {
	HTTPMeta
	// User is the user switched to, with its token.
	User *SwitchedHomeUser
}

// GetToken returns the switched-to user's token, or "".
func (r *SwitchHomeUserV1Response) GetToken() string {
	if r == nil || r.User == nil {
		return ""
	}
	return r.User.AuthenticationToken
}
