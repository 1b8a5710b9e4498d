package auth_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/plexkit/plexgo/auth"
)

func ExampleFileStore() {
	dir, err := os.MkdirTemp("", "plexgo-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	// Real programs keep it in their own directory: auth.AppDir("My App").
	store := auth.NewFileStore(dir, auth.FileStoreOptions{})
	ctx := context.Background()

	if _, err := store.Load(ctx, auth.DefaultProfile); errors.Is(err, auth.ErrNotLoggedIn) {
		fmt.Println("not logged in yet")
	}

	err = store.Save(ctx, auth.DefaultProfile, auth.Credentials{
		Token:    "abcdefghijklmnopqrst",
		Kind:     auth.TokenKindLegacy,
		Username: "alice",
		SavedAt:  time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
	})
	if err != nil {
		log.Fatal(err)
	}

	creds, err := store.Load(ctx, auth.DefaultProfile)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(creds.Username, creds.Kind)
	fmt.Println(creds) // the token is redacted when printed

	fi, err := os.Stat(store.Path())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("mode %04o\n", fi.Mode().Perm())

	if err := store.Delete(ctx, auth.DefaultProfile); err != nil {
		log.Fatal(err)
	}
	profiles, _ := store.Profiles(ctx)
	fmt.Println("profiles:", profiles)
	// Output:
	// not logged in yet
	// alice legacy
	// auth.Credentials{Token:[REDACTED len=20] Kind:legacy Username:alice SavedAt:2025-01-02T03:04:05Z}
	// mode 0600
	// profiles: []
}

func ExampleLoadOrCreateIdentity() {
	dir, err := os.MkdirTemp("", "plexgo-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	// First run: a random client identifier is created and saved.
	first, err := auth.LoadOrCreateIdentity(dir, "My Plex App", "1.0.0")
	if err != nil {
		log.Fatal(err)
	}
	// Later runs, even after an upgrade, reuse it.
	later, err := auth.LoadOrCreateIdentity(dir, "My Plex App", "1.1.0")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(first.ClientIdentifier), first.ClientIdentifier == later.ClientIdentifier)
	fmt.Println(later.Product, later.Version)
	// Output:
	// 36 true
	// My Plex App 1.1.0
}

func ExampleRedactToken() {
	fmt.Println(auth.RedactToken("abcdefghijklmnopqrst"))
	fmt.Printf("%q\n", auth.RedactToken(""))
	// Output:
	// [REDACTED len=20]
	// ""
}
