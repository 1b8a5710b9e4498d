package weblogin

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/plexkit/plexgo/plextest"
)

// benchSession is a typical session: the fields a sign-in stores.
func benchSession() session {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	return session{
		ID: 12345678, UUID: "4f1d2c3b5a6e7d8c", Username: "alice", Title: "Alice Example",
		Thumb: "https://plex.tv/users/4f1d2c3b5a6e7d8c/avatar?c=1700000000",
		Roles: []Role{RoleOwner}, Servers: []string{"0123456789abcdef0123456789abcdef01234567"},
		Issued: now.Unix(), Expires: now.Add(DefaultSessionTTL).Unix(), Validated: now.Unix(),
	}
}

// BenchmarkSessionOpen measures what every request with a session pays:
// reading the cookie from the request, opening it (AES-256-GCM) and
// decoding the payload, next to gorilla/securecookie's Decode (HMAC-SHA256
// + AES-CTR) of the same payload with its default gob encoding and with
// JSON.
func BenchmarkSessionOpen(b *testing.B) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	h, err := New(testSDK(plextest.NewServer(b)), testClientID, WithKeys(newKey(b)), WithClock(func() time.Time { return now }))
	if err != nil {
		b.Fatal(err)
	}
	payload := benchSession()
	sealed, err := h.sealSession(&payload)
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.AddCookie(&http.Cookie{Name: "plex_session", Value: sealed})
	b.Run("weblogin", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s, ok := h.openSession(req)
			if !ok || s.ID != payload.ID {
				b.Fatal("not opened")
			}
		}
	})
	for _, enc := range []struct {
		name string
		enc  securecookie.Serializer
	}{{"securecookie-gob", securecookie.GobEncoder{}}, {"securecookie-json", securecookie.JSONEncoder{}}} {
		sc := securecookie.New(newKey(b), newKey(b)).SetSerializer(enc.enc).MaxAge(int(DefaultSessionTTL.Seconds()))
		val, err := sc.Encode("plex_session", payload)
		if err != nil {
			b.Fatal(err)
		}
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.AddCookie(&http.Cookie{Name: "plex_session", Value: val})
		b.Run(enc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c, err := r.Cookie("plex_session")
				if err != nil {
					b.Fatal(err)
				}
				var s session
				if err := sc.Decode("plex_session", c.Value, &s); err != nil || s.ID != payload.ID {
					b.Fatal("not decoded", err)
				}
			}
		})
	}
}
