package cli

import (
	"context"

	"github.com/plexkit/plexgo/auth"
)

// jwtSource returns the token source of a JWT login: it hands out the
// stored Plex JWT and renews it with the device key (saving the new one)
// when it nears expiry.
func (f *Factory) jwtSource(_ context.Context, s *Session, clientID string) (securitySource, error) {
	f.mu.Lock()
	cached := f.jwtSrc[s.Profile]
	f.mu.Unlock()
	if cached != nil {
		return cached, nil
	}
	key, err := auth.DeviceKeyFromCredentials(s.Creds)
	if err != nil {
		return nil, &ExitError{Code: ExitAuth, What: "read the stored device key", Err: err, Hint: loginHint(s.Profile) + " --jwt"}
	}
	store, err := f.Store()
	if err != nil {
		return nil, err
	}
	src := auth.NewJWTSource(f.sdkFor(clientID, f.PlexTVURL()), key, clientID, auth.JWTSourceOptions{
		Initial: s.Creds.Token,
		Now:     f.Now,
		Store:   store,
		Profile: s.Profile,
		Logger:  f.Logger(),
	})
	f.mu.Lock()
	if f.jwtSrc == nil {
		f.jwtSrc = map[string]securitySource{}
	}
	f.jwtSrc[s.Profile] = src.Security
	f.mu.Unlock()
	return src.Security, nil
}
