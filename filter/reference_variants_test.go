package filter_test

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/wordfilter/wordfilter/filter"
)

// This file extends the brute-force reference of reference_test.go with
// the variant readings of docs/matching.md ("Variant readings"): repeat,
// leet, lookalike and variants (pinyin is not specified yet and is never
// applied here). It is written from the text of that section, as a
// backtracking search over every way of reading the text's units as the
// letters of a word, and shares no table or function with the engine: its
// leet table is typed from the page, its look-alike table holds only the
// letters the contract names, and decorated Latin letters are found with
// x/text's NFD. Speed does not matter: texts of a few dozen units and
// dictionaries of a few words.
//
// Readings of the page that its text leaves open, as this reference
// takes them:
//   - a reading adds ways to read a text; it never takes one away: a
//     letter followed by a combining mark that NFC composes into a letter
//     the folder writes (n + U+0303 → ñ, when some word writes ñ) is read
//     as that letter under lookalike, and still as the plain letter, the
//     mark invisible, as section "Folding" says (so a word ano still
//     matches an + U+0303 + o exactly);
//   - "Latin letters or digits" (which words leet reads) are letters of the
//     Latin script, decorated ones included (coño is read by leet as c0ño),
//     and decimal digits; a "plain carrier that is a Latin letter" is a
//     text unit equal to the word's letter that is a Latin-script letter;
//   - a repeat is compared as a folded unit, with marks invisible: after a
//     carrier n + U+0303 read as ñ, a following n is a repeat;
//   - "the folder writes that letter": the letter occurs in the folded
//     letters of some word (any category), allow phrase, or variant form
//     (canonical or written);
//   - a variant form's own characters are read plainly (no leet, look-alike
//     or repeat inside a form), a form with a separator written in it needs
//     one in the text like a word, a form stands for its canonical form's
//     letters only where the word requires no separator between them, and a
//     form or canonical form with no letter or digit (a symbol form) is
//     ignored;
//   - repeats "touching" the first or last carrier form an unbroken run
//     from it (each touching the one before), invisible characters
//     between them allowed;
//   - separators are counted as code points, as in the plain reference;
//     a leet symbol not read as a letter counts as one;
//   - "then the smaller via": the smaller filter.Readings value;
//   - the boundary rule of a word is taken where the word's own first
//     (last) letter belongs to a script with spaces, whatever text unit
//     carries it ($hit takes it: the word's s does).

// refReadable are the readings this reference applies.
const refReadable = filter.ReadRepeat | filter.ReadLeet | filter.ReadLookalike | filter.ReadVariants

// refOpts are the options of newRefVariants, shaped like the fields of
// filter.Options they stand for.
type refOpts struct {
	// Policy is the folder's policy: the readings of the categories not in
	// Categories, and of the allow phrases.
	Policy filter.Policy
	// Categories replaces Policy for the words of the categories it names.
	Categories map[string]filter.Policy
	// Variants are the variant forms.
	Variants []filter.Variant
}

// options returns the filter.Options that o stands for.
func (o refOpts) options(allow []string) filter.Options {
	return filter.Options{Allow: allow, Policy: o.Policy, Categories: o.Categories, Variants: o.Variants}
}

// refLeet is the leet table of docs/matching.md: the unit and the letters
// it stands for.
var refLeet = map[rune]string{
	'0': "o", '1': "il", '3': "e", '4': "a", '5': "s", '7': "t", '8': "b", '9': "g",
	'@': "a", '$': "s", '!': "i", '|': "il", '+': "t",
}

// refForeign holds the letters of other scripts that the contract names as
// looking like a Latin letter: Cyrillic а с е о р х у і ј ѕ and Greek
// ο α ν ι (written as escapes so that no Latin letter slips in). Random
// texts use no other letter of those scripts that the confusables table
// maps to a Latin letter.
var refForeign = map[rune]rune{
	'\u0430': 'a', '\u0441': 'c', '\u0435': 'e', '\u043e': 'o', '\u0440': 'p',
	'\u0445': 'x', '\u0443': 'y', '\u0456': 'i', '\u0458': 'j', '\u0455': 's',
	'\u03bf': 'o', '\u03b1': 'a', '\u03bd': 'v', '\u03b9': 'i',
}

// refDecorated returns the plain letter that the folded Latin letter r
// decorates: its canonical decomposition without marks when that is one
// ASCII letter (é ü ñ ç ķ), or one of the decorative forms typed here
// (ƒ ɑ ı). Random texts use no other decorated letter.
func refDecorated(r rune) (rune, bool) {
	switch r {
	case 'ƒ':
		return 'f', true
	case 'ɑ':
		return 'a', true
	case 'ı':
		return 'i', true
	}
	if r < utf8.RuneSelf || !refLatinLetter(r) {
		return 0, false
	}
	var base []rune
	for _, c := range norm.NFD.String(string(r)) {
		if !unicode.Is(unicode.Mn, c) {
			base = append(base, c)
		}
	}
	if len(base) == 1 && base[0] < utf8.RuneSelf && unicode.IsLetter(base[0]) {
		return unicode.ToLower(base[0]), true
	}
	return 0, false
}

// refLatinLetter reports whether r is a letter of the Latin script.
func refLatinLetter(r rune) bool { return unicode.IsLetter(r) && unicode.Is(unicode.Latin, r) }

// refWordUnit reports whether a unit of class cls is a word character
// (an invalid byte is not).
func refWordUnit(cls int) bool { return cls == rWord || cls == rLatin || cls == rCJK }

// refUnit is one unit of a text: a visible folded character.
type refUnit struct {
	r          rune
	cls        int
	start, end int // byte span of the code point it came from
	// comp is the folded letter that NFC composes the code point with the
	// combining marks right after it, when it differs from r; else 0.
	comp rune
}

// refUnits folds text into its units (docs/matching.md: "The text is a
// sequence of units").
func refUnits(text string) []refUnit {
	var out []refUnit
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if r == utf8.RuneError && n == 1 {
			out = append(out, refUnit{r: -1, cls: rBreak, start: i, end: i + 1})
			i++
			continue
		}
		fs := refFoldRune(r)
		j := i + n // past the combining marks right after r
		for j < len(text) {
			c, k := utf8.DecodeRuneInString(text[j:])
			if !unicode.Is(unicode.Mn, c) {
				break
			}
			j += k
		}
		var comp rune
		if len(fs) == 1 && j > i+n {
			if c, _ := utf8.DecodeRuneInString(norm.NFC.String(text[i:j])); c != r {
				if cf := refFoldRune(c); len(cf) == 1 && cf[0].r != fs[0].r && unicode.IsLetter(cf[0].r) {
					comp = cf[0].r
				}
			}
		}
		for _, f := range fs {
			out = append(out, refUnit{r: f.r, cls: f.cls, start: i, end: i + n, comp: comp})
		}
		i += n
	}
	return out
}

// refVEntry is a distinct word or allow phrase.
type refVEntry struct {
	id      int    // word index, or -1 for an allow phrase
	symbol  []rune // a symbol word: matched as written, with no reading
	letters []rune // the folded letters L1…Ln
	sep     []bool // sep[j]: the word writes a separator before letters[j]
	reads   filter.Readings
	leetOK  bool // every letter is a Latin letter or a digit
}

// refVForm is one written variant form.
type refVForm struct {
	units []rune // its folded characters
	sep   []bool // a separator written before units[i]
	canon []rune // the letters of its canonical form
}

// refVariants is the reference matcher with readings.
type refVariants struct {
	words   []filter.Word
	opts    refOpts
	entries []refVEntry
	forms   []refVForm
	written map[rune]bool // the letters the folder writes
}

// newRefVariants builds the reference for words, allow phrases and opts.
// Words are merged as newRef merges them (the same ids and categories).
func newRefVariants(words []filter.Word, allow []string, opts refOpts) *refVariants {
	base := newRef(words, allow)
	rv := &refVariants{words: base.words, opts: opts, written: map[rune]bool{}}
	for _, e := range base.entries {
		ve := refVEntry{id: e.id, symbol: e.symbol, letters: e.runes, sep: e.sep}
		if e.id >= 0 {
			ve.reads = rv.policy(base.words[e.id].Category).Readings
		} else {
			ve.reads = opts.Policy.Readings
		}
		ve.reads &= refReadable
		ve.leetOK = len(e.runes) > 0
		for _, r := range e.runes {
			rv.written[r] = true
			if !refLatinLetter(r) && !unicode.IsDigit(r) {
				ve.leetOK = false
			}
		}
		rv.entries = append(rv.entries, ve)
	}
	for _, v := range opts.Variants {
		canon, _, _ := refKey(v.Canonical)
		for _, r := range canon {
			rv.written[r] = true
		}
		for _, f := range v.Forms {
			units, sep, _ := refKey(f)
			for _, r := range units {
				rv.written[r] = true
			}
			if len(units) > 0 && len(canon) > 0 {
				rv.forms = append(rv.forms, refVForm{units: units, sep: sep, canon: canon})
			}
		}
	}
	return rv
}

// policy returns the policy of category cat.
func (rv *refVariants) policy(cat string) filter.Policy {
	if p, ok := rv.opts.Categories[cat]; ok {
		return p
	}
	return rv.opts.Policy
}

// actionOf is what a match of word id through readings via does: the
// word's action, or Review when via holds a reading and the category's
// policy sends such matches to review (filter.Matcher.ActionOf).
func (rv *refVariants) actionOf(id int, via filter.Readings) filter.Action {
	a := rv.words[id].Action
	if via == 0 {
		return a
	}
	p := rv.policy(rv.words[id].Category)
	if via&filter.ReadPinyin != 0 {
		if p.PinyinReview {
			return filter.Review
		}
		return a
	}
	if p.VariantReview {
		return filter.Review
	}
	return a
}

// refVCand is one occurrence of a word (id >= 0) or allow phrase (-1).
type refVCand struct {
	id, start, end int
	via            filter.Readings
}

// refState is a point of the search for one word from one start unit.
type refState struct {
	p          int  // the next unit to read
	j          int  // the next letter of the word to find
	last       int  // the last unit of the match so far (carrier or repeat)
	lastRune   rune // the last unit of the last carrier: what a repeat equals
	carriers   int  // carriers so far, 2 standing for "2 or more"
	gapSeps    int  // separators (code points) since the last carrier
	sepStart   int  // start of the code point of the last separator counted
	runClause  bool // clause punctuation since the last unit of the match
	clauseGaps int  // separator runs with clause punctuation between CJK units
	via        filter.Readings
	plainLatin bool // a plain carrier that is a Latin letter
	needPlain  bool // a leet or foreign look-alike carrier
}

// refSearch finds the occurrences of one entry from one start unit.
type refSearch struct {
	rv   *refVariants
	u    []refUnit
	e    *refVEntry
	s    int
	seen map[refState]bool
	out  []refVCand
}

// walk explores every way to go on from st.
func (sr *refSearch) walk(st refState) {
	if sr.seen[st] {
		return
	}
	sr.seen[st] = true
	u, e := sr.u, sr.e
	if st.carriers == 0 {
		sr.carriers(st, st.p) // the match begins with its first carrier
		return
	}
	if st.j == len(e.letters) {
		// After the last carrier: the match may end here, or take in a
		// repeat touching it (or the repeat before).
		sr.record(st)
		if q := st.last + 1; e.reads.Has(filter.ReadRepeat) && q < len(u) && refReadableUnit(u[q].cls) && u[q].r == st.lastRune {
			nst := st
			nst.last, nst.p = q, q+1
			nst.via |= filter.ReadRepeat
			sr.walk(nst)
		}
		return
	}
	q := st.p
	if q >= len(u) {
		return
	}
	x := u[q]
	// The next carrier, here.
	if !e.sep[st.j] || st.gapSeps > 0 {
		sr.carriers(st, q)
	}
	// A repeat of the last carrier: touching it after the first carrier,
	// with separators allowed after the others.
	if e.reads.Has(filter.ReadRepeat) && refReadableUnit(x.cls) && x.r == st.lastRune && (st.carriers > 1 || q == st.last+1) &&
		!(st.runClause && u[st.last].cls == rCJK && x.cls == rCJK) {
		nst := st
		nst.last, nst.p = q, q+1
		nst.runClause = false
		nst.via |= filter.ReadRepeat
		sr.walk(nst)
	}
	// A separator.
	if x.cls == rSep || x.cls == rClause {
		nst := st
		nst.p = q + 1
		if x.start != st.sepStart {
			nst.gapSeps++
			nst.sepStart = x.start
		}
		nst.runClause = st.runClause || x.cls == rClause
		if nst.gapSeps <= 3 {
			sr.walk(nst)
		}
	}
}

// refReadableUnit reports whether a unit of class cls can be read at all (an
// invalid byte cannot).
func refReadableUnit(cls int) bool { return cls != rBreak }

// carriers tries every carrier of the next letters that begins at unit q.
func (sr *refSearch) carriers(st refState, q int) {
	u, e := sr.u, sr.e
	x := u[q]
	if x.cls == rBreak {
		return
	}
	letter := e.letters[st.j]
	clause := st.carriers > 0 && st.runClause && u[st.last].cls == rCJK && x.cls == rCJK
	next := func(end, letters int, via filter.Readings, plainLatin, needPlain bool) {
		nst := st
		nst.j += letters
		nst.last, nst.p = end, end+1
		nst.lastRune = u[end].r
		nst.carriers = min(st.carriers+1, 2)
		nst.gapSeps, nst.sepStart, nst.runClause = 0, -1, false
		nst.via |= via
		nst.plainLatin = st.plainLatin || plainLatin
		nst.needPlain = st.needPlain || needPlain
		if clause {
			nst.clauseGaps++
		}
		sr.walk(nst)
	}
	// plain: the letter itself
	if refWordUnit(x.cls) && x.r == letter {
		next(q, 1, 0, refLatinLetter(x.r), false)
	}
	// leet: a digit or symbol of the table, in a word of Latin letters
	// and digits
	if e.reads.Has(filter.ReadLeet) && e.leetOK && strings.ContainsRune(refLeet[x.r], letter) {
		next(q, 1, filter.ReadLeet, false, true)
	}
	if e.reads.Has(filter.ReadLookalike) {
		// a letter of another script that looks like a Latin letter
		if f, ok := refForeign[x.r]; ok && f == letter {
			next(q, 1, filter.ReadLookalike, false, true)
		}
		// a decorated Latin letter that the folder does not write
		if d, ok := refDecorated(x.r); ok && d == letter && !sr.rv.written[x.r] {
			next(q, 1, filter.ReadLookalike, false, false)
		}
		// a letter and marks that NFC composes into a letter the folder writes
		if x.comp != 0 && x.comp == letter && sr.rv.written[x.comp] {
			next(q, 1, filter.ReadLookalike, false, false)
		}
	}
	// variants: a written form standing for the next letters
	if e.reads.Has(filter.ReadVariants) {
		for i := range sr.rv.forms {
			f := &sr.rv.forms[i]
			if !sr.formFits(f, st.j) {
				continue
			}
			if end, ok := sr.form(f, q); ok {
				next(end, len(f.canon), filter.ReadVariants, false, false)
			}
		}
	}
}

// formFits reports whether f's canonical form is the word's letters from
// letter j on, with no separator written between them.
func (sr *refSearch) formFits(f *refVForm, j int) bool {
	e := sr.e
	if j+len(f.canon) > len(e.letters) || !slices.Equal(f.canon, e.letters[j:j+len(f.canon)]) {
		return false
	}
	return !slices.Contains(e.sep[j+1:j+len(f.canon)], true)
}

// form matches the written form f from unit q: its characters with up to
// 3 separators between them (at least 1 where the form writes one; no
// clause punctuation between two CJK characters), glued to no letter or
// digit of a spaced script at an end where it has one. It returns the
// last unit of the form.
func (sr *refSearch) form(f *refVForm, q int) (int, bool) {
	u := sr.u
	if !refWordUnit(u[q].cls) || u[q].r != f.units[0] {
		return 0, false
	}
	if refClass(f.units[0]) == rLatin && q > 0 && u[q-1].cls == rLatin {
		return 0, false
	}
	prev := q
	for i := 1; i < len(f.units); i++ {
		p, seps, sepStart, clause := prev+1, 0, -1, false
		for p < len(u) && (u[p].cls == rSep || u[p].cls == rClause) {
			if u[p].start != sepStart {
				seps++
				sepStart = u[p].start
			}
			clause = clause || u[p].cls == rClause
			p++
		}
		if p >= len(u) || seps > 3 || f.sep[i] && seps == 0 || !refWordUnit(u[p].cls) || u[p].r != f.units[i] ||
			clause && u[prev].cls == rCJK && u[p].cls == rCJK {
			return 0, false
		}
		prev = p
	}
	if refClass(f.units[len(f.units)-1]) == rLatin && prev+1 < len(u) && u[prev+1].cls == rLatin {
		return 0, false
	}
	return prev, true
}

// record checks a complete match and keeps it.
func (sr *refSearch) record(st refState) {
	u, e := sr.u, sr.e
	n := len(e.letters)
	if st.needPlain && !st.plainLatin {
		return // leet and foreign look-alikes need a plain Latin letter
	}
	// Clause punctuation between CJK units: only the clause exception of
	// an exact match of three or more characters, in every gap.
	if st.clauseGaps > 0 && (st.via != 0 || n < 3 || st.clauseGaps != n-1) {
		return
	}
	// The boundary rule, on the nearest visible units outside the match.
	if refClass(e.letters[0]) == rLatin && sr.s > 0 && u[sr.s-1].cls == rLatin {
		return
	}
	if refClass(e.letters[n-1]) == rLatin && st.last+1 < len(u) && u[st.last+1].cls == rLatin {
		return
	}
	sr.out = append(sr.out, refVCand{id: e.id, start: u[sr.s].start, end: u[st.last].end, via: st.via})
}

// candidates returns every occurrence of every word and allow phrase in
// the units u, whatever their overlaps.
func (rv *refVariants) candidates(u []refUnit) (cands, allows []refVCand) {
	add := func(c refVCand) {
		if c.id < 0 {
			allows = append(allows, c)
		} else {
			cands = append(cands, c)
		}
	}
	for i := range rv.entries {
		e := &rv.entries[i]
		if n := len(e.symbol); n > 0 {
			// A symbol word: its folded characters one after another, no
			// word character among them, no reading.
			for s := 0; s+n <= len(u); s++ {
				ok := true
				for j := range n {
					if x := u[s+j]; refWordUnit(x.cls) || x.cls == rBreak || x.r != e.symbol[j] {
						ok = false
						break
					}
				}
				if ok {
					add(refVCand{id: e.id, start: u[s].start, end: u[s+n-1].end})
				}
			}
			continue
		}
		for s := range u {
			sr := &refSearch{rv: rv, u: u, e: e, s: s, seen: map[refState]bool{}}
			sr.walk(refState{p: s, sepStart: -1})
			for _, c := range sr.out {
				add(c)
			}
		}
	}
	return cands, allows
}

// matches returns the matches of text: allow phrases remove the
// occurrences they cover, then leftmost-longest; on a tie of span no via
// first, then the stronger action (ActionOf), then the lower word id, then
// the smaller via.
func (rv *refVariants) matches(text string) []filter.Match {
	cands, allows := rv.candidates(refUnits(text))
	cands = slices.DeleteFunc(cands, func(c refVCand) bool {
		for _, a := range allows {
			if a.start <= c.start && c.end <= a.end {
				return true
			}
		}
		return false
	})
	slices.SortFunc(cands, func(x, y refVCand) int {
		return cmp.Or(cmp.Compare(x.start, y.start), cmp.Compare(y.end, x.end),
			cmp.Compare(min(x.via, 1), min(y.via, 1)),
			cmp.Compare(rv.actionOf(y.id, y.via), rv.actionOf(x.id, x.via)),
			cmp.Compare(x.id, y.id), cmp.Compare(x.via, y.via))
	})
	var out []filter.Match
	last := 0
	for _, c := range cands {
		if c.start >= last {
			out = append(out, filter.Match{Word: c.id, Start: c.start, End: c.end, Via: c.via})
			last = c.end
		}
	}
	return out
}

// filter masks like docs/matching.md says, with each match's action as
// ActionOf gives it.
func (rv *refVariants) filter(text string, mask rune) filter.Result {
	ms := rv.matches(text)
	return refResult(text, ms, mask, func(mt filter.Match) filter.Action { return rv.actionOf(mt.Word, mt.Via) })
}

// TestRefVariantsTables checks the reference's own tables against what
// docs/matching.md and the contract say of them.
func TestRefVariantsTables(t *testing.T) {
	for r, l := range refForeign {
		if !unicode.In(r, unicode.Cyrillic, unicode.Greek) || !unicode.IsLower(r) || l < 'a' || l > 'z' {
			t.Errorf("foreign look-alike %q → %q", r, l)
		}
		if f := refFoldRune(r); len(f) != 1 || f[0].r != r || f[0].cls != rLatin {
			t.Errorf("foreign look-alike %q does not fold to itself as a spaced letter", r)
		}
	}
	for _, c := range []struct {
		r    rune
		want rune
	}{{'é', 'e'}, {'ü', 'u'}, {'ñ', 'n'}, {'ç', 'c'}, {'ķ', 'k'}, {'ƒ', 'f'}, {'ɑ', 'a'}, {'ı', 'i'}, {'e', 0}, {'ж', 0}, {'ß', 0}, {'中', 0}} {
		got, ok := refDecorated(c.r)
		if !ok {
			got = 0
		}
		if got != c.want {
			t.Errorf("refDecorated(%q) = %q, want %q", c.r, got, c.want)
		}
	}
	u := refUnits("Con\u0303o ñ\u0301 N\u0303")
	if u[2].r != 'n' || u[2].comp != 'ñ' || u[3].comp != 0 || u[5].r != 'ñ' || u[5].comp != 0 || u[7].r != 'n' || u[7].comp != 'ñ' {
		t.Errorf("refUnits: %+v", u)
	}
}

// TestRefVariantsPlain checks that the reference with no reading is the
// plain reference of reference_test.go, on the random dictionaries and
// texts of differential_test.go and on this file's variant pieces.
func TestRefVariantsPlain(t *testing.T) {
	rounds := 400
	if testing.Short() || raceEnabled {
		rounds = 60
	}
	r := rand.New(rand.NewPCG(11, 12))
	for _, ps := range []struct {
		name   string
		pieces pieceSet
		maxLen int
		len    int
	}{{"mixed", mixedPieces, 4, 30}, {"latin", latinPieces, 6, 40}, {"symbols", symbolPieces, 4, 30}} {
		for range rounds {
			words, allow := ps.pieces.dict(r, ps.maxLen)
			ref := newRef(words, allow)
			rv := newRefVariants(words, allow, refOpts{})
			for range 5 {
				text := ps.pieces.text(r, r.IntN(ps.len))
				if got, want := rv.filter(text, '*'), ref.filter(text, '*'); !slices.Equal(got.Matches, want.Matches) ||
					got.Text != want.Text || got.Decision != want.Decision {
					t.Fatalf("%s: words %q allow %q text %q:\nreadings reference %v %q %v\nplain reference    %v %q %v",
						ps.name, words, allow, text, got.Decision, got.Text, got.Matches, want.Decision, want.Text, want.Matches)
				}
			}
		}
	}
	for range rounds {
		g := newVarGen(r)
		ref := newRef(g.words, g.allow)
		rv := newRefVariants(g.words, g.allow, refOpts{Variants: g.variants})
		for range 5 {
			text := g.text()
			if got, want := rv.filter(text, '*'), ref.filter(text, '*'); !slices.Equal(got.Matches, want.Matches) ||
				got.Text != want.Text || got.Decision != want.Decision {
				t.Fatalf("variant pieces: words %q allow %q text %q:\nreadings reference %v %q %v\nplain reference    %v %q %v",
					g.words, g.allow, text, got.Decision, got.Text, got.Matches, want.Decision, want.Text, want.Matches)
			}
		}
	}
}

// TestRefVariantsTable checks the reference against the semantic table of
// variants_cases_test.go under every combination of readings: the table
// pins the rules, this test pins that the reference follows them (it
// runs only the reference, so it passes whatever the engine does).
func TestRefVariantsTable(t *testing.T) {
	for _, c := range varCases {
		t.Run(c.name, func(t *testing.T) {
			for _, set := range c.settings() {
				words, allow, opts := c.compileArgs(set)
				rv := newRefVariants(words, allow, opts)
				if err := c.check(set, rv.filter(c.text, '*'), func(id int) filter.Word { return rv.words[id] }); err != nil {
					t.Fatalf("reference: %v", err)
				}
			}
		})
	}
}
