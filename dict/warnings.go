package dict

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/wordfilter/wordfilter/filter"
)

// Warning is a word the loader accepts but that will probably over-block:
// it folds to one letter or digit (幹 to 干, ㈠ to 一, a), and so matches
// inside many ordinary texts. A word of one symbol or emoji (🖕, ☭) is
// not warned about: it is exactly what an operator means to catch.
type Warning struct {
	// Path and Line are where the word was read.
	Path string
	Line int
	// Word is the word as written; Folded the character it folds to.
	Word, Folded string
}

// Message is the warning without its position: `word "幹" folds to one
// character (干) and will match inside many texts`.
func (w Warning) Message() string {
	return fmt.Sprintf("word %q folds to one character (%s) and will match inside many texts", w.Word, w.Folded)
}

// String is the warning as validate prints it:
// "path:line: warning: " and the Message.
func (w Warning) String() string {
	return fmt.Sprintf("%s:%d: warning: %s", w.Path, w.Line, w.Message())
}

// wordWarning is a Warning before the path of its file is known.
type wordWarning struct {
	pos          position
	word, folded string
}

// foldsToOne reports whether word folds (filter.Fold) to text holding
// exactly one letter or digit, and which; separators, symbols and
// invisible characters around it do not count.
//
// It folds only the rare words that can: every letter or digit outside
// mayFoldAway folds to at least one letter or digit (a test checks all of
// Unicode), so a word holding two of them is passed over at the cost of
// one loop over its first runes.
func foldsToOne(word string) (string, bool) {
	sure := 0
	for _, r := range word {
		if surelyLetter(r) {
			if sure++; sure >= 2 {
				return "", false
			}
		}
	}
	var one rune
	n := 0
	for _, r := range filter.Fold(word) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if n++; n > 1 {
				return "", false
			}
			one = r
		}
	}
	if n != 1 {
		return "", false
	}
	return string(one), true
}

// surelyLetter reports whether r is a letter or digit outside
// mayFoldAway, testing ASCII and the CJK Unified Ideographs (all letters)
// before Unicode's tables, which most words would otherwise cost.
func surelyLetter(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return 'a' <= r|0x20 && r|0x20 <= 'z' || '0' <= r && r <= '9'
	case r >= 0x4E00 && r <= 0x9FFF:
		return true
	}
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && !mayFoldAway(r)
}

// mayFoldAway reports whether r lies in the blocks whose letters may fold
// to no letter at all (Arabic presentation forms of vowel marks, the
// half-width katakana voicing marks): U+FB50 to U+FFEF.
func mayFoldAway(r rune) bool {
	return r >= 0xFB50 && r <= 0xFFEF
}
