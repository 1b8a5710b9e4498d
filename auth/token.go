package auth

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/models/components"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/models/sdkerrors"
)

// Checking, keeping alive and revoking tokens.

// Validity is the answer to "is this token still good?". It has three
// values because a failed check is not a verdict: only plex.tv saying 401
// makes a token invalid.
type Validity int

const (
	// ValidityUnknown means the check failed (server error, network
	// error, timeout, a captive portal's page…). Keep the token and try
	// again later.
	ValidityUnknown Validity = iota
	// ValidityValid means plex.tv accepted the token.
	ValidityValid
	// ValidityInvalid means plex.tv rejected the token (HTTP 401): it was
	// revoked, or never existed. Log in again.
	ValidityInvalid
)

// String returns "unknown", "valid" or "invalid".
func (v Validity) String() string {
	switch v {
	case ValidityUnknown:
		return "unknown"
	case ValidityValid:
		return "valid"
	case ValidityInvalid:
		return "invalid"
	}
	return "Validity(" + strconv.Itoa(int(v)) + ")"
}

// ValidateToken asks plex.tv whether token is valid, and returns its
// account when it is:
//   - HTTP 200 with an account: ValidityValid, the account, nil;
//   - HTTP 401: ValidityInvalid, nil, nil;
//   - anything else (5xx, 429, 498 for an expired JWT, network error,
//     timeout, an HTML page from a captive portal, bad input):
//     ValidityUnknown, nil, and the error. The caller must NOT discard the
//     token on an unknown result.
func ValidateToken(ctx context.Context, sdk *plexgo.PlexAPI, token string) (Validity, *components.UserPlexAccount, error) {
	if sdk == nil {
		return ValidityUnknown, nil, errors.New("auth: validate token: nil SDK")
	}
	if token == "" {
		return ValidityUnknown, nil, errors.New("auth: validate token: empty token")
	}
	res, err := sdk.Authentication.GetTokenDetails(ctx, operations.WithToken(token))
	if err != nil {
		if ctx.Err() == nil && errors.Is(err, sdkerrors.ErrUnauthorized) {
			return ValidityInvalid, nil, nil
		}
		return ValidityUnknown, nil, fmt.Errorf("auth: validate token: %w", err)
	}
	acct := res.UserPlexAccount
	if acct == nil || (acct.ID == 0 && acct.UUID == "" && acct.Username == "") {
		// A 200 that is not a plex.tv account (a proxy or portal answering
		// JSON) says nothing about the token.
		return ValidityUnknown, nil, fmt.Errorf("auth: validate token: %w: the answer is not a plex.tv account", sdkerrors.ErrUnexpectedContent)
	}
	return ValidityValid, acct, nil
}

// KeepAlive pings plex.tv with token now and then every interval, which
// keeps the token in use, until ctx is done; it then returns ctx.Err().
//
// It stops early, returning an error that wraps sdkerrors.ErrUnauthorized,
// when plex.tv rejects the token (revoked), or sdkerrors.ErrTokenExpired
// for an expired JWT. Any other failed ping (network, 5xx…) is passed to
// onError, when not nil, and the pings go on. An interval of hours is
// plenty: community practice is one ping a day.
func KeepAlive(ctx context.Context, sdk *plexgo.PlexAPI, token string, interval time.Duration, onError func(error)) error {
	if sdk == nil {
		return errors.New("auth: keep-alive: nil SDK")
	}
	if token == "" {
		return errors.New("auth: keep-alive: empty token")
	}
	if interval <= 0 {
		return fmt.Errorf("auth: keep-alive: interval %s is not positive", interval)
	}
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		_, err := sdk.Authentication.Ping(ctx, operations.WithToken(token))
		switch {
		case err == nil:
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, sdkerrors.ErrUnauthorized), errors.Is(err, sdkerrors.ErrTokenExpired):
			return fmt.Errorf("auth: keep-alive: token rejected: %w", err)
		case onError != nil:
			onError(fmt.Errorf("auth: keep-alive: %w", err))
		}
		t.Reset(interval)
	}
}

// SignOut revokes token on plex.tv (for this device only). Removing it
// from a [TokenStore] is the caller's job; [Logout] does both.
func SignOut(ctx context.Context, sdk *plexgo.PlexAPI, token string) error {
	if sdk == nil {
		return errors.New("auth: sign out: nil SDK")
	}
	if token == "" {
		return errors.New("auth: sign out: empty token")
	}
	if _, err := sdk.Authentication.SignOut(ctx, operations.WithToken(token)); err != nil {
		return fmt.Errorf("auth: sign out: %w", err)
	}
	return nil
}

// Logout signs the profile's stored token out of plex.tv and deletes the
// stored credentials.
//
// A token plex.tv already rejects (401, or 498 for an expired JWT) counts
// as signed out. When the sign-out fails for another reason (network,
// 5xx), the credentials are kept, so that the token can still be revoked
// later, and the error is returned; to forget them anyway, call
// store.Delete. A store that cannot be written (Save of the unchanged
// credentials fails) is reported before anything is signed out, so a
// token is never revoked while it stays stored. With no stored
// credentials, Logout returns an error wrapping [ErrNotLoggedIn].
func Logout(ctx context.Context, sdk *plexgo.PlexAPI, store TokenStore, profile string) error {
	if sdk == nil {
		return errors.New("auth: logout: nil SDK")
	}
	if store == nil {
		return errors.New("auth: logout: nil token store")
	}
	creds, err := store.Load(ctx, profile)
	if err != nil {
		return fmt.Errorf("auth: logout: %w", err)
	}
	if creds.Token != "" {
		// A store that cannot be changed would keep a token that signing
		// out killed: check first, by writing the credentials back as
		// they are.
		if err := store.Save(ctx, profile, creds); err != nil {
			return fmt.Errorf("auth: logout: the stored credentials cannot be changed, so nothing was signed out: %w", err)
		}
		err := SignOut(ctx, sdk, creds.Token)
		if err != nil && !errors.Is(err, sdkerrors.ErrUnauthorized) && !errors.Is(err, sdkerrors.ErrTokenExpired) {
			return fmt.Errorf("auth: logout: credentials kept: %w", err)
		}
	}
	if err := store.Delete(ctx, profile); err != nil {
		return fmt.Errorf("auth: logout: signed out, but deleting the credentials failed: %w", err)
	}
	return nil
}
