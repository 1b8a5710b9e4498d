package weblogin

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
)

// KeySize is the length of a session key in bytes (AES-256).
const KeySize = 32

// maxCookieBytes bounds a cookie value before it is decoded: browsers keep
// at most about 4 KiB per cookie, so anything longer was not set by us.
const maxCookieBytes = 4096

// sealVersion is the first byte of every sealed value.
const sealVersion byte = 1

// keyIDSize is the length of the key hint after the version byte: the first
// bytes of SHA-256(key), so that opening picks the key without trying all.
const keyIDSize = 4

// Errors of opening a sealed value. None of them carries the value.
var (
	errSealedTooLarge  = errors.New("weblogin: cookie too large")
	errSealedMalformed = errors.New("weblogin: cookie malformed")
	errSealedKey       = errors.New("weblogin: cookie sealed with an unknown key")
	errSealedAuth      = errors.New("weblogin: cookie failed authentication")
)

// sealer seals and opens cookie values with AES-256-GCM. The first key
// seals; every key opens (key rotation). The purpose (the cookie's role) is
// bound as additional data, so a value sealed for one purpose does not
// open as another.
type sealer struct {
	keys []sealKey
}

type sealKey struct {
	id   [keyIDSize]byte
	aead cipher.AEAD
}

// newSealer builds a sealer from one or more 32-byte keys.
func newSealer(keys [][]byte) (*sealer, error) {
	if len(keys) == 0 {
		return nil, errors.New("weblogin: no session key: pass at least one 32-byte key with WithKeys")
	}
	s := &sealer{}
	for i, k := range keys {
		if len(k) != KeySize {
			return nil, fmt.Errorf("weblogin: session key %d is %d bytes, want %d", i, len(k), KeySize)
		}
		block, err := aes.NewCipher(k)
		if err != nil {
			return nil, fmt.Errorf("weblogin: session key %d: %w", i, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("weblogin: session key %d: %w", i, err)
		}
		sum := sha256.Sum256(k)
		var sk sealKey
		copy(sk.id[:], sum[:keyIDSize])
		sk.aead = aead
		s.keys = append(s.keys, sk)
	}
	return s, nil
}

// seal encrypts plaintext for purpose and returns a cookie-safe string:
// base64url(version | key id | nonce | ciphertext+tag).
func (s *sealer) seal(purpose string, plaintext []byte) (string, error) {
	k := s.keys[0]
	ns := k.aead.NonceSize()
	hdr := 1 + keyIDSize
	buf := make([]byte, hdr+ns, hdr+ns+len(plaintext)+k.aead.Overhead())
	buf[0] = sealVersion
	copy(buf[1:hdr], k.id[:])
	if _, err := rand.Read(buf[hdr : hdr+ns]); err != nil {
		return "", fmt.Errorf("weblogin: sealing: %w", err)
	}
	out := k.aead.Seal(buf, buf[hdr:hdr+ns], plaintext, aad(purpose, buf[:hdr]))
	if base64.RawURLEncoding.EncodedLen(len(out)) > maxCookieBytes {
		return "", errSealedTooLarge
	}
	return base64.RawURLEncoding.EncodeToString(out), nil
}

// open reverses seal. It rejects values over maxCookieBytes before
// decoding them.
func (s *sealer) open(purpose, value string) ([]byte, error) {
	if len(value) > maxCookieBytes {
		return nil, errSealedTooLarge
	}
	raw, err := base64.RawURLEncoding.DecodeString(value)
	if err != nil {
		return nil, errSealedMalformed
	}
	hdr := 1 + keyIDSize
	if len(raw) < hdr || raw[0] != sealVersion {
		return nil, errSealedMalformed
	}
	for i := range s.keys {
		k := &s.keys[i]
		if [keyIDSize]byte(raw[1:hdr]) != k.id {
			continue
		}
		ns := k.aead.NonceSize()
		if len(raw) < hdr+ns+k.aead.Overhead() {
			return nil, errSealedMalformed
		}
		pt, err := k.aead.Open(nil, raw[hdr:hdr+ns], raw[hdr+ns:], aad(purpose, raw[:hdr]))
		if err != nil {
			return nil, errSealedAuth
		}
		return pt, nil
	}
	return nil, errSealedKey
}

// aad is the additional authenticated data: the purpose and the header.
func aad(purpose string, hdr []byte) []byte {
	b := make([]byte, 0, len(purpose)+1+len(hdr))
	b = append(b, purpose...)
	b = append(b, 0)
	return append(b, hdr...)
}
