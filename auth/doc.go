// Package auth handles plex.tv authentication state: where tokens are kept
// and which device the application presents itself as.
//
// # Tokens
//
// A successful login yields [Credentials], which are kept in a [TokenStore]
// under a named profile ([DefaultProfile] unless the application manages
// several accounts). [FileStore] persists all profiles in one JSON file
// (credentials.json in [DefaultDir] by default) with mode 0600 inside a 0700
// directory, written atomically, and refuses to read a file that other users
// could read or modify. [MemoryStore] is an in-memory implementation for
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
