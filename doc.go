// Package plexgo is a Go client for Plex authentication: plex.tv sign-in,
// token details, PINs, resources and Plex Home, JWT device authentication,
// who a server is shared with (friends, shares and their sections), the
// account's devices and claim tokens, and the Plex Media Server's
// transient tokens, source connection information and own plex.tv
// account (claiming).
//
// Create a client with [New] and call the operations on its sections
// ([PlexAPI.Authentication], [PlexAPI.Plex], [PlexAPI.Server]):
//
//	s := plexgo.New(
//		plexgo.WithSecurity(token),
//		plexgo.WithXPlexClientIdentifier(clientID),
//	)
//	res, err := s.Authentication.GetTokenDetails(ctx)
//
// A PlexAPI is safe for concurrent use by many goroutines. [PlexAPI.With]
// derives an independent client, for another user's token or another
// server's URL.
//
// # Tokens
//
// The token is sent in the X-Plex-Token header, never in the URL, and
// never appears in errors, logs, or the fmt output of the clients, options
// and models that hold one. [WithSecurity] sets a fixed token; [WithSecuritySource] asks a
// function on every request, which is how rotating Plex JWTs plug in (see
// auth.JWTSource). Per call, operations.WithToken sends another token, such
// as a server's access token.
//
// Every installation needs one stable client identifier
// ([WithXPlexClientIdentifier]); plex.tv lists it as a device in the
// user's Authorized Devices. Package auth creates and keeps it, and
// implements the login flows (PIN, password with two-factor
// authentication, JWT device keys) on top of this package.
//
// # Responses
//
// Answers are decoded from JSON or XML according to their Content-Type.
// Enumerations are open (unknown values are kept, never an error), fields
// have the wire's types, and every body is read through a size limit
// ([WithMaxResponseBytes]) and closed. Any 2xx status is success.
//
// # Errors
//
// Failed calls return errors from package sdkerrors: the documented
// per-operation types (such as *sdkerrors.GetTokenDetailsUnauthorized) and
// *sdkerrors.SDKError, all embedding *sdkerrors.APIError with the HTTP
// status, the plex.tv error codes and Retry-After. Match them with
// errors.Is against the sentinels (sdkerrors.ErrUnauthorized,
// ErrVerificationCodeRequired, ErrSignInLocked, ErrRateLimited, …) or with
// errors.As. A Plex Media Server's HTML 401 page maps to the same types.
//
// # Retries
//
// Idempotent calls are retried on connection errors, 429 and 5xx with
// exponential backoff and full jitter, honouring Retry-After up to a cap
// and stopping as soon as the context ends ([WithRetryConfig], package
// retry). Sign-in, the JWT token exchange and Plex Home switching are never
// retried automatically: repeating them locks the client out or burns a
// single-use value.
//
// # Testing
//
// Package plextest runs a fake plex.tv and Plex Media Server on loopback;
// point a client at it with [WithPlexTVURL] and [WithServerURL]. The
// examples of this package run against it.
package plexgo
