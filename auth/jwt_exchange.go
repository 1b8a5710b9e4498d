package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/models/sdkerrors"
)

// Registering a device key and exchanging a device JWT for a Plex JWT.

// JWTExchangeOptions configures [ExchangeJWT]. The zero value works.
type JWTExchangeOptions struct {
	// Now dates the device JWT (default time.Now). When Verifier is nil it
	// is also the clock of the verifier ExchangeJWT builds.
	Now func() time.Time
	// Verifier verifies the Plex JWT plex.tv returns, sharing its cache of
	// plex.tv's keys. Default: a new verifier (NewJWTVerifier with Now and
	// the default leeway), which fetches the keys again; pass one built
	// with other JWTVerifierOptions to change the leeway.
	Verifier *JWTVerifier
}

// RegisterDevice registers key's public JWK with plex.tv, authenticated
// by the SDK's current token (a classic token, or a Plex JWT of the same
// account); pass operations.WithToken to use another one. Registering
// the same key again from the same device is harmless. A key that another
// device registered fails with sdkerrors.ErrUnprocessable ("Thumbprint
// Already Taken"): generate a new key.
func RegisterDevice(ctx context.Context, sdk *plexgo.PlexAPI, key *DeviceKey, opts ...operations.Option) error {
	if sdk == nil {
		return errors.New("auth: register device: nil SDK client")
	}
	if !key.usable() {
		return fmt.Errorf("auth: register device: %w", ErrNoDeviceKey)
	}
	if _, err := sdk.Authentication.RegisterDeviceKey(ctx, key.PublicJWK(), opts...); err != nil {
		return fmt.Errorf("auth: register device: %w", err)
	}
	return nil
}

// ExchangeJWT obtains a new Plex JWT for a registered device key: it gets
// a nonce, signs a device JWT with it, exchanges it, and verifies the Plex
// JWT it receives (see [JWTVerifier.Verify]). It works at any time, also
// after the previous Plex JWT expired.
//
// clientID is the X-Plex-Client-Identifier the SDK sends (the device JWT's
// issuer); empty means the SDK's, and a different value is an error naming
// both.
//
// Nothing is retried after the nonce: it is single use. Errors from
// plex.tv wrap the sdkerrors types: ErrRateLimited (429) for too many
// nonces, ErrUnprocessable (422) for a key plex.tv does not know or a
// used or expired nonce, ErrTokenExpired (498) for an expired device JWT.
func ExchangeJWT(ctx context.Context, sdk *plexgo.PlexAPI, key *DeviceKey, clientID string, opts JWTExchangeOptions) (token string, claims *PlexJWTClaims, err error) {
	if sdk == nil {
		return "", nil, errors.New("auth: JWT exchange: nil SDK client")
	}
	if !key.usable() {
		return "", nil, fmt.Errorf("auth: JWT exchange: %w", ErrNoDeviceKey)
	}
	clientID, err = sdkClientID(sdk, clientID, "JWT exchange", "the clientID argument")
	if err != nil {
		return "", nil, err
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	n, err := sdk.Authentication.GetNonce(ctx)
	if err != nil {
		return "", nil, fmt.Errorf("auth: JWT exchange: getting a nonce: %w", err)
	}
	if n.Nonce == "" {
		return "", nil, fmt.Errorf("auth: JWT exchange: %w: empty nonce", sdkerrors.ErrUnexpectedContent)
	}
	deviceJWT, err := key.SignDeviceJWT(clientID, n.Nonce, now())
	if err != nil {
		return "", nil, fmt.Errorf("auth: JWT exchange: %w", err)
	}
	res, err := sdk.Authentication.ExchangeDeviceJWT(ctx, deviceJWT)
	if err != nil {
		return "", nil, fmt.Errorf("auth: JWT exchange: %w", err)
	}
	if res.AuthToken == "" {
		return "", nil, fmt.Errorf("auth: JWT exchange: %w: no auth_token in the answer", sdkerrors.ErrUnexpectedContent)
	}
	v := opts.Verifier
	if v == nil {
		v = NewJWTVerifier(sdk, clientID, JWTVerifierOptions{Now: now})
	}
	claims, err = v.Verify(ctx, res.AuthToken, key)
	if err != nil {
		return "", nil, fmt.Errorf("auth: JWT exchange: the token plex.tv returned: %w", err)
	}
	return res.AuthToken, claims, nil
}

// NewJWTCredentials builds the Credentials to store for a Plex JWT:
// Token, Kind [TokenKindJWT], ExpiresAt from claims, ClientIdentifier and
// the device key. Fill the account fields (Username, AccountID, …) from
// the account if you have it.
func NewJWTCredentials(token string, claims *PlexJWTClaims, key *DeviceKey, clientID string) Credentials {
	c := Credentials{Token: token, Kind: TokenKindJWT, ClientIdentifier: clientID}
	if claims != nil {
		c.ExpiresAt = claims.ExpiresAt.UTC()
		if claims.Username != "" {
			c.Username = claims.Username
		}
		if claims.UserID != 0 {
			c.AccountID = claims.UserID
		}
	}
	key.Store(&c)
	return c
}
