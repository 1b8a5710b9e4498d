package weblogin

import (
	"reflect"
	"testing"
)

func TestSessionCodec(t *testing.T) {
	for _, s := range []session{
		{},
		benchSession(),
		{ID: -5, UUID: "u", Username: "ü名", Roles: []Role{RoleHome, RoleManaged}, Servers: []string{"a", "b"}, Issued: 1, Expires: 1 << 40, Validated: -1, Token: "tok"},
	} {
		var got session
		if err := got.decode(s.encode()); err != nil {
			t.Fatalf("decode(encode(%v)): %v", s.user(), err)
		}
		if !reflect.DeepEqual(got, s) {
			t.Fatalf("round trip: got %+v, want %+v", got.user(), s.user())
		}
	}
	good := benchSession()
	enc := good.encode()
	bad := [][]byte{nil, {}, {2}, {sessionFormat}, enc[:len(enc)-1], append(append([]byte{}, enc...), 0),
		{sessionFormat, 0, 0xff, 0xff, 0xff, 0xff, 0x0f}, // a string longer than the input
		{sessionFormat, 0, 0, 0, 0, 0, 100},              // 100 roles
	}
	for _, b := range bad {
		var s session
		if err := s.decode(b); err == nil {
			t.Errorf("decoded %x", b)
		}
	}
}

func FuzzSessionDecode(f *testing.F) {
	s := benchSession()
	f.Add(s.encode())
	s.Token = "x"
	f.Add(s.encode())
	f.Add([]byte{sessionFormat})
	f.Fuzz(func(t *testing.T, b []byte) {
		var s session
		if err := s.decode(b); err != nil {
			return
		}
		var again session
		if err := again.decode(s.encode()); err != nil || !reflect.DeepEqual(again, s) {
			t.Fatalf("re-encoding a decoded session does not round-trip: %v", err)
		}
	})
}
