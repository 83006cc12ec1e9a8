package filter_test

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/wordfilter/wordfilter/filter"
	"github.com/wordfilter/wordfilter/internal/pinyin"
)

// This file holds a brute-force reference of the pinyin reading
// (docs/matching.md, "Variant readings"), written from the rules without
// the engine's automaton, tries or scout: for every start in the text and
// every word it tries to read the word there, character by character,
// each carrier being a character of the text (the word's own, or one whose
// first reading is a reading of the word's character) or Latin letters
// spelling one of the word's character's syllables. It also finds the
// matches that section 3 alone finds (the same rules as reference_test.go,
// for words of letters and digits), then applies allow phrases and the
// leftmost-longest choice with the order of ties the engine documents. It
// models the readings none and pinyin only: the tests that use it compile
// with no other reading.

// pyRefWord is one distinct folded word or allow phrase.
type pyRefWord struct {
	runes  []rune
	sep    []bool // sep[j]: a separator is required before runes[j]
	id     int    // word index, or -1 for an allow phrase
	pinyin bool   // the reading reads it
}

// pyRef is the reference matcher.
type pyRef struct {
	words   []filter.Word
	review  bool // Policy.PinyinReview
	entries []pyRefWord
}

// pyRefReadable reports whether the folded word rs takes the pinyin
// reading: two to 64 Chinese characters, each with readings.
func pyRefReadable(rs []rune) bool {
	if len(rs) < 2 || len(rs) > 64 {
		return false
	}
	for _, r := range rs {
		if !unicode.Is(unicode.Han, r) || pinyin.Readings(r) == nil {
			return false
		}
	}
	return true
}

// newPyRef builds the reference for words and allow compiled with
// Options{Allow: allow, Policy: pol, Categories: cats}, where the
// readings are none or ReadPinyin.
func newPyRef(words []filter.Word, allow []string, pol filter.Policy, cats map[string]filter.Policy) *pyRef {
	m := &pyRef{review: pol.PinyinReview}
	seen := map[string]int{}
	policy := func(w filter.Word) filter.Policy {
		if p, ok := cats[w.Category]; ok {
			return p
		}
		return pol
	}
	var ws []filter.Word
	for _, w := range words {
		rs, sep, _ := refKey(w.Text)
		k := sepKey(rs, sep)
		if id, ok := seen[k]; ok {
			if w.Action > ws[id].Action {
				ws[id] = w
			}
			continue
		}
		seen[k] = len(ws)
		ws = append(ws, w)
		m.entries = append(m.entries, pyRefWord{runes: rs, sep: sep, id: len(ws) - 1})
	}
	m.words = ws
	for i := range m.entries {
		e := &m.entries[i]
		e.pinyin = policy(ws[e.id]).Readings&filter.ReadPinyin != 0 && pyRefReadable(e.runes)
	}
	for _, a := range allow {
		rs, sep, _ := refKey(a)
		m.entries = append(m.entries, pyRefWord{runes: rs, sep: sep, id: -1,
			pinyin: pol.Readings&filter.ReadPinyin != 0 && pyRefReadable(rs)})
	}
	return m
}

// pyRefSpellings maps every Latin spelling of a syllable that is not an
// interjection to the syllables it spells: the name, with ü also written
// v or u.
var pyRefSpellings = func() map[string][]pinyin.Syllable {
	interjections := []string{"m", "n", "ng", "hm", "hng", "ê"}
	sp := map[string][]pinyin.Syllable{}
	for s := pinyin.Syllable(1); s <= pinyin.NumSyllables; s++ {
		name := s.String()
		if slices.Contains(interjections, name) {
			continue
		}
		forms := []string{name}
		if strings.Contains(name, "ü") {
			forms = append(forms, strings.ReplaceAll(name, "ü", "v"), strings.ReplaceAll(name, "ü", "u"))
		}
		for _, f := range forms {
			sp[f] = append(sp[f], s)
		}
	}
	return sp
}()

// pyRefLetter returns what the folded letter r spells in pinyin: a to z
// themselves, a letter with diacritics its plain letter, but ü for u with
// a diaeresis and ê for e with a circumflex; "" for anything else.
func pyRefLetter(r rune) string {
	if 'a' <= r && r <= 'z' {
		return string(r)
	}
	d := norm.NFD.String(string(r))
	base, n := utf8.DecodeRuneInString(d)
	if base < 'a' || base > 'z' || n == len(d) {
		return ""
	}
	for _, c := range d[n:] {
		if !unicode.Is(unicode.Mn, c) {
			return ""
		}
	}
	switch {
	case base == 'u' && strings.ContainsRune(d[n:], '\u0308'):
		return "ü"
	case base == 'e' && strings.ContainsRune(d[n:], '\u0302'):
		return "ê"
	}
	return string(base)
}

type pyRefCand struct {
	entry, start, end int
	via               filter.Readings
}

// matches returns the matches of text.
func (m *pyRef) matches(text string) []filter.Match {
	fs := refFold(text)
	var cands []pyRefCand
	for q := range fs {
		if !isWord(fs[q].cls) {
			continue
		}
		for ei, e := range m.entries {
			if c, ok := m.exact(fs, q, e); ok {
				cands = append(cands, pyRefCand{ei, fs[q].start, c, 0})
			}
			if e.pinyin {
				for _, end := range m.readPinyin(fs, q, e) {
					cands = append(cands, pyRefCand{ei, fs[q].start, end, filter.ReadPinyin})
				}
			}
		}
	}
	// Allow occurrences drop the candidates inside them.
	var words, allows []pyRefCand
	for _, c := range cands {
		if m.entries[c.entry].id < 0 {
			allows = append(allows, c)
		} else {
			words = append(words, c)
		}
	}
	words = slices.DeleteFunc(words, func(c pyRefCand) bool {
		return slices.ContainsFunc(allows, func(a pyRefCand) bool { return a.start <= c.start && c.end <= a.end })
	})
	action := func(c pyRefCand) filter.Action {
		if c.via != 0 && m.review {
			return filter.Review
		}
		return m.words[m.entries[c.entry].id].Action
	}
	slices.SortFunc(words, func(x, y pyRefCand) int {
		return cmp.Or(cmp.Compare(x.start, y.start), cmp.Compare(y.end, x.end), cmp.Compare(x.via, y.via),
			cmp.Compare(action(y), action(x)), cmp.Compare(m.entries[x.entry].id, m.entries[y.entry].id))
	})
	var out []filter.Match
	last := 0
	for _, c := range words {
		if c.start >= last {
			out = append(out, filter.Match{Word: m.entries[c.entry].id, Start: c.start, End: c.end, Via: c.via})
			last = c.end
		}
	}
	return out
}

// gapAfter returns, from fs[q] on, the index of the next unit that is not
// a separator, the separators before it (distinct code points) and
// whether clause punctuation is among them.
func gapAfter(fs []refRune, q int) (int, int, bool) {
	starts := map[int]bool{}
	clause := false
	for ; q < len(fs) && (fs[q].cls == rSep || fs[q].cls == rClause); q++ {
		starts[fs[q].start] = true
		clause = clause || fs[q].cls == rClause
	}
	return q, len(starts), clause
}

// exact returns the end of the match of e that section 3 finds from
// fs[q], if any (the rules of reference_test.go's refMatcher).
func (m *pyRef) exact(fs []refRune, q int, e pyRefWord) (int, bool) {
	n := len(e.runes)
	clauseGaps := 0
	i := q
	for j := range n {
		if j > 0 {
			k, gap, clause := gapAfter(fs, i+1)
			if k >= len(fs) || gap > 3 || e.sep[j] && gap == 0 {
				return 0, false
			}
			if clause && fs[i].cls == rCJK && fs[k].cls == rCJK {
				clauseGaps++
			}
			i = k
		}
		if !isWord(fs[i].cls) || fs[i].r != e.runes[j] {
			return 0, false
		}
	}
	if clauseGaps > 0 && (n < 3 || clauseGaps != n-1) {
		return 0, false
	}
	if fs[q].cls == rLatin && q > 0 && fs[q-1].cls == rLatin {
		return 0, false
	}
	if fs[i].cls == rLatin && i+1 < len(fs) && fs[i+1].cls == rLatin {
		return 0, false
	}
	return fs[i].end, true
}

// readPinyin returns the ends of the matches of e that need the pinyin
// reading from fs[q].
func (m *pyRef) readPinyin(fs []refRune, q int, e pyRefWord) []int {
	n := len(e.runes)
	var ends []int
	// read goes on with character j at fs[i], after gap separators
	// (clause: some is clause punctuation) since the carrier before, which
	// ended with a CJK unit when prevCJK; itself counts the characters
	// written as themselves, han the carriers that are characters.
	var read func(j, i, gap int, clause, prevCJK bool, itself, han int, firstLatin bool)
	read = func(j, i, gap int, clause, prevCJK bool, itself, han int, firstLatin bool) {
		if i >= len(fs) || j > 0 && (gap > 3 || e.sep[j] && gap == 0) {
			return
		}
		done := func(last int, latin bool, itself, han int) {
			if j+1 < n {
				k, g, c := gapAfter(fs, last+1)
				read(j+1, k, g, c, !latin, itself, han, firstLatin)
				return
			}
			if itself == n || n == 2 && (han != 1 || itself != 1) {
				return
			}
			if firstLatin && q > 0 && fs[q-1].cls == rLatin {
				return
			}
			if latin && last+1 < len(fs) && fs[last+1].cls == rLatin {
				return
			}
			ends = append(ends, fs[last].end)
		}
		u := fs[i]
		// A character: the word's own, or one of its first reading.
		if u.cls == rCJK && !(j > 0 && clause && prevCJK) {
			if rs := pinyin.Readings(u.r); rs != nil && slices.Contains(pinyin.Readings(e.runes[j]), rs[0]) {
				is := 0
				if u.r == e.runes[j] {
					is = 1
				}
				done(i, false, itself+is, han+1)
			}
		}
		// Latin letters spelling a syllable of the character.
		if u.cls != rLatin || pyRefLetter(u.r) == "" {
			return
		}
		if j == 0 {
			firstLatin = true
		}
		want := pinyin.Readings(e.runes[j])
		spelled := ""
		for k := i; k < len(fs); {
			l := pyRefLetter(fs[k].r)
			if fs[k].cls != rLatin || l == "" {
				return
			}
			spelled += l
			if len(spelled) > 8 {
				return
			}
			for _, s := range pyRefSpellings[spelled] {
				if slices.Contains(want, s) {
					done(k, true, itself, han)
					break
				}
			}
			next, g, _ := gapAfter(fs, k+1)
			if g > 3 {
				return
			}
			k = next
		}
	}
	read(0, q, 0, false, false, 0, 0, false)
	slices.Sort(ends)
	return slices.Compact(ends)
}

// filter masks like the engine, with the pinyin action.
func (m *pyRef) filter(text string, mask rune) filter.Result {
	ms := m.matches(text)
	return refResult(text, ms, mask, func(mt filter.Match) filter.Action {
		if mt.Via != 0 && m.review {
			return filter.Review
		}
		return m.words[mt.Word].Action
	})
}
