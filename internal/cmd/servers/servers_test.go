package servers

import (
	"testing"

	"github.com/plexkit/plexgo/internal/cmdutil/cmdtest"
)

func TestNewCmdServers(t *testing.T) {
	t.Parallel()
	var servers *Options
	if err := cmdtest.Run(NewCmdServers(cmdtest.Factory(), func(o *Options) error { servers = o; return nil }), "--owned"); err != nil {
		t.Fatal(err)
	}
	if !servers.Owned {
		t.Error("--owned not parsed")
	}
}
