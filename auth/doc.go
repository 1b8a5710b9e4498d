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
//
// # JWT device authentication
//
// A device keeps an Ed25519 key pair ([DeviceKey]) and registers the
// public half with plex.tv, either with an existing token
// ([RegisterDevice]) or while creating a PIN ([LoginWithPINJWT]). From then
// on it can obtain a Plex JWT at any time, even after the previous one
// expired, by signing a short-lived "device JWT" over a single-use nonce
// ([ExchangeJWT]). Plex JWTs are signed by plex.tv with keys it publishes
// and rotates; [JWTVerifier] checks them. [JWTSource] keeps a Plex JWT
// fresh for an SDK client, and [Session] uses one for a stored JWT login.
//
// Plex JWTs are for plex.tv only. A Plex Media Server still wants the
// server's own access token from the resources list.
//
// # Plex Home
//
// [HomeUsers] lists the members of the caller's Plex Home and
// [SwitchHomeUser] trades a member's token for another member's, asking for
// that member's Home PIN only when it has one.
//
// # Options
//
// Every flow and constructor that can be configured takes one options
// struct by value as its last argument ([PINOptions], [PasswordOptions],
// [SessionOptions], [JWTSourceOptions], [JWTVerifierOptions],
// [JWTExchangeOptions], [FileStoreOptions], [KeyringOptions]). The zero
// value of each works and means the documented defaults; an option lives
// on the struct of the only call it affects (the verifier that
// [ExchangeJWT] shares is JWTExchangeOptions.Verifier, the clock skew a
// verifier tolerates is JWTVerifierOptions.Leeway). Required inputs are
// plain arguments, and so are the one or two knobs of the calls that have
// nothing else to configure (KeepAlive's interval and onError,
// SwitchHomeUser's askPIN).
//
// # Secrets
//
// Every type of this package that holds a secret (Credentials, DeviceKey,
// LoginResult, PasswordOptions, JWTSourceOptions, JWTSource, MemoryStore,
// Session) prints it redacted under every fmt verb (fmt.Formatter) and
// under log/slog (slog.LogValuer); each type's methods sit next to it.
// JWTSource, MemoryStore and Session hold a mutex and are used through
// pointers only; their methods have pointer receivers and read none of the
// guarded state, so formatting one never blocks.
//
// # Files
//
// One concern per file: login*.go (LoginResult, the PIN and password
// flows), token.go (validation, keep-alive, sign-out), session.go
// (Session), home.go (Plex Home), credentials.go and store*.go (what is
// stored and where: file, memory, OS keyring), privatefile.go (0600 file
// writes shared by the stores and the identity), identity.go and appdir.go
// (the device), jwt*.go (keys, verification, exchange, the JWT login,
// JWTSource).
package auth
