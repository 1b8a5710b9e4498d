package cmdutil

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/plexkit/plexgo/auth"
)

// Files plexauth keeps next to the token store. Neither holds a secret.
const (
	// ConfigFileName holds plexauth's settings: the default profile.
	ConfigFileName = "config.json"
	// ServerCacheFileName holds the names and machine identifiers of the
	// servers the last discovery found, for shell completion.
	ServerCacheFileName = "servers-cache.json"
	// maxLocalFile bounds what is read of either file.
	maxLocalFile = 1 << 20
)

// settings is the content of config.json.
type settings struct {
	DefaultProfile string `json:"defaultProfile,omitempty"`
}

// DefaultProfile returns the profile commands use without --profile: the
// one "plexauth switch" chose, else "default".
func DefaultProfile(dir string) string {
	var s settings
	if readLocal(filepath.Join(dir, ConfigFileName), &s) != nil || auth.ValidateProfile(s.DefaultProfile) != nil {
		return auth.DefaultProfile
	}
	return s.DefaultProfile
}

// SetDefaultProfile makes profile the default one.
func SetDefaultProfile(dir, profile string) error {
	var s settings
	_ = readLocal(filepath.Join(dir, ConfigFileName), &s)
	s.DefaultProfile = profile
	return writeLocal(dir, ConfigFileName, s)
}

// CachedServer is one server of the completion cache.
type CachedServer struct {
	Name              string `json:"name"`
	MachineIdentifier string `json:"machineIdentifier"`
}

type serverCache struct {
	Servers []CachedServer `json:"servers"`
}

// SaveServerCache records the servers a discovery found (names and
// machine identifiers only), for completion. Failures are ignored: the
// cache is a convenience.
func SaveServerCache(dir string, list []CachedServer) {
	_ = writeLocal(dir, ServerCacheFileName, serverCache{Servers: list})
}

// LoadServerCache returns the servers of the last discovery (none when
// there was none).
func LoadServerCache(dir string) []CachedServer {
	var c serverCache
	if readLocal(filepath.Join(dir, ServerCacheFileName), &c) != nil {
		return nil
	}
	return c.Servers
}

func readLocal(path string, v any) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxLocalFile+1))
	if err != nil {
		return err
	}
	if len(b) > maxLocalFile {
		return fmt.Errorf("%s: too large", path)
	}
	return json.Unmarshal(b, v)
}

func writeLocal(dir, name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o600); err != nil && !errors.Is(err, os.ErrPermission) {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, name))
}

// CompleteProfiles completes a profile name from the token store (local
// files only, never the network).
func CompleteProfiles(f *Factory) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		store, err := f.Store()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		profiles, err := store.Profiles(context.Background())
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []cobra.Completion
		for _, p := range profiles {
			if strings.HasPrefix(p, toComplete) {
				out = append(out, p)
			}
		}
		sort.Strings(out)
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// CompleteServers completes a server name or machine identifier from the
// cache of the last discovery (never the network). maxArgs limits it to
// the first positional arguments (-1: a flag value).
func CompleteServers(f *Factory, maxArgs int) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if maxArgs >= 0 && len(args) >= maxArgs {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		dir, err := f.ConfigDir()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []cobra.Completion
		for _, s := range LoadServerCache(dir) {
			switch {
			case strings.HasPrefix(strings.ToLower(s.Name), strings.ToLower(toComplete)):
				out = append(out, cobra.CompletionWithDesc(s.Name, s.MachineIdentifier))
			case strings.HasPrefix(s.MachineIdentifier, toComplete):
				out = append(out, cobra.CompletionWithDesc(s.MachineIdentifier, s.Name))
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}
