package operations

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/plexkit/plexgo/internal/redact"
)

// flexBool decodes the booleans of plex.tv's v1 and PMS JSON, which come
// as true/false, 0/1 or "0"/"1" (and null for false).
type flexBool bool

// UnmarshalJSON accepts true, false, null, numbers (non-zero is true) and
// the strings "true", "false", "1", "0" and "".
func (b *flexBool) UnmarshalJSON(data []byte) error {
	s := string(bytes.TrimSpace(data))
	if unq, err := strconv.Unquote(s); err == nil {
		s = strings.TrimSpace(unq)
	}
	switch strings.ToLower(s) {
	case "true":
		*b = true
		return nil
	case "false", "null", "":
		*b = false
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("operations: %.20q is not a boolean", s)
	}
	*b = f != 0
	return nil
}

// flexInt decodes integers that plex.tv sends as numbers or as strings of
// digits (and null or "" for zero).
type flexInt int64

// UnmarshalJSON accepts a number, a numeric string, null or "".
func (n *flexInt) UnmarshalJSON(data []byte) error {
	s := string(bytes.TrimSpace(data))
	if unq, err := strconv.Unquote(s); err == nil {
		s = strings.TrimSpace(unq)
	}
	if s == "" || s == "null" {
		*n = 0
		return nil
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		*n = flexInt(v)
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != float64(int64(f)) {
		return fmt.Errorf("operations: %.20q is not an integer", s)
	}
	*n = flexInt(int64(f))
	return nil
}

// logSecret is the slog attribute of a secret: its redacted form.
func logSecret(key, secret string) slog.Attr { return slog.String(key, redact.Mark(secret)) }

// loose decodes the JSON objects of a model T whose JSON is loose (plex.tv's
// v1 and PMS answers) as encoding/json would decode them into T's fields,
// except that the fields named when it was made accept the loose forms: a
// bool field takes what flexBool takes, an integer field what flexInt
// takes, and a string field a string or a number (rawString: "" for
// anything else). Every loose field is set, to its zero value when the key
// is absent; the others keep their value unless the key is present. It is
// the body of those models' UnmarshalJSON methods, and ignores T's own
// methods (no recursion). Made once per model (newLoose) and never
// changed, it is safe for concurrent use.
type loose[T any] struct {
	typ     reflect.Type // T's fields, the loose ones with their loose type
	isLoose []bool       // by field index
}

// newLoose returns the decoder of T with the named fields loose. It
// panics when a name is not a field of T: a programming error, which
// package initialization reveals.
func newLoose[T any](fields ...string) loose[T] {
	t := reflect.TypeFor[T]()
	for _, name := range fields {
		if _, ok := t.FieldByName(name); !ok {
			panic("operations: newLoose: " + t.Name() + " has no field " + name)
		}
	}
	sf := make([]reflect.StructField, t.NumField())
	isLoose := make([]bool, len(sf))
	for i := range sf {
		f := t.Field(i)
		sf[i] = reflect.StructField{Name: f.Name, Type: f.Type, Tag: f.Tag}
		if !slices.Contains(fields, f.Name) {
			continue
		}
		isLoose[i] = true
		switch f.Type.Kind() {
		case reflect.Bool:
			sf[i].Type = reflect.TypeFor[flexBool]()
		case reflect.String:
			sf[i].Type = reflect.TypeFor[json.RawMessage]()
		default:
			sf[i].Type = reflect.TypeFor[flexInt]()
		}
	}
	return loose[T]{typ: reflect.StructOf(sf), isLoose: isLoose}
}

// decode decodes data into *v.
func (l loose[T]) decode(data []byte, v *T) error {
	dst := reflect.ValueOf(v).Elem()
	tmp := reflect.New(l.typ).Elem()
	for i, isLoose := range l.isLoose {
		if !isLoose {
			tmp.Field(i).Set(dst.Field(i))
		}
	}
	if err := json.Unmarshal(data, tmp.Addr().Interface()); err != nil {
		return err
	}
	for i, isLoose := range l.isLoose {
		src, out := tmp.Field(i), dst.Field(i)
		switch {
		case !isLoose:
			out.Set(src)
		case out.Kind() == reflect.Bool:
			out.SetBool(src.Bool())
		case out.Kind() == reflect.String:
			out.SetString(rawString(src.Bytes()))
		default:
			out.SetInt(src.Int())
		}
	}
	return nil
}
