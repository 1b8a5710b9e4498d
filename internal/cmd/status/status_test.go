package status

import (
	"testing"

	"github.com/plexkit/plexgo/internal/cmdutil/cmdtest"
)

func TestNewCmdStatus(t *testing.T) {
	t.Parallel()
	var got *Options
	run := func(o *Options) error { got = o; return nil }
	if err := cmdtest.Run(NewCmdStatus(cmdtest.Factory(), run)); err != nil {
		t.Fatal(err)
	}
	if got == nil || got.IO == nil || got.JSON {
		t.Errorf("options = %+v", got)
	}
	got = nil
	if err := cmdtest.Run(NewCmdStatus(cmdtest.Factory(), run), "extra"); !cmdtest.IsUsage(err) || got != nil {
		t.Errorf("extra argument: err = %v, run called = %v", err, got != nil)
	}
}
