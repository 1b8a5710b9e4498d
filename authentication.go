package plexgo

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/plexkit/plexgo/internal/wire"
	"github.com/plexkit/plexgo/models/operations"
)

// Authentication groups the token operations: the four documented ones
// plus Ping, SignOut and JWT device authentication.
type Authentication section

// GetTransientToken asks the Plex Media Server for a temporary token with
// the same access as the caller's token. It is valid for up to 48 hours and
// dies when the server restarts.
//
// Plex API: POST {pms}/security/token?type=delegation&scope=all
// (operation "getTransientToken").
//
// Errors: *sdkerrors.GetTransientTokenBadRequest (400),
// *sdkerrors.GetTransientTokenUnauthorized (401, also for the HTML page a
// real server sends), *sdkerrors.SDKError otherwise.
func (s *Authentication) GetTransientToken(ctx context.Context, type_ operations.GetTransientTokenQueryParamType, scope operations.Scope, opts ...operations.Option) (*operations.GetTransientTokenResponse, error) {
	res, mc := alloc[operations.GetTransientTokenResponse, operations.GetTransientTokenMediaContainer]()
	res.MediaContainer = mc
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, &wire.Call{
		Op: "getTransientToken", Method: http.MethodPost, Host: wire.PMS, Path: "security/token",
		Query: url.Values{"type": {string(type_)}, "scope": {string(scope)}},
		Auth:  wire.WithToken, Retryable: true, Out: mc, Container: true,
	})
}

// GetSourceConnectionInformation returns a token and the connections for a
// source the server knows, such as another server ("server://<machine
// id>") or a cloud provider. It needs an admin token or a transient token
// made from one.
//
// Plex API: GET {pms}/security/resources?source=… (operation
// "getSourceConnectionInformation").
//
// Errors: *sdkerrors.GetSourceConnectionInformationBadRequest (400),
// *sdkerrors.GetSourceConnectionInformationUnauthorized (401),
// *sdkerrors.SDKError otherwise (403 for a token without admin access).
func (s *Authentication) GetSourceConnectionInformation(ctx context.Context, source string, opts ...operations.Option) (*operations.GetSourceConnectionInformationResponse, error) {
	res, mc := alloc[operations.GetSourceConnectionInformationResponse, operations.GetSourceConnectionInformationMediaContainer]()
	res.MediaContainer = mc
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, &wire.Call{
		Op: "getSourceConnectionInformation", Method: http.MethodGet, Host: wire.PMS, Path: "security/resources",
		Query: url.Values{"source": {source}}, Auth: wire.WithToken, Retryable: true, Out: mc, Container: true,
	})
}

// GetTokenDetails returns the plex.tv account the token belongs to. It is
// also how to validate a token: a 401 (errors.Is(err,
// sdkerrors.ErrUnauthorized)) means the token is invalid; any other error
// says nothing about the token.
//
// Plex API: GET https://plex.tv/api/v2/user (operation "getTokenDetails").
//
// Errors: *sdkerrors.GetTokenDetailsBadRequest (400),
// *sdkerrors.GetTokenDetailsUnauthorized (401), *sdkerrors.SDKError
// otherwise.
func (s *Authentication) GetTokenDetails(ctx context.Context, opts ...operations.Option) (*operations.GetTokenDetailsResponse, error) {
	res, acct := alloc[operations.GetTokenDetailsResponse, operations.GetTokenDetailsUserPlexAccount]()
	res.UserPlexAccount = acct
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, tokenCall("getTokenDetails", http.MethodGet, wire.PlexTV, "api/v2/user", acct))
}

// PostUsersSignInData signs in with a login (e-mail or username) and
// password, plus the 2FA verification code when the account has one, and
// returns the account with its token. xPlexClientIdentifier, when not nil,
// replaces the configured client identifier for this call.
//
// It is never retried automatically: repeated sign-in attempts make
// plex.tv lock the client out (code 1031). When plex.tv answers 429 with a
// Retry-After, or 1031 (for its Retry-After, or retry.LockoutCoolDown, 30
// seconds, without one), this client remembers it: until the wait is
// over, further sign-ins fail at once with the same error (RetryAfter
// holding the time left, Attempts 0) and send nothing. No wait lasts more
// than retry.RetryAfterLimit (an hour), whatever the server says.
//
// Plex API: POST https://plex.tv/api/v2/users/signin, form-encoded
// (operation "post-users-sign-in-data").
//
// Errors: *sdkerrors.PostUsersSignInDataUnauthorized (401) matching
// sdkerrors.ErrBadCredentials, ErrVerificationCodeRequired,
// ErrInvalidVerificationCode or ErrSignInLocked;
// *sdkerrors.PostUsersSignInDataBadRequest (400); *sdkerrors.SDKError
// matching ErrRateLimited (429) and others.
func (s *Authentication) PostUsersSignInData(ctx context.Context, xPlexClientIdentifier *string, requestBody *operations.PostUsersSignInDataRequestBody, opts ...operations.Option) (*operations.PostUsersSignInDataResponse, error) {
	res, acct := alloc[operations.PostUsersSignInDataResponse, operations.PostUsersSignInDataUserPlexAccount]()
	res.UserPlexAccount = acct
	call := &wire.Call{
		Op: "post-users-sign-in-data", Method: http.MethodPost, Host: wire.PlexTV, Path: "api/v2/users/signin",
		Form: signInForm(requestBody), Auth: wire.NoToken, Retryable: false, CoolDown: true, Out: acct,
	}
	if xPlexClientIdentifier != nil {
		call.ClientID = *xPlexClientIdentifier
	}
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, call)
}

// Ping tells plex.tv the token is still in use, which keeps it alive.
//
// Plex API: GET https://plex.tv/api/v2/ping (operation "ping").
func (s *Authentication) Ping(ctx context.Context, opts ...operations.Option) (*operations.PingResponse, error) {
	res := &operations.PingResponse{}
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, tokenCall("ping", http.MethodGet, wire.PlexTV, "api/v2/ping", nil))
}

// SignOut revokes the token on plex.tv (this device only; the account's
// other devices stay signed in).
//
// Plex API: DELETE https://plex.tv/api/v2/users/signout (operation
// "signOut").
func (s *Authentication) SignOut(ctx context.Context, opts ...operations.Option) (*operations.SignOutResponse, error) {
	res := &operations.SignOutResponse{}
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, tokenCall("signOut", http.MethodDelete, wire.PlexTV, "api/v2/users/signout", nil))
}

// RegisterDeviceKey registers this device's Ed25519 public key with
// plex.tv, authenticated by the current token. A key already registered by
// another device fails with sdkerrors.ErrUnprocessable.
//
// Plex API: POST https://clients.plex.tv/api/v2/auth/jwk (operation
// "registerDeviceKey").
func (s *Authentication) RegisterDeviceKey(ctx context.Context, jwk operations.JWK, opts ...operations.Option) (*operations.RegisterDeviceKeyResponse, error) {
	res := &operations.RegisterDeviceKeyResponse{}
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, &wire.Call{
		Op: "registerDeviceKey", Method: http.MethodPost, Host: wire.ClientsPlexTV, Path: "api/v2/auth/jwk",
		JSON: struct {
			JWK operations.JWK `json:"jwk"`
		}{jwk},
		Auth: wire.WithToken, Retryable: true,
	})
}

// GetNonce returns a single-use nonce (valid about five minutes) to put in
// a device JWT. plex.tv rate-limits it.
//
// Plex API: GET https://clients.plex.tv/api/v2/auth/nonce (operation
// "getNonce").
func (s *Authentication) GetNonce(ctx context.Context, opts ...operations.Option) (*operations.GetNonceResponse, error) {
	res := &operations.GetNonceResponse{}
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, &wire.Call{Op: "getNonce", Method: http.MethodGet,
		Host: wire.ClientsPlexTV, Path: "api/v2/auth/nonce", Auth: wire.NoToken, Retryable: true, Out: res})
}

// ExchangeDeviceJWT trades a device-signed JWT (with a fresh nonce) for a
// Plex JWT. Never retried automatically: the nonce is single use.
//
// Plex API: POST https://clients.plex.tv/api/v2/auth/token (operation
// "exchangeDeviceJWT").
//
// Errors match sdkerrors.ErrUnprocessable (bad signature or nonce) and
// ErrTokenExpired (498).
func (s *Authentication) ExchangeDeviceJWT(ctx context.Context, deviceJWT string, opts ...operations.Option) (*operations.ExchangeDeviceJWTResponse, error) {
	res := &operations.ExchangeDeviceJWTResponse{}
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, &wire.Call{
		Op: "exchangeDeviceJWT", Method: http.MethodPost, Host: wire.ClientsPlexTV, Path: "api/v2/auth/token",
		JSON: struct {
			JWT string `json:"jwt"`
		}{deviceJWT},
		Auth: wire.NoToken, Retryable: false, Out: res,
	})
}

// GetPublicKeys returns plex.tv's current JWT signing keys. plex.tv rotates
// them: verify a Plex JWT against every key, and fetch again on an unknown
// key id.
//
// Plex API: GET https://clients.plex.tv/api/v2/auth/keys (operation
// "getPublicKeys").
func (s *Authentication) GetPublicKeys(ctx context.Context, opts ...operations.Option) (*operations.GetPublicKeysResponse, error) {
	res := &operations.GetPublicKeysResponse{}
	return send(ctx, (*section)(s), opts, res, &res.HTTPMeta, &wire.Call{Op: "getPublicKeys", Method: http.MethodGet,
		Host: wire.ClientsPlexTV, Path: "api/v2/auth/keys", Auth: wire.NoToken, Retryable: true, Out: res})
}

// signInForm is the form body of PostUsersSignInData (empty for a nil body).
func signInForm(b *operations.PostUsersSignInDataRequestBody) url.Values {
	form := url.Values{}
	if b != nil {
		form.Set("login", b.Login)
		form.Set("password", b.Password)
		form.Set("rememberMe", strconv.FormatBool(b.RememberMe != nil && *b.RememberMe))
		if b.VerificationCode != nil {
			form.Set("verificationCode", *b.VerificationCode)
		}
	}
	return form
}
