package cmdutil

import (
	"context"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/servers"
)

// Base is how the options of a command that runs with the login of the
// run begin: the streams, the session and --json. A command takes the
// rest of what it uses from the Factory itself, field by field.
type Base struct {
	// IO are the standard streams.
	IO *IOStreams
	// Session is the login of the run (see Factory.Session).
	Session func(context.Context) (*Session, error)
	// JSON prints one JSON document on stdout (--json); the command sets
	// it when it runs.
	JSON bool
}

// BaseOf returns f's streams and session (JSON is read when the command
// runs).
func BaseOf(f *Factory) Base { return Base{IO: f.IOStreams, Session: f.Session} }

// Login returns the login of the run and a plex.tv client that presents
// its token.
func (b *Base) Login(ctx context.Context) (*Session, *plexgo.PlexAPI, error) {
	s, err := b.Session(ctx)
	if err != nil {
		return nil, nil, err
	}
	sdk, err := s.AuthSDK(ctx)
	if err != nil {
		return nil, nil, err
	}
	return s, sdk, nil
}

// Connect returns the login of the run and the connection chosen to its
// server nameOrID (see [ConnectServer]).
func (b *Base) Connect(ctx context.Context, nameOrID string, timeout time.Duration, relay bool, logger *slog.Logger) (*Session, *servers.ConnectResult, error) {
	s, err := b.Session(ctx)
	if err != nil {
		return nil, nil, err
	}
	res, err := ConnectServer(ctx, s, nameOrID, timeout, relay, logger)
	return s, res, err
}

// Run ends a command's RunE once its arguments and flags are checked:
// runF when a test gave one (to capture the parsed options), else the
// command's run.
func Run[O any](ctx context.Context, opts *O, runF func(*O) error, run func(context.Context, *O) error) error {
	if runF != nil {
		return runF(opts)
	}
	return run(ctx, opts)
}

// WriteJSONList writes {"<key>": [...]} on Out: each item as conv makes
// it, and an empty list (not null) when there are none.
func WriteJSONList[T, J any](io *IOStreams, key string, items []T, conv func(T) J) error {
	list := make([]J, 0, len(items))
	for _, it := range items {
		list = append(list, conv(it))
	}
	return io.WriteJSON(map[string][]J{key: list})
}

// RunE is the RunE of a command that checks nothing more than its Args:
// it sets *json from --json, then ends as [Run] does.
func RunE[O any](f *Factory, json *bool, opts *O, runF func(*O) error, run func(context.Context, *O) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, _ []string) error {
		*json = f.Options.JSON
		return Run(cmd.Context(), opts, runF, run)
	}
}
