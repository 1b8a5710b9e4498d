package plextest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/plexkit/plexgo/plextest"
)

// exampleT is a minimal testing.TB so that Example can run a test body;
// in your tests, pass the *testing.T you are given.
type exampleT struct {
	testing.TB
	cleanups []func()
}

func (t *exampleT) Helper()                        {}
func (t *exampleT) Cleanup(f func())               { t.cleanups = append(t.cleanups, f) }
func (t *exampleT) Fatalf(format string, a ...any) { panic(fmt.Sprintf(format, a...)) }

// A test signs in against the fake with a plain net/http request, then
// uses the token to list the account's servers.
func Example() {
	t := &exampleT{}
	defer func() {
		for _, f := range t.cleanups {
			f()
		}
	}()
	testSignInAndResources(t)
	// Output:
	// 201 alice true
	// server true
	// client,player false
}

func testSignInAndResources(t testing.TB) {
	fake := plextest.NewServer(t) // stopped by t.Cleanup
	form := url.Values{"login": {plextest.DefaultLogin}, "password": {plextest.DefaultPassword}}
	req, _ := http.NewRequest("POST", fake.PlexTVURL+"/api/v2/users/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-Plex-Client-Identifier", "my-test-device")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%v", err)
	}
	defer resp.Body.Close()
	var user struct {
		Username  string `json:"username"`
		AuthToken string `json:"authToken"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&user)
	fmt.Println(resp.StatusCode, user.Username, user.AuthToken != "")

	req, _ = http.NewRequest("GET", fake.PlexTVURL+"/api/v2/resources", nil)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-Plex-Client-Identifier", "my-test-device")
	req.Header.Set("X-Plex-Token", user.AuthToken)
	resp2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%v", err)
	}
	defer resp2.Body.Close()
	var devices []struct {
		Name        string `json:"name"`
		Provides    string `json:"provides"`
		AccessToken string `json:"accessToken"`
	}
	_ = json.NewDecoder(resp2.Body).Decode(&devices)
	for _, d := range devices {
		fmt.Println(d.Provides, d.AccessToken == fake.Servers()[0].AccessToken)
	}
}
