package auth

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/plexkit/plexgo/internal/redact"
)

// MemoryStore: profiles in memory only.

// MemoryStore is a [TokenStore] that keeps credentials in memory only, for
// tests and short-lived programs. It is safe for concurrent use. The zero
// value is ready to use.
type MemoryStore struct {
	mu       sync.RWMutex
	profiles map[string]Credentials
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{}
}

// Load implements [TokenStore].
func (m *MemoryStore) Load(ctx context.Context, profile string) (Credentials, error) {
	if err := checkCall(ctx, profile); err != nil {
		return Credentials{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	c, ok := m.profiles[profile]
	if !ok {
		return Credentials{}, fmt.Errorf("%w for profile %q", ErrNotLoggedIn, profile)
	}
	return c.clone(), nil
}

// Save implements [TokenStore], with the same rules as [FileStore.Save].
func (m *MemoryStore) Save(ctx context.Context, profile string, c Credentials) error {
	if err := checkSave(ctx, profile, c); err != nil {
		return err
	}
	if c.SavedAt.IsZero() {
		c.SavedAt = time.Now().UTC().Truncate(time.Second)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.profiles == nil {
		m.profiles = map[string]Credentials{}
	}
	m.profiles[profile] = c.clone()
	return nil
}

// Delete implements [TokenStore].
func (m *MemoryStore) Delete(ctx context.Context, profile string) error {
	if err := checkCall(ctx, profile); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.profiles, profile)
	return nil
}

// Profiles implements [TokenStore].
func (m *MemoryStore) Profiles(ctx context.Context) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	return sortedKeys(m.profiles), nil
}

// String describes the store without its credentials.
func (m *MemoryStore) String() string { return "auth.MemoryStore{}" }

// GoString is String: %#v shows no secret either.
func (m *MemoryStore) GoString() string { return m.String() }

// Format implements [fmt.Formatter]: every verb prints String.
func (m *MemoryStore) Format(f fmt.State, verb rune) { redact.Format(f, verb, m) }

// LogValue implements [slog.LogValuer]: nothing of the credentials.
func (m *MemoryStore) LogValue() slog.Value { return slog.StringValue(m.String()) }

var (
	_ fmt.Formatter  = (*MemoryStore)(nil)
	_ slog.LogValuer = (*MemoryStore)(nil)
)
