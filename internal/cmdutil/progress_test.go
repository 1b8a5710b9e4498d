package cmdutil

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/plexkit/plexgo/internal/testutil"
)

func TestCountdownPlain(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewCountdown(&buf, false, func() time.Time { return now })
	c.Start(now.Add(10 * time.Minute))
	for left := 10*time.Minute - time.Second; left >= 9*time.Minute; left -= time.Second {
		c.Poll(left)
	}
	c.Stop()
	want := "Waiting for approval (the code expires in 10m0s)...\n" +
		"Still waiting for approval (9m30s left)...\n" +
		"Still waiting for approval (9m0s left)...\n"
	if buf.String() != want {
		t.Errorf("output:\n%s\nwant:\n%s", buf.String(), want)
	}
}

func TestCountdownTerminalStops(t *testing.T) {
	t.Parallel()
	var buf testutil.SyncBuffer
	c := NewCountdown(&buf, true, time.Now)
	c.Start(time.Now().Add(90 * time.Second))
	c.Stop()
	c.Stop() // idempotent
	got := buf.String()
	if !strings.Contains(got, "Waiting for approval... 1:") || !strings.HasSuffix(got, "\r\033[K") {
		t.Errorf("output %q", got)
	}
}
