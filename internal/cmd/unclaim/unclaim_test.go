package unclaim

import (
	"testing"

	"github.com/plexkit/plexgo/internal/cmdutil/cmdtest"
)

func TestNewCmdUnclaim(t *testing.T) {
	t.Parallel()
	var got *Options
	run := func(o *Options) error { got = o; return nil }
	if err := cmdtest.Run(NewCmdUnclaim(cmdtest.Factory(), run), "--server", "http://127.0.0.1:32400", "-y"); err != nil {
		t.Fatal(err)
	}
	if got.Server != "http://127.0.0.1:32400" || !got.Yes {
		t.Errorf("options = %+v", *got)
	}
	for _, args := range [][]string{nil, {"--server", "ftp://x"}, {"--server", "http://127.0.0.1:1", "extra"}} {
		if err := cmdtest.Run(NewCmdUnclaim(cmdtest.Factory(), run), args...); !cmdtest.IsUsage(err) {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
}
