package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/internal/testutil"
	"github.com/plexkit/plexgo/plextest"
)

// TestMain lets the test binary act as plexauth (and as a recording
// browser) inside the scripts.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"plexauth": func() { os.Exit(run()) },
		// record-browser stands in for a browser: it appends the URL it
		// was asked to open to $BROWSER_LOG.
		"record-browser": func() {
			f, err := os.OpenFile(os.Getenv("BROWSER_LOG"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
			if err != nil {
				os.Exit(1)
			}
			_, _ = f.WriteString(strings.Join(os.Args[1:], " ") + "\n")
			_ = f.Close()
		},
	})
}

// fakeKey is where Setup keeps the script's fake in the testscript values.
type fakeKey struct{}

// TestScripts runs testdata/script/*.txtar. Each script gets its own fake
// plex.tv and PMS (package plextest) on loopback and its own config
// directory ($WORK/config).
func TestScripts(t *testing.T) {
	t.Parallel()
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		Setup:               setupScript,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"approve-pin":    cmdApprovePIN,
			"expire-pins":    cmdExpirePINs,
			"revoke-token":   cmdRevokeToken,
			"no-token-leak":  cmdNoTokenLeak,
			"stdout-token":   cmdStdoutToken,
			"exits":          cmdExits,
			"quiet-token":    cmdQuietToken,
			"write-lines":    cmdWriteLines,
			"fake-fault":     cmdFakeFault,
			"stored-profile": cmdStoredProfile,
			"env-token":      cmdEnvToken,
			"stdout-var":     cmdStdoutVar,
			"tokens-differ":  cmdTokensDiffer,
			"share-token":    cmdShareToken,
		},
	})
}

func setupScript(env *testscript.Env) error {
	fake, err := plextest.New()
	if err != nil {
		return err
	}
	env.Defer(fake.Close)
	env.Values[fakeKey{}] = fake
	alice, _ := fake.Account(plextest.DefaultLogin)
	srv := fake.Servers()[0]
	for k, v := range map[string]string{
		"PLEXAUTH_PLEXTV_URL": fake.PlexTVURL,
		"PLEXAUTH_CONFIG_DIR": filepath.Join(env.WorkDir, "config"),
		"BROWSER_LOG":         filepath.Join(env.WorkDir, "browser.log"),
		"FAKE_LOGIN":          plextest.DefaultLogin,
		"FAKE_USERNAME":       alice.Username,
		"FAKE_PASSWORD":       plextest.DefaultPassword,
		"FAKE_2FA_LOGIN":      plextest.TwoFactorLogin,
		"FAKE_2FA_PASSWORD":   plextest.TwoFactorPassword,
		"FAKE_2FA_CODE":       plextest.TwoFactorCode,
		"FAKE_HOME_PIN":       plextest.HomeUserPIN,
		"FAKE_SERVER":         srv.Name,
		"FAKE_SERVER_ID":      srv.MachineIdentifier,
		"FAKE_PMS_URL":        fake.PMSURL,
		"PLEX_TOKEN":          "",
		// Tokens in the file (the scripts read it); storage.txtar and the
		// keyring test cover the OS keyring. No session bus either.
		"PLEXAUTH_INSECURE_STORAGE": "1",
		"DBUS_SESSION_BUS_ADDRESS":  "unix:path=" + filepath.Join(env.WorkDir, "no-such-bus"),
		// Under -race every exiting process would sleep 1 s by default.
		"GORACE": strings.TrimSpace("atexit_sleep_ms=0 " + os.Getenv("GORACE")),
		// A script that forgets --no-browser only records the URL.
		"BROWSER": "record-browser",
	} {
		env.Setenv(k, v)
	}
	return nil
}

func fakeOf(ts *testscript.TestScript) *plextest.Server {
	return ts.Value(fakeKey{}).(*plextest.Server)
}

// cmdApprovePIN plays the second device of a PIN login: it waits (bounded)
// for the pending PIN and approves it with a real PUT /api/v2/pins/link
// carrying the account's token. It sets $PIN_CODE to the code.
//
//	approve-pin LOGIN
func cmdApprovePIN(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: approve-pin LOGIN")
	}
	fake := fakeOf(ts)
	acct, ok := fake.Account(args[0])
	if !ok {
		ts.Fatalf("approve-pin: no account %q in the fake", args[0])
	}
	var pin plextest.PendingPIN
	found := false
	for i := 0; i < 1500 && !found; i++ { // at most ~30 s
		if pins := fake.PendingPINs(); len(pins) > 0 {
			pin, found = pins[len(pins)-1], true
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !found {
		ts.Fatalf("approve-pin: no pending PIN appeared")
	}
	ts.Setenv("PIN_CODE", pin.Code)
	phone := plexgo.New(
		plexgo.WithPlexTVURL(fake.PlexTVURL),
		plexgo.WithXPlexClientIdentifier("testscript-phone"),
		plexgo.WithProduct("Plex SSO"),
		plexgo.WithSecurity(acct.AuthToken),
	)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := phone.Plex.LinkPin(ctx, pin.Code)
	switch {
	case err != nil && !neg:
		ts.Fatalf("approve-pin: %v", err)
	case err == nil && neg:
		ts.Fatalf("approve-pin: unexpected success")
	}
}

// cmdExpirePINs waits (bounded) for a pending PIN, then expires every
// pending PIN.
//
//	expire-pins
func cmdExpirePINs(ts *testscript.TestScript, neg bool, args []string) {
	fake := fakeOf(ts)
	for i := 0; i < 1500; i++ {
		pins := fake.PendingPINs()
		if len(pins) > 0 {
			for _, p := range pins {
				ts.Check(fake.ExpirePIN(p.ID))
			}
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	ts.Fatalf("expire-pins: no pending PIN appeared")
}

func loadCreds(ts *testscript.TestScript, profile string) (auth.Credentials, error) {
	store := auth.NewFileStore(ts.Getenv("PLEXAUTH_CONFIG_DIR"), auth.FileStoreOptions{})
	return store.Load(context.Background(), profile)
}

// cmdRevokeToken revokes the stored token of a profile on the fake, like
// removing the device from the account's Authorized Devices.
//
//	revoke-token [PROFILE]
func cmdRevokeToken(ts *testscript.TestScript, neg bool, args []string) {
	profile := auth.DefaultProfile
	if len(args) > 0 {
		profile = args[0]
	}
	c, err := loadCreds(ts, profile)
	if err != nil {
		ts.Fatalf("revoke-token: %v", err)
	}
	fakeOf(ts).RevokeToken(c.Token)
}

// secrets returns every secret the outputs must not contain, with a name
// to report instead of the value.
func secrets(ts *testscript.TestScript) map[string]string {
	out := map[string]string{}
	store := auth.NewFileStore(ts.Getenv("PLEXAUTH_CONFIG_DIR"), auth.FileStoreOptions{})
	ctx := context.Background()
	profiles, _ := store.Profiles(ctx)
	for _, p := range profiles {
		if c, err := store.Load(ctx, p); err == nil && c.Token != "" {
			out["stored token of profile "+p] = c.Token
			if len(c.DeviceKey) > 0 {
				out["device key of profile "+p] = base64.StdEncoding.EncodeToString(c.DeviceKey)
				out["device key (base64url) of profile "+p] = base64.RawURLEncoding.EncodeToString(c.DeviceKey)
			}
		}
	}
	fake := fakeOf(ts)
	for _, a := range fake.Accounts() {
		out["seed token of "+a.Username] = a.AuthToken
		if a.Password != "" {
			out["password of "+a.Username] = a.Password
		}
	}
	for _, s := range fake.Servers() {
		out["access token of server "+s.Name] = s.AccessToken
	}
	// Tokens the fake issued to this script's plexauth device, stored or
	// not (e.g. after logout).
	if id := identityClientID(ts); id != "" {
		for _, a := range fake.Accounts() {
			if a.Password == "" {
				continue
			}
			if tok, err := fake.IssueToken(a.Login, id); err == nil {
				out["token of "+a.Username+" for this device"] = tok
			}
		}
	}
	return out
}

func identityClientID(ts *testscript.TestScript) string {
	dir := ts.Getenv("PLEXAUTH_CONFIG_DIR")
	if _, err := os.Stat(filepath.Join(dir, "identity.json")); err != nil {
		return ""
	}
	id, err := auth.LoadOrCreateIdentity(dir, "plexauth", plexgo.Version)
	if err != nil {
		return ""
	}
	return id.ClientIdentifier
}

// cmdNoTokenLeak fails if the last command's stdout or stderr contains a
// token or password. It names the secret, never prints it.
//
//	no-token-leak
func cmdNoTokenLeak(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("no-token-leak does not support !")
	}
	tb := &scriptTB{ts: ts}
	for _, stream := range []string{"stdout", "stderr"} {
		text := ts.ReadFile(stream)
		for name, secret := range secrets(ts) {
			if len(secret) >= 8 {
				testutil.NoSecret(tb, name+" in "+stream, text, secret)
			}
		}
	}
	if tb.failed {
		ts.Fatalf("no-token-leak: a secret leaked (see above; not shown)")
	}
}

// scriptTB lets testutil.NoSecret report to a script: it logs each
// failure (the message never holds the secret) and remembers there was
// one. NoSecret calls only Helper and Errorf; testing.TB is embedded (nil)
// to satisfy the interface and is never called.
type scriptTB struct {
	testing.TB
	ts     *testscript.TestScript
	failed bool
}

func (s *scriptTB) Helper() {}

func (s *scriptTB) Errorf(format string, args ...any) {
	s.ts.Logf(format, args...)
	s.failed = true
}

// cmdStdoutToken checks that stdout is exactly the stored token of the
// profile (plus a newline), without printing it.
//
//	stdout-token [PROFILE]
func cmdStdoutToken(ts *testscript.TestScript, neg bool, args []string) {
	profile := auth.DefaultProfile
	if len(args) > 0 {
		profile = args[0]
	}
	c, err := loadCreds(ts, profile)
	if err != nil {
		ts.Fatalf("stdout-token: %v", err)
	}
	same := ts.ReadFile("stdout") == c.Token+"\n"
	switch {
	case !same && !neg:
		ts.Fatalf("stdout is not the stored token of profile %s", profile)
	case same && neg:
		ts.Fatalf("stdout is the stored token of profile %s", profile)
	}
}

// cmdWriteLines writes each argument as one line of FILE (so secrets from
// the environment can feed stdin).
//
//	write-lines FILE LINE...
func cmdWriteLines(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 1 {
		ts.Fatalf("usage: write-lines FILE LINE...")
	}
	var b strings.Builder
	for _, l := range args[1:] {
		b.WriteString(l + "\n")
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(b.String()), 0o600))
}

// cmdFakeFault injects a fault into the fake: the next N requests of the
// route (default 1) get STATUS, with a Retry-After header when given.
// "fake-fault clear" removes every fault.
//
//	fake-fault [-n N] 'METHOD /path' STATUS [RETRY-AFTER]
//	fake-fault clear
func cmdFakeFault(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 1 && args[0] == "clear" {
		fakeOf(ts).ClearFaults()
		return
	}
	n := 1
	if len(args) > 2 && args[0] == "-n" {
		var err error
		n, err = strconv.Atoi(args[1])
		ts.Check(err)
		args = args[2:]
	}
	if len(args) < 2 || n < 1 {
		ts.Fatalf("usage: fake-fault [-n N] 'METHOD /path' STATUS [RETRY-AFTER]")
	}
	status, err := strconv.Atoi(args[1])
	ts.Check(err)
	f := plextest.Fault{}
	for range n {
		f.Statuses = append(f.Statuses, status)
	}
	if len(args) > 2 {
		f.RetryAfter = args[2]
	}
	fakeOf(ts).InjectFault(args[0], f)
}

// cmdStoredProfile checks whether a profile is stored.
//
//	[!] stored-profile PROFILE
func cmdStoredProfile(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: stored-profile PROFILE")
	}
	_, err := loadCreds(ts, args[0])
	switch {
	case err == nil && neg:
		ts.Fatalf("profile %s is stored", args[0])
	case err != nil && !neg:
		if errors.Is(err, auth.ErrNotLoggedIn) {
			ts.Fatalf("profile %s is not stored", args[0])
		}
		ts.Fatalf("stored-profile: %v", err)
	}
}

// cmdExits runs a command like exec and checks its exit code.
//
//	exits CODE COMMAND [ARGS...]
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE COMMAND [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("exits: %v", err)
	}
	if got != want {
		ts.Fatalf("exit code %d, want %d", got, want)
	}
}

// cmdQuietToken runs "plexauth token ARGS..." without logging its output
// and checks what it printed, so the token never reaches the test log:
// stdout must be the stored token of PROFILE (or, with --transient, a
// token that is none of the account or server tokens), stderr empty.
//
//	quiet-token PROFILE [ARGS...]
func cmdQuietToken(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: quiet-token PROFILE [ARGS...]")
	}
	targs := []string{"token", "--profile", args[0]}
	if ts.Getenv("PLEX_TOKEN") != "" {
		targs = []string{"token"} // PLEX_TOKEN and --profile are exclusive
	}
	cmd := exec.Command("plexauth", append(targs, args[1:]...)...)
	if p, err := exec.LookPath("plexauth"); err == nil {
		cmd.Path = p
	}
	for _, k := range []string{"PATH", "HOME", "TMPDIR", "PLEXAUTH_PLEXTV_URL", "PLEXAUTH_CONFIG_DIR", "PLEX_TOKEN"} {
		cmd.Env = append(cmd.Env, k+"="+ts.Getenv(k))
	}
	cmd.Dir = ts.MkAbs(".")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		ts.Fatalf("plexauth token failed (%v); stderr: %s", err, stderr.String())
	}
	if stderr.Len() > 0 {
		ts.Fatalf("plexauth token wrote to stderr: %s", stderr.String())
	}
	got := stdout.String()
	jsonMode, transient := false, false
	for _, a := range args[1:] {
		jsonMode = jsonMode || a == "--json"
		transient = transient || a == "--transient"
	}
	if jsonMode {
		var doc struct {
			Token     string `json:"token"`
			Kind      string `json:"kind"`
			ExpiresAt string `json:"expiresAt"`
		}
		if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
			ts.Fatalf("plexauth token --json: not one JSON document: %v", err)
		}
		if doc.Kind == "" {
			ts.Fatalf("plexauth token --json: no kind")
		}
		if (doc.Kind == "transient" || doc.Kind == "jwt") && doc.ExpiresAt == "" {
			ts.Fatalf("plexauth token --json: no expiresAt for a %s token", doc.Kind)
		}
		got = doc.Token + "\n"
	}
	if transient {
		tok := strings.TrimSuffix(got, "\n")
		if tok == "" || strings.ContainsAny(tok, " \n") {
			ts.Fatalf("plexauth token --transient did not print one token")
		}
		for name, secret := range secrets(ts) {
			if tok == secret {
				ts.Fatalf("plexauth token --transient printed the %s instead of a transient token", name)
			}
		}
		return
	}
	c, err := loadCreds(ts, args[0])
	if err != nil {
		ts.Fatalf("quiet-token: %v", err)
	}
	if got != c.Token+"\n" {
		ts.Fatalf("plexauth token did not print the stored token of profile %s", args[0])
	}
}

// cmdEnvToken sets PLEX_TOKEN to the stored token of a profile, without
// the value reaching the test log.
//
//	env-token PROFILE
func cmdEnvToken(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: env-token PROFILE")
	}
	c, err := loadCreds(ts, args[0])
	if err != nil {
		ts.Fatalf("env-token: %v", err)
	}
	ts.Setenv("PLEX_TOKEN", c.Token)
}

// cmdStdoutVar sets VAR to the first group of REGEXP in the last
// command's stdout (for ids the next command needs; never a secret).
//
//	stdout-var VAR REGEXP
func cmdStdoutVar(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: stdout-var VAR REGEXP")
	}
	re, err := regexp.Compile(args[1])
	ts.Check(err)
	m := re.FindStringSubmatch(ts.ReadFile("stdout"))
	if len(m) < 2 {
		ts.Fatalf("stdout-var: no match for %s", args[1])
	}
	ts.Setenv(args[0], m[1])
}

// cmdTokensDiffer checks that two stored profiles hold different tokens
// and client identifiers (without printing either token).
//
//	[!] tokens-differ PROFILE PROFILE
func cmdTokensDiffer(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: tokens-differ PROFILE PROFILE")
	}
	a, err := loadCreds(ts, args[0])
	ts.Check(err)
	b, err := loadCreds(ts, args[1])
	ts.Check(err)
	differ := a.Token != b.Token && a.ClientIdentifier != b.ClientIdentifier
	switch {
	case !differ && !neg:
		ts.Fatalf("profiles %s and %s share a token or a client identifier", args[0], args[1])
	case differ && neg:
		ts.Fatalf("profiles %s and %s hold different tokens", args[0], args[1])
	}
}

// cmdShareToken stores profile TO as a copy of FROM (same token and
// device), as older plexauth versions did for profiles of one account.
//
//	share-token FROM TO
func cmdShareToken(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: share-token FROM TO")
	}
	c, err := loadCreds(ts, args[0])
	ts.Check(err)
	store := auth.NewFileStore(ts.Getenv("PLEXAUTH_CONFIG_DIR"), auth.FileStoreOptions{})
	ts.Check(store.Save(context.Background(), args[1], c))
}
