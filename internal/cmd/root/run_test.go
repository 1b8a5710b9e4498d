package root

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/internal/cmdutil"
	"github.com/plexkit/plexgo/plextest"
)

// approveWhenPending approves the first pending PIN as login, like a
// second device, and returns its code. Bounded by ctx.
func approveWhenPending(ctx context.Context, fake *plextest.Server, login string) (string, error) {
	acct, ok := fake.Account(login)
	if !ok {
		return "", fmt.Errorf("no account %s", login)
	}
	for {
		if pins := fake.PendingPINs(); len(pins) > 0 {
			return pins[0].Code, fake.ApprovePIN(pins[0].Code, acct.AuthToken)
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func TestLoginPINOnTerminal(t *testing.T) {
	t.Parallel()
	f, fake, out, errOut := newFakeFactory(t, "")
	f.streams.IsStderrTTY, f.streams.IsStdoutTTY = true, true
	browser := f.browser
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	codeCh := make(chan string, 1)
	go func() {
		code, err := approveWhenPending(ctx, fake, plextest.DefaultLogin)
		if err != nil {
			t.Errorf("approve: %v", err)
		}
		codeCh <- code
	}()
	if code := f.Run(ctx, []string{"login", "--poll-interval", "200ms"}); code != cmdutil.ExitOK {
		t.Fatalf("exit code %d; stderr: %s", code, errOut)
	}
	code := <-codeCh
	stderr := errOut.String()
	for _, want := range []string{
		"open this URL in a browser", "Code: " + code,
		"▄", // the QR code, drawn with half blocks on a terminal
		"Opened your browser.",
		"Waiting for approval...", "left (Ctrl-C to cancel)", // the live countdown
		"\r\033[K", // which is cleared at the end
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
	if urls := browser.opened(); len(urls) != 1 || !strings.Contains(urls[0], "code="+code) {
		t.Errorf("browser opened %q, want the auth URL with the code", urls)
	}
	if got := out.String(); got != "Logged in as alice <alice@example.com> (profile default).\n" {
		t.Errorf("stdout = %q", got)
	}
	c, err := loadStored(t, f, auth.DefaultProfile)
	if err != nil {
		t.Fatal(err)
	}
	if c.Kind != auth.TokenKindLegacy || c.Username != "alice" || c.PlexTVURL != fake.PlexTVURL || c.ClientIdentifier == "" {
		t.Errorf("stored %v", c)
	}
	noSecrets(t, f, fake, out.String(), stderr)
}

func TestLoginPINBrowserFailureIsNotFatal(t *testing.T) {
	t.Parallel()
	f, fake, out, errOut := newFakeFactory(t, "")
	f.browser = &recordingBrowser{err: fmt.Errorf("no display")}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	go func() { _, _ = approveWhenPending(ctx, fake, plextest.DefaultLogin) }()
	if code := f.Run(ctx, []string{"login", "--poll-interval", "200ms"}); code != cmdutil.ExitOK {
		t.Fatalf("exit code %d; stderr: %s", code, errOut)
	}
	if !strings.Contains(errOut.String(), "Could not open a browser; open the URL above yourself.") {
		t.Errorf("stderr = %q", errOut)
	}
	if strings.Contains(errOut.String(), "▄") || strings.Contains(errOut.String(), "\r") {
		t.Error("QR code or spinner drawn without a terminal")
	}
	if !strings.HasPrefix(out.String(), "Logged in as alice") {
		t.Errorf("stdout = %q", out)
	}
}

func TestLoginCancelled(t *testing.T) {
	t.Parallel()
	f, fake, _, errOut := newFakeFactory(t, "")
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		for range 3000 {
			if len(fake.PendingPINs()) > 0 {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
	}()
	if code := f.Run(ctx, []string{"login", "--no-browser"}); code != cmdutil.ExitCancelled {
		t.Fatalf("exit code %d, want %d", code, cmdutil.ExitCancelled)
	}
	if !strings.HasSuffix(errOut.String(), "plexauth: interrupted\n") {
		t.Errorf("stderr = %q", errOut)
	}
	if _, err := loadStored(t, f, auth.DefaultProfile); err == nil {
		t.Error("a cancelled login stored credentials")
	}
}

func TestLoginPasswordInteractive(t *testing.T) {
	t.Parallel()
	f, fake, out, errOut := newFakeFactory(t, "")
	f.streams.IsStdinTTY, f.streams.IsStderrTTY = true, true
	p := &scriptedPrompter{answers: []string{plextest.TwoFactorLogin, plextest.TwoFactorPassword, "000000", plextest.TwoFactorCode}}
	f.prompter = p
	if code := f.Run(t.Context(), []string{"login", "--password", "--profile", "bob"}); code != cmdutil.ExitOK {
		t.Fatalf("exit code %d; stderr: %s", code, errOut)
	}
	want := []string{"Plex e-mail or username: ", "Password for bob@example.com: ", "Two-factor verification code: ", "Two-factor verification code: "}
	if fmt.Sprint(p.prompts) != fmt.Sprint(want) {
		t.Errorf("prompts = %q, want %q", p.prompts, want)
	}
	if !strings.Contains(errOut.String(), "That code was not accepted") {
		t.Errorf("stderr = %q", errOut)
	}
	if !strings.Contains(out.String(), "Logged in as bob <bob@example.com> (profile bob).") {
		t.Errorf("stdout = %q", out)
	}
	if n := fake.CountRequests("POST", "/api/v2/users/signin"); n != 3 {
		t.Errorf("%d sign-in requests, want 3 (no code, wrong code, right code)", n)
	}
	noSecrets(t, f, fake, out.String(), errOut.String())
}

func TestLoginPasswordNoCodeForAccountsWithout2FA(t *testing.T) {
	t.Parallel()
	f, fake, _, errOut := newFakeFactory(t, "")
	f.streams.IsStdinTTY, f.streams.IsStderrTTY = true, true
	p := &scriptedPrompter{answers: []string{plextest.DefaultPassword}}
	f.prompter = p
	if code := f.Run(t.Context(), []string{"login", "--password", "-u", plextest.DefaultLogin}); code != cmdutil.ExitOK {
		t.Fatalf("exit code %d; stderr: %s", code, errOut)
	}
	if len(p.prompts) != 1 {
		t.Errorf("prompts = %q, want only the password", p.prompts)
	}
	if n := fake.CountRequests("POST", "/api/v2/users/signin"); n != 1 {
		t.Errorf("%d sign-in requests, want 1", n)
	}
}

func TestWhoamiAndTokenAfterLogin(t *testing.T) {
	t.Parallel()
	f, fake, out, errOut := newFakeFactory(t, plextest.DefaultPassword+"\n")
	if code := f.Run(t.Context(), []string{"login", "--password-stdin", "-u", plextest.DefaultLogin}); code != cmdutil.ExitOK {
		t.Fatalf("login: exit %d: %s", code, errOut)
	}
	out.Reset()
	if code := f.Run(t.Context(), []string{"whoami", "--json"}); code != cmdutil.ExitOK {
		t.Fatalf("whoami: exit %d: %s", code, errOut)
	}
	for _, want := range []string{`"status":"valid"`, `"tokenKind":"legacy"`, `"username":"alice"`, `"plexPass":true`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("whoami --json lacks %s: %s", want, out)
		}
	}
	noSecrets(t, f, fake, out.String(), errOut.String())

	out.Reset()
	if code := f.Run(t.Context(), []string{"token"}); code != cmdutil.ExitOK {
		t.Fatalf("token: exit %d: %s", code, errOut)
	}
	c, err := loadStored(t, f, auth.DefaultProfile)
	if err != nil {
		t.Fatal(err)
	}
	if out.String() != c.Token+"\n" {
		t.Error("token did not print exactly the stored token")
	}

	// After a revocation: invalid, exit 3.
	fake.RevokeToken(c.Token)
	out.Reset()
	errOut.Reset()
	if code := f.Run(t.Context(), []string{"whoami"}); code != cmdutil.ExitAuth {
		t.Fatalf("whoami after revoke: exit %d, want %d", code, cmdutil.ExitAuth)
	}
	if !strings.Contains(out.String(), "token:        invalid") {
		t.Errorf("stdout = %q", out)
	}
	if !strings.Contains(errOut.String(), "run plexauth login") {
		t.Errorf("stderr = %q", errOut)
	}
}

func TestStoredLoginIsBoundToItsHost(t *testing.T) {
	t.Parallel()
	f, _, _, errOut := newFakeFactory(t, plextest.DefaultPassword+"\n")
	if code := f.Run(t.Context(), []string{"login", "--password-stdin", "-u", plextest.DefaultLogin}); code != cmdutil.ExitOK {
		t.Fatalf("login: exit %d: %s", code, errOut)
	}
	errOut.Reset()
	// The token must never be sent to another plex.tv URL.
	if code := f.Run(t.Context(), []string{"--plextv-url", "http://127.0.0.1:9", "whoami"}); code != cmdutil.ExitAuth {
		t.Fatalf("exit %d, want %d", code, cmdutil.ExitAuth)
	}
	if !strings.Contains(errOut.String(), "is for http://127.0.0.1:") {
		t.Errorf("stderr = %q", errOut)
	}
}

func TestVerboseRedactsSecrets(t *testing.T) {
	t.Parallel()
	f, fake, out, errOut := newFakeFactory(t, plextest.DefaultPassword+"\n")
	if code := f.Run(t.Context(), []string{"-v", "login", "--password-stdin", "-u", plextest.DefaultLogin}); code != cmdutil.ExitOK {
		t.Fatalf("login: exit %d: %s", code, errOut)
	}
	if code := f.Run(t.Context(), []string{"-v", "servers"}); code != cmdutil.ExitOK {
		t.Fatalf("servers: exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut.String(), "level=DEBUG") {
		t.Errorf("no debug log on stderr: %q", errOut)
	}
	noSecrets(t, f, fake, out.String(), errOut.String())
}

func TestExitCodeNotLoggedIn(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"whoami"}, {"status"}, {"token"}, {"servers"}, {"connect", "x"}, {"home", "users"}, {"source-info", "x", "--server", "y"}} {
		streams, out, errOut := testStreams("")
		env := fakeEnv(map[string]string{cmdutil.EnvConfigDir: t.TempDir(), cmdutil.EnvPlexTVURL: "http://127.0.0.1:9"})
		if code := Main(t.Context(), args, streams, env); code != cmdutil.ExitAuth {
			t.Errorf("%q: exit %d, want %d", args, code, cmdutil.ExitAuth)
		}
		if out.Len() != 0 || !strings.Contains(errOut.String(), "not logged in") {
			t.Errorf("%q: stdout %q stderr %q", args, out, errOut)
		}
	}
}

// login --jwt verifies the Plex JWT once (in auth.LoginWithPINJWT) and
// stores credentials built from those claims: one fetch of the signing
// keys.
func TestLoginJWTFetchesKeysOnce(t *testing.T) {
	t.Parallel()
	f, fake, out, errOut := newFakeFactory(t, "")
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	go func() { _, _ = approveWhenPending(ctx, fake, plextest.DefaultLogin) }()
	if code := f.Run(ctx, []string{"login", "--jwt", "--no-browser", "--poll-interval", "200ms"}); code != cmdutil.ExitOK {
		t.Fatalf("exit code %d; stderr: %s", code, errOut)
	}
	if n := fake.CountRequests("GET", "/api/v2/auth/keys"); n != 1 {
		t.Errorf("%d GET /api/v2/auth/keys, want 1", n)
	}
	c, err := loadStored(t, f, auth.DefaultProfile)
	if err != nil {
		t.Fatal(err)
	}
	alice, _ := fake.Account(plextest.DefaultLogin)
	if c.Kind != auth.TokenKindJWT || len(c.DeviceKey) == 0 || c.ExpiresAt.IsZero() || c.ClientIdentifier == "" ||
		c.Username != "alice" || c.AccountID != alice.ID || c.AccountUUID != alice.UUID || c.Email != alice.Email {
		t.Errorf("stored %v", c)
	}
	if !strings.Contains(out.String(), "Logged in as alice <alice@example.com> (profile default, JWT until ") {
		t.Errorf("stdout = %q", out)
	}
	noSecrets(t, f, fake, out.String(), errOut.String())
}
