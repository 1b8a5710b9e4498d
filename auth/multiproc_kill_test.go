package auth

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// kill -9 of writers while other processes are saving at the same moment
// loses none of the others' profiles and leaves a readable store: a
// killed writer may hold the lock, and its death must release it (issue
// 13 point 3).
func TestFileStoreKillWhileOthersSave(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	ctx := context.Background()
	dir := t.TempDir()
	const savers, each, kills = 3, 20, 10
	var wg sync.WaitGroup
	errs := make(chan error, savers)
	for p := range savers {
		cmd := childCmd(t, "save", dir, fmt.Sprintf("s%d", p), strconv.Itoa(each))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			if err := cmd.Wait(); err != nil {
				errs <- fmt.Errorf("saver %d: %v", p, err)
			}
		})
	}
	for round := range kills {
		cmd := childCmd(t, "loop", dir, "victim", "x")
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, _ := bufio.NewReader(out).ReadString('\n')
		_ = cmd.Process.Kill() // SIGKILL on Unix, possibly while it holds the lock
		_ = cmd.Wait()
		if strings.TrimSpace(line) != "ready" {
			t.Fatalf("round %d: the looping child did not start saving", round)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	s := NewFileStore(dir, FileStoreOptions{})
	for p := range savers {
		for i := range each {
			c, err := s.Load(ctx, fmt.Sprintf("s%d-%d", p, i))
			if err != nil || c.Token != fmt.Sprintf("tok-s%d-%d", p, i) {
				t.Errorf("profile s%d-%d lost or wrong (%v)", p, i, err)
			}
		}
	}
	if _, err := s.Load(ctx, "victim"); err != nil && !errors.Is(err, ErrNotLoggedIn) {
		t.Errorf("store unreadable after the kills: %v", err)
	}
	if err := s.Save(ctx, "after", sampleCredentials()); err != nil {
		t.Fatalf("Save after the kills: %v", err)
	}
	if left := s.staleTemps(); len(left) != 0 {
		t.Errorf("%d stale temporary files after a Save", len(left))
	}
}
