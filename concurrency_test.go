package plexgo_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/plextest"
)

// One client, 50 goroutines, every operation, per-call options mixed in.
// Run with -race.
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	const workers = 50
	fake := newFake(t)
	a := alice(t, fake)
	bob, _ := fake.Account(plextest.TwoFactorLogin)
	s := newClient(t, fake, a.AuthToken)
	ops := allOps(fake)

	var wg sync.WaitGroup
	errs := make(chan error, workers*(len(ops)+1))
	for w := range workers {
		wg.Go(func() {
			o := ops[w%len(ops)]
			if err := o.call(ctx(t), s); err != nil {
				errs <- fmt.Errorf("worker %d %s: %w", w, o.name, err)
			}
			// Per-call options must not leak into other goroutines' calls.
			want, tok := a.ID, ""
			if w%2 == 1 {
				want, tok = bob.ID, bob.AuthToken
			}
			var opts []operations.Option
			if tok != "" {
				opts = append(opts, operations.WithToken(tok))
			}
			res, err := s.Authentication.GetTokenDetails(ctx(t), opts...)
			if err != nil {
				errs <- fmt.Errorf("worker %d GetTokenDetails: %w", w, err)
				return
			}
			if res.UserPlexAccount.ID != want {
				errs <- fmt.Errorf("worker %d got account %d, want %d", w, res.UserPlexAccount.ID, want)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	want := workers
	for w := range workers {
		if ops[w%len(ops)].name == "GetTokenDetails" {
			want++
		}
	}
	if got := fake.CountRequests(http.MethodGet, "/api/v2/user"); got != want {
		t.Errorf("GET /api/v2/user: %d requests, want %d", got, want)
	}
}

// Two clients for two users never see each other's token, even when they
// share one *http.Client.
func TestClientsDoNotShareTokens(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	a := alice(t, fake)
	bob, _ := fake.Account(plextest.TwoFactorLogin)
	shared := httpClient(t, nil)
	sa := newClient(t, fake, a.AuthToken, plexgo.WithClient(shared))
	sb := newClient(t, fake, bob.AuthToken, plexgo.WithClient(shared))
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			s, want := sa, a.ID
			if i%2 == 1 {
				s, want = sb, bob.ID
			}
			res, err := s.Authentication.GetTokenDetails(ctx(t))
			if err != nil {
				t.Errorf("call %d: %v", i, err)
				return
			}
			if res.UserPlexAccount.ID != want {
				t.Errorf("call %d: account %d, want %d", i, res.UserPlexAccount.ID, want)
			}
		})
	}
	wg.Wait()
}
