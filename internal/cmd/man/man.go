// Package man implements "plexauth man": man pages for every command,
// generated from the command tree (spf13/cobra/doc).
package man

import (
	"context"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/plexkit/plexgo/internal/cmdutil"
)

// Options are the inputs of plexauth man.
type Options struct {
	// IO are the streams.
	IO *cmdutil.IOStreams
	// Dir is where the pages are written.
	Dir string
}

// NewCmdMan returns the man command.
func NewCmdMan(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use: "man --dir DIR", Short: "Write man pages for plexauth and every command",
		Long: `Write a man page (section 1) for plexauth and for each of its commands into
DIR, e.g. for "man plexauth-login":

  plexauth man --dir ~/.local/share/man/man1`,
		Args: cmdutil.ExactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Dir == "" {
				return cmdutil.FlagErrorf("man needs --dir DIR")
			}
			return cmdutil.Run(cmd.Context(), opts, runF, func(_ context.Context, opts *Options) error { return manRun(cmd.Root(), opts) })
		},
	}
	cmd.Flags().StringVar(&opts.Dir, "dir", "", "directory to write the pages to (created if missing)")
	_ = cmd.MarkFlagDirname("dir")
	return cmdutil.DisableAuth(cmd)
}

func manRun(root *cobra.Command, opts *Options) error {
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "create " + opts.Dir, Err: err}
	}
	root.DisableAutoGenTag = true
	header := &doc.GenManHeader{Title: "PLEXAUTH", Section: "1", Source: "plexgo", Manual: "plexauth manual"}
	if err := doc.GenManTree(root, header, opts.Dir); err != nil {
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, What: "write the man pages", Err: err}
	}
	entries, _ := os.ReadDir(opts.Dir)
	opts.IO.Eprintf("Wrote %d man pages to %s.\n", len(entries), opts.Dir)
	return nil
}
