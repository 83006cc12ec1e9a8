package pinyin

import (
	"sort"
	"strconv"
	"sync"
)

// Syllable is a toneless pinyin syllable, numbered from 1 to NumSyllables in
// bytewise order of the names; 0 is no syllable. Its value depends on the
// generated table and may change when the table is regenerated: keep names,
// not numbers, in files.
type Syllable uint16

// String returns the syllable's name, with ü and ê as those letters ("lü",
// not "lv"), or "Syllable(n)" for a number that names none.
func (s Syllable) String() string {
	if s == 0 || s > NumSyllables {
		return "Syllable(" + strconv.Itoa(int(s)) + ")"
	}
	return syllableNames[syllableEnd[s-1]:syllableEnd[s]]
}

// Valid reports whether s names a syllable.
func (s Syllable) Valid() bool { return s != 0 && s <= NumSyllables }

// Interjection reports whether s is one of the syllables that only
// interjections have: m (呣), n and ng (嗯), hm (噷), hng (哼) and ê (欸, 誒),
// the syllables without a plain vowel letter. Their spellings make Latin
// text ambiguous ("xian" is also xia+n, "falungong" also fa+lu+n+gong), so
// a scanner may want to skip them where it reads Latin letters.
func (s Syllable) Interjection() bool { return s.Valid() && interjection[s] != 0 }

// Parse returns the syllable named name, a toneless syllable written as
// String writes it ("lü"; "lv" is a spelling, see Start), and whether there
// is one.
func Parse(name string) (Syllable, bool) {
	i := 1 + sort.Search(NumSyllables, func(i int) bool { return Syllable(i+1).String() >= name })
	if i <= NumSyllables && Syllable(i).String() == name {
		return Syllable(i), true
	}
	return 0, false
}

// Readings returns the toneless syllables of the character r, every reading
// once, in go-pinyin's order (the most common first), or nil when r has
// none (it is not a Chinese character, or go-pinyin does not know it). It
// does not allocate: the slice is shared and must not be modified; its
// capacity equals its length, so appending to it copies.
func Readings(r rune) []Syllable {
	if r < 0 || r > maxRune {
		return nil
	}
	set := charBlocks[int(charIndex[r>>charShift])<<charShift|int(r&(1<<charShift-1))]
	if set == 0 {
		return nil
	}
	lo, hi := setEnd[set-1], setEnd[set]
	return setSyllables[lo:hi:hi]
}

// HasReadings reports whether the character r has readings, that is
// whether Readings(r) is not nil.
func HasReadings(r rune) bool {
	return r >= 0 && r <= maxRune && charBlocks[int(charIndex[r>>charShift])<<charShift|int(r&(1<<charShift-1))] != 0
}

// Chars returns the characters that have s among their readings, in rune
// order (simplified and traditional forms, common and rare characters
// alike: "ma" has 93, "yi" 889), or nil for an
// invalid s. The first call builds the reverse index of the whole table
// (about 1 ms and 216 KB of heap); later calls share it and do not
// allocate. The slice must not be modified.
func Chars(s Syllable) []rune {
	if !s.Valid() {
		return nil
	}
	return homophones()[s]
}

// homophones is the reverse index of Chars, built on first use: one array
// of runes grouped by syllable, each group in rune order.
var homophones = sync.OnceValue(func() [][]rune {
	var count [NumSyllables + 1]int
	total := 0
	for r := rune(0); r <= maxRune; r++ {
		for _, s := range Readings(r) {
			count[s]++
			total++
		}
	}
	all := make([]rune, total)
	idx := make([][]rune, NumSyllables+1)
	off := 0
	for s, n := range count {
		idx[s] = all[off : off : off+n]
		off += n
	}
	for r := rune(0); r <= maxRune; r++ {
		for _, s := range Readings(r) {
			idx[s] = append(idx[s], r)
		}
	}
	return idx
})
