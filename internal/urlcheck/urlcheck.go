// Package urlcheck is plexgo's one validator for configured base URLs
// (plex.tv, a Plex Media Server, the auth app, a connection URI).
package urlcheck

import (
	"errors"
	"net/url"
	"strings"
)

// Errors returned by [HTTP]. They name no part of the URL, so that an
// error never shows a secret the URL may hold.
var (
	// ErrNotHTTP means the URL does not parse, is not absolute, has a
	// scheme other than http or https, or has no host.
	ErrNotHTTP = errors.New("need an absolute http(s) URL")
	// ErrUserinfo means the URL carries credentials (user:password@).
	ErrUserinfo = errors.New("credentials in the URL are not allowed")
)

// HTTP parses raw and checks that it is an absolute http or https URL
// with a host and without userinfo. The scheme is compared without regard
// to case. It returns the parsed URL, or ErrNotHTTP or ErrUserinfo.
func HTTP(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, ErrNotHTTP
	}
	if s := strings.ToLower(u.Scheme); (s != "http" && s != "https") || u.Host == "" {
		return nil, ErrNotHTTP
	}
	if u.User != nil {
		return nil, ErrUserinfo
	}
	return u, nil
}

// Valid reports whether [HTTP] accepts raw.
func Valid(raw string) bool {
	_, err := HTTP(raw)
	return err == nil
}
