package server

import (
	"encoding/json"
	"reflect"
	"strconv"

	"github.com/bytedance/sonic/ast"
	"github.com/bytedance/sonic/decoder"
)

// shapeError is the message of a decode error this file does not know:
// its text might quote the body.
const shapeError = "the body does not have the expected shape"

// describeJSONError words one error of a JSON decoder (not what it wraps)
// in general terms: what was wanted, what was found and where, never the
// body's bytes, which sonic's and encoding/json's texts quote. ok is false
// for an error it does not know.
func describeJSONError(err error) (msg string, ok bool) {
	switch e := err.(type) {
	case *decoder.MismatchTypeError:
		return "at byte " + strconv.Itoa(e.Pos) + ": want " + goKind(e.Type) + ", got " + jsonKindAt(e.Src, e.Pos), true
	case decoder.SyntaxError:
		return syntaxError(e), true
	case *decoder.SyntaxError:
		return syntaxError(*e), true
	case *json.UnmarshalTypeError:
		// Value is a kind ("number"), or a kind and the literal
		// ("number 1e999"): only the kind is told.
		got := e.Value
		for i := 0; i < len(got); i++ {
			if got[i] == ' ' {
				got = got[:i]
				break
			}
		}
		switch got {
		case "bool", "string", "number", "object", "array", "null":
		default:
			got = "another value"
		}
		return "want " + goKind(e.Type) + ", got " + article(got), true
	case *json.SyntaxError:
		return "invalid JSON at byte " + strconv.FormatInt(e.Offset, 10), true
	case *json.UnsupportedValueError:
		// sonic's answer to a body nested too deep.
		return "JSON nested too deep", true
	}
	return "", false
}

// syntaxError words sonic's syntax error by its code only (its Msg may be
// free text).
func syntaxError(e decoder.SyntaxError) string {
	what := "invalid JSON"
	if e.Msg == "" {
		what += " (" + e.Code.Message() + ")"
	}
	return what + " at byte " + strconv.Itoa(e.Pos)
}

// goKind names what a value decoded into t must be, in JSON terms.
func goKind(t reflect.Type) string {
	if t == nil {
		return "another value"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Int,
		reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uint, reflect.Uintptr:
		return "an integer of " + strconv.Itoa(t.Bits()) + " bits"
	case reflect.Float32, reflect.Float64:
		return "a finite number"
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return "a JSON value" // raw JSON or base64: any value but this one
		}
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "another value"
}

// jsonKindAt names the kind of the JSON value starting at src[pos].
func jsonKindAt(src string, pos int) string {
	if pos < 0 || pos >= len(src) {
		return "the end of the body"
	}
	switch src[pos] {
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return "a number"
	}
	return "another value"
}

// article prefixes a JSON kind with its article.
func article(kind string) string {
	switch kind {
	case "null", "another value":
		return kind
	case "object", "array":
		return "an " + kind
	case "bool":
		return "a boolean"
	}
	return "a " + kind
}

// filterRequestError words why body, valid JSON, does not decode into a
// filterRequest: which field has which wrong type, when it can tell.
func filterRequestError(body []byte, err error) string {
	root := ast.NewRaw(string(body))
	if t := root.TypeSafe(); t != ast.V_OBJECT {
		return "want a JSON object"
	}
	if n := root.Get("text"); n.Exists() {
		if t := n.TypeSafe(); t != ast.V_STRING && t != ast.V_NULL {
			return `field "text": want a string`
		}
	}
	if n := root.Get("texts"); n.Exists() {
		switch n.TypeSafe() {
		case ast.V_NULL:
		case ast.V_ARRAY:
			for i := 0; ; i++ {
				e := n.Index(i)
				if !e.Exists() {
					break
				}
				if t := e.TypeSafe(); t != ast.V_STRING && t != ast.V_NULL {
					return `field "texts": element ` + strconv.Itoa(i) + ": want a string"
				}
			}
		default:
			return `field "texts": want an array of strings`
		}
	}
	if msg, ok := describeJSONError(err); ok {
		return msg
	}
	return shapeError
}
