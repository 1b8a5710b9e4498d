package connect

import (
	"testing"
	"time"

	"github.com/plexkit/plexgo/internal/cmdutil/cmdtest"
)

func TestNewCmdConnect(t *testing.T) {
	t.Parallel()
	var got *Options
	run := func(o *Options) error { got = o; return nil }
	if err := cmdtest.Run(NewCmdConnect(cmdtest.Factory(), run), "Living Room", "--timeout", "2s", "--no-relay"); err != nil {
		t.Fatal(err)
	}
	if got.Server != "Living Room" || got.Timeout != 2*time.Second || !got.NoRelay {
		t.Errorf("options = %+v", *got)
	}
	for _, args := range [][]string{nil, {"a", "b"}, {"a", "--timeout", "-1s"}} {
		if err := cmdtest.Run(NewCmdConnect(cmdtest.Factory(), run), args...); !cmdtest.IsUsage(err) {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
}
