package cli

import (
	"runtime"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo"
)

// NewCmdVersion returns the version command.
func NewCmdVersion(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the plexauth version",
		Long:  `Print the plexauth version. JSON: {"version", "plexgo", "go", "os", "arch"}.`,
		Args:  exactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.Opts.JSON {
				return f.writeJSON(struct {
					Version string `json:"version"`
					PlexGo  string `json:"plexgo"`
					Go      string `json:"go"`
					OS      string `json:"os"`
					Arch    string `json:"arch"`
				}{f.Version, plexgo.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH})
			}
			textf(f.IO.Out, "plexauth %s (plexgo %s, %s, %s/%s)\n", f.Version, plexgo.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	}
}
