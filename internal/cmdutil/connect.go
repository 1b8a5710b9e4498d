package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/plexkit/plexgo/servers"
)

// ConnectServer finds the session's server by name or machine
// identifier and races its connections (relay ones only when relay is
// set; timeout 0 keeps the default per-candidate limit).
func ConnectServer(ctx context.Context, s *Session, nameOrID string, timeout time.Duration, relay bool, logger *slog.Logger) (*servers.ConnectResult, error) {
	sdk, err := s.AuthSDK(ctx)
	if err != nil {
		return nil, err
	}
	srv, err := servers.Find(ctx, sdk, nameOrID)
	switch {
	case errors.Is(err, servers.ErrServerNotFound):
		return nil, &ExitError{Code: ExitFailure, What: "find the server", Err: err, Hint: "run plexauth servers to list them"}
	case errors.Is(err, servers.ErrAmbiguousServer):
		return nil, &ExitError{Code: ExitFailure, What: "find the server", Err: err, Hint: "use its machine identifier (plexauth servers)"}
	case err != nil:
		return nil, fmt.Errorf("list servers: %w", err)
	}
	opts := servers.DefaultConnectOptions()
	if timeout > 0 {
		opts.PerCandidateTimeout = timeout
	}
	opts.IncludeRelay = relay
	opts.Logger = logger
	return servers.Connect(ctx, sdk, srv, opts)
}
