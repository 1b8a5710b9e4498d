package cli

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/plextest"
)

// testStreams returns non-terminal streams over buffers.
func testStreams(stdin string) (IOStreams, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	return IOStreams{In: strings.NewReader(stdin), Out: &out, ErrOut: &errOut}, &out, &errOut
}

// recordingBrowser records the URLs it is asked to open.
type recordingBrowser struct {
	mu   sync.Mutex
	urls []string
	err  error
}

func (b *recordingBrowser) Open(_ context.Context, url string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.urls = append(b.urls, url)
	return b.err
}

func (b *recordingBrowser) opened() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.urls...)
}

// scriptedPrompter answers prompts from a list and records them.
type scriptedPrompter struct {
	mu      sync.Mutex
	answers []string
	prompts []string
}

func (p *scriptedPrompter) next(prompt string) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.prompts = append(p.prompts, prompt)
	if len(p.answers) == 0 {
		return "", errInputClosed
	}
	a := p.answers[0]
	p.answers = p.answers[1:]
	return a, nil
}

func (p *scriptedPrompter) Input(_ context.Context, prompt string) (string, error) {
	return p.next(prompt)
}

func (p *scriptedPrompter) Secret(_ context.Context, prompt string) (string, error) {
	return p.next(prompt)
}

// fakeEnv is a Getenv over a map.
func fakeEnv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// newFakeFactory returns a factory wired to a fresh plextest fake and an
// empty config directory, with its own HTTP transport (closed at the end
// of the test).
func newFakeFactory(t *testing.T, stdin string) (*Factory, *plextest.Server, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	fake := plextest.NewServer(t)
	streams, out, errOut := testStreams(stdin)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	f := NewFactory(streams, fakeEnv(map[string]string{
		EnvPlexTVURL: fake.PlexTVURL,
		EnvConfigDir: t.TempDir(),
	}))
	f.HTTPClient = &http.Client{Transport: tr}
	f.Browser = &recordingBrowser{}
	return f, fake, out, errOut
}

// noSecrets fails when any of the fake's or the store's secrets appears in
// the outputs. It names the secret, never prints it.
func noSecrets(t *testing.T, f *Factory, fake *plextest.Server, outputs ...string) {
	t.Helper()
	secrets := map[string]string{}
	for _, a := range fake.Accounts() {
		secrets["seed token of "+a.Username] = a.AuthToken
		if a.Password != "" {
			secrets["password of "+a.Username] = a.Password
		}
	}
	for _, s := range fake.Servers() {
		secrets["access token of "+s.Name] = s.AccessToken
	}
	if store, err := f.Store(); err == nil {
		ctx := context.Background()
		profiles, _ := store.Profiles(ctx)
		for _, p := range profiles {
			if c, err := store.Load(ctx, p); err == nil {
				secrets["stored token of "+p] = c.Token
			}
		}
	}
	for i, o := range outputs {
		for name, s := range secrets {
			if len(s) >= 8 && strings.Contains(o, s) {
				t.Errorf("%s leaked in output %d", name, i)
			}
		}
	}
}

// loadStored returns the stored credentials of profile.
func loadStored(t *testing.T, f *Factory, profile string) (auth.Credentials, error) {
	t.Helper()
	store, err := f.Store()
	if err != nil {
		t.Fatal(err)
	}
	return store.Load(context.Background(), profile)
}

// syncBuffer is a bytes.Buffer safe for concurrent writers and readers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
