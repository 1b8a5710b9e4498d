// Package version implements "plexauth version".
package version

import (
	"context"
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
		Use: "version", Short: "Print the plexauth version",
		Long: `Print the plexauth version. JSON: {"version", "plexgo", "go", "os", "arch"}.`,
		Args: cmdutil.ExactArgs(0, ""),
		RunE: cmdutil.RunE(f, &opts.JSON, opts, runF, run),
	}
	return cmdutil.DisableAuth(cmd)
}

// versionJSON is the JSON of plexauth version.
type versionJSON struct {
	Version string `json:"version"`
	PlexGo  string `json:"plexgo"`
	Go      string `json:"go"`
	OS      string `json:"os"`
	Arch    string `json:"arch"`
}

func run(_ context.Context, opts *Options) error {
	v := versionJSON{opts.Version, plexgo.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH}
	if opts.JSON {
		return opts.IO.WriteJSON(v)
	}
	opts.IO.Printf("plexauth %s (plexgo %s, %s, %s/%s)\n", v.Version, v.PlexGo, v.Go, v.OS, v.Arch)
	return nil
}
