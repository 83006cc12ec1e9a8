package dict_test

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/filter"
)

func TestParseVariants(t *testing.T) {
	in := "\uFEFF# canonical form first\r\n" +
		"法 氵去 灋\r\n" +
		"\n" +
		"  奸\t女干  \n" +
		"强\u3000弓虽\n" + // an ideographic space separates too
		"   # indented comment\n" +
		"發 友又\n" + // the canonical form folds to 发: still its own
		"发 友又\n" + // the same written form for the same (folded) canonical form: harmless
		"a 4 @a\n" // a form keeps its symbols
	got, err := dict.ParseVariants(strings.NewReader(in))
	if err != nil {
		t.Fatalf("ParseVariants: %v", err)
	}
	want := []dict.Variant{
		{Canonical: "法", Forms: []string{"氵去", "灋"}, Line: 2},
		{Canonical: "奸", Forms: []string{"女干"}, Line: 4},
		{Canonical: "强", Forms: []string{"弓虽"}, Line: 5},
		{Canonical: "發", Forms: []string{"友又"}, Line: 7},
		{Canonical: "发", Forms: []string{"友又"}, Line: 8},
		{Canonical: "a", Forms: []string{"4", "@a"}, Line: 9},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ParseVariants =\n%+v\nwant\n%+v", got, want)
	}
	if got, err := dict.ParseVariants(strings.NewReader("# only comments\n\n")); err != nil || len(got) != 0 {
		t.Fatalf("ParseVariants(comments) = %v, %v; want nothing", got, err)
	}
}

func TestParseVariantsErrors(t *testing.T) {
	f := func(name, in string, kind error, want ...string) {
		t.Helper()
		_, err := dict.ParseVariants(strings.NewReader(in))
		if got := dict.ErrorLines(err); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: ParseVariants(%q) errors\n%q\nwant\n%q", name, in, got, want)
		}
		if !errors.Is(err, kind) {
			t.Fatalf("%s: error %v is not %v", name, err, kind)
		}
	}
	f("one field", "法 氵去\n奸\n", dict.ErrBadVariant,
		`line 2: variants line "奸": want the canonical form, then one or more written forms, separated by whitespace (法 氵去 灋)`)
	f("a form with nothing matchable", "法 氵去 \u200b\n", dict.ErrBadWord,
		`line 1: variant form "\u200b": nothing matchable left after normalisation`)
	f("an invisible form", "法 \u200b\n", dict.ErrBadWord,
		`line 1: variant form "\u200b": nothing matchable left after normalisation`)
	f("a canonical form with nothing matchable", "\u200b x\n", dict.ErrBadWord,
		`line 1: canonical form "\u200b": nothing matchable left after normalisation`)
	long := strings.Repeat("a", filter.MaxWordRunes+1)
	f("an over-long form", "a "+long+"\n", dict.ErrBadWord,
		`line 1: variant form "`+long[:40]+`…": longer than 128 letters and digits after normalisation`)
	f("a form that stands for itself", "发 發\nfuck FUCK ｆｕｃｋ\n", dict.ErrBadVariant,
		`line 1: variant form "發" stands for itself: it already reads as its canonical form "发"`,
		`line 2: variant form "FUCK" stands for itself: it already reads as its canonical form "fuck"`,
		`line 2: variant form "ｆｕｃｋ" stands for itself: it already reads as its canonical form "fuck"`)
	f("one form for two canonical forms", "奸 女干\n# \n好 女子\n姦 女干\n坏 女干 女子\n", dict.ErrBadVariant,
		// 姦 folds to 奸: the same canonical form, not an error.
		`line 5: variant form "女干" stands for "坏" here and for "奸" at line 1: a written form stands for one canonical form`)
	f("invalid UTF-8", "法 氵去\n奸 \xfe\n", dict.ErrInvalidUTF8,
		`line 2: word "奸 \xfe": invalid UTF-8`)
}

func TestLoadVariants(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"politics.block.txt":  "法轮功\n",
		"VARIANTS.txt":        "法 氵去\n",
		"zh/cjk.variants.txt": "奸 女干\n",
		"zh/zz.variants.txt":  "强 弓虽\n",
	})
	d := mustLoad(t, dir)
	want := []dict.Variant{ // in folder order: files by path, then lines
		{Canonical: "法", Forms: []string{"氵去"}, Path: filepath.Join(dir, "VARIANTS.txt"), Line: 1},
		{Canonical: "奸", Forms: []string{"女干"}, Path: filepath.Join(dir, "zh", "cjk.variants.txt"), Line: 1},
		{Canonical: "强", Forms: []string{"弓虽"}, Path: filepath.Join(dir, "zh", "zz.variants.txt"), Line: 1},
	}
	if !reflect.DeepEqual(d.Variants, want) {
		t.Fatalf("Variants =\n%+v\nwant\n%+v", d.Variants, want)
	}
	if _, ok := d.Categories["cjk"]; ok || len(d.Categories) != 1 {
		t.Fatalf("Categories = %v: a variants file names no category", d.Categories)
	}

	// A written form listed in two files for two canonical forms: the
	// error names both lines. With errors in a word file too, all come out.
	writeFiles(t, dir, map[string]string{
		"zh/zz.variants.txt": "强 弓虽\n\n# a typo:\n奸 氵去\n",
		"politics.block.txt": "法轮功\n\u200b\n",
	})
	_, err := dict.Load(dir, filter.Options{})
	wantErrs := []string{
		filepath.Join(dir, "politics.block.txt") + `:2: word "\u200b": nothing matchable left after normalisation`,
		filepath.Join(dir, "zh", "zz.variants.txt") + `:4: variant form "氵去" stands for "奸" here and for "法" at ` +
			filepath.Join(dir, "VARIANTS.txt") + `:1: a written form stands for one canonical form`,
	}
	if got := dict.ErrorLines(err); !reflect.DeepEqual(got, wantErrs) || !errors.Is(err, dict.ErrBadVariant) {
		t.Fatalf("errors\n%q\nwant\n%q", got, wantErrs)
	}
}
