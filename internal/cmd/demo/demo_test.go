package demo

import (
	"testing"
	"time"

	"github.com/plexkit/plexgo/internal/cmdutil/cmdtest"
)

func TestNewCmdDemo(t *testing.T) {
	t.Parallel()
	var demo *Options
	if err := cmdtest.Run(NewCmdDemo(cmdtest.Factory(), func(o *Options) error { demo = o; return nil })); err != nil {
		t.Fatal(err)
	}
	if demo.ApproveAfter != 2*time.Second {
		t.Errorf("demo approves after %v, want 2s", demo.ApproveAfter)
	}
}
