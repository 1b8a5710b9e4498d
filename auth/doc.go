// Package auth handles plex.tv authentication: the login flows that get a
// token, checking and keeping tokens alive, where tokens are kept, and
// which device the application presents itself as.
//
// # Logging in
//
// [LoginWithPIN] is the recommended login. It creates a plex.tv PIN and
// hands the application a [PINPrompt]: a URL of the Plex auth app to open
// in a browser (a strong PIN), or a 4-character code to type at
// plex.tv/link (PINOptions.Short). It then polls plex.tv, once a second by
// default, until the user approves the PIN, the PIN expires
// ([ErrPINExpired]) or the context ends. The password never passes
// through the application.
//
// [LoginWithPassword] signs in with a login and password. When the account
// has two-factor authentication, plex.tv asks for a verification code and
// PasswordOptions.AskCode is called for it (again, with wrong set, after a
// wrong code, up to PasswordOptions.MaxCodeAttempts codes). Each sign-in
// request is sent once and never retried automatically: repeated failures
// make plex.tv lock the client out. Errors match the sign-in sentinels of
// package sdkerrors with errors.Is (ErrBadCredentials,
// ErrVerificationCodeRequired, ErrInvalidVerificationCode, ErrSignInLocked,
// ErrRateLimited); for the last two, the wait plex.tv asked for is in
// (*sdkerrors.APIError).RetryAfter.
//
// Both return a [LoginResult]; [LoginResult.Credentials] turns it into
// [Credentials] for a [TokenStore]. A LoginResult never prints its token.
//
// # Checking and keeping tokens
//
// [ValidateToken] answers with a [Validity]: ValidityValid (plex.tv
// returned the account), ValidityInvalid (plex.tv said 401: log in again)
// or ValidityUnknown with an error (a server or network failure, a captive
// portal's page…). Never discard a token on an unknown result.
//
// [KeepAlive] pings plex.tv with a token at an interval until its context
// ends, and stops early when the token is revoked. [SignOut] revokes a
// token on plex.tv; [Logout] does that for a stored profile and deletes its
// credentials.
//
// # Tokens
//
// A successful login yields [Credentials], which are kept in a [TokenStore]
// under a named profile ([DefaultProfile] unless the application manages
// several accounts). [FileStore] persists all profiles in one JSON file
// (credentials.json in the directory the application chooses, usually
// [AppDir]) with mode 0600 inside a 0700 directory, written atomically
// under an OS file lock (safe across processes), and refuses to read a
// file that other users could read or modify. [MemoryStore] is an in-memory implementation for
// tests and short-lived programs.
//
// Credentials never print their secrets: the fmt verbs, String, GoString and
// slog output all redact the token and the device key (see [RedactToken]).
// Their JSON encoding, which the stores need, does contain the secrets.
//
// # Device identity
//
// Every install of a Plex application needs its own client identifier
// (X-Plex-Client-Identifier). plex.tv lists each identifier as a separate
// entry in the user's Authorized Devices, so it must be generated once,
// randomly, and reused forever: never derived from a MAC address, never a
// constant shared between installs. [LoadOrCreateIdentity] creates it on first
// use and keeps it in identity.json next to the credentials.
package auth
