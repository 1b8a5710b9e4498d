package weblogin

import (
	"html/template"
	"net/http"
)

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{.Title}}</title></head>
<body><main>
<h1 id="title">{{.Title}}</h1>
<p id="message">{{.Message}}</p>
{{if .Again}}<p><a id="again" href="{{.Again}}">Sign in with Plex again</a></p>{{end}}
</main></body></html>
`))

var popupTmpl = template.Must(template.New("popup").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Plex sign-in</title></head>
<body><p id="message">You can close this window.</p>
<script>window.close()</script></body></html>
`))

// page writes a short HTML page saying what happened, with a link to start
// again (returning to returnTo).
func (h *Handler) page(w http.ResponseWriter, code int, title, msg, returnTo string) {
	again := ""
	if code != http.StatusInternalServerError || returnTo != "" {
		again = h.LoginURL(returnTo)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'")
	w.WriteHeader(code)
	_ = pageTmpl.Execute(w, struct{ Title, Message, Again string }{title, msg, again})
}

// popupDone is where the auth app forwards a popup: the main page's
// status poll finishes the sign-in, so this page only closes itself.
func (h *Handler) popupDone(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'sha256-"+popupScriptHash+"'")
	w.WriteHeader(http.StatusOK)
	_ = popupTmpl.Execute(w, nil)
}

// popupScriptHash is the CSP hash of the popup page's script.
const popupScriptHash = "jqxtvDkBbRAl9Hpqv68WdNOieepg8tJSYu1xIy7zT34="
