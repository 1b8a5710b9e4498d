package auth_test

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"testing"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/plextest"
)

// LoginWithPINJWT returns the claims it verified, and the result's
// Credentials are the JWT credentials (device key, expiry) without a
// second verification: one fetch of the signing keys for the login.
func TestLoginWithPINJWTReturnsVerifiedClaims(t *testing.T) {
	fake := plextest.NewServer(t)
	alice, _ := fake.Account(plextest.DefaultLogin)
	const clientID = "claims-device"
	sdk := plexgo.New(plexgo.WithPlexTVURL(fake.PlexTVURL), plexgo.WithXPlexClientIdentifier(clientID))
	key, err := auth.NewDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	var approveErr error
	res, err := auth.LoginWithPINJWT(t.Context(), sdk, key, auth.PINOptions{
		ClientIdentifier: clientID,
		PollInterval:     auth.MinPINPollInterval,
		OnPrompt:         func(p auth.PINPrompt) { approveErr = fake.ApprovePIN(p.Code, alice.AuthToken) },
	})
	if approveErr != nil || err != nil {
		t.Fatalf("approve: %v; login: %v", approveErr, err)
	}
	if res.JWT == nil || res.JWT.Thumbprint != key.KeyID() || res.JWT.ExpiresAt.IsZero() {
		t.Fatalf("claims = %+v, want the verified claims bound to the key", res.JWT)
	}
	c := res.Credentials(clientID)
	if c.Kind != auth.TokenKindJWT || c.Token != res.Token || c.DeviceKeyID != key.KeyID() || len(c.DeviceKey) == 0 ||
		!c.ExpiresAt.Equal(res.JWT.ExpiresAt) || c.ClientIdentifier != clientID ||
		c.Username != alice.Username || c.AccountID != alice.ID || c.AccountUUID != alice.UUID || c.Email != alice.Email {
		t.Errorf("credentials = %v", c)
	}
	if n := fake.CountRequests(http.MethodGet, "/api/v2/auth/keys"); n != 1 {
		t.Errorf("%d GET /api/v2/auth/keys, want 1", n)
	}
	printed := fmt.Sprintf("%v %+v %#v %s", res, res, *res, *res)
	jwtNoSecret(t, "result", printed, res.Token)
	jwtNoSecret(t, "result", printed, base64.StdEncoding.EncodeToString(c.DeviceKey))

	// A legacy PIN login has no claims and legacy credentials.
	legacy := &auth.LoginResult{Token: "legacy-token", Account: res.Account}
	if lc := legacy.Credentials(clientID); lc.Kind != auth.TokenKindLegacy || len(lc.DeviceKey) != 0 || !lc.ExpiresAt.IsZero() {
		t.Errorf("legacy credentials = %v", lc)
	}
}
