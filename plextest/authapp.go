package plextest

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"
	"strings"
)

// The auth app stands in for https://app.plex.tv/auth: a page that reads
// the PIN from its URL fragment, lets the visitor pick an account and
// approve or deny, and a JSON backend (POST /auth/approve) that links the
// PIN.

var authAppPage = template.Must(template.New("auth").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>plextest: sign in to Plex</title>
<style>
body { font-family: sans-serif; max-width: 32em; margin: 2em auto; }
button.account.selected { outline: 3px solid #e5a00d; }
#status { margin-top: 1em; font-weight: bold; }
</style>
</head>
<body>
<h1>plextest auth app</h1>
<p>Stand-in for app.plex.tv/auth. <span id="product"></span> asks for access with code <code id="code"></code>.</p>
<h2>Pick an account</h2>
<div id="accounts">
{{- range .}}
<button type="button" class="account" data-username="{{.}}" aria-pressed="false">{{.}}</button>
{{- end}}
</div>
<h2>Or sign in</h2>
<p><label>Login <input id="login" autocomplete="username"></label></p>
<p><label>Password <input id="password" type="password" autocomplete="current-password"></label></p>
<p><button type="button" id="approve">Approve</button> <button type="button" id="deny">Deny</button></p>
<div id="status" role="status"></div>
<script>
(function () {
  "use strict";
  var raw = location.hash.replace(/^#!?\??/, "");
  var params = new URLSearchParams(raw);
  var code = params.get("code") || "";
  var clientID = params.get("clientID") || "";
  var forwardUrl = params.get("forwardUrl") || "";
  var product = params.get("context[device][product]") || "An app";
  var status = document.getElementById("status");
  document.getElementById("product").textContent = product;
  document.getElementById("code").textContent = code;
  var selected = "";
  var buttons = document.querySelectorAll("button.account");
  buttons.forEach(function (b) {
    b.addEventListener("click", function () {
      selected = b.getAttribute("data-username");
      buttons.forEach(function (o) {
        o.classList.toggle("selected", o === b);
        o.setAttribute("aria-pressed", o === b ? "true" : "false");
      });
      status.textContent = "Selected " + selected;
    });
  });
  function forward(done) {
    if (!forwardUrl) { status.textContent = done; return; }
    var u;
    try { u = new URL(forwardUrl); } catch (e) {
      status.textContent = done + "; not forwarding: forwardUrl is not a valid URL";
      return;
    }
    if (u.protocol !== "http:" && u.protocol !== "https:") {
      status.textContent = done + "; not forwarding: forwardUrl scheme " + u.protocol + " is not http or https";
      return;
    }
    status.textContent = done + "; forwarding";
    location.assign(u.href);
  }
  function send(decision) {
    if (!code || !clientID) { status.textContent = "The URL fragment names no code and clientID"; return; }
    var body = { code: code, clientID: clientID, decision: decision };
    var login = document.getElementById("login").value;
    if (login) {
      body.login = login;
      body.password = document.getElementById("password").value;
    } else if (selected) {
      body.username = selected;
    } else if (decision === "approve") {
      status.textContent = "Pick an account or sign in first";
      return;
    }
    status.textContent = "Working";
    fetch("/auth/approve", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (res) {
      if (res.ok) { forward(decision === "approve" ? "Approved" : "Denied"); return; }
      return res.json().then(function (e) {
        var msg = (e && e.errors && e.errors[0] && e.errors[0].message) || res.statusText;
        status.textContent = "Error " + res.status + ": " + msg;
      }, function () { status.textContent = "Error " + res.status; });
    }, function (err) { status.textContent = "Error: " + err; });
  }
  document.getElementById("approve").addEventListener("click", function () { send("approve"); });
  document.getElementById("deny").addEventListener("click", function () { send("deny"); });
})();
</script>
</body>
</html>
`))

// authApp serves GET /auth: the stand-in page, with one button per account
// that has a password.
func (s *Server) authApp(q tvReq) {
	s.mu.Lock()
	var names []string
	for _, a := range s.accounts {
		if a.password != "" {
			names = append(names, a.username)
		}
	}
	s.mu.Unlock()
	var b bytes.Buffer
	if err := authAppPage.Execute(&b, names); err != nil {
		q.fail(http.StatusInternalServerError, codeGeneric, "Internal Server Error")
		return
	}
	h := q.w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	q.w.WriteHeader(http.StatusOK)
	_, _ = q.w.Write(b.Bytes())
}

// authApproveBody is the JSON body of POST /auth/approve.
type authApproveBody struct {
	Code     string `json:"code"`
	ClientID string `json:"clientID"`
	Username string `json:"username"`
	Login    string `json:"login"`
	Password string `json:"password"`
	Decision string `json:"decision"`
}

// authApprove serves POST /auth/approve, the auth app's backend. It takes
// JSON only (so that a cross-origin page cannot send it without a CORS
// preflight, which the fake never grants) and answers JSON.
func (s *Server) authApprove(q tvReq) {
	q.json = true
	if err := s.checkSameOrigin(q.r); err != nil {
		q.fail(http.StatusForbidden, codeGeneric, err.Error())
		return
	}
	if !isJSONContentType(q.r) {
		q.fail(http.StatusUnsupportedMediaType, codeBadRequest, errNotJSON.Error())
		return
	}
	var in authApproveBody
	if err := json.Unmarshal(readBody(q.r), &in); err != nil {
		q.fail(http.StatusBadRequest, codeBadRequest, "Invalid JSON body")
		return
	}
	if in.Decision != "approve" && in.Decision != "deny" {
		q.fail(http.StatusBadRequest, codeBadRequest, `decision must be "approve" or "deny"`)
		return
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pinByCodeLocked(in.Code)
	if p == nil || p.clientID != in.ClientID || s.pinExpiredLocked(p, now) {
		q.fail(http.StatusNotFound, codePINNotFound, msgPINGone)
		return
	}
	if in.Decision == "deny" {
		q.ok(http.StatusOK, "result", obj{{"decision", "deny"}})
		return
	}
	var a *account
	switch {
	case in.Login != "":
		a = s.findAccountLocked(in.Login)
		if a == nil || a.password == "" || in.Password != a.password {
			a = nil
		}
	case in.Username != "":
		a = s.findAccountLocked(in.Username)
		if a != nil && (a.password == "" || !strings.EqualFold(a.username, strings.TrimSpace(in.Username))) {
			a = nil
		}
	}
	if a == nil {
		q.fail(http.StatusUnauthorized, codeUnauthenticated, msgUnauth)
		return
	}
	if err := s.approveLocked(p.code, a); err != nil {
		q.fail(http.StatusNotFound, codePINNotFound, msgPINGone)
		return
	}
	q.ok(http.StatusOK, "result", obj{{"decision", "approve"}, {"username", a.username}})
}
