// Package cmdutil is what every plexauth command shares: the [Factory] of
// dependencies (built once per run, as func fields that a test may
// replace), the [IOStreams], prompts, the browser opener, the PIN
// countdown, text and JSON output (text is always passed through
// [Sanitize]), the login [Session], exit codes and the one mapping from
// errors to exit codes and advice ([Classify]).
//
// Each command lives in its own package under internal/cmd and takes from
// the Factory only what it uses; package internal/cmd/root wires them.
package cmdutil
