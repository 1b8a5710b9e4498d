package root

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/internal/cmdutil"
	"github.com/plexkit/plexgo/internal/testutil"
	"github.com/plexkit/plexgo/plextest"
)

// testStreams returns non-terminal streams over buffers.
func testStreams(stdin string) (cmdutil.IOStreams, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	return cmdutil.IOStreams{In: strings.NewReader(stdin), Out: &out, ErrOut: &errOut}, &out, &errOut
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
		return "", cmdutil.ErrInputClosed
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

// memKeyring is an in-memory OS keyring; down makes it not answer.
type memKeyring struct {
	mu    sync.Mutex
	items map[string]string
	down  bool
}

var errKeyringDown = errors.New("no Secret Service (test)")

func (k *memKeyring) Get(service, user string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.down {
		return "", errKeyringDown
	}
	s, ok := k.items[service+"\x00"+user]
	if !ok {
		return "", auth.ErrKeyringNotFound
	}
	return s, nil
}

func (k *memKeyring) Set(service, user, secret string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.down {
		return errKeyringDown
	}
	if k.items == nil {
		k.items = map[string]string{}
	}
	k.items[service+"\x00"+user] = secret
	return nil
}

func (k *memKeyring) Delete(service, user string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.down {
		return errKeyringDown
	}
	if _, ok := k.items[service+"\x00"+user]; !ok {
		return auth.ErrKeyringNotFound
	}
	delete(k.items, service+"\x00"+user)
	return nil
}

func (k *memKeyring) len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.items)
}

// fakeEnv is a Getenv over a map.
func fakeEnv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// harness runs command lines in-process, each with a new factory over the
// same streams, environment, stdin reader and test doubles.
type harness struct {
	streams  cmdutil.IOStreams
	env      map[string]string
	http     *http.Client
	browser  *recordingBrowser
	prompter cmdutil.Prompter // nil: the terminal prompter
	store    auth.TokenStore  // nil: the file store in the config dir
	lines    *cmdutil.LineReader
	keyring  *memKeyring // the OS keyring of every run
}

// factory returns a new factory with the harness's doubles.
func (h *harness) factory() *cmdutil.Factory {
	f := cmdutil.New(h.streams, fakeEnv(h.env))
	f.HTTPClient = h.http
	kr := h.keyring
	f.Keyring = func() auth.Keyring { return kr }
	if h.browser != nil {
		b := h.browser
		f.Browser = func() cmdutil.Browser { return b }
	}
	if h.prompter != nil {
		p := h.prompter
		f.Prompter = func() cmdutil.Prompter { return p }
	}
	if h.store != nil {
		s := h.store
		f.Store = func() (auth.TokenStore, error) { return s, nil }
	}
	lines := h.lines
	f.Lines = func() *cmdutil.LineReader { return lines }
	return f
}

// Run runs one command line and returns its exit code.
func (h *harness) Run(ctx context.Context, args []string) int {
	return Run(ctx, h.factory(), args)
}

// Store returns the token store the runs use.
func (h *harness) Store() (auth.TokenStore, error) { return h.factory().Store() }

// newFakeFactory returns a harness wired to a fresh plextest fake and an
// empty config directory, with its own HTTP transport (closed at the end
// of the test).
func newFakeFactory(t *testing.T, stdin string) (*harness, *plextest.Server, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	fake := plextest.NewServer(t)
	streams, out, errOut := testStreams(stdin)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	h := &harness{
		streams: streams,
		env: map[string]string{
			cmdutil.EnvPlexTVURL: fake.PlexTVURL,
			cmdutil.EnvConfigDir: t.TempDir(),
		},
		http:    &http.Client{Transport: tr},
		browser: &recordingBrowser{},
		lines:   cmdutil.NewLineReader(streams.In),
		keyring: &memKeyring{},
	}
	return h, fake, out, errOut
}

// noSecrets fails when any of the fake's or the store's secrets appears in
// the outputs. It names the secret, never prints it.
func noSecrets(t *testing.T, h *harness, fake *plextest.Server, outputs ...string) {
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
	if store, err := h.Store(); err == nil {
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
			if len(s) >= 8 {
				testutil.NoSecret(t, fmt.Sprintf("%s in output %d", name, i), o, s)
			}
		}
	}
}

// loadStored returns the stored credentials of profile.
func loadStored(t *testing.T, h *harness, profile string) (auth.Credentials, error) {
	t.Helper()
	store, err := h.Store()
	if err != nil {
		t.Fatal(err)
	}
	return store.Load(context.Background(), profile)
}
