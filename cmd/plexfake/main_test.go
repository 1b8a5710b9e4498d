package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/plexkit/plexgo/internal/testutil"
)

func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr testutil.SyncBuffer
	exit := make(chan int, 1)
	go func() {
		exit <- run(ctx, []string{"-plextv-addr", "127.0.0.1:0", "-pms-addr", "127.0.0.1:0", "-fake-clock"}, pw, &stderr)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("read state line: %v (stderr: %s)", err, stderr.String())
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	var st struct {
		PlexTV   string `json:"plextv"`
		PMS      string `json:"pms"`
		Control  string `json:"control"`
		AuthApp  string `json:"authApp"`
		Accounts []struct {
			Username         string `json:"username"`
			Outsider         bool   `json:"outsider"`
			Login            string `json:"login"`
			Password         string `json:"password"`
			AuthToken        string `json:"authToken"`
			UUID             string `json:"uuid"`
			TwoFactor        bool   `json:"twoFactor"`
			VerificationCode string `json:"verificationCode"`
		} `json:"accounts"`
		Servers []struct {
			Name, MachineIdentifier, AccessToken, URL string
		} `json:"servers"`
	}
	if err := json.Unmarshal([]byte(line), &st); err != nil {
		t.Fatalf("state line %q: %v", line, err)
	}
	if st.PlexTV == "" || st.PMS == "" || st.Control == "" || len(st.Accounts) < 2 || len(st.Servers) != 1 ||
		st.Servers[0].AccessToken == "" || st.Servers[0].URL != st.PMS {
		t.Fatalf("state = %+v", st)
	}
	if st.AuthApp != st.PlexTV+"/auth" {
		t.Fatalf("authApp = %q", st.AuthApp)
	}
	outsiders := 0
	for _, a := range st.Accounts {
		if a.Outsider {
			outsiders++
			if a.Username != "oscar" || a.Password == "" {
				t.Fatalf("outsider = %+v", a)
			}
		}
	}
	if outsiders != 1 {
		t.Fatalf("%d outsider accounts in %+v", outsiders, st.Accounts)
	}
	acct := st.Accounts[0]
	if acct.Login == "" || acct.Password == "" || acct.AuthToken == "" || acct.UUID == "" || !st.Accounts[1].TwoFactor || st.Accounts[1].VerificationCode == "" {
		t.Fatalf("accounts = %+v", st.Accounts)
	}

	hc := &http.Client{Timeout: 5 * time.Second}
	form := url.Values{"login": {acct.Login}, "password": {acct.Password}}
	req, _ := http.NewRequest("POST", st.PlexTV+"/api/v2/users/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-Plex-Client-Identifier", "plexfake-test")
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var user map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&user)
	resp.Body.Close()
	if resp.StatusCode != 201 || user["authToken"] == "" {
		t.Fatalf("sign-in: %d %v", resp.StatusCode, user)
	}
	// the control path is reachable, and the fake clock can be advanced
	resp, err = hc.Post(st.Control+"/advance-clock", "application/json", strings.NewReader(`{"duration":"1h"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("advance-clock: %d", resp.StatusCode)
	}
	// a form POST to the control API is refused (issue 10 point 11)
	resp, err = hc.Post(st.Control+"/advance-clock", "application/x-www-form-urlencoded", strings.NewReader("duration=1h"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Fatalf("form advance-clock: %d", resp.StatusCode)
	}
	// the auth app and the issue 12 endpoints are served
	resp, err = hc.Get(st.AuthApp)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), `data-username="oscar"`) {
		t.Fatalf("auth app: %d", resp.StatusCode)
	}
	req, _ = http.NewRequest("GET", st.PlexTV+"/api/users", nil)
	req.Header.Set("X-Plex-Client-Identifier", "plexfake-test")
	req.Header.Set("X-Plex-Token", acct.AuthToken)
	resp, err = hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	users, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(users), `<User `) || !strings.Contains(string(users), `username="bob"`) {
		t.Fatalf("/api/users: %d", resp.StatusCode)
	}

	cancel()
	select {
	case code := <-exit:
		if code != 0 {
			t.Fatalf("exit %d; stderr: %s", code, stderr.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run did not return after cancel")
	}
	if _, err := hc.Get(st.PlexTV + "/api/v2/auth/keys"); err == nil {
		t.Fatal("still serving after shutdown")
	}
	if !strings.Contains(stderr.String(), "serving") {
		t.Fatalf("stderr: %s", stderr.String())
	}
}

func TestRunBadFlags(t *testing.T) {
	var out, errb testutil.SyncBuffer
	if code := run(context.Background(), []string{"-nope"}, &out, &errb); code != 2 {
		t.Fatalf("exit %d", code)
	}
	if code := run(context.Background(), []string{"-plextv-addr", "256.0.0.1:bad"}, &out, &errb); code != 1 {
		t.Fatalf("exit %d", code)
	}
}
