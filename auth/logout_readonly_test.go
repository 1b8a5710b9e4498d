package auth_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/plextest"
	"github.com/plexkit/plexgo/retry"
)

// readOnlyStore can be read but not changed, like a credentials file on a
// read-only file system.
type readOnlyStore struct{ auth.TokenStore }

var errReadOnly = errors.New("read-only file system")

func (readOnlyStore) Save(context.Context, string, auth.Credentials) error { return errReadOnly }
func (readOnlyStore) Delete(context.Context, string) error                 { return errReadOnly }

// Logout with a store it cannot change signs nothing out: the token would
// stay stored, dead (the library side of issue 10 point 11's plexauth
// logout on a read-only store).
func TestLogoutReadOnlyStoreSignsNothingOut(t *testing.T) {
	t.Parallel()
	fake := plextest.NewServer(t)
	sdk := flowSDK(fake, "read-only-client", plexgo.WithRetryConfig(retry.None()))
	ctx := flowCtx(t)
	res, err := auth.LoginWithPassword(ctx, sdk, auth.PasswordOptions{Login: plextest.DefaultLogin, Password: plextest.DefaultPassword})
	if err != nil {
		t.Fatal(err)
	}
	mem := auth.NewMemoryStore()
	if err := mem.Save(ctx, "ro", res.Credentials("")); err != nil {
		t.Fatal(err)
	}
	err = auth.Logout(ctx, sdk, readOnlyStore{mem}, "ro")
	if !errors.Is(err, errReadOnly) || !strings.Contains(err.Error(), "nothing was signed out") {
		t.Errorf("Logout = %v, want the store's error and that nothing was signed out", err)
	}
	if err != nil {
		flowNoSecret(t, err, res.Token)
	}
	if n := fake.CountRequests(http.MethodDelete, flowSignOutPath); n != 0 {
		t.Errorf("%d sign-out requests: the token was revoked although it stays stored", n)
	}
	if v, _, _ := auth.ValidateToken(ctx, sdk, res.Token); v != auth.ValidityValid {
		t.Errorf("the stored token is %v, want still valid", v)
	}
}
