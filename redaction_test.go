package plexgo_test

// The redaction table test (issue 10 point 4): every exported type of the
// module's public packages that holds a secret is formatted with every fmt
// verb, as a value and through a pointer, and logged with both slog
// handlers; no secret may show. A source scan (go/parser) lists the types
// that hold secrets, so a new one cannot be added without joining the
// table.

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"log/slog"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/auth"
	"github.com/plexkit/plexgo/internal/testutil"
	"github.com/plexkit/plexgo/models/components"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/plextest"
	"github.com/plexkit/plexgo/servers"
	"github.com/plexkit/plexgo/weblogin"
)

// secretNameParts are parts of a name (anywhere in it, any case) that say
// it may hold a secret.
var secretNameParts = regexp.MustCompile(`(?i)token|passw|secret|jwt|credential`)

// secretNameWords are whole words of a name (split at case changes and
// punctuation) that say it may hold a secret: "PinCode", "pins", "Key",
// "priv", but not "MappingState", "Keyboard" or "PrivateAddress".
var secretNameWords = map[string]bool{"pin": true, "pins": true, "key": true, "keys": true, "code": true, "codes": true, "priv": true, "otp": true}

var nameWord = regexp.MustCompile(`[A-Z]+[a-z0-9]*|[a-z0-9]+`)

// secretName says whether a field or type name may hold a secret. A
// matching field that holds none is listed in notSecretFields.
type secretNamer struct{}

// MatchString reports whether name may hold a secret.
func (secretNamer) MatchString(name string) bool {
	if secretNameParts.MatchString(name) {
		return true
	}
	for _, w := range nameWord.FindAllString(name, -1) {
		if secretNameWords[strings.ToLower(w)] {
			return true
		}
	}
	return false
}

var secretFieldName secretNamer

// notSecretFields are fields whose name matches secretFieldName but that
// hold no secret: "Type.Field" for one type, or ".Field" for every type.
var notSecretFields = map[string]string{
	".StatusCode":                           "HTTP status",
	".HasPassword":                          "a flag",
	".BackupCodesCreated":                   "a flag",
	".DeviceKeyID":                          "public key id",
	".KeyID":                                "public key id",
	".MaxCodeAttempts":                      "a count",
	".AskCode":                              "a callback",
	".InPrivacyRestrictedCountry":           "a flag",
	".InPrivacyRestrictedRegion":            "a flag",
	"operations.GeoData.Code":               "country code",
	"operations.GeoData.ContinentCode":      "continent code",
	"operations.GeoData.PostalCode":         "postal code",
	"operations.GetPublicKeysResponse.Keys": "plex.tv's public keys",
	"operations.Pin.Code":                   "the code shown to the user to type at plex.tv/link",
	"auth.PINPrompt.Code":                   "the code shown to the user to type at plex.tv/link",
	"auth.JWTVerifier.keys":                 "plex.tv's public keys",
	"sdkerrors.PlexError.Code":              "plex.tv error number",
	"plextest.PendingPIN.Code":              "the code shown to the user",
	"plextest.PendingPIN.JWT":               "a flag",
	"plextest.Server.nextPinID":             "a counter",
	"operations.LibrarySection.Key":         "the section's id on the server",
	"operations.SharedSection.Key":          "the section's id on the server",
	"operations.SystemAccount.Key":          "the account's path on the server",
}

// notSecretTypes are non-struct exported types whose name matches
// secretFieldName but that hold no secret.
var notSecretTypes = map[string]string{
	"auth.TokenKind": "an enum",
	"operations.GetTransientTokenQueryParamType": "an enum",
}

// scannedDirs are the public packages: everything but internal, cmd,
// examples and testdata directories.
func scannedDirs(t *testing.T) []string {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		switch base := d.Name(); {
		case p == ".":
		case base == "internal" || base == "cmd" || base == "examples" || base == "testdata" || strings.HasPrefix(base, ".") || strings.HasPrefix(base, "_"):
			return filepath.SkipDir
		}
		dirs = append(dirs, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

// typeDecl is one type declaration found by the scan.
type typeDecl struct {
	name   string // package.Type
	fields []fieldDecl
	direct bool // a field (or, for a non-struct type, its name) is secret
	alias  bool // an alias: holds a secret when the type it names does
}

type fieldDecl struct {
	name string
	refs []string // package.Type names its type mentions
}

// scanSecretTypes returns the exported types ("package.Type") of the
// public packages that hold a secret: directly, in a field whose name
// matches secretFieldName (exported or not), or through a field whose
// type (a pointer, slice, array or map of it included) holds one.
func scanSecretTypes(t *testing.T) []string {
	t.Helper()
	decls := map[string]*typeDecl{}
	for _, dir := range scannedDirs(t) {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			if f.Name.Name != "main" {
				scanFile(f.Name.Name, f, decls)
			}
		}
	}
	holds := map[string]bool{}
	for n, d := range decls {
		holds[n] = d.direct
	}
	for changed := true; changed; {
		changed = false
		for n, d := range decls {
			if holds[n] {
				continue
			}
			for _, f := range d.fields {
				if slices.ContainsFunc(f.refs, func(r string) bool { return holds[r] }) {
					holds[n], changed = true, true
					break
				}
			}
		}
	}
	var out []string
	for n, h := range holds {
		if _, typ, _ := strings.Cut(n, "."); h && ast.IsExported(typ) && !decls[n].alias {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

func scanFile(pkgName string, f *ast.File, decls map[string]*typeDecl) {
	imports := map[string]string{} // local name -> package name (last path element)
	for _, im := range f.Imports {
		path := strings.Trim(im.Path.Value, `"`)
		name := path[strings.LastIndex(path, "/")+1:]
		if name == "v5" { // github.com/golang-jwt/jwt/v5
			name = "jwt"
		}
		local := name
		if im.Name != nil {
			local = im.Name.Name
		}
		imports[local] = name
	}
	for _, decl := range f.Decls {
		g, ok := decl.(*ast.GenDecl)
		if !ok || g.Tok != token.TYPE {
			continue
		}
		for _, spec := range g.Specs {
			ts := spec.(*ast.TypeSpec)
			d := &typeDecl{name: pkgName + "." + ts.Name.Name, alias: ts.Assign.IsValid()}
			decls[d.name] = d
			st, ok := ts.Type.(*ast.StructType)
			switch {
			case d.alias:
				d.fields = []fieldDecl{{name: "=", refs: typeRefs(pkgName, imports, ts.Type)}}
				continue
			case !ok:
				// A named string or byte slice called like a secret
				// (operations.Secret) holds one; funcs and interfaces
				// hold nothing.
				_, listed := notSecretTypes[d.name]
				_, isIdent := ts.Type.(*ast.Ident)
				_, isSlice := ts.Type.(*ast.ArrayType)
				d.direct = (isIdent || isSlice) && secretFieldName.MatchString(ts.Name.Name) && !listed
				continue
			}
			for _, fl := range st.Fields.List {
				refs := typeRefs(pkgName, imports, fl.Type)
				names := fl.Names
				if len(names) == 0 { // embedded
					names = []*ast.Ident{{Name: strings.TrimPrefix(refs[0][strings.Index(refs[0], ".")+1:], "*")}}
				}
				for _, n := range names {
					d.fields = append(d.fields, fieldDecl{name: n.Name, refs: refs})
					if secretFieldName.MatchString(n.Name) && !isNotSecretField(d.name, n.Name) {
						d.direct = true
					}
				}
			}
		}
	}
}

func isNotSecretField(typ, field string) bool {
	_, global := notSecretFields["."+field]
	_, local := notSecretFields[typ+"."+field]
	return global || local
}

// typeRefs lists the named types ("package.Type") an expression mentions.
func typeRefs(pkgName string, imports map[string]string, e ast.Expr) []string {
	var out []string
	ast.Inspect(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.SelectorExpr:
			if id, ok := x.X.(*ast.Ident); ok {
				out = append(out, imports[id.Name]+"."+x.Sel.Name)
			}
			return false
		case *ast.Ident:
			out = append(out, pkgName+"."+x.Name)
		case *ast.FuncType:
			return false // a callback holds no value
		}
		return true
	})
	if len(out) == 0 {
		out = append(out, pkgName+".?")
	}
	return out
}

// extraSecretFields are secret fields whose name does not match
// secretFieldName.
var extraSecretFields = map[string]string{
	"auth.JWTSourceOptions.Initial": "the current Plex JWT",
}

// secretRow is one entry of the redaction table.
type secretRow struct {
	// value returns a value of the type with every secret field set, and
	// the secrets (field path → value) it holds.
	value func(t *testing.T) (reflect.Value, map[string]string)
	// ptrOnly: the type holds a mutex and is only ever used through a
	// pointer (go vet's copylocks rejects copies), so only the pointer is
	// checked.
	ptrOnly bool
}

// filled returns a row for T whose secrets are set by fillSecrets.
func filled[T any](ptrOnly bool) secretRow {
	return secretRow{ptrOnly: ptrOnly, value: func(t *testing.T) (reflect.Value, map[string]string) {
		p := reflect.New(reflect.TypeFor[T]())
		f := &filler{secrets: map[string]string{}}
		f.fill(p.Elem(), reflect.TypeFor[T]().String(), 0)
		if len(f.secrets) == 0 {
			t.Fatalf("%s: the filler set no secret", reflect.TypeFor[T]())
		}
		return p, f.secrets
	}}
}

// secretTable lists every type that holds a secret, keyed by its
// reflect name; TestRedactionTableComplete checks it against the scan.
func secretTable() map[string]secretRow {
	rows := []struct {
		name string
		row  secretRow
	}{
		{"auth.Credentials", filled[auth.Credentials](false)},
		{"auth.DeviceKey", filled[auth.DeviceKey](false)},
		{"auth.JWTSource", filled[auth.JWTSource](true)},
		{"auth.Session", filled[auth.Session](true)},
		{"auth.JWTSourceOptions", filled[auth.JWTSourceOptions](false)},
		{"auth.LoginResult", filled[auth.LoginResult](false)},
		{"auth.MemoryStore", filled[auth.MemoryStore](true)},
		{"auth.PasswordOptions", filled[auth.PasswordOptions](false)},
		{"components.Security", filled[components.Security](false)},
		{"components.Service", filled[components.Service](false)},
		{"components.UserPlexAccount", filled[components.UserPlexAccount](false)},
		{"operations.CreatePinResponse", filled[operations.CreatePinResponse](false)},
		{"operations.Device", filled[operations.Device](false)},
		{"operations.ExchangeDeviceJWTResponse", filled[operations.ExchangeDeviceJWTResponse](false)},
		{"operations.GetPinResponse", filled[operations.GetPinResponse](false)},
		{"operations.GetResourcesResponse", filled[operations.GetResourcesResponse](false)},
		{"operations.GetSourceConnectionInformationMediaContainer", filled[operations.GetSourceConnectionInformationMediaContainer](false)},
		{"operations.GetSourceConnectionInformationResponse", filled[operations.GetSourceConnectionInformationResponse](false)},
		{"operations.GetTokenDetailsResponse", filled[operations.GetTokenDetailsResponse](false)},
		{"operations.GetTransientTokenMediaContainer", filled[operations.GetTransientTokenMediaContainer](false)},
		{"operations.GetTransientTokenResponse", filled[operations.GetTransientTokenResponse](false)},
		{"operations.Options", filled[operations.Options](false)},
		{"operations.Pin", filled[operations.Pin](false)},
		{"operations.PostUsersSignInDataRequestBody", filled[operations.PostUsersSignInDataRequestBody](false)},
		{"operations.PostUsersSignInDataResponse", filled[operations.PostUsersSignInDataResponse](false)},
		{"operations.Resource", filled[operations.Resource](false)},
		{"operations.Secret", filled[operations.Secret](false)},
		{"operations.SwitchHomeUserResponse", filled[operations.SwitchHomeUserResponse](false)},
		{"operations.AccountDevice", filled[operations.AccountDevice](false)},
		{"operations.ClaimToken", filled[operations.ClaimToken](false)},
		{"operations.MyPlexAccount", filled[operations.MyPlexAccount](false)},
		{"operations.SharedServer", filled[operations.SharedServer](false)},
		{"operations.SwitchedHomeUser", filled[operations.SwitchedHomeUser](false)},
		{"operations.ClaimServerResponse", filled[operations.ClaimServerResponse](false)},
		{"operations.GetClaimTokenResponse", filled[operations.GetClaimTokenResponse](false)},
		{"operations.GetDevicesResponse", filled[operations.GetDevicesResponse](false)},
		{"operations.GetMyPlexAccountResponse", filled[operations.GetMyPlexAccountResponse](false)},
		{"operations.GetSharedServerResponse", filled[operations.GetSharedServerResponse](false)},
		{"operations.GetSharedServersResponse", filled[operations.GetSharedServersResponse](false)},
		{"operations.SwitchHomeUserV1Response", filled[operations.SwitchHomeUserV1Response](false)},
		{"weblogin.Handler", filled[weblogin.Handler](true)},
		{"plextest.Account", filled[plextest.Account](false)},
		{"plextest.AccountSpec", filled[plextest.AccountSpec](false)},
		{"plextest.Server", filled[plextest.Server](true)},
		{"plextest.ServerInfo", filled[plextest.ServerInfo](false)},
		{"plextest.State", filled[plextest.State](false)},
		{"servers.ConnectResult", filled[servers.ConnectResult](false)},
		{"servers.Server", filled[servers.Server](false)},
		// Not found by the scan (the secret is behind a func), checked
		// all the same.
		{"plexgo.PlexAPI", secretRow{value: func(t *testing.T) (reflect.Value, map[string]string) {
			tok, q := testSecret(0), testSecret(1)
			s := plexgo.New(plexgo.WithSecurity(tok), plexgo.WithServerURL("http://127.0.0.1:1/?X-Plex-Token="+q))
			return reflect.ValueOf(s), map[string]string{"WithSecurity": tok, "WithServerURL query": q}
		}}},
	}
	out := map[string]secretRow{}
	for _, r := range rows {
		out[r.name] = r.row
	}
	return out
}

// testSecret returns the n-th distinct, recognisable, alphanumeric
// secret (so that quoting and JSON do not change it).
func testSecret(n int) string {
	return fmt.Sprintf("Qz%02dVb9Lm4Rt6Yw2Np8HsKj", n)
}

// filler sets every secret field of a value (through unexported fields
// too) to a distinct secret, and gives nested structs of the module
// (behind pointers, in slices and maps) the same treatment.
type filler struct {
	secrets map[string]string
}

func (f *filler) next(path string) string {
	s := testSecret(len(f.secrets))
	f.secrets[path] = s
	return s
}

const modulePath = "github.com/plexkit/plexgo"

func inModule(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	return strings.HasPrefix(t.PkgPath(), modulePath)
}

// settable returns v made settable even when it is an unexported field.
func settable(v reflect.Value) reflect.Value {
	if v.CanSet() {
		return v
	}
	return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
}

// fill fills v (addressable). secret says v itself is a secret field.
func (f *filler) fill(v reflect.Value, path string, depth int) {
	f.fillValue(v, path, depth, false)
}

func (f *filler) fillValue(v reflect.Value, path string, depth int, secret bool) {
	if depth > 6 {
		return
	}
	v = settable(v)
	t := v.Type()
	if !secret && t.Kind() != reflect.Struct && t.PkgPath() != "" && secretFieldName.MatchString(t.Name()) && inModule(t) {
		if _, ok := notSecretTypes[t.String()]; !ok {
			secret = true // a named secret type such as operations.Secret
		}
	}
	switch t.Kind() {
	case reflect.String:
		if secret {
			v.SetString(f.next(path))
		} else if v.String() == "" {
			v.SetString("public")
		}
	case reflect.Slice:
		switch {
		case t.Elem().Kind() == reflect.Uint8:
			if secret {
				v.SetBytes([]byte(f.next(path)))
			}
		case secret || inModule(t.Elem()):
			s := reflect.MakeSlice(t, 1, 1)
			f.fillValue(s.Index(0), path+"[0]", depth+1, secret)
			v.Set(s)
		}
	case reflect.Pointer:
		if secret || (inModule(t.Elem()) && t.Elem().Kind() == reflect.Struct) {
			p := reflect.New(t.Elem())
			f.fillValue(p.Elem(), path, depth+1, secret)
			v.Set(p)
		}
	case reflect.Map:
		if !secret && !inModule(t.Elem()) {
			return
		}
		m := reflect.MakeMap(t)
		k := reflect.New(t.Key()).Elem()
		f.fillValue(k, path+"[key]", depth+1, secret)
		e := reflect.New(t.Elem()).Elem()
		f.fillValue(e, path+"[elem]", depth+1, secret)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Struct:
		if !inModule(t) {
			return
		}
		// A struct in a secret field (a DeviceKey called key) is judged by
		// its own fields.
		secret = false
		for i := range t.NumField() {
			sf := t.Field(i)
			name := t.String() + "." + sf.Name
			_, extra := extraSecretFields[name]
			isSecret := secret || extra || (secretFieldName.MatchString(sf.Name) && !isNotSecretField(t.String(), sf.Name))
			f.fillValue(v.Field(i), path+"."+sf.Name, depth+1, isSecret)
		}
	}
}

var redactionVerbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%t"}

// Every secret-holding type × every verb and slog handler, as a value and
// through a pointer, shows no secret, and does not panic.
func TestRedactionTable(t *testing.T) {
	t.Parallel()
	for name, row := range secretTable() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ptr, secrets := row.value(t)
			forms := map[string]any{"pointer": ptr.Interface()}
			if !row.ptrOnly {
				if ptr.Kind() == reflect.Pointer {
					forms["value"] = ptr.Elem().Interface()
				}
			}
			checkNilPointer(t, ptr.Type())
			for form, v := range forms {
				outputs := map[string]string{}
				for _, verb := range redactionVerbs {
					outputs[verb] = fmt.Sprintf(verb, v)
				}
				for hname, h := range map[string]func(io.Writer) slog.Handler{
					"slog text": func(w io.Writer) slog.Handler { return slog.NewTextHandler(w, nil) },
					"slog JSON": func(w io.Writer) slog.Handler { return slog.NewJSONHandler(w, nil) },
				} {
					var buf strings.Builder
					slog.New(h(&buf)).Info("m", "v", v)
					outputs[hname] = buf.String()
				}
				for how, out := range outputs {
					if strings.Contains(out, "PANIC") {
						t.Errorf("%s %s: formatting panicked", form, how)
					}
					for path, s := range secrets {
						if lf := testutil.LeakForm(out, s); lf != "" {
							t.Errorf("%s %s: the secret in %s shows (%s)", form, how, path, lf)
						}
					}
				}
			}
		})
	}
}

// checkNilPointer formats and logs a nil pointer of type pt. No fmt verb
// panics: a type with a value-receiver Formatter prints "<nil>" under
// every verb, others fmt's own nil form or, with a pointer-receiver
// Formatter, their own ("auth.JWTSource(nil)"). Both slog handlers write
// the record, and a type whose LogValue has a pointer receiver (or that
// has none) logs a plain value, never slog's panic report.
//
// A value-receiver LogValue called through a nil pointer panics in Go's
// method wrapper before any code of the type runs (the method set of *T
// includes T's methods, and T must keep a value-receiver LogValue or the
// JSON handler would marshal its secrets); slog recovers and logs a
// "LogValue panicked" value, which shows no secret. For those types only
// that the record is written is checked.
func checkNilPointer(t *testing.T, pt reflect.Type) {
	t.Helper()
	if pt.Kind() != reflect.Pointer {
		return
	}
	v := reflect.Zero(pt).Interface()
	_, valueFormatter := reflect.Zero(pt.Elem()).Interface().(fmt.Formatter)
	for _, verb := range redactionVerbs {
		got := fmt.Sprintf(verb, v)
		if strings.Contains(got, "PANIC") || (valueFormatter && got != "<nil>") {
			t.Errorf("nil pointer %s: got %q, want a nil form", verb, got)
		}
	}
	_, valuer := v.(slog.LogValuer)
	_, valueValuer := reflect.Zero(pt.Elem()).Interface().(slog.LogValuer)
	ptrReceiver := valuer && !valueValuer
	for hname, h := range map[string]func(io.Writer) slog.Handler{
		"slog text": func(w io.Writer) slog.Handler { return slog.NewTextHandler(w, nil) },
		"slog JSON": func(w io.Writer) slog.Handler { return slog.NewJSONHandler(w, nil) },
	} {
		var buf strings.Builder
		slog.New(h(&buf)).Info("m", "v", v)
		out := buf.String()
		if !strings.Contains(out, `"msg":"m"`) && !strings.Contains(out, "msg=m") {
			t.Errorf("nil pointer %s: no record written", hname)
		}
		if (ptrReceiver || !valuer) && strings.Contains(out, "panicked") {
			t.Errorf("nil pointer %s: LogValue panicked", hname)
		}
	}
}

// The table lists every type the source scan finds, and only types that
// exist.
func TestRedactionTableComplete(t *testing.T) {
	t.Parallel()
	table := secretTable()
	found := scanSecretTypes(t)
	for _, n := range found {
		if _, ok := table[n]; !ok {
			t.Errorf("%s holds a secret but is not in secretTable (redaction_test.go): give it Format and LogValue methods that redact it, and add it", n)
		}
	}
	for n, row := range table {
		v, _ := row.value(t)
		if got := reflect.Indirect(v).Type().String(); got != n {
			t.Errorf("table entry %s builds a %s", n, got)
		}
	}
	if len(found) < 30 {
		t.Errorf("the scan found only %d secret-holding types: is it still reading the sources?", len(found))
	}
}
