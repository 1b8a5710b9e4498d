package claim

import (
	"testing"

	"github.com/plexkit/plexgo/internal/cmdutil/cmdtest"
)

func TestNewCmdClaim(t *testing.T) {
	t.Parallel()
	var got *Options
	run := func(o *Options) error { got = o; return nil }
	if err := cmdtest.Run(NewCmdClaim(cmdtest.Factory(), run), "--env"); err != nil {
		t.Fatal(err)
	}
	if !got.Env || got.Server != "" || !got.Countdown {
		t.Errorf("options = %+v", *got)
	}
	got = nil
	if err := cmdtest.Run(NewCmdClaim(cmdtest.Factory(), run), "--server", "http://127.0.0.1:32400"); err != nil {
		t.Fatal(err)
	}
	if got.Server != "http://127.0.0.1:32400" || got.Env {
		t.Errorf("options = %+v", *got)
	}
	for _, args := range [][]string{{"x"}, {"--env", "--server", "http://127.0.0.1:1"}, {"--server", "ftp://x"}, {"--server", "127.0.0.1:32400"}} {
		if err := cmdtest.Run(NewCmdClaim(cmdtest.Factory(), run), args...); !cmdtest.IsUsage(err) {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
}
