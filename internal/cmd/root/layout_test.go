package root

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo/internal/cmdutil"
)

// TestCommandsDoNotImportEachOther checks the layout: every command is a
// package under internal/cmd, and none imports another (only root wires
// them); shared code lives in internal/cmdutil.
func TestCommandsDoNotImportEachOther(t *testing.T) {
	t.Parallel()
	const prefix = "github.com/plexkit/plexgo/internal/cmd/"
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Deps}} {{.}}{{end}}`, "../...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	commands := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := fields[0]
		if pkg == prefix+"root" {
			continue
		}
		commands++
		for _, dep := range fields[1:] {
			if strings.HasPrefix(dep, prefix) {
				t.Errorf("command package %s imports command package %s", strings.TrimPrefix(pkg, prefix), strings.TrimPrefix(dep, prefix))
			}
		}
	}
	if commands < 11 {
		t.Errorf("%d command packages under internal/cmd, want one per command (11)", commands)
	}
}

// TestLoginRequirementIsOptOut checks which commands run without a login:
// exactly the ones that say so. A new command needs one unless it is
// marked cmdutil.DisableAuth.
func TestLoginRequirementIsOptOut(t *testing.T) {
	t.Parallel()
	root := NewCmdRoot(cmdutil.New(cmdutil.IOStreams{}, nil))
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	noLogin := map[string]bool{
		"plexauth": true, "plexauth login": true, "plexauth logout": true, "plexauth status": true,
		"plexauth demo": true, "plexauth version": true, "plexauth help": true, "plexauth home": true,
		"plexauth completion": true, "plexauth completion bash": true, "plexauth completion zsh": true,
		"plexauth completion fish": true, "plexauth completion powershell": true,
	}
	var walk func(c *cobra.Command)
	seen := 0
	walk = func(c *cobra.Command) {
		seen++
		path := c.CommandPath()
		if got, want := cmdutil.IsAuthCheckEnabled(c), !noLogin[path]; got != want {
			t.Errorf("%s: needs a login = %v, want %v", path, got, want)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	if seen < 15 {
		t.Errorf("walked %d commands", seen)
	}
}
