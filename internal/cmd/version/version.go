// Package version implements "plexauth version".
package version

import (
	"runtime"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/internal/cmdutil"
)

// Options are the inputs of plexauth version.
type Options struct {
	// Dependencies, taken from the Factory.
	IO      *cmdutil.IOStreams
	Version string
	JSON    bool
}

// NewCmdVersion returns the version command. runF, when not nil,
// replaces the run (tests use it to capture the parsed options).
func NewCmdVersion(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Version: f.Version}
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the plexauth version",
		Long:  `Print the plexauth version. JSON: {"version", "plexgo", "go", "os", "arch"}.`,
		Args:  cmdutil.ExactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON = f.Options.JSON
			if runF != nil {
				return runF(opts)
			}
			return run(opts)
		},
	}
	return cmdutil.DisableAuth(cmd)
}

func run(opts *Options) error {
	if opts.JSON {
		return opts.IO.WriteJSON(struct {
			Version string `json:"version"`
			PlexGo  string `json:"plexgo"`
			Go      string `json:"go"`
			OS      string `json:"os"`
			Arch    string `json:"arch"`
		}{opts.Version, plexgo.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH})
	}
	opts.IO.Printf("plexauth %s (plexgo %s, %s, %s/%s)\n", opts.Version, plexgo.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}
