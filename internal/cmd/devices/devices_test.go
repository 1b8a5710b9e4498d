package devices

import (
	"testing"
	"time"

	"github.com/plexkit/plexgo/internal/cmdutil/cmdtest"
	"github.com/plexkit/plexgo/models/operations"
)

func TestNewCmdDevicesRevoke(t *testing.T) {
	t.Parallel()
	var got *Options
	run := func(o *Options) error { got = o; return nil }
	if err := cmdtest.Run(NewCmdDevices(cmdtest.Factory(), run), "revoke", "1234", "--yes"); err != nil {
		t.Fatal(err)
	}
	if got.ID != 1234 || !got.Yes || got.AllOthers {
		t.Errorf("options = %+v", *got)
	}
	got = nil
	if err := cmdtest.Run(NewCmdDevices(cmdtest.Factory(), run), "revoke", "--all-others"); err != nil {
		t.Fatal(err)
	}
	if !got.AllOthers || got.ID != 0 || got.Yes {
		t.Errorf("options = %+v", *got)
	}
	for _, args := range [][]string{{"revoke"}, {"revoke", "abc"}, {"revoke", "0"}, {"revoke", "-5"}, {"revoke", "1", "--all-others"}, {"revoke", "1", "2"}, {"extra"}} {
		if err := cmdtest.Run(NewCmdDevices(cmdtest.Factory(), run), args...); !cmdtest.IsUsage(err) {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
}

func TestAgo(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		10 * time.Second: "just now",
		5 * time.Minute:  "5m ago",
		3 * time.Hour:    "3h ago",
		47 * time.Hour:   "47h ago",
		72 * time.Hour:   "3d ago",
	} {
		if got := ago(d); got != want {
			t.Errorf("ago(%v) = %q, want %q", d, got, want)
		}
	}
}

// A device that sent no name is shown by its client identifier's first 8
// characters (sanitized), not "-".
func TestDeviceName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, client, want string }{
		{"Living Room TV", "c74e59fb-9cfd", "Living Room TV"},
		{"  ", "c74e59fb-9cfd-43d1-8b27-464b3613087b", "client c74e59fb…"},
		{"", "short", "client short"},
		{"", "ab\x1b[2Jcdefgh", `client ab\x1b[2Jcd…`},
		{"", "äöü", "client äöü"},
		{"evil\x1b]0;t\a", "x", `evil\x1b]0;t\x07`},
		{"", "", "-"},
	} {
		got := deviceName(operations.AccountDevice{Name: tc.name, ClientIdentifier: tc.client})
		if got != tc.want {
			t.Errorf("deviceName(%q, %q) = %q, want %q", tc.name, tc.client, got, tc.want)
		}
	}
}
