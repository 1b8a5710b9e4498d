package logout

import (
	"testing"

	"github.com/plexkit/plexgo/internal/cmdutil/cmdtest"
)

func TestNewCmdLogout(t *testing.T) {
	t.Parallel()
	var logout *Options
	if err := cmdtest.Run(NewCmdLogout(cmdtest.Factory(), func(o *Options) error { logout = o; return nil }), "--forget"); err != nil {
		t.Fatal(err)
	}
	if !logout.Forget {
		t.Error("--forget not parsed")
	}
}
