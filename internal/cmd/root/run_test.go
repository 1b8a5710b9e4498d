package root

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
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
	f.env["DISPLAY"] = ":0"
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
	// --web opens the browser at once; --qr=always draws the QR code
	// (the buffer has no terminal size). The pty tests in cmd/plexauth
	// cover the screen at 80x24 and Enter-to-open.
	if code := f.Run(ctx, []string{"login", "--web", "--qr=always", "--poll-interval", "200ms"}); code != cmdutil.ExitOK {
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

// TestLoginScreenSize: on a terminal the QR code is drawn only when it
// fits with the text below it; the URL and the code come after it.
func TestLoginScreenSize(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		w, h   int
		env    map[string]string
		args   []string
		wantQR bool
		note   string
	}{
		{name: "80x24", w: 80, h: 24, note: "--qr=always shows it"},
		{name: "large", w: 200, h: 80, wantQR: true},
		{name: "large but never", w: 200, h: 80, args: []string{"--qr=never"}},
		{name: "80x24 always", w: 80, h: 24, args: []string{"--qr=always"}, wantQR: true},
		{name: "TERM=dumb", w: 200, h: 80, env: map[string]string{"TERM": "dumb"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, fake, _, errOut := newFakeFactory(t, "")
			f.streams.IsStderrTTY = true
			f.streams.TerminalSize = func() (int, int, bool) { return tc.w, tc.h, true }
			for k, v := range tc.env {
				f.env[k] = v
			}
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer cancel()
			go func() { _, _ = approveWhenPending(ctx, fake, plextest.DefaultLogin) }()
			if code := f.Run(ctx, append([]string{"login", "--poll-interval", "200ms"}, tc.args...)); code != cmdutil.ExitOK {
				t.Fatalf("exit code %d; stderr: %s", code, errOut)
			}
			stderr := errOut.String()
			qr := strings.Index(stderr, "▄")
			if (qr >= 0) != tc.wantQR {
				t.Fatalf("QR drawn = %v, want %v; stderr:\n%s", qr >= 0, tc.wantQR, stderr)
			}
			if url := strings.Index(stderr, "https://app.plex.tv/auth"); url < 0 || (qr >= 0 && url < qr) {
				t.Errorf("the URL is not after the QR code")
			}
			if tc.note != "" && !strings.Contains(stderr, tc.note) {
				t.Errorf("stderr lacks %q", tc.note)
			}
			if (tc.env["TERM"] == "dumb") == strings.Contains(stderr, "\r\033[K") {
				t.Errorf("spinner drawn = %v with TERM=%q", !(tc.env["TERM"] == "dumb"), tc.env["TERM"])
			}
		})
	}
}

func TestLoginPINBrowserFailureIsNotFatal(t *testing.T) {
	t.Parallel()
	f, fake, out, errOut := newFakeFactory(t, "")
	f.browser = &recordingBrowser{err: fmt.Errorf("no display")}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	go func() { _, _ = approveWhenPending(ctx, fake, plextest.DefaultLogin) }()
	f.env["BROWSER"] = "some-browser" // a display-less Linux would not try at all
	if code := f.Run(ctx, []string{"login", "--web", "--poll-interval", "200ms"}); code != cmdutil.ExitOK {
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

// End of input at the login prompt is exit 8, not 130 (that is Ctrl-C);
// an empty login is asked again.
func TestLoginPromptEndOfInputAndEmptyLogin(t *testing.T) {
	t.Parallel()
	f, _, out, errOut := newFakeFactory(t, "")
	f.streams.IsStdinTTY, f.streams.IsStderrTTY = true, true
	f.prompter = &scriptedPrompter{} // closed at once, like Ctrl-D
	if code := f.Run(t.Context(), []string{"login", "--password"}); code != cmdutil.ExitInputClosed {
		t.Fatalf("exit %d, want %d; stderr: %s", code, cmdutil.ExitInputClosed, errOut)
	}
	if !strings.Contains(errOut.String(), "read the login") {
		t.Errorf("stderr = %q", errOut)
	}
	p := &scriptedPrompter{answers: []string{"", "  ", plextest.DefaultLogin, plextest.DefaultPassword}}
	f.prompter = p
	errOut.Reset()
	if code := f.Run(t.Context(), []string{"login", "--password"}); code != cmdutil.ExitOK {
		t.Fatalf("exit %d; stderr: %s", code, errOut)
	}
	if n := strings.Count(errOut.String(), "The login cannot be empty"); n != 2 {
		t.Errorf("asked again %d times, want 2; stderr: %q", n, errOut)
	}
	if !strings.HasPrefix(out.String(), "Logged in as alice") {
		t.Errorf("stdout = %q", out)
	}
	// Logged in now: on a terminal, login asks before replacing it.
	p = &scriptedPrompter{answers: []string{"n"}}
	f.prompter = p
	errOut.Reset()
	if code := f.Run(t.Context(), []string{"login", "--password"}); code != cmdutil.ExitFailure {
		t.Fatalf("exit %d; stderr: %s", code, errOut)
	}
	if len(p.prompts) != 1 || !strings.Contains(p.prompts[0], "Profile default is already logged in as alice. Log in again and replace it? [y/N]") {
		t.Errorf("prompts = %q", p.prompts)
	}
	if !strings.Contains(errOut.String(), "login cancelled: profile default keeps its login") {
		t.Errorf("stderr = %q", errOut)
	}
}

// Secrets go to the OS keyring and the rest to the file; whoami and status
// say where; logout removes the keyring item. Without a keyring the file
// takes the token and one line says so, naming the file.
func TestKeyringStorage(t *testing.T) {
	t.Parallel()
	f, _, out, errOut := newFakeFactory(t, strings.Repeat(plextest.DefaultPassword+"\n", 3))
	login := func(args ...string) {
		t.Helper()
		if code := f.Run(t.Context(), append([]string{"login", "--password-stdin", "-u", plextest.DefaultLogin}, args...)); code != cmdutil.ExitOK {
			t.Fatalf("login %v: exit %d: %s", args, code, errOut)
		}
	}
	login()
	if f.keyring.len() != 1 {
		t.Fatalf("keyring holds %d items, want 1", f.keyring.len())
	}
	if strings.Contains(errOut.String(), "not in the OS keyring") {
		t.Errorf("fallback announced with a keyring: %s", errOut)
	}
	file := filepath.Join(f.env[cmdutil.EnvConfigDir], "credentials.json")
	c, err := loadStored(t, f, auth.DefaultProfile)
	if err != nil || c.Token == "" {
		t.Fatalf("load: %v", err)
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), c.Token) {
		t.Error("the token is in credentials.json although the keyring took it")
	}
	out.Reset()
	if code := f.Run(t.Context(), []string{"whoami"}); code != cmdutil.ExitOK {
		t.Fatalf("whoami: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out.String(), "storage:      keyring\n") {
		t.Errorf("whoami:\n%s", out)
	}

	f.keyring.down = true
	errOut.Reset()
	login("--profile", "nokeyring")
	want := `Note: the token of profile "nokeyring" is stored in ` + file + " (mode 0600), not in the OS keyring"
	if got := errOut.String(); !strings.Contains(got, want) || strings.Count(got, "\n") != 1 {
		t.Errorf("stderr = %q, want one line with %q", got, want)
	}
	f.keyring.down = false
	errOut.Reset()
	f.env[cmdutil.EnvInsecureStorage] = "1"
	login("--profile", "onpurpose")
	if errOut.Len() != 0 {
		t.Errorf("--insecure-storage announced: %q", errOut)
	}
	delete(f.env, cmdutil.EnvInsecureStorage)
	out.Reset()
	if code := f.Run(t.Context(), []string{"status"}); code != cmdutil.ExitOK {
		t.Fatalf("status: exit %d: %s", code, errOut)
	}
	for _, w := range []string{"default (default): valid, alice <alice@example.com> (legacy) [keyring]", "nokeyring: valid, alice <alice@example.com> (legacy) [" + file + "]", "onpurpose: valid"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("status lacks %q:\n%s", w, out)
		}
	}
	if code := f.Run(t.Context(), []string{"logout"}); code != cmdutil.ExitOK {
		t.Fatalf("logout: exit %d: %s", code, errOut)
	}
	if f.keyring.len() != 0 {
		t.Errorf("logout left %d keyring items", f.keyring.len())
	}
	if code := f.Run(t.Context(), []string{"logout", "--profile", "nokeyring"}); code != cmdutil.ExitOK {
		t.Fatalf("logout nokeyring: exit %d: %s", code, errOut)
	}
	if _, err := loadStored(t, f, "nokeyring"); !errors.Is(err, auth.ErrNotLoggedIn) {
		t.Errorf("nokeyring still stored: %v", err)
	}
}
