package auth_test

import (
	"context"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/plextest"
)

// A device with a classic token registers a key once, then trades it for
// Plex JWTs whenever it needs one.
func ExampleExchangeJWT() {
	clock := plextest.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	fake, err := plextest.New(plextest.WithClock(clock))
	if err != nil {
		log.Fatal(err)
	}
	defer fake.Close()

	const clientID = "example-device"
	// The device's classic token, e.g. from auth.LoginWithPIN.
	legacy, err := fake.IssueToken(plextest.DefaultLogin, clientID)
	if err != nil {
		log.Fatal(err)
	}
	sdk := plexgo.New(
		plexgo.WithPlexTVURL(fake.PlexTVURL), // omit for the real plex.tv
		plexgo.WithXPlexClientIdentifier(clientID),
		plexgo.WithSecurity(legacy),
	)
	ctx := context.Background()

	key, err := auth.NewDeviceKey()
	if err != nil {
		log.Fatal(err)
	}
	if err := auth.RegisterDevice(ctx, sdk, key); err != nil {
		log.Fatal(err)
	}
	token, claims, err := auth.ExchangeJWT(ctx, sdk, key, clientID, auth.JWTExchangeOptions{Now: clock.Now})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("issuer:", claims.Issuer)
	fmt.Println("bound to our key:", claims.Thumbprint == key.KeyID())
	fmt.Println("valid for:", claims.Remaining(clock.Now()))

	// Keep the token and the key together: the key gets the next token.
	creds := auth.NewJWTCredentials(token, claims, key, clientID)
	fmt.Println(creds.Kind, creds.ExpiresAt.Format(time.RFC3339))
	// Output:
	// issuer: plex.tv
	// bound to our key: true
	// valid for: 168h0m0s
	// jwt 2026-01-08T00:00:00Z
}

// A JWTSource keeps an SDK client signed in: it refreshes the Plex JWT
// before it expires (or after, as here) and saves each new one.
func ExampleJWTSource() {
	clock := plextest.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	fake, err := plextest.New(plextest.WithClock(clock))
	if err != nil {
		log.Fatal(err)
	}
	defer fake.Close()

	const clientID = "example-device"
	legacy, err := fake.IssueToken(plextest.DefaultLogin, clientID)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	key, err := auth.NewDeviceKey()
	if err != nil {
		log.Fatal(err)
	}
	setup := plexgo.New(plexgo.WithPlexTVURL(fake.PlexTVURL), plexgo.WithXPlexClientIdentifier(clientID), plexgo.WithSecurity(legacy))
	if err := auth.RegisterDevice(ctx, setup, key); err != nil {
		log.Fatal(err)
	}

	store := auth.NewMemoryStore() // auth.NewFileStore("", auth.FileStoreOptions{}) in a real program
	base := plexgo.New(plexgo.WithPlexTVURL(fake.PlexTVURL), plexgo.WithXPlexClientIdentifier(clientID))
	src := auth.NewJWTSource(base, key, clientID, auth.JWTSourceOptions{
		Store: store,
		Now:   clock.Now, // omit in a real program
		OnRefresh: func(c *auth.PlexJWTClaims) {
			fmt.Println("new Plex JWT, expires", c.ExpiresAt.Format(time.RFC3339))
		},
	})
	client := plexgo.New(
		plexgo.WithPlexTVURL(fake.PlexTVURL),
		plexgo.WithXPlexClientIdentifier(clientID),
		plexgo.WithSecuritySource(src.Security),
	)

	res, err := client.Authentication.GetTokenDetails(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("signed in as", res.UserPlexAccount.Username)

	clock.Advance(8 * 24 * time.Hour) // the first token has expired
	res, err = client.Authentication.GetTokenDetails(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("still signed in as", res.UserPlexAccount.Username)

	saved, err := store.Load(ctx, auth.DefaultProfile)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("saved:", saved.Kind, saved.ExpiresAt.Format(time.RFC3339), saved.DeviceKeyID == key.KeyID())
	// Output:
	// new Plex JWT, expires 2026-01-08T00:00:00Z
	// signed in as alice
	// new Plex JWT, expires 2026-01-16T00:00:00Z
	// still signed in as alice
	// saved: jwt 2026-01-16T00:00:00Z true
}

// Logging in with a PIN and a device key yields a Plex JWT directly.
func ExampleLoginWithPINJWT() {
	fake, err := plextest.New()
	if err != nil {
		log.Fatal(err)
	}
	defer fake.Close()
	alice, _ := fake.Account(plextest.DefaultLogin)

	const clientID = "example-device"
	sdk := plexgo.New(plexgo.WithPlexTVURL(fake.PlexTVURL), plexgo.WithXPlexClientIdentifier(clientID))
	ctx := context.Background()
	key, err := auth.NewDeviceKey()
	if err != nil {
		log.Fatal(err)
	}

	res, err := auth.LoginWithPINJWT(ctx, sdk, key, auth.PINOptions{
		ClientIdentifier: clientID,
		Product:          "Example",
		PollInterval:     auth.MinPINPollInterval,
		OnPrompt: func(p auth.PINPrompt) {
			fmt.Println("open:", strings.SplitN(p.URL, "&code=", 2)[0])
			// Here the user approves the PIN in the browser; the fake
			// approves it for alice.
			if err := fake.ApprovePIN(p.Code, alice.AuthToken); err != nil {
				log.Fatal(err)
			}
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("logged in as", res.Account.Username)

	claims, err := auth.NewJWTVerifier(sdk, clientID, auth.JWTVerifierOptions{}).Verify(ctx, res.Token, key)
	if err != nil {
		log.Fatal(err)
	}
	creds := auth.NewJWTCredentials(res.Token, claims, key, clientID)
	creds.Username = res.Account.Username
	fmt.Println(creds.Kind, creds.DeviceKeyID == key.KeyID())
	// Output:
	// open: https://app.plex.tv/auth#?clientID=example-device
	// logged in as alice
	// jwt true
}

// The device key is saved with the credentials and never printed.
func ExampleDeviceKeyFromCredentials() {
	key, err := auth.NewDeviceKey()
	if err != nil {
		log.Fatal(err)
	}
	var creds auth.Credentials
	key.Store(&creds) // then save creds with a TokenStore

	again, err := auth.DeviceKeyFromCredentials(creds)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("same key:", again.KeyID() == key.KeyID())
	fmt.Println(strings.Replace(fmt.Sprint(again), again.KeyID(), "<kid>", 1))
	// Output:
	// same key: true
	// auth.DeviceKey{KeyID:<kid> PrivateKey:REDACTED}
}
