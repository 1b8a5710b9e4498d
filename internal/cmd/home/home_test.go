package home

import (
	"strings"
	"testing"

	"github.com/plexkit/plexgo/internal/cmdutil/cmdtest"
)

func TestNewCmdHomeSwitch(t *testing.T) {
	t.Parallel()
	var got *SwitchOptions
	run := func(o *SwitchOptions) error { got = o; return nil }
	if err := cmdtest.Run(NewCmdHomeSwitch(cmdtest.Factory(), run), "teen", "--pin-stdin", "--save-as", "teen"); err != nil {
		t.Fatal(err)
	}
	if got.User != "teen" || !got.PINStdin || got.SaveAs != "teen" {
		t.Errorf("options = %+v", *got)
	}
	for _, args := range [][]string{nil, {"teen", "--save-as", "bad name"}, {"teen", "--save-as", ".hidden"}, {"a", "b"}} {
		if err := cmdtest.Run(NewCmdHomeSwitch(cmdtest.Factory(), run), args...); !cmdtest.IsUsage(err) {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
}

func TestHomeProfile(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"teen":                   "home-teen",
		"Kid Two":                "home-kid-two",
		"Zoë":                    "home-zo-",
		strings.Repeat("a", 100): "home-" + strings.Repeat("a", 59),
	}
	for in, want := range tests {
		if got := homeProfile(in); got != want {
			t.Errorf("homeProfile(%q) = %q, want %q", in, got, want)
		}
	}
}
