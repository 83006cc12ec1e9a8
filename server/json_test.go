package server

import (
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// checkAppendJSONString asserts that appendJSONString(s) is valid JSON that
// Go's encoding/json (OpenIM's decoder) reads back as s, with invalid UTF-8
// bytes turned into U+FFFD as encoding/json does.
func checkAppendJSONString(t *testing.T, s string) {
	t.Helper()
	got := appendJSONString([]byte("x"), s)[1:]
	var back string
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatalf("appendJSONString(%q) = %s: not JSON: %v", s, got, err)
	}
	want, _ := json.Marshal(s) // encoding/json's own replacement of invalid bytes
	var wantBack string
	json.Unmarshal(want, &wantBack)
	if back != wantBack {
		t.Errorf("appendJSONString(%q) reads back as %q, want %q", s, back, wantBack)
	}
	if !utf8.Valid(got) {
		t.Errorf("appendJSONString(%q) = %q is not valid UTF-8", s, got)
	}
}

func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"", "plain", `q"b\s/`, "\x00\x01\x1f\x7f\n\r\t", "你好 ＊ 𝐟", "bad \xff\xfe end",
		"\u2028\u2029", "<html>&", "\xed\xa0\x80 surrogate", "trailing \xe4\xbd"} {
		checkAppendJSONString(t, s)
	}
}

func FuzzAppendJSONString(f *testing.F) {
	f.Add("a\"b\\\x00\xff\u2028")
	f.Fuzz(checkAppendJSONString)
}
