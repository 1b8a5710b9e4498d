package man

import (
	"testing"

	"github.com/plexkit/plexgo/internal/cmdutil/cmdtest"
)

func TestNewCmdMan(t *testing.T) {
	t.Parallel()
	var got *Options
	run := func(o *Options) error { got = o; return nil }
	if err := cmdtest.Run(NewCmdMan(cmdtest.Factory(), run), "--dir", "man1"); err != nil {
		t.Fatal(err)
	}
	if got.Dir != "man1" || got.IO == nil {
		t.Errorf("options = %+v", *got)
	}
	for _, args := range [][]string{nil, {"--dir", "d", "extra"}} {
		if err := cmdtest.Run(NewCmdMan(cmdtest.Factory(), run), args...); !cmdtest.IsUsage(err) {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
}
