package switchcmd

import (
	"testing"

	"github.com/plexkit/plexgo/internal/cmdutil/cmdtest"
)

func TestNewCmdSwitch(t *testing.T) {
	t.Parallel()
	var got *Options
	run := func(o *Options) error { got = o; return nil }
	if err := cmdtest.Run(NewCmdSwitch(cmdtest.Factory(), run), "work"); err != nil {
		t.Fatal(err)
	}
	if got.Profile != "work" {
		t.Errorf("options = %+v", *got)
	}
	got = nil
	if err := cmdtest.Run(NewCmdSwitch(cmdtest.Factory(), run)); err != nil {
		t.Fatal(err)
	}
	if got.Profile != "" {
		t.Errorf("without PROFILE: options = %+v, want it empty (pick on a terminal)", *got)
	}
	for _, args := range [][]string{{"a/b"}, {"Xy7pQ2rT9sLm4vWz8kJd"}} {
		if err := cmdtest.Run(NewCmdSwitch(cmdtest.Factory(), run), args...); !cmdtest.IsUsage(err) {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
}
