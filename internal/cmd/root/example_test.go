package root_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/plexkit/plexgo/internal/cmd/root"
	"github.com/plexkit/plexgo/internal/cmdutil"
	"github.com/plexkit/plexgo/plextest"
)

// Main runs plexauth in-process: here a usage error, printed as one line
// on stderr, with exit code 2.
func ExampleMain() {
	var stdout, stderr bytes.Buffer
	code := root.Main(context.Background(), []string{"frobnicate"},
		cmdutil.IOStreams{In: strings.NewReader(""), Out: &stdout, ErrOut: &stderr}, nil)
	fmt.Print(stderr.String())
	fmt.Println("exit code", code)
	// Output:
	// plexauth: unknown command "frobnicate": run plexauth --help for usage
	// exit code 2
}

// A password login against the fake plex.tv, then whoami. The password
// comes from stdin, as with "--password-stdin" in a script.
func ExampleMain_login() {
	fake, err := plextest.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer fake.Close()
	dir, err := os.MkdirTemp("", "plexauth-example-")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	env := map[string]string{"PLEXAUTH_PLEXTV_URL": fake.PlexTVURL, "PLEXAUTH_CONFIG_DIR": dir}
	run := func(stdin string, args ...string) {
		var stdout, stderr bytes.Buffer
		code := root.Main(context.Background(), args,
			cmdutil.IOStreams{In: strings.NewReader(stdin), Out: &stdout, ErrOut: &stderr},
			func(k string) string { return env[k] })
		first, _, _ := strings.Cut(stdout.String(), "\n")
		fmt.Printf("exit %d: %s\n", code, first)
	}
	run(plextest.DefaultPassword+"\n", "login", "--password-stdin", "--username", plextest.DefaultLogin)
	run("", "whoami")
	run("", "logout")
	run("", "whoami")
	// Output:
	// exit 0: Logged in as alice <alice@example.com> (profile default).
	// exit 0: alice <alice@example.com>
	// exit 0: Logged out alice (profile default).
	// exit 3:
}
