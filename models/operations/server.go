package operations

// Identity is a Plex Media Server's identity (GET /identity, no token).
type Identity struct {
	Size              int    `json:"size" xml:"size,attr"`
	Claimed           bool   `json:"claimed" xml:"claimed,attr"`
	MachineIdentifier string `json:"machineIdentifier" xml:"machineIdentifier,attr"`
	Version           string `json:"version" xml:"version,attr"`
}

// GetIdentityResponse is the answer of GetIdentity.
type GetIdentityResponse struct {
	HTTPMeta
	// MediaContainer is the server's identity.
	MediaContainer *Identity
}

// ServerInfo is what a Plex Media Server says about itself at GET /: its
// Identity (the answer of GET /identity) and more.
type ServerInfo struct {
	Identity
	FriendlyName      string `json:"friendlyName" xml:"friendlyName,attr"`
	Platform          string `json:"platform" xml:"platform,attr"`
	PlatformVersion   string `json:"platformVersion" xml:"platformVersion,attr"`
	MyPlex            bool   `json:"myPlex" xml:"myPlex,attr"`
	MyPlexSigninState string `json:"myPlexSigninState" xml:"myPlexSigninState,attr"`
	MyPlexUsername    string `json:"myPlexUsername" xml:"myPlexUsername,attr"`
	// OwnerFeatures is a comma-separated list of the owner's features.
	OwnerFeatures string `json:"ownerFeatures" xml:"ownerFeatures,attr"`
}

// GetServerInfoResponse is the answer of GetServerInfo.
type GetServerInfoResponse struct {
	HTTPMeta
	// MediaContainer is the server's description.
	MediaContainer *ServerInfo
}
