//go:build unix

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/plextest"
)

// snapshotDir returns every file under dir with its content ("" for a
// directory); a missing dir is an empty snapshot.
func snapshotDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && p == dir {
				return filepath.SkipDir
			}
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			out[rel+"/"] = ""
			return nil
		}
		data, err := os.ReadFile(p)
		out[rel] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameFiles reports (without printing contents: they hold tokens) which
// files of before changed, appeared or went away in after.
func sameFiles(t *testing.T, what string, before, after map[string]string) {
	t.Helper()
	for p, c := range before {
		if a, ok := after[p]; !ok {
			t.Errorf("%s: %s was removed", what, p)
		} else if a != c {
			t.Errorf("%s: %s was changed", what, p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			t.Errorf("%s: %s was created", what, p)
		}
	}
}

// Issue 13 (Done means): two apps following the README (auth.AppDir) and
// the real plexauth, in one HOME with no --config-dir, never touch each
// other's files: the apps do not see or rewrite plexauth's identity or
// login, plexauth does not see theirs, and plexauth logout leaves their
// tokens valid.
func TestTwoAppsAndPlexauthInOneHome(t *testing.T) {
	e := newPTYEnv(t)
	home := t.TempDir()
	xdg := filepath.Join(home, ".config")
	t.Setenv("XDG_CONFIG_HOME", xdg) // for AppDir and DefaultDir in this process
	plexauth := func(stdin string, args ...string) (string, error) {
		t.Helper()
		cmd := exec.Command(filepath.Join(e.bin, "plexauth"), args...)
		cmd.Env = []string{"PATH=" + e.bin, "HOME=" + home, "XDG_CONFIG_HOME=" + xdg,
			"PLEXAUTH_PLEXTV_URL=" + e.fake.PlexTVURL, "PLEXAUTH_INSECURE_STORAGE=1",
			"DBUS_SESSION_BUS_ADDRESS=unix:path=" + filepath.Join(home, "no-such-bus"), "GORACE=atexit_sleep_ms=0"}
		cmd.Stdin = strings.NewReader(stdin)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		return out.String(), err
	}
	cliDir, err := auth.DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	if out, err := plexauth(plextest.DefaultPassword+"\n", "login", "--password-stdin", "-u", plextest.DefaultLogin); err != nil {
		t.Fatalf("plexauth login: %v\n%s", err, out)
	}
	cliFiles := snapshotDir(t, cliDir)
	if _, ok := cliFiles["identity.json"]; !ok {
		t.Fatalf("plexauth did not keep its identity in %s: is the test's HOME used?", cliDir)
	}
	cliID := clientIDOf(t, filepath.Join(cliDir, "identity.json"))

	ctx := context.Background()
	type app struct{ product, dir, clientID, token string }
	apps := []*app{{product: "Plex Bot"}, {product: "Other App"}}
	for _, a := range apps {
		a.dir, err = auth.AppDir(a.product)
		if err != nil {
			t.Fatal(err)
		}
		ident, err := auth.LoadOrCreateIdentity(a.dir, a.product, "1.0")
		if err != nil {
			t.Fatal(err)
		}
		a.clientID = ident.ClientIdentifier
		sdk := plexgo.New(plexgo.WithPlexTVURL(e.fake.PlexTVURL), plexgo.WithXPlexClientIdentifier(ident.ClientIdentifier), plexgo.WithProduct(ident.Product))
		store := auth.NewFileStore(a.dir, auth.FileStoreOptions{})
		if _, err := store.Load(ctx, auth.DefaultProfile); err == nil {
			t.Errorf("%s: found a login on its first run (another app's?)", a.product)
		}
		res, err := auth.LoginWithPassword(ctx, sdk, auth.PasswordOptions{Login: plextest.DefaultLogin, Password: plextest.DefaultPassword})
		if err != nil {
			t.Fatalf("%s: login: %v", a.product, err)
		}
		a.token = res.Token
		if err := store.Save(ctx, auth.DefaultProfile, res.Credentials("")); err != nil {
			t.Fatal(err)
		}
		if a.clientID == cliID {
			t.Errorf("%s shares plexauth's client identifier", a.product)
		}
		if strings.HasPrefix(a.dir, cliDir+string(filepath.Separator)) || a.dir == cliDir {
			t.Errorf("%s keeps its files in plexauth's directory", a.product)
		}
	}
	if apps[0].clientID == apps[1].clientID || apps[0].dir == apps[1].dir || apps[0].token == apps[1].token {
		t.Error("the two apps share a directory, a device or a token")
	}
	sameFiles(t, "plexauth's directory after the apps ran", cliFiles, snapshotDir(t, cliDir))

	// plexauth sees only its own login, and logging out touches no app.
	appFiles := map[string]map[string]string{}
	for _, a := range apps {
		appFiles[a.dir] = snapshotDir(t, a.dir)
	}
	out, err := plexauth("", "status")
	if err != nil || strings.Count(out, ": valid") != 1 {
		t.Errorf("plexauth status: %v, want exactly its own valid login:\n%s", err, out)
	}
	if out, err := plexauth("", "logout"); err != nil {
		t.Fatalf("plexauth logout: %v\n%s", err, out)
	}
	if out, err := plexauth(plextest.DefaultPassword+"\n", "login", "--password-stdin", "-u", plextest.DefaultLogin); err != nil {
		t.Fatalf("plexauth login again: %v\n%s", err, out)
	}
	if got := clientIDOf(t, filepath.Join(cliDir, "identity.json")); got != cliID {
		t.Error("plexauth's identity changed")
	}
	check := plexgo.New(plexgo.WithPlexTVURL(e.fake.PlexTVURL), plexgo.WithXPlexClientIdentifier("checker"))
	for _, a := range apps {
		sameFiles(t, a.product+"'s directory after plexauth ran", appFiles[a.dir], snapshotDir(t, a.dir))
		if v, _, err := auth.ValidateToken(ctx, check, a.token); v != auth.ValidityValid {
			t.Errorf("%s's token after plexauth logout: %v (%v)", a.product, v, err)
		}
	}
}

func clientIDOf(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var id struct {
		ClientIdentifier string `json:"clientIdentifier"`
	}
	if err := json.Unmarshal(data, &id); err != nil || id.ClientIdentifier == "" {
		t.Fatalf("%s: no client identifier (%v)", path, err)
	}
	return id.ClientIdentifier
}
