package plexgo

import "reflect"

// listOf returns the decoding target of an answer whose payload is a list
// of same-named children: the MediaContainer of GetUsers
// ({"MediaContainer":{"User":[…]}} or <MediaContainer><User/>…), or an XML
// root such as <resources><resource/>…</resources>. It is a pointer to a
// struct with one field of type *[]T, pointing at items and tagged
// `json:"NAME" xml:"NAME"`: the anonymous wrapper an operation would
// otherwise declare, so encoding/json and encoding/xml decode it exactly
// as they decode such a struct (items appended, other children ignored).
func listOf[T any](name string, items *[]T) any {
	t := reflect.StructOf([]reflect.StructField{{
		Name: "Items",
		Type: reflect.TypeFor[*[]T](),
		Tag:  reflect.StructTag(`json:"` + name + `" xml:"` + name + `"`),
	}})
	v := reflect.New(t)
	v.Elem().Field(0).Set(reflect.ValueOf(items))
	return v.Interface()
}
