// Package servers finds the Plex Media Servers an account can use, picks
// the best way to reach one, and does the server-side token chores:
// transient tokens, source connection information, share URLs and Plex
// Home user switching.
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
// /identity (which needs no token), checks that each answer comes from the
// expected machine, and returns the best-ranked one that works: local
// before remote before relay, https before http within each. It does not
// wait for every probe: it returns as soon as no better-ranked candidate
// can still answer, or a short grace period ([ConnectOptions.Grace]) after
// the first success, then cancels the remaining probes and waits for them
// to stop. A dead or silent address never costs its full timeout once a
// good one has answered.
//
// The result carries a client ([ConnectResult.Client]) pointed at the
// chosen URI that uses the server's own access token. Tokens only go where
// they belong: the plex.tv token is never sent to a server address, and a
// server's token is only sent to a connection that proved it is that
// server.
//
// # Secrets
//
// [Server] and [ConnectResult] never print their tokens (String, GoString
// and their JSON forms leave them out). [ShareURL] puts a token into a URL
// because that is where Plex players expect it: treat its result as a
// secret.
package servers
