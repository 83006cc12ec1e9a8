package filter

//go:generate go run gen_t2s.go

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Character classes of a folded rune.
const (
	clsInvisible uint8 = iota // Cf, Mn, Me: dropped
	clsSep                    // whitespace, punctuation, symbols, emoji, controls
	clsClause                 // clause punctuation: a separator, except between two CJK characters
	clsWord                   // letter or digit of a script written without spaces (Thai, Lao, Khmer, Myanmar, Tibetan): matches anywhere
	clsLatin                  // letter or digit of a script written with spaces between words (Latin, Cyrillic, Greek, Arabic, Devanagari, ...): subject to the word-boundary rule
	clsCJK                    // Han, Hiragana, Katakana, Hangul
	clsBreak                  // an invalid UTF-8 byte: never part of a word, breaks any match
)

// isWordClass reports whether c is one of the classes that words are made of.
func isWordClass(c uint8) bool { return c >= clsWord && c <= clsCJK }

// clausePunct lists the clause punctuation after folding (the full-width
// forms ，；：！？ fold to their ASCII forms).
const clausePunct = "，。、；：！？,.;:!?"

// kanaMarks lists the letters of no script (Unicode's Common) that are
// written only in kana or Han words (their script extensions): the
// prolonged sound mark, the kana repetition marks, 〆 and 〼. Classified by
// script alone they would take the word-boundary rule, and バカヤロー would
// not be found in バカヤローw.
const kanaMarks = "ー〱〲〳〴〵〆〼"

// frune is one folded rune with its class.
type frune struct {
	r   rune
	cls uint8
}

// Encoding of a normaliser table entry: the folded rune in the low 21
// bits and its class above it, or expFlag plus an index into exp when the
// code point folds to several visible runes.
const (
	runeBits = 21
	runeMask = 1<<runeBits - 1
	expFlag  = 1 << 31
)

// normaliser folds code points one at a time: NFKC, then full case
// folding, then traditional→simplified Chinese (OpenCC's character
// table), and classifies each resulting rune. It is immutable once built
// and safe for concurrent use.
type normaliser struct {
	bmp    []uint32        // one entry per code point below 0x10000
	astral map[rune]uint32 // code points above the BMP whose fold is not the identity
	exp    [][]frune       // expansions: the visible runes of a code point folding to several
	t2s    map[rune]rune   // traditional → simplified
}

// defaultNormaliser is built once, on first use, and never changes.
var defaultNormaliser = sync.OnceValue(newNormaliser)

func newNormaliser() *normaliser {
	n := &normaliser{
		bmp:    make([]uint32, 0x10000),
		astral: make(map[rune]uint32),
		t2s:    make(map[rune]rune, len(t2sPairs)/4),
	}
	for s := t2sPairs; s != ""; {
		from, a := utf8.DecodeRuneInString(s)
		to, b := utf8.DecodeRuneInString(s[a:])
		n.t2s[from] = to
		s = s[a+b:]
	}
	folder := cases.Fold()
	var buf []frune
	var b [utf8.UTFMax]byte
	for r := rune(0); r < 0x10000; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			n.bmp[r] = uint32(r) | uint32(clsSep)<<runeBits // never decoded from valid UTF-8
			continue
		}
		buf = n.compute(buf[:0], r, folder)
		n.bmp[r] = n.encode(buf)
	}
	for _, rg := range [][2]rune{{0x10000, 0x2FFFF}, {0xE0000, 0xE0FFF}} {
		for r := rg[0]; r <= rg[1]; r++ {
			k := utf8.EncodeRune(b[:], r)
			if norm.NFKC.Properties(b[:k]).Decomposition() == nil && unicode.SimpleFold(r) == r {
				if _, ok := n.t2s[r]; !ok {
					continue // identity: classified on the fly
				}
			}
			buf = n.compute(buf[:0], r, folder)
			if len(buf) == 1 && buf[0].r == r {
				continue
			}
			n.astral[r] = n.encode(buf)
		}
	}
	return n
}

// compute folds r the slow way and appends its visible runes to dst.
func (n *normaliser) compute(dst []frune, r rune, folder cases.Caser) []frune {
	s := norm.NFKC.String(string(r))
	s = folder.String(s)
	for _, c := range s {
		if t, ok := n.t2s[c]; ok {
			c = t
		}
		if cls := classify(c); cls != clsInvisible {
			dst = append(dst, frune{c, cls})
		}
	}
	return dst
}

func (n *normaliser) encode(f []frune) uint32 {
	switch len(f) {
	case 0:
		return uint32(clsInvisible) << runeBits
	case 1:
		return uint32(f[0].r) | uint32(f[0].cls)<<runeBits
	}
	n.exp = append(n.exp, append([]frune(nil), f...))
	return expFlag | uint32(len(n.exp)-1)
}

// classify returns the class of an already folded rune.
func classify(r rune) uint8 {
	switch {
	case unicode.In(r, unicode.Cf, unicode.Mn, unicode.Me):
		return clsInvisible
	case unicode.In(r, unicode.L, unicode.N, unicode.Mc):
		switch {
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul),
			strings.ContainsRune(kanaMarks, r):
			return clsCJK
		case unicode.In(r, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar, unicode.Tibetan):
			return clsWord
		}
		// Every other script (by the Unicode tables: Latin, Cyrillic,
		// Greek, Armenian, Georgian, Hebrew, Arabic, the Indic scripts,
		// ...) and the digits put spaces between words: the boundary
		// rule holds, judged against the letters and digits of any of
		// them.
		return clsLatin
	case strings.ContainsRune(clausePunct, r):
		return clsClause
	}
	return clsSep
}

// lookup returns the table entry of code point r.
func (n *normaliser) lookup(r rune) uint32 {
	if r < 0x10000 {
		return n.bmp[r]
	}
	if e, ok := n.astral[r]; ok {
		return e
	}
	return uint32(r) | uint32(classify(r))<<runeBits
}

// appendFold appends the visible folded runes of code point r to dst.
func (n *normaliser) appendFold(dst []frune, r rune) []frune {
	e := n.lookup(r)
	if e&expFlag != 0 {
		return append(dst, n.exp[e&^expFlag]...)
	}
	if cls := uint8(e >> runeBits); cls != clsInvisible {
		dst = append(dst, frune{rune(e & runeMask), cls})
	}
	return dst
}

// Fold returns text as the matcher sees it: every code point folded
// (NFKC, case folding, traditional→simplified Chinese) and invisible
// characters dropped. Separators are kept. Invalid UTF-8 bytes are kept
// as U+FFFD. Package dict compares variant forms with it, the REST API's
// explain shows a variant match through it, and tools use it; matching
// itself never builds this string.
func Fold(text string) string {
	n := defaultNormaliser()
	var b strings.Builder
	var buf []frune
	for _, r := range text {
		buf = n.appendFold(buf[:0], r)
		for _, f := range buf {
			b.WriteRune(f.r)
		}
	}
	return b.String()
}
