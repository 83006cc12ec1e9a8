package filter

import (
	"unicode"

	"github.com/mtibben/confusables"
	"golang.org/x/text/unicode/norm"
)

// lookalikes is the data of the lookalike reading: the folded letters
// that stand for a plain Latin letter (a-z). Two kinds are kept apart,
// because the reading treats them differently:
//
//   - foreign: letters of another script that look like a Latin letter
//     (Cyrillic а с е о р х у і ј ѕ, Greek ο α ν ι, ...), read as Latin
//     only in a match that also holds a plain Latin letter;
//   - decorated: Latin letters with a diacritic or in a decorative form
//     (ü é ƒ ɑ ı), read as the plain letter anywhere.
//
// The look-alike pairs come from Unicode's confusables table (UTS #39,
// confusables.txt 13.0.0) through github.com/mtibben/confusables (BSD
// licence), the only Go module served here that carries it; it is read
// once into this small table when the reading is built (see lookalikes_test.go for
// its size and build time). Diacritics are taken off with x/text's NFD.
type lookalikes struct {
	foreign   map[rune]byte
	decorated map[rune]byte
}

// lookalikeRanges are the blocks searched for look-alike letters: every
// script of the BMP and the mathematical alphanumerics (those fold to
// ASCII already).
var lookalikeRanges = [][2]rune{{0x80, 0xFFFF}}

func buildLookalikes() *lookalikes {
	l := &lookalikes{foreign: map[rune]byte{}, decorated: map[rune]byte{}}
	n := defaultNormaliser()
	var buf []frune
	for _, rg := range lookalikeRanges {
		for r := rg[0]; r <= rg[1]; r++ {
			if !unicode.IsLetter(r) {
				continue
			}
			buf = n.appendFold(buf[:0], r)
			if len(buf) != 1 || buf[0].r < 0x80 || buf[0].cls != clsLatin {
				continue // folds to ASCII, to several letters, or is no spaced-script letter
			}
			f := buf[0].r
			c, ok := plainLetter(f)
			if !ok {
				continue
			}
			if unicode.Is(unicode.Latin, f) {
				l.decorated[f] = c
			} else {
				l.foreign[f] = c
			}
		}
	}
	return l
}

// plainLetter returns the plain Latin letter (a-z) that the folded letter
// f looks like, if any: its skeleton under UTS #39 with diacritics taken
// off, when that is one ASCII letter.
func plainLetter(f rune) (byte, bool) {
	sk := confusables.Skeleton(string(f))
	var letter byte
	for _, r := range norm.NFD.String(sk) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case letter == 0 && r < 0x80 && unicode.IsLetter(r):
			letter = byte(unicode.ToLower(r))
		default:
			return 0, false
		}
	}
	return letter, letter != 0
}
