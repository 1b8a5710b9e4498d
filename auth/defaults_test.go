package auth_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/plextest"
)

// Issue 13 point 8: the flows default to the SDK's client identifier and
// record it, with the plex.tv URL, in the result and its credentials.
func TestLoginDefaultsFromSDK(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := flowSDK(fake, "defaults-client")
	ctx := flowCtx(t)
	alice := flowAccount(t, fake, plextest.DefaultLogin)

	res, err := auth.LoginWithPIN(ctx, sdk, auth.PINOptions{
		Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
		OnPrompt: func(p auth.PINPrompt) {
			if !strings.Contains(p.URL, "clientID=defaults-client") {
				t.Errorf("auth app URL does not carry the SDK's client identifier")
			}
			if err := fake.ApprovePIN(p.Code, alice.AuthToken); err != nil {
				t.Errorf("ApprovePIN: %v", err)
			}
		},
	})
	if err != nil {
		t.Fatalf("LoginWithPIN without ClientIdentifier: %v", err)
	}
	if res.ClientIdentifier != "defaults-client" || res.PlexTVURL != fake.PlexTVURL {
		t.Errorf("result records %q at %q, want the SDK's %q at %q", res.ClientIdentifier, res.PlexTVURL, "defaults-client", fake.PlexTVURL)
	}
	c := res.Credentials("")
	if c.ClientIdentifier != "defaults-client" || c.PlexTVURL != fake.PlexTVURL || c.Token != res.Token || c.Username != plextest.DefaultUsername {
		t.Errorf("Credentials(\"\") = %v", c)
	}
	if c := res.Credentials("explicit"); c.ClientIdentifier != "explicit" {
		t.Errorf("Credentials(explicit).ClientIdentifier = %q", c.ClientIdentifier)
	}

	pw, err := auth.LoginWithPassword(ctx, sdk, auth.PasswordOptions{Login: plextest.DefaultLogin, Password: plextest.DefaultPassword})
	if err != nil {
		t.Fatalf("LoginWithPassword: %v", err)
	}
	if pw.ClientIdentifier != "defaults-client" || pw.PlexTVURL != fake.PlexTVURL {
		t.Errorf("password result records %q at %q", pw.ClientIdentifier, pw.PlexTVURL)
	}

	// A mismatch is an error naming both identifiers, before any request.
	before := fake.CountRequests("POST", "/api/v2/pins")
	_, err = auth.LoginWithPIN(ctx, sdk, auth.PINOptions{ClientIdentifier: "other-client"})
	if err == nil || !strings.Contains(err.Error(), "other-client") || !strings.Contains(err.Error(), "defaults-client") {
		t.Errorf("mismatch: %v, want an error naming both", err)
	}
	if n := fake.CountRequests("POST", "/api/v2/pins"); n != before {
		t.Errorf("mismatch created %d PINs", n-before)
	}
}
