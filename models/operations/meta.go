package operations

import "net/http"

// HTTPMeta describes the HTTP answer a response was decoded from. Every
// response type embeds it, so its fields read as res.StatusCode,
// res.ContentType and res.RawResponse. The transport fills it on success;
// it is never encoded to or decoded from a body.
type HTTPMeta struct {
	// ContentType is the HTTP Content-Type of the response.
	ContentType string `json:"-" xml:"-"`
	// StatusCode is the HTTP status of the response.
	StatusCode int `json:"-" xml:"-"`
	// RawResponse is the HTTP response; its body has been read and closed,
	// and RawResponse.Body reads the same bytes again. The token in
	// RawResponse.Request's header is replaced by REDACTED.
	RawResponse *http.Response `json:"-" xml:"-"`
}
