// Package servers finds the Plex Media Servers an account can use, picks
// the best way to reach one, and does the server-side token chores:
// transient tokens, source connection information and share URLs. (Plex
// Home user switching is a token flow: it is in package auth.)
//
// # Discovery
//
// [Discover] lists the account's servers from plex.tv (GET
// /api/v2/resources with HTTPS, relay and IPv6 connections included), each
// with its own access token and every known connection. [Find] picks one
// by name or machine identifier.
//
// # Connecting
//
// A server usually has several connections: LAN addresses, a public
// address, a relay. [Connect] probes all of them at once with GET
// /identity (which needs no token), checks that each answer carries the
// expected machine identifier, and returns the best-ranked one that works:
// every secure (https) connection before every plain-http one, and local
// before remote before relay within each. It does not wait for every
// probe: it returns as soon as no better-ranked candidate can still
// answer, or a short grace period ([ConnectOptions.Grace]) after the
// first success, then cancels the remaining probes and waits for them to
// stop. A plain-http answer waits longer ([ConnectOptions.InsecureGrace])
// for a secure candidate still being probed. A dead or silent address
// never costs its full timeout once a good one has answered.
//
// The result carries a client ([ConnectResult.Client]) pointed at the
// chosen URI that uses the server's own access token; the plex.tv token
// is never sent to a server address.
//
// # What the connection policy protects against, and what it does not
//
// The machine identifier in GET /identity is public: anyone who has seen
// the server's resources, or the server itself, can copy it. Matching it
// only weeds out stale addresses now used by another Plex server; it
// proves nothing about who answers.
//
// What does prove it is TLS: an https connection is used only if the SDK's
// HTTP client verified its certificate (Plex's *.plex.direct certificates
// are publicly trusted), so a machine that answers an https address
// without the server's certificate fails its probe and never sees a token.
//
// Plain http proves nothing: whoever answers the address, or sits on the
// path, gets every request, the server's token included. The policy
// ([ConnectOptions.Secure], after Plex's "Secure connections" setting):
//
//   - [SecurePreferred] (the default) uses plain http only when no secure
//     connection answered (within InsecureGrace of the plain-http answer),
//     and only to loopback, private or link-local IP addresses, which
//     plex.tv's "local" flag does not decide: the address does. An attacker
//     on the same LAN who can answer such an address while none of the
//     server's https connections is reachable can still receive the
//     server's token. Set [SecureRequired] where that matters.
//   - [SecureRequired] never uses plain http.
//   - [ConnectOptions.AllowInsecurePublic] is the explicit opt-in for plain
//     http to any other address (public IPs, host names).
//
// [TransientToken], [SourceInfo] and the other calls that send the
// server's token refuse ([ErrInsecureConnection]) plain http to an
// address that is not loopback or private unless the result allows it
// ([ConnectResult.InsecureAllowed]). [ShareURL] only builds a URL: a
// plain-http base puts the token on the wire for whoever plays it.
//
// # Secrets
//
// [Server] and [ConnectResult] never print their tokens (String, GoString
// and their JSON forms leave them out). [ShareURL] puts a token into a URL
// because that is where Plex players expect it: treat its result as a
// secret.
package servers
