// Package weblogin is "Sign in with Plex" for Go web apps: an
// http.Handler for the PIN + forwardUrl flow, a server-membership policy,
// and stateless sessions in sealed cookies.
//
// Mount the handler under its prefix and wrap the pages that need a
// signed-in user:
//
//	sdk := plexgo.New(plexgo.WithXPlexClientIdentifier(ident.ClientIdentifier), plexgo.WithProduct("My App"))
//	h, err := weblogin.New(sdk, ident.ClientIdentifier,
//		weblogin.WithKeys(key),                           // 32 bytes; same key on every replica
//		weblogin.WithProduct("My App"),
//		weblogin.WithPolicy(weblogin.MembersOf(machineID)), // default: any Plex account
//	)
//	mux.Handle(weblogin.DefaultPrefix+"/", h)             // login, callback, status, logout
//	mux.Handle("/", h.RequireSignIn(app))                  // weblogin.Account(r.Context()) inside
//
// # The flow
//
// GET {prefix}/login?return_to=/path creates a strong PIN on plex.tv with
// the app's own client identifier, seals the PIN id in a short-lived
// HttpOnly, SameSite=Lax state cookie (Secure over TLS), and redirects the
// same tab to the Plex auth app with forwardUrl = {prefix}/callback.
// GET {prefix}/callback takes the PIN id from the state cookie only (a PIN
// id in a URL could hand a victim an attacker-approved PIN: login CSRF),
// checks the PIN (a few times, once a second, if plex.tv lags), runs the
// policy, sets the session and redirects to return_to, which must be a
// relative path on this origin (anything else becomes "/").
//
// Popup mode: a page opens {prefix}/login?popup=1 in a popup from the
// click handler itself, then polls GET {prefix}/status (JSON "pending",
// "signed-in", "denied", "expired") until the PIN resolves; it never reads
// popup.closed or window.opener. plex.tv is asked about one pending sign-in
// at most once per second however often the page polls.
//
// # Sessions
//
// The session cookie is sealed with AES-256-GCM and holds the account's
// id, uuid, username, title, thumb, roles and expiry, never the Plex token
// unless WithKeepToken is given. WithOnSignIn hands the token to the app.
// Keys rotate: the first key seals, all open. Sessions are re-validated
// every WithRevalidateEvery (with the user's token when one is available,
// else through the owner's view), never on every page view. Logout is
// POST {prefix}/logout from this origin only.
package weblogin
