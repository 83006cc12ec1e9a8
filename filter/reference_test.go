package filter_test

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/wordfilter/wordfilter/filter"
)

// This file holds a plain brute-force implementation of the rules in
// docs/matching.md, written straight from the text without any automaton, for
// differential tests.

// Reference classes.
const (
	rInvisible = iota
	rSep
	rClause
	rWord
	rLatin
	rCJK
	rBreak
)

type refRune struct {
	r          rune
	cls        int
	start, end int // byte span of the code point it came from
}

// refClass classifies a folded rune by docs/matching.md, from the
// Unicode tables alone: it shares no table or function with the engine's
// classify. Readings of the rules that the text leaves open:
//   - a spacing mark (Mc) belongs to the letter it is written with, so it
//     takes the class of its script like a letter;
//   - a visible code point that is neither a letter, a digit nor one of the
//     invisible categories (controls, private use, unassigned) is a
//     separator, like whitespace, punctuation and symbols;
//   - the scripts docs/matching.md names as matching anywhere (Han, kana,
//     Hangul, Thai, Lao, Khmer, Myanmar, Tibetan) are the only ones: every
//     other script, named or not, and the digits, take the boundary rule;
//   - Go's tables give a script, not Unicode's script extensions, so the
//     marks of no script (Common) that are written only in kana or Han
//     words are listed here: the prolonged sound mark ー, the kana
//     repetition marks 〱–〵, 〆 and 〼. The other letters of no script
//     (modifier letters such as ʼ and ː, the Arabic tatweel ـ) are written
//     in words of scripts with spaces and take the boundary rule.
func refClass(r rune) int {
	switch {
	case unicode.In(r, unicode.Cf, unicode.Mn, unicode.Me):
		return rInvisible
	case strings.ContainsRune("，。、；：！？,.;:!?", r):
		return rClause
	case !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.Is(unicode.Mc, r):
		return rSep // unicode.IsPunct, IsSymbol, IsSpace and the rest
	case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul),
		r == 'ー', r == '〆', r == '〼', '〱' <= r && r <= '〵':
		return rCJK
	case unicode.In(r, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar, unicode.Tibetan):
		return rWord
	}
	return rLatin
}

// refT2S is the reference's own traditional→simplified table: the
// traditional characters the tests write, each with its simplified form,
// written by hand (not read from the engine's table), so that a wrong entry
// of the engine's table for one of them makes the tests fail.
// TestT2STableAgainstOpenCC checks the rest of the engine's table against
// OpenCC's data where the module cache holds it.
func refT2S(r rune) (rune, bool) {
	const pairs = "輪轮國国會会說说愛爱們们氣气門门東东車车馬马鳥鸟魚鱼龍龙書书學学" +
		"體体動动過过這这對对開开關关時时發发髮发萬万與与當当還还讓让見见" +
		"長长錢钱買买賣卖黨党習习產产獨独臺台醫医澤泽網网傳传罵骂賤贱雞鸡" +
		"媽妈殺杀槍枪彈弹藥药後后乾干幹干"
	for s := pairs; s != ""; {
		from, a := utf8.DecodeRuneInString(s)
		to, b := utf8.DecodeRuneInString(s[a:])
		if from == r {
			return to, true
		}
		s = s[a+b:]
	}
	return r, false
}

// refFoldRune folds one code point as section 3 says: NFKC, then case
// folding, then traditional→simplified; invisible runes dropped.
func refFoldRune(r rune) []refRune {
	s := cases.Fold().String(norm.NFKC.String(string(r)))
	var out []refRune
	for _, c := range s {
		c, _ = refT2S(c)
		if cls := refClass(c); cls != rInvisible {
			out = append(out, refRune{r: c, cls: cls})
		}
	}
	return out
}

// refFold folds text into its visible runes.
func refFold(text string) []refRune {
	var out []refRune
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if r == utf8.RuneError && n == 1 {
			out = append(out, refRune{r: -1, cls: rBreak, start: i, end: i + 1})
			i++
			continue
		}
		for _, f := range refFoldRune(r) {
			f.start, f.end = i, i+n
			out = append(out, f)
		}
		i += n
	}
	return out
}

func isWord(cls int) bool { return cls >= rWord }

type refWord struct {
	symbol []rune // a word made only of symbols: its folded runes, matched as written
	runes  []rune
	sep    []bool // sep[j]: a separator is required before runes[j]
	id     int    // word index, or -1 for an allow phrase
}

type refMatcher struct {
	words   []filter.Word
	entries []refWord
}

func refKey(text string) ([]rune, []bool, []int) {
	var rs []rune
	var sep []bool
	var cls []int
	pending := false
	for _, r := range text {
		for _, f := range refFoldRune(r) {
			if !isWord(f.cls) {
				pending = true
				continue
			}
			sep = append(sep, pending && len(rs) > 0)
			pending = false
			rs = append(rs, f.r)
			cls = append(cls, f.cls)
		}
	}
	return rs, sep, cls
}

func newRef(words []filter.Word, allow []string) *refMatcher {
	m := &refMatcher{}
	seen := map[string]int{}
	symbolOf := func(text string) []rune { // whitespace at either end left out
		var out []rune
		for _, f := range refFold(text) {
			out = append(out, f.r)
		}
		for len(out) > 0 && unicode.IsSpace(out[0]) {
			out = out[1:]
		}
		for len(out) > 0 && unicode.IsSpace(out[len(out)-1]) {
			out = out[:len(out)-1]
		}
		return out
	}
	for _, w := range words {
		rs, sep, _ := refKey(w.Text)
		var sym []rune
		if len(rs) == 0 {
			sym = symbolOf(w.Text)
		}
		k := sepKey(rs, sep) + "\x02" + string(sym)
		if id, ok := seen[k]; ok {
			if w.Action > m.words[id].Action {
				m.words[id] = w
			}
			continue
		}
		seen[k] = len(m.words)
		m.entries = append(m.entries, refWord{symbol: sym, runes: rs, sep: sep, id: len(m.words)})
		m.words = append(m.words, w)
	}
	for _, a := range allow {
		rs, sep, _ := refKey(a)
		var sym []rune
		if len(rs) == 0 {
			sym = symbolOf(a)
		}
		m.entries = append(m.entries, refWord{symbol: sym, runes: rs, sep: sep, id: -1})
	}
	return m
}

type refCand struct {
	id, start, end int
}

func (m *refMatcher) matches(text string) []filter.Match {
	fs := refFold(text)
	var w []int // indexes into fs of word runes
	for i, f := range fs {
		if isWord(f.cls) || f.cls == rBreak {
			w = append(w, i)
		}
	}
	// gap[k]: separators (distinct code points) before w[k] since w[k-1];
	// broken[k]: no word may span from w[k-1] to w[k].
	// clauseCJK[k]: clause punctuation between two CJK characters, which a
	// word may span only when it has three or more characters and such a
	// gap between every two of them.
	gap := make([]int, len(w))
	broken := make([]bool, len(w))
	clauseCJK := make([]bool, len(w))
	for k := 1; k < len(w); k++ {
		starts := map[int]bool{}
		clause := false
		for _, f := range fs[w[k-1]+1 : w[k]] {
			starts[f.start] = true
			clause = clause || f.cls == rClause
		}
		gap[k] = len(starts)
		broken[k] = gap[k] > 3
		clauseCJK[k] = clause && fs[w[k-1]].cls == rCJK && fs[w[k]].cls == rCJK
	}
	var cands, allows []refCand
	// Symbol words: the same folded runes, one after another (invisible
	// characters are not in fs), none a word character, anywhere.
	for i := range fs {
		for _, e := range m.entries {
			n := len(e.symbol)
			if n == 0 || i+n > len(fs) {
				continue
			}
			ok := true
			for j := range n {
				if f := fs[i+j]; isWord(f.cls) || f.cls == rBreak || f.r != e.symbol[j] {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			c := refCand{e.id, fs[i].start, fs[i+n-1].end}
			if e.id < 0 {
				allows = append(allows, c)
			} else {
				cands = append(cands, c)
			}
		}
	}
	for k := range w {
	entries:
		for _, e := range m.entries {
			n := len(e.runes)
			if n == 0 || k+n > len(w) {
				continue
			}
			clauseGaps := 0
			for j := range n {
				f := fs[w[k+j]]
				if f.cls == rBreak || f.r != e.runes[j] {
					continue entries
				}
				if j > 0 && (broken[k+j] || e.sep[j] && gap[k+j] == 0) {
					continue entries
				}
				if j > 0 && clauseCJK[k+j] {
					clauseGaps++
				}
			}
			if clauseGaps > 0 && (n < 3 || clauseGaps != n-1) {
				continue
			}
			first, last := w[k], w[k+n-1]
			if fs[first].cls == rLatin && first > 0 && fs[first-1].cls == rLatin {
				continue
			}
			if fs[last].cls == rLatin && last+1 < len(fs) && fs[last+1].cls == rLatin {
				continue
			}
			c := refCand{e.id, fs[first].start, fs[last].end}
			if e.id < 0 {
				allows = append(allows, c)
			} else {
				cands = append(cands, c)
			}
		}
	}
	cands = slices.DeleteFunc(cands, func(c refCand) bool {
		for _, a := range allows {
			if a.start <= c.start && c.end <= a.end {
				return true
			}
		}
		return false
	})
	slices.SortFunc(cands, func(x, y refCand) int {
		return cmp.Or(cmp.Compare(x.start, y.start), cmp.Compare(y.end, x.end),
			cmp.Compare(m.words[y.id].Action, m.words[x.id].Action), cmp.Compare(x.id, y.id))
	})
	var out []filter.Match
	last := 0
	for _, c := range cands {
		if c.start >= last {
			out = append(out, filter.Match{Word: c.id, Start: c.start, End: c.end})
			last = c.end
		}
	}
	return out
}

// refFilter masks like docs/matching.md says.
func (m *refMatcher) filter(text string, mask rune) filter.Result {
	ms := m.matches(text)
	return refResult(text, ms, mask, func(mt filter.Match) filter.Action { return m.words[mt.Word].Action })
}

// refResult is the Result of the matches ms of text as docs/matching.md
// says: the decision is the strongest action (actionOf gives each
// match's), and every match but a review one is masked, one mask
// character a code point. The references share it.
func refResult(text string, ms []filter.Match, mask rune, actionOf func(filter.Match) filter.Action) filter.Result {
	res := filter.Result{Text: text, Matches: ms}
	var b strings.Builder
	last := 0
	for _, mt := range ms {
		a := actionOf(mt)
		res.Decision = max(res.Decision, a)
		if a == filter.Review {
			continue
		}
		b.WriteString(text[last:mt.Start])
		b.WriteString(strings.Repeat(string(mask), utf8.RuneCountInString(text[mt.Start:mt.End])))
		last = mt.End
	}
	if last > 0 {
		b.WriteString(text[last:])
		res.Text = b.String()
	}
	return res
}

// sepKey is the key of a folded word for the references' duplicate
// checks: its runes, with a 0 byte where the word writes a separator.
func sepKey(rs []rune, sep []bool) string {
	var b strings.Builder
	for i, r := range rs {
		if sep[i] {
			b.WriteByte(0)
		}
		b.WriteRune(r)
	}
	return b.String()
}
