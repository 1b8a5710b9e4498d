package operations

import (
	"log/slog"
	"strconv"
)

// The responses below hold secrets in their elements. A slog handler
// resolves a LogValuer only at the top of a value (a JSON handler would
// marshal a slice of elements with their tokens), so these responses log
// themselves as a group whose elements are resolved one by one.

// logged is the slog form of these responses: their HTTP metadata as the
// group "http", then a.
func logged(m HTTPMeta, a slog.Attr) slog.Value {
	return slog.GroupValue(slog.Group("http", slog.Int("statusCode", m.StatusCode), slog.String("contentType", m.ContentType)), a)
}

// list logs xs as a group of its elements, keyed by index.
func list[T slog.LogValuer](key string, xs []T) slog.Attr {
	attrs := make([]slog.Attr, len(xs))
	for i, x := range xs {
		attrs[i] = slog.Any(strconv.Itoa(i), x)
	}
	return slog.Attr{Key: key, Value: slog.GroupValue(attrs...)}
}

// one logs the element p points to (nothing for nil).
func one[T slog.LogValuer](key string, p *T) slog.Attr {
	if p == nil {
		return slog.Attr{Key: key, Value: slog.GroupValue()}
	}
	return slog.Any(key, *p)
}

// LogValue implements slog.LogValuer: the shares are logged with their
// tokens redacted.
func (r GetSharedServersResponse) LogValue() slog.Value {
	return logged(r.HTTPMeta, list("sharedServers", r.SharedServers))
}

// LogValue implements slog.LogValuer: the share is logged with its token
// redacted.
func (r GetSharedServerResponse) LogValue() slog.Value {
	return logged(r.HTTPMeta, one("sharedServer", r.SharedServer))
}

// LogValue implements slog.LogValuer: the devices are logged with their
// tokens redacted.
func (r GetDevicesResponse) LogValue() slog.Value {
	return logged(r.HTTPMeta, list("devices", r.Devices))
}

// LogValue implements slog.LogValuer: the claim token is redacted.
func (r GetClaimTokenResponse) LogValue() slog.Value {
	return logged(r.HTTPMeta, one("claimToken", r.ClaimToken))
}

// LogValue implements slog.LogValuer: the user's token is redacted.
func (r SwitchHomeUserV1Response) LogValue() slog.Value {
	return logged(r.HTTPMeta, one("user", r.User))
}

// LogValue implements slog.LogValuer: the server's token is redacted.
func (r GetMyPlexAccountResponse) LogValue() slog.Value {
	return logged(r.HTTPMeta, one("myPlex", r.MyPlex))
}

// LogValue implements slog.LogValuer: the server's token is redacted.
func (r ClaimServerResponse) LogValue() slog.Value {
	return logged(r.HTTPMeta, one("myPlex", r.MyPlex))
}

var _ = []slog.LogValuer{GetSharedServersResponse{}, GetSharedServerResponse{}, GetDevicesResponse{},
	GetClaimTokenResponse{}, SwitchHomeUserV1Response{}, GetMyPlexAccountResponse{}, ClaimServerResponse{}}
