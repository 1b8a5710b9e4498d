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
//     password (Plex's workaround for clients without 2FA support). The
//     default server is shared with bob.
//   - Managed Home users of alice: "kid" (no PIN) and "teen" (PIN
//     HomeUserPIN). They have no password.
//   - "oscar" (OutsiderLogin / OutsiderPassword / OutsiderUsername): a free
//     account no server is shared with, for denial tests
//     (Account.Outsider, "outsider" in State).
//   - The default server "plextest" (PMSURL) with three connections, each
//     its own listener: local (PMSURL), remote, and relay.
//
// Accounts and Account return each account with a ready-to-use token
// (Account.AuthToken, issued for the client identifier SeedClientID);
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
// attributes, booleans 1/0, nulls are omitted, lists are a wrapper element
// with singular children (<features><feature id="sync"/></features>). The
// legacy sign-in answers in the format of its extension.
//
// Errors use the plex.tv body {"errors":[{"code":N,"message":"…","status":S}]}
// or <errors><error code="…" message="…" status="…"/></errors>. Codes:
//
//	400 1000  X-Plex-Client-Identifier is missing (every endpoint but
//	          /api/v2/auth/keys; also malformed forms and JSON bodies)
//	401 1001  User could not be authenticated (bad credentials, unknown or
//	          revoked token)
//	404 1020  Code not found or expired (unknown, expired or foreign PIN)
//	401 1028  Invalid verification code
//	401 1029  Please enter the verification code
//	401 1031  repeated sign-in failures (lock-out, see WithSignInLockout)
//	403 1041  Invalid PIN (Home switch; the real code is unverified)
//	404 0     unknown path or method
//	413 0     body larger than WithMaxBodyBytes
//	429 0     rate limited, with Retry-After in seconds
//	422 0     "Signature Verification Failed", "Invalid Nonce",
//	          "Thumbprint Already Taken"
//	498 0     "Token Expired" (expired Plex JWT or device JWT)
//
// Code 0 marks an HTTP-level error for which Plex's own code is unknown.
// Every X-Plex-* header may be sent as a query parameter instead.
//
// Tokens are per device: a sign-in, a Home switch or a PIN approval issues
// a token for the pair (account, X-Plex-Client-Identifier), and the same
// pair gets the same token again until it is revoked. Signing out or
// RevokeToken revokes one device only. Exchanging a device JWT for a Plex
// JWT revokes that device's legacy token, as on the real service. Plex
// JWTs (EdDSA, kid header, iss "plex.tv", aud ["plex.tv", client id], sub
// user uuid, thumbprint = device key id, 7 days) are accepted as
// X-Plex-Token by plex.tv but not by the PMSs. In the JWT exchange, an
// expired device JWT gets 498; a bad signature, wrong aud/iss, a missing
// iat, or an unknown, reused or expired nonce gets 422.
//
// # plex.tv endpoints
//
// The plex.tv listener serves exactly these routes (net/http ServeMux
// patterns; a test checks this list against the mux). Any other path or
// method gets 404 code 0.
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
// text/html too.
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
// masked). Pass WithClock(NewFakeClock(…)) to control every expiry.
//
// # Control path
//
// The same controls are reachable over HTTP on the plex.tv listener under
// ControlPrefix ("/__plextest/"), for cmd/plexfake and non-Go clients.
// POST parameters may be a JSON object, a form body, or query parameters;
// control requests are not logged or faulted.
//
//	GET    /__plextest/state            URLs, accounts (credentials, tokens), servers
//	GET    /__plextest/requests         the request log (JSON array of Request)
//	DELETE /__plextest/requests         empty the log (also POST reset-requests)
//	POST   /__plextest/approve-pin      code, login (default DefaultLogin)
//	POST   /__plextest/expire-pin       id
//	POST   /__plextest/issue-token      login, clientID → {"token": …}
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
