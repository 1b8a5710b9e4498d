package sourceinfo

import (
	"testing"

	"github.com/plexkit/plexgo/internal/cmdutil/cmdtest"
)

func TestNewCmdSourceInfo(t *testing.T) {
	t.Parallel()
	var got *Options
	run := func(o *Options) error { got = o; return nil }
	if err := cmdtest.Run(NewCmdSourceInfo(cmdtest.Factory(), run), "server://abc", "--server", "home"); err != nil {
		t.Fatal(err)
	}
	if got.Source != "server://abc" || got.Server != "home" {
		t.Errorf("options = %+v", *got)
	}
	for _, args := range [][]string{{"server://abc"}, {"--server", "x"}, {" ", "--server", "x"}} {
		if err := cmdtest.Run(NewCmdSourceInfo(cmdtest.Factory(), run), args...); !cmdtest.IsUsage(err) {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
}
