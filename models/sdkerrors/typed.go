package sdkerrors

import "net/http"

// SDKError is the error for any failed HTTP answer that has no more
// specific type. It embeds [APIError], so Op, StatusCode, Errors, Message,
// RetryAfter and RawResponse are available, and errors.Is matches the
// package sentinels.
type SDKError struct{ APIError }

// GetTransientTokenBadRequest is returned by GetTransientToken for HTTP 400.
type GetTransientTokenBadRequest struct{ APIError }

// GetTransientTokenUnauthorized is returned by GetTransientToken for HTTP
// 401 (JSON, XML or the HTML page a real server sends).
type GetTransientTokenUnauthorized struct{ APIError }

// GetSourceConnectionInformationBadRequest is returned by
// GetSourceConnectionInformation for HTTP 400.
type GetSourceConnectionInformationBadRequest struct{ APIError }

// GetSourceConnectionInformationUnauthorized is returned by
// GetSourceConnectionInformation for HTTP 401.
type GetSourceConnectionInformationUnauthorized struct{ APIError }

// GetTokenDetailsBadRequest is returned by GetTokenDetails for HTTP 400.
type GetTokenDetailsBadRequest struct{ APIError }

// GetTokenDetailsUnauthorized is returned by GetTokenDetails for HTTP 401:
// the token is invalid or revoked.
type GetTokenDetailsUnauthorized struct{ APIError }

// PostUsersSignInDataBadRequest is returned by PostUsersSignInData for HTTP
// 400.
type PostUsersSignInDataBadRequest struct{ APIError }

// PostUsersSignInDataUnauthorized is returned by PostUsersSignInData for
// HTTP 401: wrong credentials (1001), a verification code required (1029)
// or wrong (1028), or a lock-out (1031).
type PostUsersSignInDataUnauthorized struct{ APIError }

// SwitchHomeUserV1Forbidden is returned by SwitchHomeUserV1 for HTTP 403:
// the user is PIN-protected and the PIN was missing or wrong (plex.tv
// code 1041, matched by ErrInvalidPIN), or the caller may not switch.
type SwitchHomeUserV1Forbidden struct{ APIError }

// Typed wraps e in the documented per-operation type for its operation and
// status (400 and 401 of the four documented operations, 403 of
// SwitchHomeUserV1; see typedErrors), or in *SDKError.
func Typed(e *APIError) error {
	if wrap, ok := typedErrors[opStatus{e.Op, e.StatusCode}]; ok {
		return wrap(*e)
	}
	return &SDKError{*e}
}

// opStatus is an operation id and an HTTP status.
type opStatus struct {
	op     string
	status int
}

// typedErrors wraps an APIError of an operation and status in its
// documented type. Read only.
var typedErrors = map[opStatus]func(APIError) error{
	{"getTransientToken", http.StatusBadRequest}:                func(e APIError) error { return &GetTransientTokenBadRequest{e} },
	{"getTransientToken", http.StatusUnauthorized}:              func(e APIError) error { return &GetTransientTokenUnauthorized{e} },
	{"getSourceConnectionInformation", http.StatusBadRequest}:   func(e APIError) error { return &GetSourceConnectionInformationBadRequest{e} },
	{"getSourceConnectionInformation", http.StatusUnauthorized}: func(e APIError) error { return &GetSourceConnectionInformationUnauthorized{e} },
	{"getTokenDetails", http.StatusBadRequest}:                  func(e APIError) error { return &GetTokenDetailsBadRequest{e} },
	{"getTokenDetails", http.StatusUnauthorized}:                func(e APIError) error { return &GetTokenDetailsUnauthorized{e} },
	{"post-users-sign-in-data", http.StatusBadRequest}:          func(e APIError) error { return &PostUsersSignInDataBadRequest{e} },
	{"post-users-sign-in-data", http.StatusUnauthorized}:        func(e APIError) error { return &PostUsersSignInDataUnauthorized{e} },
	{"switchHomeUserV1", http.StatusForbidden}:                  func(e APIError) error { return &SwitchHomeUserV1Forbidden{e} },
}
