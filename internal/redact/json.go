package redact

import (
	"bytes"
	"encoding/json"
)

// maxJSONDepth bounds how deep JSON walks; deeper values are replaced
// whole.
const maxJSONDepth = 64

// JSON returns a JSON value with the values of its secret-named object
// members ([IsSecretName]) replaced by [Placeholder] at any depth, so
// that {"user":{"password":…}} prints without the password. Numbers are
// kept as sent; object members come out sorted. Input that is not one
// JSON value gives Placeholder: there is nothing to show safely.
func JSON(raw []byte) string {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil {
		return Placeholder
	}
	b, err := json.Marshal(jsonValue(v, 0))
	if err != nil {
		return Placeholder
	}
	return string(b)
}

func jsonValue(v any, depth int) any {
	if depth > maxJSONDepth {
		return Placeholder
	}
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if IsSecretName(k) {
				v[k] = Placeholder
			} else {
				v[k] = jsonValue(e, depth+1)
			}
		}
	case []any:
		for i, e := range v {
			v[i] = jsonValue(e, depth+1)
		}
	}
	return v
}
