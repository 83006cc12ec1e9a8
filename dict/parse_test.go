package dict_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/filter"
)

func TestParse(t *testing.T) {
	f := func(name, in string, want []dict.Entry) {
		t.Helper()
		got, err := dict.Parse(strings.NewReader(in))
		if err != nil {
			t.Fatalf("%s: Parse(%q) error %v", name, in, err)
		}
		if len(got) == 0 && len(want) == 0 {
			return
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: Parse(%q) = %v, want %v", name, in, got, want)
		}
	}
	f("empty", "", nil)
	f("one word no newline", "fuck", []dict.Entry{{"fuck", 1}})
	f("lf", "a1\nb2\n", []dict.Entry{{"a1", 1}, {"b2", 2}})
	f("crlf", "a1\r\nb2\r\n", []dict.Entry{{"a1", 1}, {"b2", 2}})
	f("bom", "\uFEFFa1\nb2", []dict.Entry{{"a1", 1}, {"b2", 2}})
	f("bom and crlf", "\uFEFF法轮功\r\n", []dict.Entry{{"法轮功", 1}})
	f("trimmed", "  free money \t\n\u3000中共\u3000\n", []dict.Entry{{"free money", 1}, {"中共", 2}})
	f("comments and blanks", "# header\n\n   \nword\n  # indented comment\n#\n", []dict.Entry{{"word", 4}})
	f("hash inside word", "c#\n", []dict.Entry{{"c#", 1}})
	f("long line", strings.Repeat("ab", filter.MaxWordRunes/2), []dict.Entry{{strings.Repeat("ab", filter.MaxWordRunes/2), 1}})
}

func TestParseErrors(t *testing.T) {
	f := func(in string, wantLines []int, wantMsg string) {
		t.Helper()
		_, err := dict.Parse(strings.NewReader(in))
		var le *dict.LoadError
		if !errors.As(err, &le) {
			t.Fatalf("Parse(%q) error = %v, want a *LoadError", in, err)
		}
		var lines []int
		for _, e := range le.Errs {
			lines = append(lines, e.Line)
			if !strings.Contains(e.Error(), wantMsg) {
				t.Errorf("Parse(%q): error %q does not say %q", in, e.Error(), wantMsg)
			}
		}
		if !reflect.DeepEqual(lines, wantLines) {
			t.Fatalf("Parse(%q) error lines = %v, want %v", in, lines, wantLines)
		}
		var one *dict.LineError
		if !errors.As(err, &one) || one.Line != wantLines[0] {
			t.Fatalf("Parse(%q): errors.As(*LineError) = %v, want line %d", in, one, wantLines[0])
		}
	}
	f("ok\n\xff\xfe\nok2\n", []int{2}, "invalid UTF-8")
	f("a\n\u200b\nb\n", []int{2}, "nothing matchable")
	f("\u200b\u200d\n", []int{1}, "nothing matchable")
	f("x\n"+strings.Repeat("长", filter.MaxWordRunes+1)+"\n", []int{2}, "longer than")
	f("\u200d\nok\n\u2060\n", []int{1, 3}, "nothing matchable")
	f("ok\n"+strings.Repeat("x", 1<<20)+"\n\xc3\n", []int{2, 3}, "")
}

func TestParseErrorCap(t *testing.T) {
	in := strings.Repeat("\u200b\n", dict.MaxErrors+7)
	_, err := dict.Parse(strings.NewReader(in))
	var le *dict.LoadError
	if !errors.As(err, &le) {
		t.Fatalf("Parse error = %v, want a *LoadError", err)
	}
	if len(le.Errs) != dict.MaxErrors || le.Omitted != 7 {
		t.Fatalf("Parse kept %d errors and omitted %d, want %d and 7", len(le.Errs), le.Omitted, dict.MaxErrors)
	}
	lines := dict.ErrorLines(err)
	if got, want := lines[len(lines)-1], "... and 7 more errors"; got != want {
		t.Fatalf("ErrorLines last = %q, want %q", got, want)
	}
}

func TestLineErrorMessage(t *testing.T) {
	f := func(e dict.LineError, want string) {
		t.Helper()
		if got := e.Error(); got != want {
			t.Fatalf("LineError.Error() = %q, want %q", got, want)
		}
	}
	f(dict.LineError{Path: "d/a.txt", Line: 3, Text: "***", Msg: "nothing matchable left after normalisation"},
		`d/a.txt:3: word "***": nothing matchable left after normalisation`)
	f(dict.LineError{Path: "d/a.txt", Line: 4, Msg: "invalid UTF-8"}, "d/a.txt:4: invalid UTF-8")
	f(dict.LineError{Path: "d/b.txt", Msg: "cannot read file: permission denied"}, "d/b.txt: cannot read file: permission denied")
	f(dict.LineError{Line: 2, Msg: "invalid UTF-8"}, "line 2: invalid UTF-8")
}

func TestSnippetTruncated(t *testing.T) {
	long := strings.Repeat("长", filter.MaxWordRunes+50)
	_, err := dict.Parse(strings.NewReader(long))
	var le *dict.LineError
	if !errors.As(err, &le) {
		t.Fatalf("Parse(long) error = %v, want a *LineError", err)
	}
	if n := len([]rune(le.Text)); n > 41 || !strings.HasSuffix(le.Text, "…") {
		t.Fatalf("LineError.Text = %q (%d runes), want at most 40 runes and an ellipsis", le.Text, n)
	}
}

func TestParseFileName(t *testing.T) {
	f := func(name string, want dict.FileKind, wantOK bool) {
		t.Helper()
		got, ok, err := dict.ParseFileName(name)
		if ok != wantOK || err != nil || (ok && got != want) {
			t.Fatalf("ParseFileName(%q) = %+v, %v, %v; want %+v, %v, no error", name, got, ok, err, want, wantOK)
		}
	}
	f("porn.txt", dict.FileKind{Category: "porn", Action: filter.Mask}, true)
	f("porn.mask.txt", dict.FileKind{Category: "porn", Action: filter.Mask}, true)
	f("politics.block.txt", dict.FileKind{Category: "politics", Action: filter.Block}, true)
	f("ads.review.txt", dict.FileKind{Category: "ads", Action: filter.Review}, true)
	f("allow.txt", dict.FileKind{Category: "allow", Allow: true}, true)
	f("en.allow.txt", dict.FileKind{Category: "en", Allow: true}, true)
	f("variants.txt", dict.FileKind{Category: "variants", Variants: true}, true)
	f("zh.variants.txt", dict.FileKind{Category: "zh", Variants: true}, true)
	f("x.block.review.txt", dict.FileKind{Category: "x.block", Action: filter.Review}, true)
	// The suffix is read whatever its case.
	f("politics.Block.txt", dict.FileKind{Category: "politics", Action: filter.Block}, true)
	f("ads.REVIEW.txt", dict.FileKind{Category: "ads", Action: filter.Review}, true)
	f("porn.Mask.txt", dict.FileKind{Category: "porn", Action: filter.Mask}, true)
	f("en.ALLOW.txt", dict.FileKind{Category: "en", Allow: true}, true)
	f("Allow.txt", dict.FileKind{Category: "allow", Allow: true}, true)
	f("zh.Variants.txt", dict.FileKind{Category: "zh", Variants: true}, true)
	f("VARIANTS.txt", dict.FileKind{Category: "variants", Variants: true}, true)
	// Not dictionary files: ignored.
	f(".block.txt", dict.FileKind{}, false)
	f(".hidden.txt", dict.FileKind{}, false)
	f("readme.md", dict.FileKind{}, false)
	f("wordfilter.yaml", dict.FileKind{}, false)
	f("words.TXT", dict.FileKind{}, false)
	f(".txt", dict.FileKind{}, false)
}

func TestParseFileNameUnknownSuffix(t *testing.T) {
	for name, suffix := range map[string]string{
		"politics.blok.txt":   ".blok",
		"ads.reveiw.txt":      ".reveiw",
		"a.b.txt":             ".b",
		"v1.2.txt":            ".2",
		"x.block.masked.txt":  ".masked",
		"porn.mask.Blok.txt":  ".Blok",
		"empty..txt":          ".",
		"zh.variant.txt":      ".variant",
		"politics.blocks.txt": ".blocks",
	} {
		kind, ok, err := dict.ParseFileName(name)
		want := fmt.Sprintf("unknown suffix %q: a dictionary file is NAME.txt or NAME.<mask|block|review|allow|variants>.txt", suffix)
		if !ok || err == nil || err.Error() != want {
			t.Errorf("ParseFileName(%q) = %+v, %v, %v; want a dictionary file refused with %q", name, kind, ok, err, want)
		}
	}
}

func TestErrorLines(t *testing.T) {
	if got := dict.ErrorLines(nil); got != nil {
		t.Fatalf("ErrorLines(nil) = %q, want nil", got)
	}
	plain := fmt.Errorf("dict: something")
	if got := dict.ErrorLines(plain); !reflect.DeepEqual(got, []string{"dict: something"}) {
		t.Fatalf("ErrorLines(plain) = %q", got)
	}
	_, err := dict.Parse(strings.NewReader("\u200b\nok\n\u200d\n"))
	wrapped := fmt.Errorf("cannot reload: %w", err)
	want := []string{`line 1: word "\u200b": nothing matchable left after normalisation`, `line 3: word "\u200d": nothing matchable left after normalisation`}
	if got := dict.ErrorLines(wrapped); !reflect.DeepEqual(got, want) {
		t.Fatalf("ErrorLines(wrapped) = %q, want %q", got, want)
	}
}
