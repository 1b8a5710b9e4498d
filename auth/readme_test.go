package auth_test

import (
	"context"
	"log"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/auth"
)

// readmeQuickStart holds, between the BEGIN and END lines, the README's
// quick start for a long-running app ("Getting a token"), so that it is
// compiled; TestREADMEQuickStartCompiles checks that the README shows
// exactly these lines. It is never run (it would talk to plex.tv).
func readmeQuickStart(showURL func(auth.PINPrompt)) {
	// BEGIN README
	//lint:ignore SA4006 the README elides the error checks
	dir, err := auth.AppDir("My Bot")                             // e.g. ~/.config/my-bot-3f2a9c1d0b7e
	ident, err := auth.LoadOrCreateIdentity(dir, "My Bot", "1.0") // created once, reused forever
	sdk := plexgo.New(plexgo.WithXPlexClientIdentifier(ident.ClientIdentifier), plexgo.WithProduct(ident.Product))
	store := auth.NewKeyringStore(auth.NewFileStore(dir, auth.FileStoreOptions{}), auth.KeyringOptions{
		OnFallback: func(f *auth.KeyringFallback) { log.Print(f) }, // no OS keyring: says which file holds the token
	})
	session := auth.NewSession(sdk, store, auth.DefaultProfile, auth.SessionOptions{
		Login: func(ctx context.Context) (*auth.LoginResult, error) {
			return auth.LoginWithPIN(ctx, sdk, auth.PINOptions{OnPrompt: showURL})
		},
		KeepAlive: 24 * time.Hour,
		OnInvalid: func(profile string, err error) { log.Print("sign in again: ", err) },
	})
	defer session.Close()
	client := sdk.With(plexgo.WithSecuritySource(session.Security)) // every call carries the current token
	// END README
	_, _ = err, client
}

var _ = readmeQuickStart

func TestREADMEQuickStartCompiles(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Getting a token\n")
	if !ok {
		t.Fatal("README has no \"## Getting a token\" section")
	}
	block := regexp.MustCompile("(?s)```go\n(.*?)```").FindStringSubmatch(section)
	if block == nil {
		t.Fatal("no Go block in the README's \"Getting a token\" section")
	}
	src, err := os.ReadFile("readme_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, code, _ := strings.Cut(string(src), "// BEGIN README\n")
	code, _, _ = strings.Cut(code, "\t// END README")
	norm := func(s string) string {
		var lines []string
		for l := range strings.SplitSeq(strings.TrimSpace(s), "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "//lint:") {
				continue
			}
			lines = append(lines, strings.Join(strings.Fields(l), " "))
		}
		return strings.Join(lines, "\n")
	}
	if got, want := norm(block[1]), norm(code); got != want {
		t.Errorf("the README's quick start differs from readmeQuickStart in auth/readme_test.go (which is compiled); README:\n%s\nwant:\n%s", got, want)
	}
}
