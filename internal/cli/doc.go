// Package cli implements plexauth, the command-line front end of plexgo:
// log in to plex.tv (PIN, password with two-factor authentication, or JWT
// device authentication), inspect the stored login, list and connect to
// Plex Media Servers, switch Plex Home users, and run a self-contained
// demo against the embedded fake.
//
// The program is the function [Main]: it takes the arguments, the
// standard streams (with their terminal state) and the environment, and
// returns the process exit code, so tests run the whole CLI in-process.
// Every dependency (token store, device identity, SDK client, browser
// opener, prompter, clock) is built lazily by a [Factory] and can be
// injected.
//
// Output rules: results go to stdout (one JSON document with --json);
// progress, prompts and diagnostics go to stderr. The token is printed only
// by "plexauth token" (and by "login --show-token"); no other output,
// error or log line contains it.
//
// Exit codes: see [ExitOK] and the constants after it.
package cli
