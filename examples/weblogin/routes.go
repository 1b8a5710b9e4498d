package main

import (
	"encoding/json"
	"html/template"
	"net/http"

	"github.com/plexkit/plexgo/weblogin"
)

// routes: "/" (the page), "/me" (the account as JSON) and the sign-in
// handler under /auth/plex/.
func routes(h *weblogin.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle(h.Prefix()+"/", h)
	mux.Handle("GET /{$}", h.Sessions(http.HandlerFunc(home)))
	mux.Handle("GET /me", h.Sessions(http.HandlerFunc(me)))
	return mux
}

func me(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	u, ok := weblogin.Account(r.Context())
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "not signed in"})
		return
	}
	_ = json.NewEncoder(w).Encode(u)
}

var homeTmpl = template.Must(template.New("home").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in with Plex: example</title></head>
<body><main>
{{if .SignedIn}}
<p id="account">Signed in as <b id="username">{{or .User.Username .User.Title}}</b>{{if .User.Roles}} ({{range $i, $r := .User.Roles}}{{if $i}}, {{end}}{{$r}}{{end}}){{end}}</p>
<form method="post" action="/auth/plex/logout"><button id="logout" type="submit">Sign out</button></form>
{{else}}
<p id="account">Not signed in.</p>
<p><a id="signin" href="/auth/plex/login?return_to=%2F">Sign in with Plex</a></p>
<p><button id="signin-popup" type="button">Sign in with Plex in a popup</button> <span id="popup-status"></span></p>
<script>
document.getElementById("signin-popup").addEventListener("click", function () {
  // Opened synchronously from the click, so popup blockers allow it.
  window.open("/auth/plex/login?popup=1&return_to=%2F", "plexauth", "width=600,height=700");
  var out = document.getElementById("popup-status");
  out.textContent = "waiting";
  var poll = function () {
    fetch("/auth/plex/status", {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (s) {
      out.textContent = s.status;
      if (s.status === "signed-in") { location.reload(); return; }
      if (s.status === "pending") { setTimeout(poll, 1000); return; }
      if (s.message) { out.textContent = s.status + ": " + s.message; }
    }).catch(function () { setTimeout(poll, 2000); });
  };
  setTimeout(poll, 1000);
});
</script>
{{end}}
</main></body></html>
`))

func home(w http.ResponseWriter, r *http.Request) {
	u, ok := weblogin.Account(r.Context())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = homeTmpl.Execute(w, struct {
		SignedIn bool
		User     weblogin.User
	}{ok, u})
}
