package server

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzJSONReader checks that jsonReader reads JSON exactly as Go's
// encoding/json does, which is what the hostile-content checks rely on:
// the same texts are valid, and a string decodes to the same text.
func FuzzJSONReader(f *testing.F) {
	for _, s := range []string{
		`{"content":"hi"}`, `{"a":[1,-2.5e+3,true,false,null,{"b":"\\u0066\\ud83d\\ude00"}]}`,
		`"\\ud800x"`, "\"a\xffb\"", `01`, `1.`, `-`, `{"a":1,}`, `[1,]`, `"\u0001"`, "\"\x01\"",
		` {"x" : "y" } `, `{"a":1}{}`, strings.Repeat("[", 20) + strings.Repeat("]", 20), `"\\/\\b\\f\\n\\r\\t\\""`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var r jsonReader
		r.reset(s)
		got := r.skip() && r.atEnd()
		if want := json.Valid([]byte(s)); got != want {
			t.Fatalf("jsonReader valid %v, encoding/json %v for %q", got, want, s)
		}
		var want string
		if json.Unmarshal([]byte(s), &want) != nil {
			return
		}
		r.reset(s)
		_, _, text, _, ok := r.str()
		if !ok || text != want {
			t.Fatalf("jsonReader read %q (%v), encoding/json %q, from %q", text, ok, want, s)
		}
	})
}
