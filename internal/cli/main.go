package cli

import (
	"context"
	"errors"
)

// Main runs plexauth with args (without the program name) and returns the
// process exit code. Errors are printed to streams.ErrOut as one line,
// "plexauth: what failed: what to do". env reads the environment (nil
// means an empty one).
func Main(ctx context.Context, args []string, streams IOStreams, env func(string) string) int {
	return NewFactory(streams, env).Run(ctx, args)
}

// Run runs one command line with this factory's dependencies and returns
// the exit code.
func (f *Factory) Run(ctx context.Context, args []string) int {
	f.reset()
	root := NewCmdRoot(f)
	root.SetArgs(args)
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	code, hint := classify(err)
	// Print our own message, not the layers a library wrapped around it.
	var ee *ExitError
	var fe *FlagError
	switch {
	case errors.As(err, &ee):
		err = ee
	case errors.As(err, &fe):
		err = fe
	}
	textln(f.IO.ErrOut, errorLine(err, hint))
	return code
}
