package servers

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/internal/urlcheck"
	"github.com/plexkit/plexgo/models/operations"
)

// TokenQueryParam is the query parameter ShareURL puts the token in, where
// Plex players and media URLs read it.
const TokenQueryParam = "X-Plex-Token"

// serverCall returns the client and per-call options that send a request
// to the chosen connection with the server's own token.
func serverCall(op string, sdk *plexgo.PlexAPI, conn *ConnectResult) (*plexgo.PlexAPI, []operations.Option, error) {
	if conn == nil || conn.URI == "" {
		return nil, nil, fmt.Errorf("servers: %s: no connection (use Connect first)", op)
	}
	if conn.Server.AccessToken == "" {
		return nil, nil, fmt.Errorf("servers: %s: server %q has no access token", op, conn.Server.Name)
	}
	if plainHTTPPublic(conn.URI) && !conn.InsecureAllowed {
		return nil, nil, fmt.Errorf("servers: %s: %s: %w (connect with ConnectOptions.AllowInsecurePublic to allow it)", op, redactURI(conn.URI), ErrInsecureConnection)
	}
	if sdk == nil {
		sdk = conn.Client
	}
	if err := checkSDK(sdk); err != nil {
		return nil, nil, fmt.Errorf("servers: %s: %w", op, err)
	}
	return sdk, []operations.Option{
		operations.WithServerURL(conn.URI),
		operations.WithToken(conn.Server.AccessToken),
	}, nil
}

// TransientToken asks the connected server for a transient token: a
// temporary token with the same access as the server's token, valid for up
// to 48 hours and dropped when the server restarts. Hand it to a player or
// another service instead of the real token. The request goes to
// conn.URI with conn.Server.AccessToken; sdk supplies the HTTP client and
// identity headers (nil uses conn.Client).
//
// Plex API: POST {conn.URI}/security/token?type=delegation&scope=all.
func TransientToken(ctx context.Context, sdk *plexgo.PlexAPI, conn *ConnectResult) (string, error) {
	client, opts, err := serverCall("transient token", sdk, conn)
	if err != nil {
		return "", err
	}
	res, err := client.Authentication.GetTransientToken(ctx, operations.GetTransientTokenQueryParamTypeDelegation, operations.ScopeAll, opts...)
	if err != nil {
		return "", fmt.Errorf("servers: transient token from %q: %w", conn.Server.Name, err)
	}
	tok := res.GetToken()
	if tok == "" {
		return "", fmt.Errorf("servers: transient token from %q: the answer holds no token", conn.Server.Name)
	}
	return tok, nil
}

// SourceInfo asks the connected server for a source's connection
// information: the token and addresses to use for it. source is
// "server://<machineIdentifier>" (see SourceForServer) or
// "provider://<id>". It needs the server's admin token (the caller owns the
// server); a shared user's token gets a 403 (sdkerrors.ErrForbidden). The
// returned Device holds a token: do not log it (its String redacts it).
//
// Plex API: GET {conn.URI}/security/resources?source=….
func SourceInfo(ctx context.Context, sdk *plexgo.PlexAPI, conn *ConnectResult, source string) (*operations.Device, error) {
	if strings.TrimSpace(source) == "" {
		return nil, errors.New("servers: source info: empty source")
	}
	client, opts, err := serverCall("source info", sdk, conn)
	if err != nil {
		return nil, err
	}
	res, err := client.Authentication.GetSourceConnectionInformation(ctx, source, opts...)
	if err != nil {
		return nil, fmt.Errorf("servers: source info for %q from %q: %w", source, conn.Server.Name, err)
	}
	d := res.GetDevice()
	if d == nil {
		return nil, fmt.Errorf("servers: source info for %q from %q: the answer holds no device", source, conn.Server.Name)
	}
	return d, nil
}

// SourceForServer returns the source identifier of a server,
// "server://<machineID>", for SourceInfo.
func SourceForServer(machineID string) string { return "server://" + machineID }

// ShareURL returns baseURI joined with path (which may carry its own query)
// and the token added as the X-Plex-Token query parameter, the form Plex
// players and media URLs expect, e.g.
// "http://10.0.0.5:32400/library/parts/1/file.mkv?X-Plex-Token=…".
//
// The result is a secret: anyone holding it can use the token. Prefer a
// transient token (TransientToken) over the server's real token, and do not
// log the URL. path must be relative to baseURI: a path naming another host
// or scheme is rejected, so the token cannot be sent elsewhere. Errors
// never contain the token.
func ShareURL(baseURI, path, token string) (string, error) {
	if token == "" {
		return "", errors.New("servers: share URL: empty token")
	}
	base, err := urlcheck.HTTP(baseURI)
	switch {
	case errors.Is(err, urlcheck.ErrUserinfo):
		return "", errors.New("servers: share URL: the base must not hold user information")
	case err != nil:
		return "", errors.New("servers: share URL: the base must be an absolute http(s) URL")
	}
	ref, err := url.Parse(path)
	if err != nil {
		return "", errors.New("servers: share URL: the path does not parse as a URL path")
	}
	if ref.Scheme != "" || ref.Host != "" || ref.User != nil || strings.HasPrefix(path, "//") {
		return "", errors.New("servers: share URL: the path must be relative to the base (no scheme or host)")
	}
	u := *base
	u.RawQuery, u.Fragment = "", ""
	u.Path = strings.TrimSuffix(base.Path, "/") + "/" + strings.TrimPrefix(ref.Path, "/")
	u.RawPath = ""
	q := ref.Query()
	q.Del(TokenQueryParam)
	q.Set(TokenQueryParam, token)
	u.RawQuery = q.Encode()
	u.Fragment = ref.Fragment
	return u.String(), nil
}
