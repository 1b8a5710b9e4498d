package weblogin

import (
	"encoding/binary"
	"encoding/json"
	"errors"
)

// sessionFormat is the first byte of an encoded session.
const sessionFormat byte = 1

// maxListLen bounds the roles and servers of a decoded session.
const maxListLen = 64

// encode writes the session in a compact binary form: a format byte, then
// varints and length-prefixed strings in a fixed order. It is several
// times cheaper to decode than JSON, which matters because every request
// with a session decodes one.
func (s *session) encode() []byte {
	b := make([]byte, 0, 128+len(s.UUID)+len(s.Username)+len(s.Title)+len(s.Thumb)+len(s.Token))
	b = append(b, sessionFormat)
	b = binary.AppendVarint(b, s.ID)
	for _, v := range []string{s.UUID, s.Username, s.Title, s.Thumb} {
		b = appendString(b, v)
	}
	b = binary.AppendUvarint(b, uint64(len(s.Roles)))
	for _, r := range s.Roles {
		b = appendString(b, string(r))
	}
	b = binary.AppendUvarint(b, uint64(len(s.Servers)))
	for _, v := range s.Servers {
		b = appendString(b, v)
	}
	b = binary.AppendVarint(b, s.Issued)
	b = binary.AppendVarint(b, s.Expires)
	b = binary.AppendVarint(b, s.Validated)
	return appendString(b, string(s.Token))
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// decoder reads the binary form; the first failure sticks.
type decoder struct {
	b   []byte
	bad bool
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.bad = true
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) count() int {
	v, n := binary.Uvarint(d.b)
	if n <= 0 || v > maxListLen {
		d.bad = true
		return 0
	}
	d.b = d.b[n:]
	return int(v)
}

func (d *decoder) str() string {
	v, n := binary.Uvarint(d.b)
	if n <= 0 || v > uint64(len(d.b)-n) {
		d.bad = true
		return ""
	}
	s := string(d.b[n : n+int(v)])
	d.b = d.b[n+int(v):]
	return s
}

// decode reads what encode wrote. Anything else is errPayload.
func (s *session) decode(b []byte) error {
	if len(b) == 0 || b[0] != sessionFormat {
		return errPayload
	}
	d := &decoder{b: b[1:]}
	s.ID = d.varint()
	s.UUID, s.Username, s.Title, s.Thumb = d.str(), d.str(), d.str(), d.str()
	if n := d.count(); n > 0 {
		s.Roles = make([]Role, n)
		for i := range s.Roles {
			s.Roles[i] = Role(d.str())
		}
	}
	if n := d.count(); n > 0 {
		s.Servers = make([]string, n)
		for i := range s.Servers {
			s.Servers[i] = d.str()
		}
	}
	s.Issued, s.Expires, s.Validated = d.varint(), d.varint(), d.varint()
	s.Token = secret(d.str())
	if d.bad || len(d.b) != 0 {
		*s = session{}
		return errPayload
	}
	return nil
}

// errPayload: a cookie opened but its content is not what was sealed.
var errPayload = errors.New("weblogin: cookie payload malformed")

func (h *Handler) sealJSON(purpose string, v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return h.sealer.seal(purpose, b)
}

func (h *Handler) openJSON(purpose, value string, v any) error {
	b, err := h.sealer.open(purpose, value)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return errPayload
	}
	return nil
}

func (h *Handler) sealSession(s *session) (string, error) {
	return h.sealer.seal(purposeSession, s.encode())
}

func (h *Handler) openSessionValue(value string, s *session) error {
	b, err := h.sealer.open(purposeSession, value)
	if err != nil {
		return err
	}
	return s.decode(b)
}
