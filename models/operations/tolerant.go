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
// is absent; the others keep their value unless the key is present. The
// fields of an embedded struct without a JSON tag count as T's own, as
// encoding/json promotes them. It is the body of those models'
// UnmarshalJSON methods, and ignores T's own methods (no recursion). Made
// once per model (newLoose) and never changed, it is safe for concurrent
// use.
type loose[T any] struct {
	typ    reflect.Type // T's fields flattened, the loose ones with their loose type
	fields []looseField // by field index of typ
}

// looseField is where a field of loose.typ stands in T, and whether it is
// loose.
type looseField struct {
	index   []int
	isLoose bool
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
	var sf []reflect.StructField
	var lf []looseField
	for _, f := range reflect.VisibleFields(t) {
		if f.Anonymous && f.Type.Kind() == reflect.Struct && f.Tag.Get("json") == "" {
			continue // its fields follow, promoted
		}
		if len(f.Index) > 1 && !promoted(t, f.Index) {
			continue
		}
		field := reflect.StructField{Name: f.Name, Type: f.Type, Tag: f.Tag}
		isLoose := slices.Contains(fields, f.Name)
		if isLoose {
			field.Type = looseType(f.Type.Kind())
		}
		sf = append(sf, field)
		lf = append(lf, looseField{index: f.Index, isLoose: isLoose})
	}
	return loose[T]{typ: reflect.StructOf(sf), fields: lf}
}

// promoted reports whether the field at index (in an embedded struct) is
// one encoding/json promotes: every struct on its path is embedded
// without a JSON tag.
func promoted(t reflect.Type, index []int) bool {
	for _, i := range index[:len(index)-1] {
		f := t.Field(i)
		if !f.Anonymous || f.Type.Kind() != reflect.Struct || f.Tag.Get("json") != "" {
			return false
		}
		t = f.Type
	}
	return true
}

// looseType is the type a loose field of kind k is decoded as.
func looseType(k reflect.Kind) reflect.Type {
	switch k {
	case reflect.Bool:
		return reflect.TypeFor[flexBool]()
	case reflect.String:
		return reflect.TypeFor[json.RawMessage]()
	}
	return reflect.TypeFor[flexInt]()
}

// decode decodes data into *v.
func (l loose[T]) decode(data []byte, v *T) error {
	dst := reflect.ValueOf(v).Elem()
	tmp := reflect.New(l.typ).Elem()
	for i, f := range l.fields {
		if !f.isLoose {
			tmp.Field(i).Set(dst.FieldByIndex(f.index))
		}
	}
	if err := json.Unmarshal(data, tmp.Addr().Interface()); err != nil {
		return err
	}
	for i, f := range l.fields {
		src, out := tmp.Field(i), dst.FieldByIndex(f.index)
		switch {
		case !f.isLoose:
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

// The decoders of the models whose JSON is loose (their UnmarshalJSON),
// with the fields each takes in the loose forms. Made at package
// initialization and only read.
var (
	// homeMemberLoose are HomeMember's loose fields.
	homeMemberLoose = []string{"ID", "Restricted", "Protected", "Admin", "Guest", "Home"}
	// sharingLoose are SharingSettings' loose fields.
	sharingLoose = []string{"AllowSync", "AllowCameraUpload", "AllowChannels", "AllowSubtitleAdmin"}

	accountDeviceJSON    = newLoose[AccountDevice]("ID", "CreatedAt", "LastSeenAt", "Version", "ScreenDensity")
	friendJSON           = newLoose[Friend]("ID", "Home", "Restricted")
	friendServerJSON     = newLoose[FriendServer]("ID")
	homeUserJSON         = newLoose[HomeUser](slices.Concat(homeMemberLoose, []string{"HasPassword"})...)
	librarySectionJSON   = newLoose[LibrarySection]("Key", "Refreshing", "AllowSync", "Hidden", "CreatedAt", "UpdatedAt", "ScannedAt")
	myPlexAccountJSON    = newLoose[MyPlexAccount]("PublicPort", "PrivatePort", "SubscriptionActive")
	sharedSectionJSON    = newLoose[SharedSection]("ID", "Key", "Shared")
	sharedServerJSON     = newLoose[SharedServer](slices.Concat([]string{"ID", "UserID", "InvitedAt", "AcceptedAt", "Pending", "Owned", "AllLibraries"}, sharingLoose)...)
	sharedUserJSON       = newLoose[SharedUser](slices.Concat([]string{"ID", "Home", "Restricted", "Protected"}, sharingLoose)...)
	sharedUserServerJSON = newLoose[SharedUserServer]("ID", "ServerID", "Home", "AllLibraries", "Owned", "Pending", "NumLibraries", "LastSeenAt")
	switchedHomeUserJSON = newLoose[SwitchedHomeUser](homeMemberLoose...)
	systemAccountJSON    = newLoose[SystemAccount]("ID", "AutoSelectAudio", "SubtitleMode")
	systemDeviceJSON     = newLoose[SystemDevice]("ID", "CreatedAt")
)
