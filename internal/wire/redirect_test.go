package wire

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/plexkit/plexgo/models/sdkerrors"
)

func TestCheckRedirectPolicy(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, from, to string
		token, body    bool
		want           error
	}{
		{"same origin with token", "https://plex.tv/a", "https://plex.tv/b", true, true, nil},
		{"default port is the same origin", "https://plex.tv/a", "https://PLEX.tv:443/b", true, false, nil},
		{"http default port", "http://10.0.0.2/a", "http://10.0.0.2:80/b", true, false, nil},
		{"token to another host", "https://plex.tv/a", "https://evil.example/a", true, false, sdkerrors.ErrRedirectRefused},
		{"token to another port", "http://127.0.0.1:1/a", "http://127.0.0.1:2/a", true, false, sdkerrors.ErrRedirectRefused},
		{"token https to http, same host", "https://plex.tv/a", "http://plex.tv/a", true, false, sdkerrors.ErrRedirectRefused},
		{"body to another origin", "https://plex.tv/signin", "https://evil.example/signin", false, true, sdkerrors.ErrRedirectRefused},
		{"body https to http", "https://plex.tv/signin", "http://plex.tv/signin", false, true, sdkerrors.ErrRedirectRefused},
		{"no credentials anywhere", "https://plex.tv/a", "http://evil.example/a", false, false, nil},
		{"ipv6 literal ports", "http://[::1]:80/a", "http://[::1]/b", true, false, nil},
	} {
		first, _ := http.NewRequest(http.MethodGet, tc.from, nil)
		if tc.body {
			first, _ = http.NewRequest(http.MethodPost, tc.from, strings.NewReader("password=p"))
		}
		if tc.token {
			first.Header.Set("X-Plex-Token", "t")
		}
		next, _ := http.NewRequest(http.MethodGet, tc.to, nil)
		next.Response = &http.Response{StatusCode: http.StatusFound}
		err := CheckRedirect(next, []*http.Request{first})
		if (tc.want == nil) != (err == nil) || (tc.want != nil && !errors.Is(err, tc.want)) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
		if err != nil && (strings.Contains(err.Error(), "/a") || strings.Contains(err.Error(), "password")) {
			t.Errorf("%s: the error names more than origins", tc.name)
		}
	}
	var via []*http.Request
	for range sdkerrors.MaxRedirects {
		r, _ := http.NewRequest(http.MethodGet, "https://plex.tv/a", nil)
		via = append(via, r)
	}
	next, _ := http.NewRequest(http.MethodGet, "https://plex.tv/a", nil)
	err := CheckRedirect(next, via)
	if !errors.Is(err, sdkerrors.ErrTooManyRedirects) || errors.Is(err, sdkerrors.ErrRedirectRefused) || !strings.Contains(err.Error(), "loop") {
		t.Errorf("loop: %v", err)
	}
	next, _ = http.NewRequest(http.MethodGet, "https://plex.tv/elsewhere", nil)
	if err := CheckRedirect(next, via); !errors.Is(err, sdkerrors.ErrTooManyRedirects) || strings.Contains(err.Error(), "loop") {
		t.Errorf("chain: %v", err)
	}
	if CheckRedirect(next, via[:9]) != nil {
		t.Error("9 same-origin redirects refused")
	}
}

func TestGuardRedirectsLeavesOtherClients(t *testing.T) {
	t.Parallel()
	var other HTTPClient = rtClient{}
	if GuardRedirects(other) != other {
		t.Error("a non-*http.Client was wrapped")
	}
	hc := &http.Client{}
	g, ok := GuardRedirects(hc).(*http.Client)
	if !ok || g == hc || g.CheckRedirect == nil || hc.CheckRedirect != nil {
		t.Error("*http.Client not guarded by a copy")
	}
}

type rtClient struct{}

func (rtClient) Do(*http.Request) (*http.Response, error) { return nil, errors.New("unused") }
