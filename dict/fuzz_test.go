package dict_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/wordfilter/wordfilter/dict"
)

// FuzzParse checks that Parse never panics, that every entry is a
// trimmed, non-comment word on a real line, and that every error names a
// real line.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"", "fuck\n", "\uFEFF法轮功\r\nfree money\n", "# c\n\n  x  \n", "\xff\n", "\u200b\nok\n", "@$$\n",
		strings.Repeat("长", 200), "a\rb\r\n", "\u200b\n\u3000中共\u3000\n", "#\n#x\n\n\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		entries, err := dict.Parse(strings.NewReader(in))
		lines := strings.Count(in, "\n") + 1
		prev := 0
		for _, e := range entries {
			if e.Line <= prev || e.Line > lines {
				t.Fatalf("entry %+v: line out of order or beyond the %d lines", e, lines)
			}
			prev = e.Line
			if e.Text == "" || e.Text != strings.TrimSpace(e.Text) || strings.HasPrefix(e.Text, "#") || strings.ContainsRune(e.Text, '\n') {
				t.Fatalf("entry %+v is not a trimmed word", e)
			}
		}
		if err == nil {
			return
		}
		var le *dict.LoadError
		if !errors.As(err, &le) {
			t.Fatalf("Parse error %v is not a *LoadError", err)
		}
		for _, e := range le.Errs {
			if e.Line < 1 || e.Line > lines || e.Msg == "" {
				t.Fatalf("error %q: line %d not in 1..%d or no message", e.Error(), e.Line, lines)
			}
			if !strings.HasPrefix(e.Error(), "line ") {
				t.Fatalf("error %q does not start with its line", e.Error())
			}
		}
	})
}
