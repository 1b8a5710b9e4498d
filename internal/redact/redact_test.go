package redact

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestIsSecretName(t *testing.T) {
	t.Parallel()
	secret := []string{
		"token", "authToken", "auth_token", "X-Plex-Token", "x-plex-token", "accessToken",
		"jwt", "deviceJWT", "password", "Password", "passwd", "secret", "clientSecret",
		"verificationCode", "verification_code", "pin", "PIN", "X-Plex-Pin", "homePin", "pinCode",
		"code", "Code", "authCode", "otp", "privateKey", "private_key", "deviceKey",
		"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie",
	}
	for _, k := range secret {
		if !IsSecretName(k) {
			t.Errorf("IsSecretName(%q) = false", k)
		}
	}
	public := []string{
		"", "op", "status", "statusCode", "url", "uri", "profile", "kind", "strong", "jwk",
		"X-Plex-Client-Identifier", "X-Plex-Product", "Content-Type", "login", "rememberMe",
		"ping", "shipping", "footprint", "thumbprint", "clientID", "forwardUrl", "kid", "keyID", "username", "email",
	}
	for _, k := range public {
		if IsSecretName(k) {
			t.Errorf("IsSecretName(%q) = true", k)
		}
	}
}

func TestURL(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"http://h/p?X-Plex-Token=abc&x=1":             "http://h/p?X-Plex-Token=REDACTED&x=1",
		"http://h/p?x-plex-token=abc":                 "http://h/p?x-plex-token=REDACTED",
		"http://h/pins/1?deviceJWT=a.b.c":             "http://h/pins/1?deviceJWT=REDACTED",
		"http://h/switch?pin=1234":                    "http://h/switch?pin=REDACTED",
		"http://u:pw@h/":                              "http://REDACTED@h/",
		"http://u@h/":                                 "http://REDACTED@h/",
		"http://h/?password=p&verificationCode=1&a=b": "http://h/?a=b&password=REDACTED&verificationCode=REDACTED",
		"http://h/plain":                              "http://h/plain",
		"https://h:32400/":                            "https://h:32400/",
		"https://app/auth#?clientID=c&code=s3cr3t":    "https://app/auth#?clientID=c&code=REDACTED",
		"https://app/auth#section":                    "https://app/auth#section",
		"://bad":                                      "(unparseable URL)",
	}
	for in, want := range cases {
		if got := URL(in); got != want {
			t.Errorf("URL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValuesAndHeader(t *testing.T) {
	t.Parallel()
	v := url.Values{"password": {"p1", "p2"}, "login": {"alice"}, "jwt": {"a.b.c"}}
	got := Values(v)
	if got.Get("login") != "alice" || len(got["password"]) != 1 || got.Get("password") != Placeholder || got.Get("jwt") != Placeholder {
		t.Errorf("Values = %v", got)
	}
	if v.Get("password") != "p1" {
		t.Error("Values changed its argument")
	}
	h := http.Header{"X-Plex-Token": {"t"}, "Authorization": {"Bearer x"}, "Cookie": {"c"}, "X-Plex-Product": {"plexgo"}}
	gh := Header(h)
	for _, k := range []string{"X-Plex-Token", "Authorization", "Cookie"} {
		if gh.Get(k) != Placeholder {
			t.Errorf("Header kept %s", k)
		}
	}
	if gh.Get("X-Plex-Product") != "plexgo" || h.Get("X-Plex-Token") != "t" {
		t.Errorf("Header = %v; original changed: %v", gh, h.Get("X-Plex-Token") != "t")
	}
}

func TestReplaceAttr(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{ReplaceAttr: ReplaceAttr}))
	log.Info("m", "token", "s3cr3t-a", "op", "getUser", "url", "http://h/?X-Plex-Token=s3cr3t-b&a=1",
		slog.Group("g", "password", "s3cr3t-c", "code", "s3cr3t-d"))
	out := buf.String()
	if strings.Contains(out, "s3cr3t") {
		t.Errorf("log shows a secret (%d bytes)", len(out))
	}
	for _, want := range []string{"op=getUser", "token=REDACTED", "g.password=REDACTED", "a=1"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q: %s", want, out)
		}
	}
}

func TestLenTokenMark(t *testing.T) {
	t.Parallel()
	if Len(0) != "" || Len(-1) != "" || Len(20) != "[REDACTED len=20]" || Token("abc") != "[REDACTED len=3]" || Token("") != "" {
		t.Error("Len/Token")
	}
	if Mark("") != "" || Mark("x") != Placeholder {
		t.Error("Mark")
	}
}

type plain struct{ s string }

func (p plain) String() string                { return "plain{" + p.s + "}" }
func (p plain) Format(f fmt.State, verb rune) { Format(f, verb, p) }

type withGo struct{ plain }

func (w withGo) GoString() string              { return "redact.withGo{}" }
func (w withGo) Format(f fmt.State, verb rune) { Format(f, verb, w) }

func TestFormat(t *testing.T) {
	t.Parallel()
	p := plain{"x"}
	cases := []struct {
		format string
		arg    any
		want   string
	}{
		{"%v", p, "plain{x}"},
		{"%+v", p, "plain{x}"},
		{"%#v", p, "plain{x}"},
		{"%#v", withGo{p}, "redact.withGo{}"},
		{"%s", p, "plain{x}"},
		{"%12s|", p, "    plain{x}|"},
		{"%-9v|", p, "plain{x} |"},
		{"%q", p, `"plain{x}"`},
		{"%d", p, "%!d(plain{x})"},
		{"%x", p, "%!x(plain{x})"},
		{"%X", p, "%!X(plain{x})"},
		{"%t", p, "%!t(plain{x})"},
		{"%v", &p, "plain{x}"},
		{"%v", []plain{p}, "[plain{x}]"},
		{"%+v", struct{ P plain }{p}, "{P:plain{x}}"},
	}
	for _, c := range cases {
		if got := fmt.Sprintf(c.format, c.arg); got != c.want {
			t.Errorf("Sprintf(%q) = %q, want %q", c.format, got, c.want)
		}
	}
}
