package auth

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofrs/flock"
)

// envChild makes the test binary act as a child process of the
// multi-process store tests: "save DIR PREFIX N" saves N profiles
// PREFIX-0…; "loop DIR PROFILE" saves PROFILE forever, printing "ready"
// after the first save.
const envChild = "PLEXGO_AUTH_TEST_CHILD"

func TestMain(m *testing.M) {
	if mode := os.Getenv(envChild); mode != "" {
		os.Exit(runChild(mode, os.Args[len(os.Args)-3:]))
	}
	os.Exit(m.Run())
}

func runChild(mode string, args []string) int {
	ctx := context.Background()
	s := NewFileStore(args[0], FileStoreOptions{LockTimeout: time.Minute})
	c := sampleCredentials()
	switch mode {
	case "save":
		n, _ := strconv.Atoi(args[2])
		for i := range n {
			c.Token = fmt.Sprintf("tok-%s-%d", args[1], i)
			if err := s.Save(ctx, fmt.Sprintf("%s-%d", args[1], i), c); err != nil {
				fmt.Fprintln(os.Stderr, "save:", err)
				return 1
			}
		}
		return 0
	case "loop":
		for i := 0; ; i++ {
			c.Token = fmt.Sprintf("tok-loop-%d", i)
			c.Username = strings.Repeat("u", i%5000) // vary the size
			if err := s.Save(ctx, args[1], c); err != nil {
				fmt.Fprintln(os.Stderr, "save:", err)
				return 1
			}
			if i == 0 {
				fmt.Println("ready")
			}
		}
	}
	return 2
}

func childCmd(t *testing.T, mode string, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, append([]string{"-test.run=^$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), envChild+"="+mode)
	return cmd
}

// 10 processes saving at once into one store keep every profile (issue
// 13: an in-process mutex alone lost 30 of 50).
func TestFileStoreConcurrentProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	dir := t.TempDir()
	const procs, each = 10, 5
	var wg sync.WaitGroup
	errs := make(chan error, procs)
	for p := range procs {
		cmd := childCmd(t, "save", dir, fmt.Sprintf("p%d", p), strconv.Itoa(each))
		wg.Go(func() {
			if out, err := cmd.CombinedOutput(); err != nil {
				errs <- fmt.Errorf("child %d: %v: %s", p, err, out)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	s := NewFileStore(dir, FileStoreOptions{})
	names, err := s.Profiles(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != procs*each {
		t.Errorf("%d profiles kept, want %d", len(names), procs*each)
	}
	for p := range procs {
		for i := range each {
			c, err := s.Load(context.Background(), fmt.Sprintf("p%d-%d", p, i))
			if err != nil || c.Token != fmt.Sprintf("tok-p%d-%d", p, i) {
				t.Errorf("profile p%d-%d lost or wrong (%v)", p, i, err)
			}
		}
	}
}

// kill -9 at any moment of a save never corrupts the store nor loses
// another profile, and the temporary files it leaves are removed by the
// next write.
func TestFileStoreKillDuringSave(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	ctx := context.Background()
	dir := t.TempDir()
	s := NewFileStore(dir, FileStoreOptions{})
	for i := range 5 {
		c := sampleCredentials()
		c.Token = fmt.Sprintf("keep-%d", i)
		if err := s.Save(ctx, fmt.Sprintf("keep-%d", i), c); err != nil {
			t.Fatal(err)
		}
	}
	check := func(round int) {
		t.Helper()
		for i := range 5 {
			c, err := s.Load(ctx, fmt.Sprintf("keep-%d", i))
			if err != nil || c.Token != fmt.Sprintf("keep-%d", i) {
				t.Fatalf("round %d: profile keep-%d lost or corrupt: %v", round, i, err)
			}
		}
		if _, err := s.Load(ctx, "victim"); err != nil && !errors.Is(err, ErrNotLoggedIn) {
			t.Fatalf("round %d: store unreadable after kill -9: %v", round, err)
		}
	}
	for round := range 20 {
		cmd := childCmd(t, "loop", dir, "victim", "x")
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, _ := bufio.NewReader(out).ReadString('\n')
		if strings.TrimSpace(line) != "ready" {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			t.Fatalf("round %d: child did not start saving", round)
		}
		// Let it save a varying number of times, then kill it mid-loop.
		time.Sleep(time.Duration(round%7) * time.Millisecond)
		_ = cmd.Process.Kill() // SIGKILL on Unix
		_ = cmd.Wait()
		check(round)
		// A parent write between kills, as a real next login would.
		if round%5 == 4 {
			c := sampleCredentials()
			if err := s.Save(ctx, "parent", c); err != nil {
				t.Fatalf("round %d: Save after kill -9: %v", round, err)
			}
			if left := s.staleTemps(); len(left) != 0 {
				t.Fatalf("round %d: %d stale temporary files after a Save", round, len(left))
			}
		}
	}
	if err := s.Delete(ctx, "victim"); err != nil {
		t.Fatal(err)
	}
	if left := s.staleTemps(); len(left) != 0 {
		t.Errorf("%d stale temporary files after Delete", len(left))
	}
	check(-1)
}

// A writer that cannot get the lock fails after the lock timeout with
// ErrStoreLocked naming the lock file, and writes nothing.
func TestFileStoreLockTimeout(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := NewFileStore(dir, FileStoreOptions{LockTimeout: 50 * time.Millisecond})
	if err := s.Save(ctx, DefaultProfile, sampleCredentials()); err != nil {
		t.Fatal(err)
	}
	holder := flock.New(s.lockPath)
	if ok, err := holder.TryLock(); !ok || err != nil {
		t.Fatalf("TryLock: %v, %v", ok, err)
	}
	defer func() { _ = holder.Unlock() }()
	err := s.Save(ctx, "second", sampleCredentials())
	if !errors.Is(err, ErrStoreLocked) || !strings.Contains(err.Error(), s.lockPath) {
		t.Fatalf("Save with the lock held elsewhere: %v, want ErrStoreLocked naming the lock file", err)
	}
	if strings.Contains(err.Error(), testToken) {
		t.Error("the error holds a token")
	}
	if err := s.Delete(ctx, DefaultProfile); !errors.Is(err, ErrStoreLocked) {
		t.Errorf("Delete with the lock held elsewhere: %v", err)
	}
	// Reads take no lock.
	if _, err := s.Load(ctx, DefaultProfile); err != nil {
		t.Errorf("Load with the lock held elsewhere: %v", err)
	}
	// A cancelled context ends the wait with its error.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := NewFileStore(dir, FileStoreOptions{}).Save(cctx, "third", sampleCredentials()); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Save: %v", err)
	}
	_ = holder.Unlock()
	if err := s.Save(ctx, "second", sampleCredentials()); err != nil {
		t.Errorf("Save after the lock was released: %v", err)
	}
}
