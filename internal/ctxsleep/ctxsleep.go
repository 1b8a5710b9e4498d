// Package ctxsleep holds the one context-aware sleep used by plexgo's
// retry loops and pollers.
package ctxsleep

import (
	"context"
	"time"
)

// Sleep waits d, or until ctx is done, whichever comes first. It returns
// ctx.Err() when ctx ended first (also when it was already done and d is
// not positive), and nil otherwise. A d of zero or less returns at once.
func Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
