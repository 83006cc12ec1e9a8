package dict_test

import (
	"path/filepath"
	"reflect"
	"testing"
	"unicode"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/filter"
)

func TestWarningsOneCharacter(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"zh.block.txt": "# one character after folding\n幹\n㈠\n法轮功\n",
		"en.txt":       "a\nab\nB\n☭\n🖕\n☭☭\n-x-\n",
		"allow.txt":    "幹\n", // allow phrases over-block nothing
		"sub/n.txt":    "①\n",
	})
	d := mustLoad(t, dir)
	en, zh, n := filepath.Join(dir, "en.txt"), filepath.Join(dir, "zh.block.txt"), filepath.Join(dir, "sub", "n.txt")
	want := []dict.Warning{
		{Path: en, Line: 1, Word: "a", Folded: "a"},
		{Path: en, Line: 3, Word: "B", Folded: "b"},
		{Path: en, Line: 7, Word: "-x-", Folded: "x"},
		{Path: n, Line: 1, Word: "①", Folded: "1"},
		{Path: zh, Line: 2, Word: "幹", Folded: "干"},
		{Path: zh, Line: 3, Word: "㈠", Folded: "一"},
	}
	if !reflect.DeepEqual(d.Warnings, want) {
		t.Fatalf("Warnings = %+v\nwant       %+v", d.Warnings, want)
	}
	if got, want := d.Warnings[4].String(), zh+`:2: warning: word "幹" folds to one character (干) and will match inside many texts`; got != want {
		t.Fatalf("String() = %q, want %q", got, want)
	}
	if clean := mustLoad(t, writeDirOf(t, map[string]string{"x.txt": "ab\n☭\n"})); clean.Warnings != nil {
		t.Fatalf("a folder without such words has Warnings %+v, want nil", clean.Warnings)
	}
}

// writeDirOf writes files into a new temporary folder and returns it.
func writeDirOf(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, files)
	return dir
}

func TestFoldsToOne(t *testing.T) {
	for word, want := range map[string]string{
		"幹": "干", "a": "a", "Ａ": "a", "a\u200b": "a", "a ☭": "a",
		"a\uff9e": "a", // the half-width voicing mark folds away
		"ab":      "", "☭": "", "🖕": "", "干干": "", "a1": "", "①②": "",
	} {
		got, one := dict.FoldsToOne(word)
		if got != want || one != (want != "") {
			t.Errorf("FoldsToOne(%q) = %q, %v; want %q", word, got, one, want)
		}
	}
}

// TestLettersFoldToLetters checks what lets foldsToOne skip folding most
// words: outside MayFoldAway, every letter or digit folds to text that
// holds at least one letter or digit; and that SurelyLetter's shortcuts
// agree with Unicode's tables.
func TestLettersFoldToLetters(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		letter := (unicode.IsLetter(r) || unicode.IsDigit(r)) && !dict.MayFoldAway(r)
		if dict.SurelyLetter(r) != letter {
			t.Errorf("SurelyLetter(%U) = %v, want %v", r, !letter, letter)
		}
		if !letter {
			continue
		}
		ok := false
		for _, f := range filter.Fold(string(r)) {
			if unicode.IsLetter(f) || unicode.IsDigit(f) {
				ok = true
				break
			}
		}
		if !ok {
			t.Errorf("%U %q folds to %q, no letter or digit: widen MayFoldAway", r, r, filter.Fold(string(r)))
		}
	}
}
