package cmdutil

import "testing"

func TestLooksLikeToken(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"default", "work", "home-teen", "work-laptop-2024", "laptop", "home-kid-two", "a.b.c", "server2"} {
		if LooksLikeToken(name) {
			t.Errorf("LooksLikeToken(%q) = true, want a name", name)
		}
	}
	for _, tok := range []string{"xZyA1b2C3d4E5f6G7h8i", "Fe-Mbs1r1j5PYQR4Pyqx", "aB3_dEf6hIj9kLm2nOp5"} {
		if !LooksLikeToken(tok) {
			t.Errorf("LooksLikeToken(%d-byte token) = false", len(tok))
		}
	}
}
