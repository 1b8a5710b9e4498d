package plexgo

// ClientIdentifier returns the X-Plex-Client-Identifier the client sends
// (see WithXPlexClientIdentifier), or "" when none was configured (or p is
// nil). It is not a secret, but tokens are bound to it: flows that obtain
// a token (package auth) use it by default.
func (p *PlexAPI) ClientIdentifier() string {
	if p == nil || p.wire == nil {
		return ""
	}
	return p.wire.Header.Get("X-Plex-Client-Identifier")
}

// PlexTVURL returns the base of the plex.tv API the client uses (see
// WithPlexTVURL; DefaultPlexTVURL unless configured), without a trailing
// slash; "" for a nil client.
func (p *PlexAPI) PlexTVURL() string {
	if p == nil || p.wire == nil {
		return ""
	}
	return p.wire.PlexTVURL
}

// ServerURL returns the base URL of the Plex Media Server the client talks
// to (see WithServerURL; built from the protocol, IP and port options
// otherwise); "" for a nil client or one not made with New.
func (p *PlexAPI) ServerURL() string {
	if p == nil || p.wire == nil {
		return ""
	}
	return p.wire.PMSURL
}
