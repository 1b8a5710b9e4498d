package operations

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// AccountDeviceConnection is an address a device (a server) announced.
type AccountDeviceConnection struct {
	URI string `json:"uri" xml:"uri,attr"`
}

// AccountDevice is a device signed in to the caller's account: every app
// installation (client identifier) that signed in, linked a PIN or
// exchanged a JWT, and the account's servers. Token is the device's token,
// a secret: it never appears in fmt or slog output.
type AccountDevice struct {
	ID               int64  `json:"id" xml:"id,attr"`
	Name             string `json:"name" xml:"name,attr"`
	PublicAddress    string `json:"publicAddress" xml:"publicAddress,attr"`
	Product          string `json:"product" xml:"product,attr"`
	ProductVersion   string `json:"productVersion" xml:"productVersion,attr"`
	Platform         string `json:"platform" xml:"platform,attr"`
	PlatformVersion  string `json:"platformVersion" xml:"platformVersion,attr"`
	Device           string `json:"device" xml:"device,attr"`
	Model            string `json:"model" xml:"model,attr"`
	Vendor           string `json:"vendor" xml:"vendor,attr"`
	Provides         string `json:"provides" xml:"provides,attr"`
	ClientIdentifier string `json:"clientIdentifier" xml:"clientIdentifier,attr"`
	Version          string `json:"version" xml:"version,attr"`
	// Token is the device's token for the account. Secret.
	Token string `json:"token" xml:"token,attr"`
	// CreatedAt and LastSeenAt are Unix seconds.
	CreatedAt        int64                     `json:"createdAt" xml:"createdAt,attr"`
	LastSeenAt       int64                     `json:"lastSeenAt" xml:"lastSeenAt,attr"`
	ScreenResolution string                    `json:"screenResolution" xml:"screenResolution,attr"`
	ScreenDensity    string                    `json:"screenDensity" xml:"screenDensity,attr"`
	Connections      []AccountDeviceConnection `json:"Connection" xml:"Connection"`
}

// UnmarshalJSON tolerates numbers sent as strings.
func (d *AccountDevice) UnmarshalJSON(data []byte) error { return accountDeviceJSON.decode(data, d) }

// HasProvides reports whether the comma-separated Provides list has role
// (e.g. "server", "client").
func (d *AccountDevice) HasProvides(role string) bool {
	return hasProvides(d.Provides, role)
}

// LastSeenTime returns LastSeenAt as a time (zero when unset).
func (d *AccountDevice) LastSeenTime() time.Time { return unixSeconds(d.LastSeenAt) }

// CreatedTime returns CreatedAt as a time (zero when unset).
func (d *AccountDevice) CreatedTime() time.Time { return unixSeconds(d.CreatedAt) }

func unixSeconds(s int64) time.Time {
	if s <= 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// GetDevicesResponse is the answer of GetDevices.
type GetDevicesResponse struct {
	HTTPMeta
	// Devices are the account's devices.
	Devices []AccountDevice
}

// DeleteDeviceResponse is the answer of DeleteDevice.
type DeleteDeviceResponse struct {
	HTTPMeta
}

// ClaimToken is a single-use token (valid a few minutes) that claims a
// new Plex Media Server for the account that created it (see
// Server.ClaimServer). Secret: it never appears in fmt or slog output.
type ClaimToken struct {
	Token string `json:"token" xml:"token,attr"`
}

// GetClaimTokenResponse is the answer of GetClaimToken.
type GetClaimTokenResponse struct {
	HTTPMeta
	// ClaimToken holds the new claim token.
	ClaimToken *ClaimToken
}

// GetToken returns the claim token, or "".
func (r *GetClaimTokenResponse) GetToken() string {
	if r == nil || r.ClaimToken == nil {
		return ""
	}
	return r.ClaimToken.Token
}

// Pong is plex.tv's answer to a ping: true when the token is valid (and
// its life was extended). plex.tv writes it as the text of an XML element
// (<pong>true</pong>) or, in JSON, as a boolean or {"pong": true}.
type Pong bool

// UnmarshalJSON accepts true/false, "true"/"false", 0/1 and {"pong": …}.
func (p *Pong) UnmarshalJSON(data []byte) error {
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		var obj struct {
			Pong flexBool `json:"pong"`
		}
		if err := json.Unmarshal(t, &obj); err != nil {
			return err
		}
		*p = Pong(obj.Pong)
		return nil
	}
	var b flexBool
	if err := b.UnmarshalJSON(data); err != nil {
		return err
	}
	*p = Pong(b)
	return nil
}

// UnmarshalXML reads the element's text; an element without text falls
// back to a pong attribute (<pong pong="1"/>).
func (p *Pong) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var el struct {
		Text string `xml:",chardata"`
		Attr string `xml:"pong,attr"`
	}
	if err := d.DecodeElement(&el, &start); err != nil {
		return err
	}
	v := strings.TrimSpace(el.Text)
	if v == "" {
		v = strings.TrimSpace(el.Attr)
	}
	if v == "" {
		*p = false
		return nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return fmt.Errorf("operations: ping answer %.20q is not a boolean", v)
	}
	*p = Pong(b)
	return nil
}

// PlexPingResponse is the answer of Plex.Ping.
type PlexPingResponse struct {
	HTTPMeta
	// Pong is plex.tv's answer.
	Pong Pong
}
