package weblogin

import (
	"net/url"
	"strings"
)

// maxReturnTo bounds the length of a return_to path.
const maxReturnTo = 2048

// safeReturnTo returns p when it is a relative path on this origin, else
// "/". Refused: anything with a scheme or host, "//host", backslashes
// (browsers read "/\host" as "//host"), control characters and
// over-long values.
func safeReturnTo(p string) string {
	if !validReturnTo(p) {
		return "/"
	}
	return p
}

func validReturnTo(p string) bool {
	if p == "" || len(p) > maxReturnTo || p[0] != '/' || hasControl(p) {
		return false
	}
	if strings.HasPrefix(p, "//") || strings.ContainsRune(p, '\\') {
		return false
	}
	for _, r := range p {
		if r == '\u2028' || r == '\u2029' || r == '\ufffd' {
			return false
		}
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return false
	}
	// A path that decodes to "//…" or "/\…" is refused too.
	if dec, err := url.PathUnescape(u.Path); err != nil || strings.HasPrefix(dec, "//") || strings.HasPrefix(dec, "/\\") {
		return false
	}
	return true
}
