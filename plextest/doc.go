// Package plextest is an in-process fake of plex.tv and of Plex Media
// Servers (PMS) for tests of Plex clients.
//
// NewServer starts two kinds of loopback listeners on random ports: one for
// the plex.tv API (it also serves the clients.plex.tv paths, which are the
// same), and one or more per fake PMS. It stops them when the test ends:
//
//	func TestMyClient(t *testing.T) {
//		fake := plextest.NewServer(t)
//		c := myclient.New(myclient.WithBaseURL(fake.PlexTVURL))
//		tok, err := c.SignIn(ctx, plextest.DefaultLogin, plextest.DefaultPassword)
//		...
//	}
//
// Use New and Close outside tests. Nothing is global: every Server has its
// own state, so tests may run in parallel.
//
// # Seeded data
//
// Every Server starts with:
//
//   - "alice" (DefaultLogin / DefaultPassword): Plex Pass, owner of the
//     default server, admin of a Plex Home.
//   - "bob" (TwoFactorLogin / TwoFactorPassword): a free account with
//     two-factor authentication. The fake accepts the fixed code
//     TwoFactorCode ("123456") as verificationCode, or appended to the
//     password (Plex's workaround for clients without 2FA support). bob
//     is alice's friend: the default server is shared with him (an
//     accepted share of the Movies and TV Shows sections, not Music).
//   - Managed Home users of alice: "kid" (no PIN) and "teen" (PIN
//     HomeUserPIN). They have no password, and, as on real plex.tv, no
//     username or e-mail on the wire: "kid" and "teen" are their titles
//     (see "Managed Home users" below).
//   - "oscar" (OutsiderLogin / OutsiderPassword / OutsiderUsername): a free
//     account no server is shared with, for denial tests
//     (Account.Outsider, "outsider" in State).
//   - The default server "plextest" (PMSURL) with three connections, each
//     its own listener: local (PMSURL), remote, and relay. Every server
//     has the library sections 1 "Movies" (movie), 2 "TV Shows" (show)
//     and 3 "Music" (artist). alice's Home members can use all of her
//     servers.
//
// Accounts and Account return each account with a ready-to-use token
// (Account.AuthToken, issued for the client identifier SeedClientID, a
// device named SeedDeviceName in GET /devices.xml; other devices there
// carry the X-Plex-* description of the sign-in, PIN or switch that made
// them, a PIN's poll falling back to the PIN's creation request);
// Servers returns the servers and their admin tokens. The response
// templates come from the LukeHagar/plex-api-spec examples embedded in
// seed/ (see seed/README.md); all values are fake.
//
// # plex.tv behaviour
//
// Answers are JSON only when the Accept header is exactly one media type,
// application/json (parameters allowed); anything else, including
// "application/json, */*" or no Accept, gets XML: the root element is named
// after the object (<user>, <pin>, <home>, <resources>), scalars are
// attributes, booleans 1/0, lists are a wrapper element with singular
// children (<features><feature id="sync"/></features>). The legacy sign-in
// answers in the format of its extension.
//
// Nulls are written as empty attributes (locale="") and the subscription's
// subscribedAt as "2024-03-24 05:13:37 UTC" where JSON has RFC 3339, as
// captured XML bodies of real plex.tv show (python-plexapi's test fixture
// of /api/v2/user, which parses subscribedAt with '%Y-%m-%d %H:%M:%S %Z',
// and a published capture of /api/v2/user and /api/v2/resources). The same
// capture keeps createdAt/lastSeenAt of resources in RFC 3339 in XML
// (python-plexapi parses them with "%Y-%m-%dT%H:%M:%SZ"), and epoch
// members (joinedAt, rememberExpiresAt) stay numbers, so only subscribedAt
// is reformatted.
//
// The v1 endpoints (/api/users, /api/servers/…, /api/home/users, their
// switch, /devices.xml) answer XML whatever the Accept header says:
// Overseerr sends "Accept: application/json" to /api/users (and to the v1
// /api/resources) and parses the answer as XML, and python-plexapi and
// Tautulli parse them as XML. /api/claim/token.json answers JSON, as its
// extension says. GET /api/v2/ping answers {"pong":true} in JSON and
// <pong>1</pong> in XML (clients read the element's text).
//
// Errors use the plex.tv body {"errors":[{"code":N,"message":"…","status":S}]}
// or <errors><error code="…" message="…" status="…"/></errors>. Codes:
//
//	400 1000  X-Plex-Client-Identifier is missing (every endpoint but
//	          /api/v2/auth/keys; also malformed forms and JSON bodies)
//	401 1001  User could not be authenticated (bad credentials, unknown or
//	          revoked token)
//	404 1002  The requested resource or endpoint could not be found
//	          (unknown path or method, server, share, device or Home member)
//	429 1003  API rate limit exceeded (sign-in and nonce rate limits), with
//	          Retry-After in seconds
//	404 1020  Code not found or expired (unknown, expired or foreign PIN)
//	401 1028  Invalid verification code
//	401 1029  Please enter the verification code
//	401 1031  repeated sign-in failures (lock-out, see WithSignInLockout)
//	403 1041  A valid PIN is required to perform this action (v1 and v2
//	          Home switch, missing or wrong PIN)
//	403 0     another account's server (shared_servers)
//	413 0     body larger than WithMaxBodyBytes
//	422 0     "Signature Verification Failed", "Invalid Nonce",
//	          "Thumbprint Already Taken"
//	498 0     "Token Expired" (expired Plex JWT or device JWT)
//
// Code 0 marks an HTTP-level error for which Plex's own code is unknown;
// statuses injected with InjectFault carry code 0 too. 1003 and 1041 (with
// these messages) are what clients have logged from real plex.tv (Ombi's
// issue 5233 on /api/v2/pins, watchstate's issue 542 on the v2 switch; the
// v1 switch is assumed to answer the same); 1002 comes from a client's
// table of plex.tv errors that agrees with every logged code above. Every
// X-Plex-* header may be sent as a query parameter instead.
//
// Tokens are per device: a sign-in, a Home switch or a PIN approval issues
// a token for the pair (account, X-Plex-Client-Identifier), and the same
// pair gets the same token again until it is revoked. Signing out or
// RevokeToken revokes one device only. Exchanging a device JWT for a Plex
// JWT keeps the device's legacy token valid: Plex's migration guide says to
// keep using the current token and add the JWT alongside. Plex
// JWTs (EdDSA, kid header, iss "plex.tv", aud ["plex.tv", client id], sub
// user uuid, thumbprint = device key id, 7 days) are accepted as
// X-Plex-Token by plex.tv but not by the PMSs. In the JWT exchange, an
// expired device JWT gets 498; a bad signature, wrong aud/iss, a missing
// iat, or an unknown, reused or expired nonce gets 422.
//
// Sign-in lock-outs (1031) and the sign-in and nonce rate limits (429) are
// keyed by the client's IP address, as the real 1031 message says ("This
// IP appears to be having trouble signing in"); a new client identifier
// does not escape them. POST /api/v2/pins accepts a JSON Content-Type with
// an empty, "" or null body (what npm plex-oauth sends).
//
// Every client identifier that signed in, had a PIN linked, switched Home
// user or exchanged a JWT is one of its account's devices (GET
// /devices.xml, with the X-Plex-* description it sent and its legacy
// token), and so is each server the account owns. DELETE /devices/{id}.xml
// revokes the device: its legacy token, its Plex JWTs and the link of its
// JWT device key (a server's entry cannot be deleted: 404). The fake also
// accepts DELETE /devices/{id} without ".xml", on purpose: no source we
// have shows real plex.tv refusing the bare form, so the fake does not
// invent a failure for it; the SDK sends the
// documented ".xml" form (a test asserts the path). GET /api/v2/home names
// the Home's guest user (guestUserID, guestUserUUID, stable per admin) with
// guestEnabled false, as home-200.json does.
//
// # Managed Home users
//
// plex.tv names a managed Home user only by its title: it has no
// username and no e-mail, and the fake answers as captured answers of real
// plex.tv do. GET /api/v2/home/users sends "username":null and
// "email":null; GET /api/home/users and the v1 switch send username=""
// and email="" (node-plex-api-credentials' managed_users.xml and
// switch_user.xml); GET /api/v2/user with the user's token sends
// "username":"" and "email":"" (plex-api.rs's user_info_free_guest.json),
// and so does the v2 switch, which answers that same object; GET
// /api/users lists the user with a title and no username or email
// attribute at all (plex-api.rs's decode_users test). GET /api/v2/friends
// lists the Home admin's managed users after the friends, with "home":true,
// "username":null, "email":null, their title as friendlyName and the
// admin's servers they can use (plex-api.rs's friends_accepted_*
// fixtures, sanitized answers); a friend's friendlyName is null. The title,
// friendlyName and thumb are there as for any account. Clients must name
// such a user by its title and identify it by id or UUID.
//
// The name a managed user was created with ("kid") is the fake's own
// handle for it, not plex.tv's: Server.Account("kid"), Account.Username,
// State, the control API's login parameters and IssueToken accept it, as
// they accept any account's username. It is also the title on the wire.
//
// Server.InviteFriend (control: invite-friend) adds a share the invitee
// has not accepted: only the owner's GET /api/users shows it (its Server
// pending="1"); the invitee's resources, the PMS, /api/v2/friends and
// …/shared_servers ignore it until then, and the fake never accepts it.
//
// GET /api/claim/token.json issues a claim token, valid
// ClaimTokenLifetime (4 minutes) and single use; POST /myplex/claim on a
// PMS consumes it and makes the token's account the owner (new admin
// token, shares dropped). A claim token the fake does not know, has
// expired or has already consumed gets an HTML 400 from the PMS; what a
// real PMS answers then is unknown. POST /api/claim/exchange (with which
// pms-docker's first-run script, sending X-Plex-Provides: server, trades a
// claim token for the server's own token, read from the <user> answer's
// <authentication-token> element) is not served: its status and errors
// are unknown.
//
// # plex.tv endpoints
//
// The plex.tv listener serves exactly these routes (net/http ServeMux
// patterns; a test checks this list against the mux). Any other path or
// method gets 404 code 1002.
//
//	POST   /users/sign_in.json                 legacy sign-in, HTTP Basic, JSON answer
//	POST   /users/sign_in.xml                  legacy sign-in, HTTP Basic, XML answer
//	POST   /api/v2/users/signin                form login, password[, verificationCode]
//	GET    /api/v2/user
//	GET    /api/v2/ping
//	DELETE /api/v2/users/signout
//	POST   /api/v2/pins                        [strong=true], or JSON {"jwk":…,"strong":…}
//	PUT    /api/v2/pins/link                   form code
//	PUT    /api/v2/pins/link.json
//	GET    /api/v2/pins/{id}                   [deviceJWT=…]; {id} may end in .json
//	GET    /api/v2/resources                   [includeHttps, includeRelay, includeIPv6]
//	GET    /api/v2/home/users
//	POST   /api/v2/home/users/{id}/switch      {id} is the uuid or id; [pin=]
//	POST   /api/v2/auth/jwk
//	GET    /api/v2/auth/nonce
//	POST   /api/v2/auth/token
//	GET    /api/v2/auth/keys
//	GET    /api/v2/home                        the caller's Home (home-200.json)
//	GET    /api/v2/friends                     JSON array of Friend
//	GET    /api/users                          v1, XML: friends and Home members with Server children
//	GET    /api/users/
//	GET    /api/servers/{machineIdentifier}/shared_servers        v1, XML, owner only
//	GET    /api/servers/{machineIdentifier}/shared_servers/{id}   v1, XML, owner only
//	GET    /api/home/users                     v1, XML User entries; the container has guestUserID
//	POST   /api/home/users/{id}/switch         v1, XML <user authenticationToken=…>; [pin=]
//	GET    /api/claim/token.json               {"token":"claim-…"}, JSON
//	GET    /devices.xml                        v1, XML Device entries
//	DELETE /devices/{id}                       {id} is "N.xml" or "N": revoke a device
//	GET    /auth                               the auth app page (AuthAppURL)
//	GET    /auth/
//	POST   /auth/approve                       the auth app's JSON backend
//
// # Auth app
//
// AuthAppURL (PlexTVURL + "/auth", "authApp" in State) serves an HTML page
// standing in for https://app.plex.tv/auth. Open it in a browser as
// AuthAppURL + "#?clientID=…&code=…&forwardUrl=…&context[device][product]=…"
// (URL-encoded values; "#!?" works too). The page has one
// <button class="account" data-username="…"> per account with a password
// (click to select), <input id="login"> and <input id="password"> to sign
// in instead, <button id="approve"> and <button id="deny">, and a
// #status line. Approve links the PIN to the selected or signed-in
// account; deny leaves it unlinked. Afterwards the page navigates to
// forwardUrl when it is http or https, refuses any other scheme (the
// reason is shown in #status, no navigation), and without forwardUrl shows
// "Approved" or "Denied".
//
// Its backend is POST /auth/approve with a JSON body (Content-Type
// application/json, else 415) {"code","clientID","decision":"approve"|"deny"}
// plus "username" or "login" and "password": 200 {"decision":…} on
// success, 401 code 1001 for a wrong password or an account without one,
// 404 code 1020 for an unknown or expired code or a clientID that is not
// the PIN's.
//
// # PMS behaviour
//
// A PMS answers JSON when Accept mentions application/json, else XML
// (<MediaContainer>). Endpoints: GET /identity (no token), GET /, any
// method /security/token?type=delegation&scope=all (transient tokens,
// valid TransientTokenLifetime, dropped by RestartPMS), GET
// /security/resources?source=server://<machineIdentifier> (admin or
// admin-derived transient tokens only). Accepted tokens: the server's
// admin token, per-user tokens of users it is shared with, its transient
// tokens, and the plex.tv legacy tokens of its owner and of the users it is
// shared with. Bad tokens get 401 with an HTML body; other errors are
// text/html too; admin-only endpoints answer 403 to a shared user.
//
// GET / lists the root Directory entries, as a real PMS does.
// /library/sections shows the admin every section and a shared user the
// sections shared with them. /accounts lists account 0 (the server), 1
// (the owner) and each account the server is shared with by its plex.tv
// id (name, key, defaultAudioLanguage "en", defaultSubtitleLanguage "en",
// subtitleMode 0, autoSelectAudio, thumb ""). /devices lists the client
// identifiers that made authenticated requests (id, name, platform,
// clientIdentifier, createdAt). /myplex/account answers the MyPlex object
// (myplex-account-200.json) with signInState "ok", or "none" once
// DELETE /myplex/account unclaimed the server; an unclaimed server says
// claimed 0 on /identity and /, has no owner, is in nobody's resources,
// and (like a real one on its own network) lets any request in as admin
// until it is claimed again.
//
// # PMS endpoints
//
// Every PMS connection serves exactly these routes (ANY matches every
// method); any other path gets 401 without an accepted token, else 404.
//
//	ANY    /identity                           no token needed
//	ANY    /
//	ANY    /security/token                     type=delegation&scope=all
//	ANY    /security/resources                 source=server://<machineIdentifier>
//	GET    /myplex/account                     admin only; root <MyPlex>
//	DELETE /myplex/account                     unclaim (admin only)
//	POST   /myplex/claim                       token=claim-… (admin only)
//	GET    /accounts                           admin only
//	GET    /accounts/{id}
//	GET    /devices                            admin only: clients seen by this server
//	GET    /devices/{id}
//	GET    /library/sections                   the sections the caller may see
//
// # Controls
//
// Tests drive the fake with methods: AddAccount, IssueToken, RevokeToken,
// ExpireToken, ApprovePIN, ExpirePIN, RestartPMS, AddServer (with
// per-connection Latency, Dead, BlackHole, WrongMachine, https, IPv6),
// SetConnLatency, InjectFault / ClearFaults (latency, status sequences,
// Retry-After, connection reset, truncated or oversized bodies, content
// type and body overrides), RotateSigningKeys / RetireOldKeys, and the
// request log (Requests, CountRequests, ResetRequests; secrets are
// masked; a ring of the last DefaultRequestLogSize = 10 000 requests, see
// WithRequestLogSize). Pass WithClock(NewFakeClock(…)) to control every
// expiry. Expired state (PINs, nonces, transient tokens, Plex JWT records,
// rate-limit windows, old sign-in failures) is dropped once a minute of the
// fake's clock, so a long-running plexfake does not grow without bound.
//
// # Control path
//
// The same controls are reachable over HTTP on the plex.tv listener under
// ControlPrefix ("/__plextest/"), for cmd/plexfake and non-Go clients.
// POST requests must have Content-Type application/json (else 415) and
// take their parameters from a JSON object body (empty for none); form
// bodies and query parameters are not read. So that a web page the
// developer visits cannot drive the fake (CSRF, DNS rebinding), every
// control request, and POST /auth/approve, is refused with 403 when its
// Origin is present and is not the listener's own http origin, or when its
// Host is not the listener's port on localhost, a loopback IP or the IP
// the listener is bound to. Control requests are not logged or faulted.
//
//	curl -X POST -H 'Content-Type: application/json' \
//	  -d '{"code":"ABCD","login":"bob"}' "$PLEXTV/__plextest/approve-pin"
//
//	GET    /__plextest/state            URLs, accounts (credentials, tokens), servers
//	GET    /__plextest/requests         the request log (JSON array of Request)
//	DELETE /__plextest/requests         empty the log (also POST reset-requests)
//	POST   /__plextest/approve-pin      code, login (default DefaultLogin)
//	POST   /__plextest/expire-pin       id
//	POST   /__plextest/issue-token      login, clientID → {"token": …}
//	POST   /__plextest/invite-friend    login, machineIdentifier (default server):
//	                                    a pending share (InviteFriend)
//	POST   /__plextest/revoke-token     token
//	POST   /__plextest/expire-token     token
//	POST   /__plextest/restart-pms
//	POST   /__plextest/rotate-keys
//	POST   /__plextest/retire-old-keys
//	POST   /__plextest/advance-clock    duration ("90s"; FakeClock only, else 409)
//	POST   /__plextest/faults           route ("GET /identity"), latency ("250ms"
//	                                    or milliseconds), statuses ([503,503]),
//	                                    retryAfter, reset, truncate, oversize,
//	                                    contentType, body, times
//	POST   /__plextest/clear-faults
package plextest
