package cmdutil

import (
	"context"
	"errors"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/plexkit/plexgo/internal/testutil"
)

func TestSystemBrowser(t *testing.T) {
	t.Parallel()
	const u = "https://app.plex.tv/auth#?code=x"
	tests := []struct {
		goos, browserEnv string
		want             []string
	}{
		{"linux", "", []string{"xdg-open", u}},
		{"freebsd", "", []string{"xdg-open", u}},
		{"darwin", "", []string{"open", u}},
		{"windows", "", []string{"rundll32", "url.dll,FileProtocolHandler", u}},
		{"linux", "firefox --new-window", []string{"firefox", "--new-window", u}},
	}
	for _, tt := range tests {
		var got []string
		b := &systemBrowser{
			getenv: fakeEnv(map[string]string{EnvBrowser: tt.browserEnv}),
			goos:   tt.goos,
			start: func(name string, args ...string) error {
				got = append([]string{name}, args...)
				return nil
			},
		}
		if err := b.Open(t.Context(), u); err != nil {
			t.Fatalf("%s: %v", tt.goos, err)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s %q: ran %q, want %q", tt.goos, tt.browserEnv, got, tt.want)
		}
	}

	started := false
	b := &systemBrowser{getenv: fakeEnv(nil), goos: "linux", start: func(string, ...string) error { started = true; return nil }}
	for _, bad := range []string{"file:///etc/passwd", "javascript:alert(1)", "app.plex.tv/auth", "https://"} {
		if err := b.Open(t.Context(), bad); err == nil {
			t.Errorf("opened %q", bad)
		}
	}
	if started {
		t.Error("started a program for a non-http URL")
	}
	b = &systemBrowser{getenv: fakeEnv(nil), goos: "plan9", start: func(string, ...string) error { return nil }}
	if err := b.Open(t.Context(), u); err == nil {
		t.Error("no error without an opener")
	}
	b = &systemBrowser{getenv: fakeEnv(nil), goos: "linux", start: func(string, ...string) error { return errors.New("exec: not found") }}
	if err := b.Open(t.Context(), u); err == nil {
		t.Error("start failure not reported")
	}
}

func TestLineReader(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	r := NewLineReader(strings.NewReader("pass word\r\n123456\nlast"))
	for _, want := range []string{"pass word", "123456", "last"} {
		got, err := r.ReadLine(ctx)
		if err != nil || got != want {
			t.Fatalf("ReadLine = %q, %v; want %q", got, err, want)
		}
	}
	if _, err := r.ReadLine(ctx); !errors.Is(err, ErrInputClosed) {
		t.Errorf("at EOF: %v, want ErrInputClosed", err)
	}

	long := NewLineReader(strings.NewReader(strings.Repeat("x", 3*maxLineBytes) + "\n"))
	if _, err := long.ReadLine(ctx); err == nil || strings.Contains(err.Error(), "xxxx") {
		t.Errorf("long line: %v", err)
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	blocked := NewLineReader(blockingReader{done})
	if _, err := blocked.ReadLine(cancelled); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled read: %v", err)
	}
}

// blockingReader blocks until done is closed.
type blockingReader struct{ done chan struct{} }

func (b blockingReader) Read([]byte) (int, error) {
	<-b.done
	return 0, errors.New("closed")
}

func TestRedactAttr(t *testing.T) {
	t.Parallel()
	for _, k := range []string{"token", "authToken", "X-Plex-Token", "password", "deviceJWT", "verificationCode", "pin", "code", "secret", "deviceKey"} {
		if got := RedactAttr(nil, slog.String(k, "s3cr3t-value")); got.Value.String() != "REDACTED" {
			t.Errorf("%s not redacted: %v", k, got)
		}
	}
	for _, k := range []string{"op", "status", "url", "profile", "kind"} {
		if got := RedactAttr(nil, slog.String(k, "v")); got.Value.String() != "v" {
			t.Errorf("%s redacted", k)
		}
	}
}

func TestSameBase(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want bool
	}{
		{"", "https://plex.tv", true},
		{"https://PLEX.tv/", "https://plex.tv", true},
		{"http://127.0.0.1:1", "http://127.0.0.1:1/", true},
		{"http://127.0.0.1:1", "http://127.0.0.1:2", false},
		{"", "http://127.0.0.1:2", false},
		{"http://plex.tv", "https://plex.tv", false},
	}
	for _, tt := range tests {
		if got := SameBase(tt.a, tt.b); got != tt.want {
			t.Errorf("SameBase(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
}

func TestShortDuration(t *testing.T) {
	t.Parallel()
	tests := map[time.Duration]string{
		0:                        "0s",
		250 * time.Microsecond:   "250µs",
		4*time.Millisecond + 400: "4ms",
		1500 * time.Millisecond:  "1.5s",
		29*time.Minute + 41*time.Second + 300*time.Millisecond: "29m41s",
	}
	for d, want := range tests {
		if got := ShortDuration(d); got != want {
			t.Errorf("ShortDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestSessionStringHidesToken(t *testing.T) {
	t.Parallel()
	s := &Session{Profile: "p", Source: "x"}
	s.Creds.Token = "super-secret-token-value"
	testutil.NoSecret(t, "Session.String", s.String(), s.Creds.Token, "super-secret")
}

// fakeEnv is a Getenv over a map.
func fakeEnv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}
