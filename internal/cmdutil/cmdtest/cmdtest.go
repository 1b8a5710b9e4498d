// Package cmdtest helps the tests of plexauth's command packages run one
// command's flag parsing without the rest of the CLI. Only tests import it.
package cmdtest

import (
	"errors"
	"io"
	"reflect"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo/internal/cmdutil"
)

// Run executes cmd with args (output discarded) the way the root command
// would, and returns its error.
func Run(cmd *cobra.Command, args ...string) error {
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &cmdutil.FlagError{Err: err} })
	return cmd.Execute()
}

// IsUsage reports whether err is a usage error (exit code 2).
func IsUsage(err error) bool {
	var fe *cmdutil.FlagError
	return errors.As(err, &fe)
}

// Factory returns a factory over empty streams and environment, for
// tests that only parse flags.
func Factory() *cmdutil.Factory {
	return cmdutil.New(cmdutil.IOStreams{In: eofReader{}, Out: io.Discard, ErrOut: io.Discard}, nil)
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// ClearDeps sets every func, pointer and interface field of the struct
// that opts points to (and of the structs it embeds, such as
// cmdutil.Base) to nil, leaving the parsed flags, so that a test can
// compare a command's options with a literal.
func ClearDeps(opts any) { clearDeps(reflect.ValueOf(opts).Elem()) }

func clearDeps(v reflect.Value) {
	for i := range v.NumField() {
		switch fv := v.Field(i); fv.Kind() {
		case reflect.Func, reflect.Pointer, reflect.Interface:
			if fv.CanSet() {
				fv.Set(reflect.Zero(fv.Type()))
			}
		case reflect.Struct:
			if v.Type().Field(i).Anonymous {
				clearDeps(fv)
			}
		}
	}
}
