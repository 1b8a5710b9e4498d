package weblogin

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"time"
)

// Role is how an account relates to an allowed server.
type Role string

// The roles. A Plex Home member that is a managed user has both RoleHome
// and RoleManaged.
const (
	RoleOwner   Role = "owner"
	RoleHome    Role = "home"
	RoleFriend  Role = "friend"
	RoleManaged Role = "managed"
)

// User is the signed-in Plex account, as kept in the session cookie. It
// never holds the Plex token.
type User struct {
	// ID is the plex.tv account id.
	ID int64 `json:"id"`
	// UUID is the plex.tv account UUID.
	UUID string `json:"uuid"`
	// Username is the Plex username. It is empty for a managed Plex Home
	// user, which plex.tv names only by its Title: identify accounts by ID
	// or UUID, and show Title when Username is empty.
	Username string `json:"username"`
	// Title is the display name.
	Title string `json:"title"`
	// Thumb is the avatar URL.
	Thumb string `json:"thumb"`
	// Roles are the account's roles on the policy's servers (empty for a
	// policy that admits any account).
	Roles []Role `json:"roles"`
	// Servers are the machine identifiers of the allowed servers the
	// account is a member of.
	Servers []string `json:"servers,omitempty"`
	// SignedInAt is when the account signed in.
	SignedInAt time.Time `json:"signedInAt"`
	// ExpiresAt is when the session ends.
	ExpiresAt time.Time `json:"expiresAt"`
}

// HasRole reports whether the account has role r on an allowed server.
func (u User) HasRole(r Role) bool { return slices.Contains(u.Roles, r) }

// String identifies the user by id, username and title (a managed Home
// user has only a title).
func (u User) String() string {
	return "weblogin.User{ID:" + strconv.FormatInt(u.ID, 10) + " Username:" + strconv.Quote(u.Username) +
		" Title:" + strconv.Quote(u.Title) + "}"
}

// LogValue implements slog.LogValuer: the id, username and title.
func (u User) LogValue() slog.Value {
	return slog.GroupValue(slog.Int64("id", u.ID), slog.String("username", u.Username), slog.String("title", u.Title))
}

// session is the sealed content of the session cookie, in the binary
// form of codec.go.
type session struct {
	ID        int64
	UUID      string
	Username  string
	Title     string
	Thumb     string
	Roles     []Role
	Servers   []string
	Issued    int64
	Expires   int64
	Validated int64
	Token     secret // only with WithKeepToken
}

func (s *session) user() User {
	return User{
		ID: s.ID, UUID: s.UUID, Username: s.Username, Title: s.Title, Thumb: s.Thumb,
		Roles: s.Roles, Servers: s.Servers,
		SignedInAt: time.Unix(s.Issued, 0), ExpiresAt: time.Unix(s.Expires, 0),
	}
}

// state is the sealed content of the sign-in state cookie: the only place
// the callback and status take the PIN id from.
type state struct {
	PIN      int64  `json:"p"`
	Nonce    string `json:"o"`
	Expires  int64  `json:"ex"`
	ReturnTo string `json:"r"`
	Popup    bool   `json:"w,omitempty"`
	// Expect is the UUID of the account that must approve the PIN (a
	// re-authentication of a signed-in user), or "".
	Expect string `json:"e,omitempty"`
}

// secret is a string that no fmt verb or slog prints.
type secret string

func (secret) String() string               { return "REDACTED" }
func (s secret) GoString() string           { return `"` + s.String() + `"` }
func (s secret) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, s.String()) }
func (secret) LogValue() slog.Value         { return slog.StringValue("REDACTED") }

type ctxKey struct{}

// ctxSession is what the middleware puts in the request context.
type ctxSession struct {
	user  User
	token string
}

// Account returns the signed-in account of a request that went through
// [Handler.RequireSignIn] or [Handler.Sessions].
func Account(ctx context.Context) (User, bool) {
	s, ok := ctx.Value(ctxKey{}).(*ctxSession)
	if !ok || s == nil {
		return User{}, false
	}
	return s.user, true
}

// Token returns the signed-in account's Plex token when the handler keeps
// it (WithKeepToken); otherwise "", false. A secret: never log it.
func Token(ctx context.Context) (string, bool) {
	s, ok := ctx.Value(ctxKey{}).(*ctxSession)
	if !ok || s == nil || s.token == "" {
		return "", false
	}
	return s.token, true
}
