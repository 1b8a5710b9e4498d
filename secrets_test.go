package plexgo_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/internal/testutil"
	"github.com/plexkit/plexgo/models/components"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/plextest"
)

// Many failing calls; no token, password or verification code may show in
// errors, in fmt output of the values involved, or in the debug log.
func TestSecretsNeverPrinted(t *testing.T) {
	t.Parallel()
	// Many failed sign-ins from one address: lock-outs are keyed by remote
	// IP (plextest, issue 12 point 8), so allow them all.
	fake := newFake(t, plextest.WithSignInLockout(1000, time.Minute))
	a := alice(t, fake)
	bob, _ := fake.Account(plextest.TwoFactorLogin)
	const (
		badToken  = "s3cr3t-bad-token-zzz"
		urlToken  = "s3cr3t-url-token-qqq"
		password  = "s3cr3t-password-ppp"
		wrongCode = "987123"
	)
	secrets := []string{a.AuthToken, bob.AuthToken, badToken, urlToken, password, wrongCode,
		plextest.DefaultPassword, plextest.TwoFactorPassword, plextest.TwoFactorCode, plextest.HomeUserPIN}

	logs := &testutil.SyncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	dead := testutil.DeadURL(t)
	q := url.Values{"X-Plex-Token": {urlToken}}.Encode()

	var printed strings.Builder
	record := func(vs ...any) { printed.WriteString(fmtAll(vs...)) }

	clients := map[string]*plexgo.PlexAPI{
		// Token in the base URL query, nothing listening.
		"refused": plexgo.New(plexgo.WithPlexTVURL(dead+"/?"+q), plexgo.WithServerURL(dead+"/?"+q),
			plexgo.WithSecurity(a.AuthToken), plexgo.WithLogger(logger), plexgo.WithRetryConfig(fastRetry()),
			plexgo.WithXPlexClientIdentifier(testClientID)),
		// Credentials in the URL's userinfo.
		"userinfo": plexgo.New(plexgo.WithPlexTVURL("http://user:"+password+"@"+strings.TrimPrefix(dead, "http://")),
			plexgo.WithSecurity(a.AuthToken), plexgo.WithLogger(logger), plexgo.WithRetryConfig(fastRetry())),
		// A bad token against the fake: JSON and HTML 401s.
		"bad token": newClient(t, fake, badToken, plexgo.WithLogger(logger)),
		// A good token, for calls that fail for other reasons.
		"alice": newClient(t, fake, a.AuthToken, plexgo.WithLogger(logger)),
		// XML answers.
		"xml": newClient(t, fake, badToken, plexgo.WithLogger(logger), formats[1].opt(t)),
	}
	fake.InjectFault("GET /api/v2/resources", plextest.Fault{ContentType: "text/html"})
	fake.InjectFault("GET /api/v2/ping", plextest.Fault{Statuses: []int{503, 503, 503}, Body: "<html><title>down</title></html>", ContentType: "text/html"})

	for name, s := range clients {
		var results []any
		run := func(res any, err error) {
			results = append(results, res)
			if err != nil {
				printed.WriteString(err.Error() + "\n")
				record(err)
			}
		}
		c := ctx(t)
		run(s.Authentication.GetTokenDetails(c))
		run(s.Authentication.GetTokenDetails(c, operations.WithToken(bob.AuthToken), operations.WithServerURL(dead+"/?"+q)))
		run(s.Authentication.GetTransientToken(c, operations.GetTransientTokenQueryParamTypeDelegation, operations.ScopeAll))
		run(s.Authentication.GetSourceConnectionInformation(c, "server://"+fake.Servers()[0].MachineIdentifier))
		run(s.Authentication.Ping(c))
		run(s.Plex.GetResources(c, operations.GetResourcesRequest{}))
		run(s.Server.GetServerInfo(c))
		run(s.Plex.GetPinWithDeviceJWT(c, 1, "header."+urlToken+".sig"))
		run(s.Plex.SwitchHomeUser(c, "someone", plexgo.String(plextest.HomeUserPIN)))
		for _, body := range []*operations.PostUsersSignInDataRequestBody{
			{Login: plextest.DefaultLogin, Password: password},
			{Login: plextest.TwoFactorLogin, Password: plextest.TwoFactorPassword, VerificationCode: plexgo.String(wrongCode)},
			{Login: plextest.TwoFactorLogin, Password: plextest.TwoFactorPassword},
		} {
			record(body, *body)
			run(s.Authentication.PostUsersSignInData(c, nil, body))
		}
		// Successful results print without their secrets too.
		record(results...)
		for _, r := range results {
			switch v := r.(type) {
			case *operations.GetTokenDetailsResponse:
				if v != nil {
					record(v.UserPlexAccount, *v.UserPlexAccount)
				}
			case *operations.GetTransientTokenResponse:
				if v != nil {
					record(v.MediaContainer, *v.MediaContainer)
				}
			case *operations.GetResourcesResponse:
				if v != nil {
					record(v.Resources)
				}
			}
		}
		// The client and its configuration.
		record(s, *s, s.Authentication, s.Plex, s.Server)
		testutil.NoSecret(t, name+": printed values", printed.String(), secrets...)
		printed.Reset()
	}

	// Successful calls whose answers carry tokens.
	good := newClient(t, fake, a.AuthToken, plexgo.WithLogger(logger), plexgo.WithXPlexClientIdentifier("secrets-good"))
	tt, err := good.Authentication.GetTransientToken(ctx(t), operations.GetTransientTokenQueryParamTypeDelegation, operations.ScopeAll)
	if err != nil {
		t.Fatal(err)
	}
	si, err := good.Authentication.PostUsersSignInData(ctx(t), nil, &operations.PostUsersSignInDataRequestBody{Login: plextest.TwoFactorLogin, Password: plextest.TwoFactorPassword, VerificationCode: plexgo.String(plextest.TwoFactorCode)})
	if err != nil {
		t.Fatal(err)
	}
	record(tt, tt.MediaContainer, *tt.MediaContainer, si, si.UserPlexAccount, *si.UserPlexAccount,
		components.Security{AccessToken: &a.AuthToken}, &components.Security{AccessToken: &a.AuthToken},
		operations.Options{Token: operations.Secret(a.AuthToken)})
	// The raw response's request went out with the token; it must not
	// keep it.
	record(tt.RawResponse.Request.Header, si.RawResponse.Request.Header)
	testutil.NoSecret(t, "successful results", printed.String(), append(secrets, tt.GetToken(), si.UserPlexAccount.AuthToken)...)

	out := logs.String()
	if !strings.Contains(out, "plexgo request") || !strings.Contains(out, "getTokenDetails") {
		t.Fatalf("debug log is missing requests: %d bytes", len(out))
	}
	testutil.NoSecret(t, "debug log", out, append(secrets, tt.GetToken(), si.UserPlexAccount.AuthToken)...)
	if strings.Count(out, "REDACTED") == 0 {
		t.Error("log shows no redaction of the URL token")
	}
}

// The fake's request log shows the SDK put the token only in the header.
// The one token-named query parameter is the claim token of POST
// /myplex/claim, which a PMS reads only from there (pms-docker:
// /myplex/claim?token=…); it is a single-use claim token, not the
// X-Plex-Token, and that request carries the X-Plex-Token in the header.
func TestTokenNeverInURL(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	s := newClient(t, fake, alice(t, fake).AuthToken)
	for _, o := range allOps(fake) {
		if err := o.call(ctx(t), s); err != nil {
			t.Fatalf("%s: %v", o.name, err)
		}
	}
	var claims int
	for _, r := range fake.Requests() {
		claim := r.Method == http.MethodPost && r.Path == "/myplex/claim"
		if claim {
			claims++
			if r.Header.Get("X-Plex-Token") == "" || len(r.Query) != 1 || len(r.Query["token"]) != 1 {
				t.Errorf("POST /myplex/claim: query keys %d, X-Plex-Token header set: %v", len(r.Query), r.Header.Get("X-Plex-Token") != "")
			}
		}
		for k := range r.Query {
			if strings.Contains(strings.ToLower(k), "token") && !(claim && k == "token") {
				t.Errorf("%s %s: query key %q", r.Method, r.Path, k)
			}
		}
	}
	if claims != 1 {
		t.Errorf("%d claim requests, want 1", claims)
	}
}

// A logger that records at every level sees only redacted URLs, even for
// a per-call server URL with secrets in it.
func TestLogRedactsPerCallURL(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	logs := &testutil.SyncBuffer{}
	s := newClient(t, fake, "", plexgo.WithLogger(slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	u := fake.PMSURL + "/?X-Plex-Token=leaky-token-123&deviceJWT=leaky-jwt-456&pin=9999"
	if _, err := s.Server.GetIdentity(context.Background(), operations.WithServerURL(u)); err != nil {
		t.Fatal(err)
	}
	testutil.NoSecret(t, "log", logs.String(), "leaky-token-123", "leaky-jwt-456", "9999")
	if !strings.Contains(logs.String(), "getIdentity") {
		t.Error("identity call not logged")
	}
	if r := requestsTo(fake, http.MethodGet, "/identity"); len(r) != 1 {
		t.Errorf("%d identity requests", len(r))
	}
}
