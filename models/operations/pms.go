package operations

// MyPlexSignInState is whether a Plex Media Server is signed in to
// plex.tv (claimed). Open enum.
type MyPlexSignInState string

// Known sign-in states.
const (
	MyPlexSignInStateOK   MyPlexSignInState = "ok"
	MyPlexSignInStateNone MyPlexSignInState = "none"
)

// IsKnown reports whether the value is one of the constants above.
func (s MyPlexSignInState) IsKnown() bool {
	return s == MyPlexSignInStateOK || s == MyPlexSignInStateNone
}

// MyPlexMappingState is the state of a server's remote-access port
// mapping, such as "mapped". Open enum.
type MyPlexMappingState string

// Known mapping states.
const (
	MyPlexMappingStateMapped   MyPlexMappingState = "mapped"
	MyPlexMappingStateUnmapped MyPlexMappingState = "unmapped"
)

// IsKnown reports whether the value is one of the constants above.
func (s MyPlexMappingState) IsKnown() bool {
	return s == MyPlexMappingStateMapped || s == MyPlexMappingStateUnmapped
}

// MyPlexAccount is a Plex Media Server's own plex.tv account: who claimed
// it, its sign-in and remote-access state. AuthToken is the server's
// plex.tv token, a secret: it never appears in fmt or slog output.
type MyPlexAccount struct {
	// AuthToken is the server's plex.tv token. Secret.
	AuthToken      string             `json:"authToken" xml:"authToken,attr"`
	Username       string             `json:"username" xml:"username,attr"`
	MappingState   MyPlexMappingState `json:"mappingState" xml:"mappingState,attr"`
	MappingError   string             `json:"mappingError" xml:"mappingError,attr"`
	SignInState    MyPlexSignInState  `json:"signInState" xml:"signInState,attr"`
	PublicAddress  string             `json:"publicAddress" xml:"publicAddress,attr"`
	PublicPort     int                `json:"publicPort" xml:"publicPort,attr"`
	PrivateAddress string             `json:"privateAddress" xml:"privateAddress,attr"`
	PrivatePort    int                `json:"privatePort" xml:"privatePort,attr"`
	// SubscriptionFeatures is a comma-separated list of the owner's
	// features.
	SubscriptionFeatures string `json:"subscriptionFeatures" xml:"subscriptionFeatures,attr"`
	SubscriptionActive   bool   `json:"subscriptionActive" xml:"subscriptionActive,attr"`
	SubscriptionState    string `json:"subscriptionState" xml:"subscriptionState,attr"`
}

// UnmarshalJSON tolerates ports as floats or strings and 0/1 flags.
func (a *MyPlexAccount) UnmarshalJSON(data []byte) error { return myPlexAccountJSON.decode(data, a) }

// SignedIn reports whether the server is signed in to plex.tv.
func (a *MyPlexAccount) SignedIn() bool { return a != nil && a.SignInState == MyPlexSignInStateOK }

// GetMyPlexAccountResponse is the answer of GetMyPlexAccount.
type GetMyPlexAccountResponse struct {
	HTTPMeta
	// MyPlex is the server's plex.tv account.
	MyPlex *MyPlexAccount
}

// ClaimServerResponse is the answer of ClaimServer.
type ClaimServerResponse struct {
	HTTPMeta
	// MyPlex is the server's plex.tv account after the claim, when the
	// server answered with it (nil for an empty answer).
	MyPlex *MyPlexAccount
}

// UnclaimServerResponse is the answer of UnclaimServer.
type UnclaimServerResponse struct {
	HTTPMeta
}

// SystemAccount is one of a Plex Media Server's system accounts (the
// owner, shared users and Home members that used it).
type SystemAccount struct {
	ID                      int64  `json:"id" xml:"id,attr"`
	Key                     string `json:"key" xml:"key,attr"`
	Name                    string `json:"name" xml:"name,attr"`
	DefaultAudioLanguage    string `json:"defaultAudioLanguage" xml:"defaultAudioLanguage,attr"`
	AutoSelectAudio         bool   `json:"autoSelectAudio" xml:"autoSelectAudio,attr"`
	DefaultSubtitleLanguage string `json:"defaultSubtitleLanguage" xml:"defaultSubtitleLanguage,attr"`
	SubtitleMode            int    `json:"subtitleMode" xml:"subtitleMode,attr"`
	Thumb                   string `json:"thumb" xml:"thumb,attr"`
}

// UnmarshalJSON tolerates 0/1 flags and numbers as strings.
func (a *SystemAccount) UnmarshalJSON(data []byte) error { return systemAccountJSON.decode(data, a) }

// GetAccountsResponse is the answer of GetAccounts.
type GetAccountsResponse struct {
	HTTPMeta
	// Accounts are the server's system accounts.
	Accounts []SystemAccount
}

// SystemDevice is a client device a Plex Media Server has seen.
type SystemDevice struct {
	ID               int64  `json:"id" xml:"id,attr"`
	Name             string `json:"name" xml:"name,attr"`
	Platform         string `json:"platform" xml:"platform,attr"`
	ClientIdentifier string `json:"clientIdentifier" xml:"clientIdentifier,attr"`
	// CreatedAt is in Unix seconds.
	CreatedAt int64 `json:"createdAt" xml:"createdAt,attr"`
}

// UnmarshalJSON tolerates numbers as strings.
func (d *SystemDevice) UnmarshalJSON(data []byte) error { return systemDeviceJSON.decode(data, d) }

// GetSystemDevicesResponse is the answer of GetSystemDevices.
type GetSystemDevicesResponse struct {
	HTTPMeta
	// Devices are the server's system devices.
	Devices []SystemDevice
}

// LibrarySectionType is the kind of a library section. Open enum.
type LibrarySectionType string

// Known library section types.
const (
	LibrarySectionTypeMovie  LibrarySectionType = "movie"
	LibrarySectionTypeShow   LibrarySectionType = "show"
	LibrarySectionTypeArtist LibrarySectionType = "artist"
	LibrarySectionTypePhoto  LibrarySectionType = "photo"
)

// IsKnown reports whether the value is one of the constants above.
func (t LibrarySectionType) IsKnown() bool {
	switch t {
	case LibrarySectionTypeMovie, LibrarySectionTypeShow, LibrarySectionTypeArtist, LibrarySectionTypePhoto:
		return true
	}
	return false
}

// LibrarySectionLocation is a folder of a library section.
type LibrarySectionLocation struct {
	ID   int64  `json:"id" xml:"id,attr"`
	Path string `json:"path" xml:"path,attr"`
}

// LibrarySection is one of a Plex Media Server's libraries.
type LibrarySection struct {
	// Key is the section's id on the server (what shares name).
	Key        string             `json:"key" xml:"key,attr"`
	Title      string             `json:"title" xml:"title,attr"`
	Type       LibrarySectionType `json:"type" xml:"type,attr"`
	UUID       string             `json:"uuid" xml:"uuid,attr"`
	Agent      string             `json:"agent" xml:"agent,attr"`
	Scanner    string             `json:"scanner" xml:"scanner,attr"`
	Language   string             `json:"language" xml:"language,attr"`
	Thumb      string             `json:"thumb" xml:"thumb,attr"`
	Art        string             `json:"art" xml:"art,attr"`
	Refreshing bool               `json:"refreshing" xml:"refreshing,attr"`
	AllowSync  bool               `json:"allowSync" xml:"allowSync,attr"`
	Hidden     bool               `json:"hidden" xml:"hidden,attr"`
	// CreatedAt, UpdatedAt and ScannedAt are Unix seconds.
	CreatedAt int64                    `json:"createdAt" xml:"createdAt,attr"`
	UpdatedAt int64                    `json:"updatedAt" xml:"updatedAt,attr"`
	ScannedAt int64                    `json:"scannedAt" xml:"scannedAt,attr"`
	Locations []LibrarySectionLocation `json:"Location" xml:"Location"`
}

// UnmarshalJSON tolerates a numeric key, 0/1 flags and numbers as strings.
func (l *LibrarySection) UnmarshalJSON(data []byte) error { return librarySectionJSON.decode(data, l) }

// GetLibrarySectionsResponse is the answer of GetLibrarySections.
type GetLibrarySectionsResponse struct {
	HTTPMeta
	// Sections are the server's libraries.
	Sections []LibrarySection
}
