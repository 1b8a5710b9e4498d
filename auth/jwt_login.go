package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/models/operations"
)

// PIN login for JWT device authentication.

// LoginWithPINJWT is [LoginWithPIN] for JWT device authentication: the
// PIN is created with key's public JWK (which registers the key for the
// device), each poll carries a freshly signed device JWT (without nonce;
// see [DeviceKey.SignDeviceJWT]), and the approved PIN yields a Plex JWT.
// The token is verified (see [JWTVerifier.Verify]) before the account is
// read with it.
//
// opts works as for LoginWithPIN; opts.Now also dates the device JWTs.
// The result carries the verified claims (LoginResult.JWT), the device
// key and the token's expiry, so that [LoginResult.Credentials] keeps the
// key: it is what obtains the next Plex JWT ([ExchangeJWT], [JWTSource]).
//
// Errors: [ErrPINExpired] when the PIN expires first, ctx's error when
// ctx ends, sdkerrors.ErrUnprocessable when plex.tv refuses the key
// ("Thumbprint Already Taken": another device registered it).
func LoginWithPINJWT(ctx context.Context, sdk *plexgo.PlexAPI, key *DeviceKey, opts PINOptions) (*LoginResult, error) {
	const label = "PIN JWT login"
	if !key.usable() {
		return nil, fmt.Errorf("auth: %s: %w", label, ErrNoDeviceKey)
	}
	var err error
	if opts.ClientIdentifier, err = sdkClientID(sdk, opts.ClientIdentifier, label, "PINOptions.ClientIdentifier"); err != nil {
		return nil, err
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	jwk := key.PublicJWK()
	token, id, err := runPIN(ctx, sdk, opts, pinFlow{label: label, jwk: &jwk,
		poll: func(ctx context.Context, id int64) (*operations.GetPinResponse, error) {
			// A new device JWT for every poll: one signed at the start
			// would expire after five minutes, long before a strong PIN
			// does.
			deviceJWT, err := key.SignDeviceJWT(opts.ClientIdentifier, "", now())
			if err != nil {
				return nil, err
			}
			return sdk.Plex.GetPinWithDeviceJWT(ctx, id, deviceJWT)
		},
	})
	if err != nil {
		return nil, err
	}
	claims, err := NewJWTVerifier(sdk, opts.ClientIdentifier, JWTVerifierOptions{Now: now}).Verify(ctx, token, key)
	if err != nil {
		return nil, fmt.Errorf("auth: %s: PIN %d approved, but the token plex.tv returned: %w", label, id, err)
	}
	res, err := readAccount(ctx, sdk, label, id, token)
	if err != nil {
		return nil, err
	}
	res.JWT, res.DeviceKey, res.ExpiresAt = claims, key, claims.ExpiresAt
	return res, nil
}
