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
// status (400 and 401 of the four documented operations, 403 of SwitchHomeUserV1), or in *SDKError.
func Typed(e *APIError) error {
	switch e.StatusCode {
	case http.StatusBadRequest:
		switch e.Op {
		case "getTransientToken":
			return &GetTransientTokenBadRequest{*e}
		case "getSourceConnectionInformation":
			return &GetSourceConnectionInformationBadRequest{*e}
		case "getTokenDetails":
			return &GetTokenDetailsBadRequest{*e}
		case "post-users-sign-in-data":
			return &PostUsersSignInDataBadRequest{*e}
		}
	case http.StatusForbidden:
		if e.Op == "switchHomeUserV1" {
			return &SwitchHomeUserV1Forbidden{*e}
		}
	case http.StatusUnauthorized:
		switch e.Op {
		case "getTransientToken":
			return &GetTransientTokenUnauthorized{*e}
		case "getSourceConnectionInformation":
			return &GetSourceConnectionInformationUnauthorized{*e}
		case "getTokenDetails":
			return &GetTokenDetailsUnauthorized{*e}
		case "post-users-sign-in-data":
			return &PostUsersSignInDataUnauthorized{*e}
		}
	}
	return &SDKError{*e}
}
