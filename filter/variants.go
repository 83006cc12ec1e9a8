package filter

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// This file holds the variant readings (readings.go, docs/matching.md
// "Variant readings") but pinyin: repeat, leet, lookalike and variants.
//
// The main scan reads the text only as folding reads it. Where it meets a
// trigger, a unit that some reading could read otherwise (a leet digit or
// symbol, a look-alike or decorated letter, the first character of a
// variant form, a repeat of the word character before, a combining mark
// that composes with the letter before), it starts walks of the trie from
// there: a variant match reads the units before its first non-plain one
// plainly, so it is on the suffix chain of the main thread's state (or
// starts at the trigger), and one walk per state of that chain, each
// required to read the trigger otherwise, finds every variant match whose
// first variant unit is the trigger. A walk is a depth-first search over
// the ways to read the units after it (goto only: its start is fixed), and
// it keeps, per start, only the best word candidate and the longest allow
// occurrence, which enter the scanner's candidate list like any other. Text
// without a trigger takes the main scan's paths unchanged.

// leetLetters gives the letters a leet character stands for (after
// folding): a digit or symbol read as a letter.
func leetLetters(r rune) string {
	switch r {
	case '0':
		return "o"
	case '1', '|':
		return "il"
	case '3':
		return "e"
	case '4', '@':
		return "a"
	case '5', '$':
		return "s"
	case '7', '+':
		return "t"
	case '8':
		return "b"
	case '9':
		return "g"
	case '!':
		return "i"
	}
	return ""
}

// sharedLookalikes is the look-alike table, built once (about 40 ms) when
// a Matcher first needs it.
var sharedLookalikes = sync.OnceValue(buildLookalikes)

// vform is one written form of a variant, compiled.
type vform struct {
	runes          []rune   // the folded word characters of the written form
	canon          []uint32 // the symbols of the canonical form's letters (all in some key)
	latinL, latinR bool     // the form starts (ends) with a letter or digit of a spaced script
}

// readingData is what a Matcher with variant readings holds for them.
type readingData struct {
	any     Readings         // every reading some entry takes
	look    *lookalikes      // nil without ReadLookalike
	forms   []vform          // the written forms of Options.Variants
	formAt  map[rune][]int32 // first rune of a written form → its indexes in forms
	compose bool             // some key holds a Latin letter with a diacritic: read combining marks
	// composeTo maps the canonical decomposition (NFD) of each such letter
	// to it: a letter followed by combining marks is read as the letter
	// they compose into by one lookup.
	composeTo map[string]rune
	letter    [128]uint32 // symbol of each ASCII letter (0 in no key)
	sepAt     [2]uint64   // bit i: some entry taking a reading writes a separator before its letter i
	// leetRepeat tells that every entry taking leet takes repeat too.
	leetRepeat bool
	// aheadUnits bounds the units (see scanner.letterAhead) from the
	// start of a match to any of its letters: each letter takes at most
	// the units of the longest written form, and the gap after it at
	// most maxGap separators with a run of repeats before, between and
	// after them.
	aheadUnits int
	leet       [128][2]uint32 // symbols of the letters each ASCII leet character stands for
}

// Trigger kinds, for scanner.trigger.
const (
	trigUnit   = iota // the unit at start may be read otherwise
	trigRepeat        // the unit at start repeats the word character before, and is no trigUnit
	trigMark          // a combining mark after the word character before
	// trigRunCopy: the unit at start is the third or a later touching copy
	// of a letter of no spaced script (which takes no boundary rule): the
	// walks from the second copy found the matches starting at or before
	// the first, but one starting at the copy before the trigger is needed
	// where a match chosen over those ends right before it (see endsAt).
	trigRunCopy
)

// tabTrig marks a Matcher.tab entry whose code point is a trigger; set
// only when the Matcher has variant readings.
const tabTrig = 1 << 30

// buildReadings sets up the variant readings after the automaton is
// built: entry readings, review bits, forms and the trigger marks in tab.
func (m *Matcher) buildReadings(opts Options) {
	pol := func(id int32) Policy {
		if p, ok := opts.Categories[m.words[id].Category]; ok {
			return p
		}
		return opts.Policy
	}
	rd := &readingData{leetRepeat: true}
	review := false
	for i := range m.entries {
		e := &m.entries[i]
		var p Policy
		if e.id < 0 {
			p = Policy{Readings: opts.Policy.Readings}
		} else {
			p = pol(e.id)
			review = review || p.VariantReview || p.PinyinReview
		}
		e.read = uint8(p.Readings & AllReadings)
		rd.any |= Readings(e.read) &^ ReadPinyin // pinyin.go reads pinyin
		if Readings(e.read)&(ReadLeet|ReadRepeat) == ReadLeet {
			rd.leetRepeat = false
		}
		if e.read != 0 {
			for _, at := range m.seps[e.sepOff : e.sepOff+int32(e.sepN)] {
				rd.sepAt[at/64] |= 1 << (at % 64)
			}
		}
	}
	if review {
		m.review = make([]uint8, len(m.words))
		for id := range m.words {
			p := pol(int32(id))
			if p.VariantReview {
				m.review[id] |= variantReviewBit
			}
			if p.PinyinReview {
				m.review[id] |= pinyinReviewBit
			}
		}
	}
	if rd.any == 0 {
		return
	}
	m.rd = rd
	m.repeat = rd.any&ReadRepeat != 0
	for c := 'a'; c <= 'z'; c++ {
		rd.letter[c] = m.symOf(c)
	}
	for c := range rune(utf8.RuneSelf) {
		for k, l := range []byte(leetLetters(c)) {
			rd.leet[c][k] = rd.letter[l]
		}
	}
	if rd.any&ReadLookalike != 0 {
		rd.look = sharedLookalikes()
		for r := range m.alpha {
			if r >= 0x80 && unicode.Is(unicode.Latin, r) {
				if d := norm.NFD.String(string(r)); d != string(r) {
					if rd.composeTo == nil {
						rd.composeTo = make(map[string]rune)
					}
					rd.composeTo[d] = r
				}
			}
		}
		rd.compose = rd.composeTo != nil
	}
	if rd.any&ReadVariants != 0 {
		m.compileForms(opts.Variants)
	}
	letter := 1 // units of one letter: a code point, or a written form with separators inside
	for _, f := range rd.forms {
		letter = max(letter, len(f.runes)+maxGap*(len(f.runes)-1))
	}
	rd.aheadUnits = int(m.maxLen)*(letter+2*maxGap+1) + 2 // (2 of slack: see letterAhead)
	// Mark the triggers in tab.
	n := m.norm
	for r := range m.tab {
		e := n.bmp[r]
		if e&expFlag != 0 {
			continue // an expansion: the slow path checks its runes
		}
		f := rune(e & runeMask)
		if m.isTrigRune(f) || (rd.compose && uint8(e>>runeBits) == clsInvisible && unicode.Is(unicode.Mn, rune(r))) {
			m.tab[r] |= tabTrig
		}
	}
	m.buildASCII()
}

// symOf returns the symbol of folded rune f, 0 when no key holds it.
func (m *Matcher) symOf(f rune) uint32 { return m.alpha[f] }

// isTrigRune reports whether the folded rune f may be read otherwise than
// as itself by a reading some entry takes.
func (m *Matcher) isTrigRune(f rune) bool {
	rd := m.rd
	if rd.any&ReadLeet != 0 && leetLetters(f) != "" {
		return true
	}
	if rd.look != nil {
		if _, ok := rd.look.foreign[f]; ok {
			return true
		}
		if _, ok := rd.look.decorated[f]; ok && m.symOf(f) == 0 {
			return true
		}
	}
	if rd.formAt != nil {
		if _, ok := rd.formAt[f]; ok {
			return true
		}
	}
	return false
}

// compileForms folds the written forms of vs; a form whose canonical form
// has a letter in no key can find nothing and is left out.
func (m *Matcher) compileForms(vs []Variant) {
	rd := m.rd
	var buf []frune
	fold := func(s string) []frune {
		buf = buf[:0]
		for _, r := range s {
			for _, f := range m.norm.appendFold(nil, r) {
				if isWordClass(f.cls) {
					buf = append(buf, f)
				}
			}
		}
		return buf
	}
	for _, v := range vs {
		var canon []uint32
		ok := true
		for _, f := range fold(v.Canonical) {
			s := m.symOf(f.r)
			if s == 0 {
				ok = false
				break
			}
			canon = append(canon, s)
		}
		if !ok || len(canon) == 0 {
			continue
		}
		for _, w := range v.Forms {
			fs := fold(w)
			if len(fs) == 0 {
				continue
			}
			vf := vform{canon: canon, latinL: fs[0].cls == clsLatin, latinR: fs[len(fs)-1].cls == clsLatin}
			for _, f := range fs {
				vf.runes = append(vf.runes, f.r)
			}
			if rd.formAt == nil {
				rd.formAt = make(map[rune][]int32)
			}
			rd.formAt[vf.runes[0]] = append(rd.formAt[vf.runes[0]], int32(len(rd.forms)))
			rd.forms = append(rd.forms, vf)
		}
	}
}

// vunit is one unit of the text as a walk reads it: a folded rune of a
// code point, or a run of touching copies of one code point (invisible
// code points between copies do not part them, as they part no letters
// of a word).
type vunit struct {
	r          rune   // the folded rune
	alt        rune   // the letter a combining mark composes it into (lookalike), or 0
	sym        uint32 // the symbol of r (0: in no key)
	start, end int    // byte span (of every copy: from the first one's start to the last one's end)
	size       int32  // bytes of one copy
	n          int32  // copies
	cls        uint8
	trig       bool // r may be read otherwise than as itself (leet, look-alike, form)
	gapped     bool // invisible code points stand between some copies: they are not size bytes apart
}

// copyEnd returns the end of copy k of unit u.
func (w *walker) copyEnd(u *vunit, k int) int {
	switch {
	case u.n == 1 || k == int(u.n)-1:
		return u.end
	case !u.gapped:
		return u.start + (k+1)*int(u.size)
	}
	return w.copyAt(u, k) + int(u.size)
}

// copyAt returns the start of copy k of the gapped unit u, reading the
// code points from the copy of u that copyAt found last (w.copyMemo), or
// back from u's last copy when that is nearer: walks read copies in
// order, from a run's first ones or its last few, so each call reads
// about as many code points as the copies it moves.
func (w *walker) copyAt(u *vunit, k int) int {
	cp := w.sc.text[u.start : u.start+int(u.size)]
	at, c := u.start, 0
	if m := &w.copyMemo; m.from == u.start && m.k <= k {
		at, c = m.at, m.k
	}
	if last := int(u.n) - 1; last-k < k-c {
		at, c = u.end-len(cp), last
		for ; c > k; c-- {
			at = w.prevCopy(at, cp)
		}
	}
	for ; c < k; c++ {
		at = w.nextCopy(at, cp)
	}
	w.copyMemo = copyMemo{from: u.start, k: k, at: at}
	return at
}

// copyOf returns the number of the copy of unit u that starts at byte i.
func (w *walker) copyOf(u *vunit, i int) int {
	switch {
	case i == u.start:
		return 0
	case !u.gapped:
		return (i - u.start) / int(u.size)
	}
	return w.copyIndex(u.start, int(u.size), i)
}

// copyIndex returns the number of the copy that starts at byte i in the
// gapped run of copies of size bytes from byte from on, reading on from
// w.copyMemo as copyAt does.
func (w *walker) copyIndex(from, size, i int) int {
	cp := w.sc.text[from : from+size]
	at, k := from, 0
	if m := &w.copyMemo; m.from == from && m.at <= i {
		at, k = m.at, m.k
	}
	for ; at < i; k++ {
		at = w.nextCopy(at, cp)
	}
	w.copyMemo = copyMemo{from: from, k: k, at: at}
	return k
}

// nextCopy returns the start of the copy cp after the one at byte at,
// past the invisible code points between them (the end of the text if
// none follows, which a unit's copies rule out).
func (w *walker) nextCopy(at int, cp string) int {
	text := w.sc.text
	for at += len(cp); at < len(text) && !strings.HasPrefix(text[at:], cp); {
		_, n := utf8.DecodeRuneInString(text[at:])
		at += n
	}
	return at
}

// prevCopy returns the start of the copy cp before the one at byte at,
// before the invisible code points between them (0 if none does, which a
// unit's copies rule out).
func (w *walker) prevCopy(at int, cp string) int {
	text := w.sc.text
	for at > 0 {
		_, n := utf8.DecodeLastRuneInString(text[:at])
		if at -= n; text[at:at+n] == cp {
			break
		}
	}
	return at
}

// wholeRun is a unit of several copies decoded whole (walker.run): its
// span, its copies, whether invisible code points stand between them, and
// the letter its copies' marks compose them into (vunit.alt).
type wholeRun struct {
	from, to, n int
	gapped      bool
	alt         rune
}

// keepRun remembers the unit u, a whole run, in w.run.
func (w *walker) keepRun(u *vunit) {
	w.run = wholeRun{from: u.start, to: u.end, n: int(u.n), gapped: u.gapped, alt: u.alt}
}

// copyMemo is the copy of a gapped unit that copyAt found last: copy k of
// the unit starting at byte from starts at byte at. Copies are a property
// of the text, so it holds whatever units are decoded again from the same
// start.
type copyMemo struct{ from, k, at int }

// Limits of the walks, so that no text costs more than a bounded amount
// of work a byte however its ambiguous characters are arranged: the
// units one trigger decodes, the steps of one walk (one start: a word of
// 20 letters with a few ambiguous characters takes well under 200), the
// steps of one trigger's walks, and the steps of one text: walkBase, and
// for each byte walkPerByte (the first walkRichBytes of the text) or
// walkLatePerByte (after them), granted as the scan passes the byte
// (scanner.accrue), so that a costly stretch cannot spend what the text
// after it is granted (about 4.1 million steps for 1 MiB, 0.3 s of one
// core). walkBase is 5 times what the costliest message of the shared
// chat corpora takes (1,633 steps), and small, so that a short text made
// to cost the walks the most costs about a millisecond a kilobyte. A text
// that needs more (thousands of ambiguous characters in a row under a
// dictionary whose words follow them) is read as far as they reach, and
// reported Incomplete: docs/matching.md states the limits.
const (
	maxWalkUnits    = 1 << 14
	maxWalkSteps    = 1 << 11
	maxTriggerWork  = 1 << 14
	walkBase        = 1 << 13
	walkPerByte     = 32
	walkRichBytes   = 1 << 16
	walkLatePerByte = 2
)

// accrue grants the walks the steps of the bytes of the text before byte
// at that it has not granted yet (see walkBase).
func (sc *scanner) accrue(at int) {
	if from := sc.walkPaid; at > from {
		sc.walkBudget += grantOf(at) - grantOf(from)
		sc.walkPaid = at
	}
}

// grantOf is the steps the first n bytes of a text grant its walks,
// besides walkBase.
func grantOf(n int) int {
	rich := min(n, walkRichBytes)
	return rich*walkPerByte + (n-rich)*walkLatePerByte
}

// walkSpent returns the steps the walks of the text have taken so far.
func (sc *scanner) walkSpent() int {
	return walkBase + grantOf(sc.walkPaid) - sc.walkBudget
}

// walker is the working state of the walks from one trigger.
type walker struct {
	sc    *scanner
	units []vunit // decoded from the trigger on
	next  int     // byte offset of the next code point to decode
	steps int
	trigJ int // the unit every walk must read otherwise
	trigK int // its copy
	// beforeLatin tells that the visible unit before the first one is a
	// letter or digit of a spaced script.
	beforeLatin bool
	walkSteps   int // steps of the current walk
	// run is the last run of touching copies of one code point decoded
	// whole in this text (so a trigger inside it need not decode it
	// again).
	run      wholeRun
	copyMemo copyMemo             // see copyAt
	nfc      []byte               // scratch of composed
	seen     map[memoKey]struct{} // the points a long walk has been at
	frame    walkFrame
	best     cand // best word candidate of the frame (entry -1: none)
	bestA    cand // longest allow occurrence of the frame (entry -1: none)
	bestAc   Action
}

// walkFrame is what one walk knows of the units before the trigger.
type walkFrame struct {
	start  int  // byte offset where the match starts
	leftOK bool // the unit before start is no letter or digit of a spaced script
	// pre letters were read plainly before the trigger, at ring
	// positions ring+1 ... ring+pre (for their gaps and plainness).
	pre, ring int
	plainPre  int8 // -1 unknown, 0 no, 1 some pre letter is a Latin letter
}

// vpath is one point of a walk.
type vpath struct {
	t        int32 // trie state
	d        int   // letters read
	j, k     int   // the next unit and copy
	gap      int   // separators since the last carrier
	clause   bool  // the gap holds clause punctuation
	touch    bool  // nothing visible since the last carrier or absorbed repeat
	last     rune  // the last unit of the last carrier (for repeats)
	lastCJK  bool
	carriers int
	via      Readings
	tailOK   bool      // every repeat absorbed since the last carrier touches it
	plain    bool      // a plain carrier after the trigger is a Latin letter
	foreign  bool      // a foreign look-alike was read
	end      int       // end of the last carrier or absorbed repeat
	gb       [2]uint64 // bit i: a separator came before the carrier of letter i
}

// setGap records whether a separator came before letter i.
func (p *vpath) setGap(i int, gap bool) {
	if gap {
		p.gb[i/64] |= 1 << (i % 64)
	} else {
		p.gb[i/64] &^= 1 << (i % 64)
	}
}

// memoKey is a point of a walk: two ways of reading that reach the same one
// find the same matches from there on.
type memoKey struct {
	j, k, end int
	t         int32
	last      rune
	gap       int
	via       Readings
	flags     uint8
	gb        [2]uint64
}

// memoAfter is the number of steps after which a walk remembers where it
// has been: most walks end long before, and those that go on (runs of
// ambiguous characters) then take each point once.
const memoAfter = 64

// visited reports whether the walk has been at p before, once it is long.
func (w *walker) visited(p *vpath) bool {
	w.sc.walkBudget--
	if w.walkSteps++; w.walkSteps < memoAfter {
		return false
	}
	var f uint8
	for i, b := range [...]bool{p.touch, p.tailOK, p.clause, p.lastCJK, p.plain, p.foreign, p.carriers > 1} {
		if b {
			f |= 1 << i
		}
	}
	k := memoKey{j: p.j, k: p.k, end: p.end, t: p.t, last: p.last, gap: p.gap, via: p.via, flags: f}
	// Only where some word writes a separator does the gap matter.
	k.gb = [2]uint64{p.gb[0] & w.sc.m.rd.sepAt[0], p.gb[1] & w.sc.m.rd.sepAt[1]}
	if w.seen == nil {
		w.seen = make(map[memoKey]struct{})
	}
	if _, ok := w.seen[k]; ok {
		return true
	}
	w.seen[k] = struct{}{}
	return false
}

// unit returns unit j, decoding as needed; nil past the text (or the
// limit).
// A unit is final (its copies all counted) once the one after it is
// decoded, or the text has ended.
func (w *walker) unit(j int) *vunit {
	for j+1 >= len(w.units) && w.next < len(w.sc.text) {
		if len(w.units) >= maxWalkUnits {
			w.sc.incomplete = true
			break
		}
		w.decode()
	}
	if j >= len(w.units) {
		return nil
	}
	return &w.units[j]
}

// decode appends the units of the code point at w.next.
func (w *walker) decode() {
	sc := w.sc
	m := sc.m
	text := sc.text
	i := w.next
	var r rune
	size := 1
	if c := text[i]; c < utf8.RuneSelf {
		r = rune(c)
	} else {
		r, size = utf8.DecodeRuneInString(text[i:])
		if r == utf8.RuneError && size == 1 {
			w.next = i + 1
			w.units = append(w.units, vunit{r: -1, start: i, end: i + 1, size: 1, n: 1, cls: clsBreak})
			return
		}
	}
	w.next = i + size
	var f frune
	var sym uint32
	var trig bool
	if e := m.norm.lookup(r); e&expFlag == 0 {
		f = frune{rune(e & runeMask), uint8(e >> runeBits)}
		if f.cls == clsInvisible {
			return
		}
		if r < 0x10000 {
			t := m.tab[r]
			sym, trig = t&tabSymMask, t&tabTrig != 0
		} else {
			sym, trig = m.symOf(f.r), m.isTrigRune(f.r)
		}
	} else {
		// A code point that folds to several runes: one unit each.
		for _, f := range m.norm.exp[e&^expFlag] {
			w.units = append(w.units, vunit{r: f.r, sym: m.symOf(f.r), trig: m.isTrigRune(f.r),
				start: i, end: i + size, size: int32(size), n: 1, cls: f.cls})
		}
		return
	}
	if n := len(w.units); n > 0 {
		// A touching copy of the code point before? Only invisible code
		// points, which make no unit, may stand between u.end and i, and
		// the combining marks after it must compose it into the same
		// letter as those after the others (or none).
		if u := &w.units[n-1]; int(u.size) == size && u.r == f.r &&
			(u.gapped || u.end-int(u.n)*size == u.start) && text[u.end-size:u.end] == text[i:i+size] &&
			w.composedAt(f.r, w.next) == u.alt {
			u.gapped = u.gapped || u.end != i
			u.n++
			u.end = i + size
			if w.next == len(text) {
				w.keepRun(u) // a whole run, at the end of the text
			}
			return
		}
	}
	if n := len(w.units); n > 0 && w.units[n-1].n > 1 {
		// The unit before is a whole run: remember it for the next
		// triggers inside it.
		w.keepRun(&w.units[n-1])
	}
	w.units = append(w.units, vunit{r: f.r, sym: sym, trig: trig, start: i, end: i + size, size: int32(size), n: 1, cls: f.cls})
	if r := &w.run; r.from <= i && i < r.to && text[r.from:r.from+size] == text[i:i+size] &&
		(r.gapped || (i-r.from)%size == 0) {
		// Inside a run decoded before: take the rest of it at once.
		u := &w.units[len(w.units)-1]
		if r.gapped {
			// Which copy starts here (decode starts at code points, and
			// only copies and invisible ones lie inside the run).
			k := w.copyIndex(r.from, size, i)
			u.n, u.gapped = int32(r.n-k), r.n-k > 1
		} else {
			u.n = int32((r.to - i) / size)
		}
		u.end = r.to
		u.alt, u.trig = r.alt, u.trig || r.alt != 0
		w.next = r.to
		return
	}
	if m.rd.compose {
		w.maybeCompose(&w.units[len(w.units)-1])
	}
}

// maybeCompose reads the combining marks after the word unit u: when they
// compose with its letter into one letter some key holds, that letter
// becomes u's alternative reading (lookalike).
func (w *walker) maybeCompose(u *vunit) {
	if !isWordClass(u.cls) || u.n != 1 {
		return
	}
	if r := w.composedAt(u.r, w.next); r != 0 {
		// (The marks stay outside the unit: they are invisible, and a
		// match ends at its last character, as in section 3.)
		u.alt = r
		u.trig = true
	}
}

// composedAt returns the letter some key holds that the folded letter
// base composes into with the most of the combining marks from byte j on
// that compose with it into one (the rest are left over, invisible), or
// 0: always 0 where no mark starts at j.
func (w *walker) composedAt(base rune, j int) rune {
	text := w.sc.text
	if !w.sc.m.rd.compose || j >= len(text) || text[j] < 0xCC {
		return 0 // no combining mark follows (they start at U+0300)
	}
	end := j
	for end < len(text) {
		r, n := utf8.DecodeRuneInString(text[end:])
		if !unicode.Is(unicode.Mn, r) {
			break
		}
		end += n
	}
	r := rune(0)
	for k := end; k > j && r == 0; {
		if r = w.composed(base, text[j:k]); r == 0 {
			_, n := utf8.DecodeLastRuneInString(text[j:k])
			k -= n
		}
	}
	return r
}

// trigger runs the walks from the unit at byte start (kind trigUnit), or
// from the word character before a combining mark (trigMark), and adds
// their candidates.
func (sc *scanner) trigger(kind int, start int) {
	m := sc.m
	if m.rd == nil || m.maxLen == 0 {
		return
	}
	sc.accrue(start)
	if !sc.worthWalking(kind, start) {
		return
	}
	if kind == trigRunCopy && (m.auto.child(0, sc.lastSym) == 0 ||
		!sc.endsAt(sc.starts[(sc.pos-1)&(ringSize-1)], sc.starts[sc.pos&(ringSize-1)])) {
		return // no key starts with the letter, or no match needs to start at the copy before
	}
	w := sc.walker()
	defer func() { sc.w = w }()
	if kind == trigMark {
		// The letter the mark follows is ring position pos; matches
		// holding it start at most maxLen-1 letters earlier. Each such
		// start is walked from the root, plainly up to the letter.
		if sc.pos == 0 || !sc.composes(w, start) {
			return
		}
		first := max(1, sc.pos-int(m.maxLen)+1)
		w.reset(sc.starts[first&(ringSize-1)])
		w.beforeLatin = sc.info[first&(ringSize-1)]&infoLeftLatin != 0
		letter := sc.starts[sc.pos&(ringSize-1)]
		w.trigJ = -1
		for j := 0; ; j++ {
			u := w.unit(j)
			if u == nil {
				return
			}
			if u.start == letter || u.n > 1 && u.start < letter && letter < u.end {
				// The letter is a unit, or a copy of a run: walks start
				// at units only, as a match starting at a later copy of
				// a run of Latin letters (marks compose Latin letters
				// only) is glued to the copy before it.
				w.trigJ, w.trigK = j, w.copyOf(u, letter)
				break
			}
		}
		for p := first; p <= sc.pos; p++ {
			st := sc.starts[p&(ringSize-1)]
			for j := 0; j <= w.trigJ; j++ {
				if w.units[j].start == st && isWordClass(w.units[j].cls) {
					w.frame = walkFrame{start: st, leftOK: sc.info[p&(ringSize-1)]&infoLeftLatin == 0, plainPre: 0}
					w.walkFrom(vpath{j: j, touch: true, end: st})
					break
				}
			}
		}
		return
	}
	w.reset(start)
	w.trigJ, w.trigK = 0, 0
	w.beforeLatin = sc.lastLatin
	if prev := sc.thirdCopy(start); kind == trigUnit && (prev < 0 || sc.endsAt(prev, start)) && w.mayStart(0, !sc.lastLatin) {
		// The root: a match starting at the trigger. (A repeat alone
		// starts none: it is absorbed after a carrier.)
		w.frame = walkFrame{start: start, leftOK: !sc.lastLatin, plainPre: 0}
		w.walkFrom(vpath{touch: true, end: start})
	}
	// The suffix chain of the main thread's state: matches that read
	// some letters plainly before the trigger.
	gapOK := sc.gap <= maxGap
	if !gapOK {
		return
	}
	last, lastCJK, lastEnd := rune(0), sc.prevCJK, 0
	for t := sc.state; t > 0; t = m.auto.states[t].fail {
		d := int(m.auto.depth[t])
		if d == 0 || d > sc.pos {
			continue
		}
		if last == 0 {
			last, lastEnd = sc.lastRune()
		}
		if kind == trigRunCopy && d != 1 {
			// Only the state of the copy before: a match starting
			// further back in the run was walked at the copy after its
			// first, which reads the copies between as letters or
			// repeats alike.
			continue
		}
		p := sc.pos - d + 1
		if kind != trigUnit && !w.mayAbsorb(t, d) || kind == trigUnit && !w.mayStart(t, true) && !w.mayAbsorb(t, d) {
			continue
		}
		w.frame = walkFrame{start: sc.starts[p&(ringSize-1)], leftOK: sc.info[p&(ringSize-1)]&infoLeftLatin == 0,
			pre: d, ring: p - 1, plainPre: -1}
		w.walkFrom(vpath{t: t, d: d, gap: sc.gap, clause: sc.gapClause, touch: sc.gap == 0, last: last,
			lastCJK: lastCJK, carriers: d, end: lastEnd, tailOK: true})
	}
}

// worthWalking is a cheap look, before the walker is set up, at whether
// the walks of a trigger at byte start may find anything; it answers no
// only where trigger's own checks (mayStart, mayAbsorb) would rule out
// every walk. A leet character (ASCII, beginning no variant form, no mark
// after it) must stand for a letter that goes on from the root (with a
// plain letter ahead, see letterAhead) or from a state of the main
// thread's suffix chain, or such a state must end a key; a repeat needs a
// state of the chain that ends a key or goes on with the next code point
// after the touching copies, or with a further copy. Anything else (a
// look-alike, a variant form, a combining mark, a repeat followed by a
// trigger, a separator or what the table does not cover) is walked.
func (sc *scanner) worthWalking(kind int, start int) bool {
	m := sc.m
	rd := m.rd
	text := sc.text
	switch kind {
	case trigUnit:
		// The code point folds to one ASCII leet character (full-width
		// ones too), and no combining mark follows it.
		r, n := utf8.DecodeRuneInString(text[start:])
		f := r
		if r >= utf8.RuneSelf {
			if r >= 0x10000 || m.tab[r]&tabSlow != 0 {
				return true
			}
			f = rune(m.norm.bmp[r] & runeMask)
		}
		if f >= utf8.RuneSelf || rd.any&ReadLeet == 0 || rd.leet[f][0] == 0 {
			return true
		}
		if _, ok := rd.formAt[f]; ok {
			return true
		}
		if end := start + n; end < len(text) && text[end] >= utf8.RuneSelf {
			r2, _ := utf8.DecodeRuneInString(text[end:])
			if e := m.norm.lookup(r2); e&expFlag != 0 || uint8(e>>runeBits) == clsInvisible {
				return true // a mark may compose with it
			}
		}
		ls := &rd.leet[f]
		if sc.pos > 0 {
			if last, _ := sc.lastRune(); last == f && sc.repeatGoesOn(start) {
				return true // a repeat of the character before: a walk may absorb it
			}
		}
		a := &m.auto
		if !sc.lastLatin && (a.child(0, ls[0]) != 0 || ls[1] != 0 && a.child(0, ls[1]) != 0) && sc.letterAhead(text, start+n-1) {
			return true
		}
		return sc.chainGoesOn(ls[0], ls[1], 1)
	case trigRepeat:
		return sc.repeatGoesOn(start)
	}
	return true
}

// maxLookCopies bounds the copies repeatGoesOn looks past.
const maxLookCopies = 16

// repeatGoesOn tells, for worthWalking, whether a walk may absorb the
// repeat in the code point at byte start of the word character before:
// whether a state of the chain ends a key or goes on with the first code
// point after it that is no further copy (of the same symbol, touching),
// or with a further copy. Each code point looked at must be a word
// character the table covers and no trigger, within maxLookCopies copies,
// else it answers yes.
func (sc *scanner) repeatGoesOn(start int) bool {
	m := sc.m
	text := sc.text
	r0, n := utf8.DecodeRuneInString(text[start:])
	if r0 >= 0x10000 || m.tab[r0]&tabSlow != 0 {
		return true // it folds to several runes: a further copy may be one of them
	}
	var next, again uint32
	for j, copies := start+n, 0; j < len(text); copies++ {
		r, n := utf8.DecodeRuneInString(text[j:])
		if r >= 0x10000 || copies > maxLookCopies {
			return true // (a long run: the walks read it once, walker.run)
		}
		e := m.tab[r]
		if e&(tabSlow|tabTrig) != 0 || !isWordClass(uint8(e>>tabClsShift)) {
			return true
		}
		if next = e & tabSymMask; next != sc.lastSym {
			break
		}
		next, again, j = 0, sc.lastSym, j+n // a further copy
	}
	minDepth := 1
	if sc.gap > 0 {
		minDepth = 2 // the first carrier's repeats must touch it
	}
	return sc.chainGoesOn(next, again, minDepth)
}

// chainGoesOn reports whether a state of the main thread's suffix chain
// that a walk may start from (at least minDepth symbols deep, within the
// word characters read) ends a key or has a child by symbol x or y (0:
// none).
func (sc *scanner) chainGoesOn(x, y uint32, minDepth int) bool {
	if sc.gap > maxGap {
		return false
	}
	a := &sc.m.auto
	for t := sc.state; t > 0; t = a.states[t].fail {
		d := int(a.depth[t])
		if d < minDepth || d > sc.pos {
			continue
		}
		if a.states[t].term == t || x != 0 && a.child(t, x) != 0 || y != 0 && a.child(t, y) != 0 {
			return true
		}
	}
	return false
}

// mayStart tells whether the trigger unit, read otherwise than plainly,
// may follow state t: a leet letter or look-alike it stands for goes on
// from t, or it may begin a variant form. leftOK is false when a match
// starting here is glued on its left: every letter a leet character or a
// look-alike stands for is Latin, and takes the boundary rule.
func (w *walker) mayStart(t int32, leftOK bool) bool {
	u := w.unit(0)
	if u == nil {
		return false
	}
	rd := w.sc.m.rd
	if rd.formAt != nil {
		if _, ok := rd.formAt[u.r]; ok {
			return true
		}
	}
	if !leftOK {
		return false
	}
	a := &w.sc.m.auto
	// try tells whether reading the trigger as the letter of symbol s
	// goes on from t: a key ends there, or the next unit may follow.
	try := func(s uint32) bool {
		if s == 0 {
			return false
		}
		t2 := a.child(t, s)
		return t2 != 0 && (a.states[t2].term == t2 || w.goesOn(t2, u))
	}
	if rd.any&ReadLeet != 0 && u.r < utf8.RuneSelf && (t != 0 || w.sc.letterAhead(w.sc.text, u.start+int(u.size)-1)) {
		// (From the root a match must read a plain letter later on.)
		if l := &rd.leet[u.r]; try(l[0]) || try(l[1]) {
			return true
		}
	}
	if rd.look != nil && u.r >= utf8.RuneSelf {
		if c, ok := rd.look.foreign[u.r]; ok && try(rd.letter[c]) {
			return true
		}
		if c, ok := rd.look.decorated[u.r]; ok && u.sym == 0 && try(rd.letter[c]) {
			return true
		}
	}
	return u.alt != 0 && try(w.sc.m.symOf(u.alt))
}

// goesOn tells whether a walk at state t, having read the first copy of
// the trigger unit u, may go on: the unit after it (past at most 3
// separators) is one some reading may read otherwise, a repeat, or a
// letter that follows t in the trie.
func (w *walker) goesOn(t int32, u *vunit) bool {
	if u.n > 1 {
		return true // a copy of the trigger: a repeat, or read otherwise
	}
	a := &w.sc.m.auto
	for j, seps := 1, 0; ; j++ {
		v := w.unit(j)
		switch {
		case v == nil || v.cls == clsBreak:
			return false
		case v.trig || v.r == u.r:
			return true
		case isWordClass(v.cls):
			return v.sym != 0 && a.child(t, v.sym) != 0
		}
		if seps += int(v.n); seps > maxGap {
			return false
		}
	}
}

// mayAbsorb tells whether a walk from state t (depth d) that absorbs the
// repeat at the trigger can find anything: a key ends at t (the match then
// ends after the run), or one goes on from t with the unit after the run
// (the run's next copy, or the next word unit after at most 3 separators).
// A trigger unit, a separator that is one, or a repeat after separators
// may start other readings: those are walked.
func (w *walker) mayAbsorb(t int32, d int) bool {
	sc := w.sc
	a := &sc.m.auto
	if d == 1 && sc.gap > 0 {
		return false // the first carrier's repeats must touch
	}
	if a.states[t].term == t {
		return true
	}
	u := w.unit(0)
	if u == nil {
		return false
	}
	if u.n > 1 && a.child(t, u.sym) != 0 {
		return true
	}
	for j, seps := 1, 0; ; j++ {
		v := w.unit(j)
		switch {
		case v == nil:
			return false
		case v.trig || v.r == u.r:
			return true
		case isWordClass(v.cls):
			return v.sym != 0 && a.child(t, v.sym) != 0
		case v.cls == clsBreak:
			return false
		}
		if seps += int(v.n); seps > maxGap {
			return false
		}
	}
}

// maxEndsScan is the most candidates endsAt looks at; past them it
// answers yes (the walks are then bounded by the budgets alone).
const maxEndsScan = 64

// endsAt reports whether a word candidate found so far, or the last match
// chosen, starts before byte from and ends after it, at or before byte to.
// Inside a run of touching copies of one unit the walks start from its
// first copies only (see thirdCopy and trigRunCopy): a match starting at a
// later copy is the same match with fewer leading repeats, and is chosen
// only where one that overlaps the earlier starts ends right before that
// copy: from is the start of the copy before it, to its own start. (One
// ending at an earlier copy made the walks start there.)
func (sc *scanner) endsAt(from, to int) bool {
	if from < sc.last && sc.last <= to {
		return true
	}
	if sc.scr == nil {
		return false
	}
	cs := sc.scr.cands
	for i := len(cs) - 1; i >= 0; i-- {
		if len(cs)-i > maxEndsScan {
			return true
		}
		if c := &cs[i]; c.start < from && from < c.end && c.end <= to && sc.m.entries[c.entry].id >= 0 {
			return true
		}
	}
	return false
}

// thirdCopy returns, where the code point at start is the third (or a
// later) touching copy of one leet symbol, the start of the copy before
// it; otherwise -1. Invisible code points between copies do not part
// them. A match starting at such a copy is also one starting at the
// second copy, which reads the copies between as repeats of its first
// letter with the same neighbour on its left (the first copy, a
// separator), so that walk finds it, ending as far. This holds when every
// word that takes leet takes repeat too. That match is chosen unless one
// chosen before overlaps it: where that one ends right before the copy
// (endsAt from the copy before), the copy is walked after all.
func (sc *scanner) thirdCopy(start int) int {
	t := sc.text
	c := t[start]
	if !sc.m.rd.leetRepeat || c >= utf8.RuneSelf || c >= '0' && c <= '9' {
		return -1 // not a symbol (digits are letters, and glued)
	}
	prev := sc.copyBefore(start, c)
	if prev < 0 || sc.copyBefore(prev, c) < 0 {
		return -1
	}
	return prev
}

// copyBefore returns the start of the visible code point before byte at
// when it is the ASCII character c, with only invisible code points
// between; otherwise -1.
func (sc *scanner) copyBefore(at int, c byte) int {
	t := sc.text
	for at > 0 {
		switch b := t[at-1]; {
		case b == c:
			return at - 1
		case b < utf8.RuneSelf:
			return -1
		}
		r, n := utf8.DecodeLastRuneInString(t[:at])
		if e := sc.m.norm.lookup(r); r == utf8.RuneError || e&expFlag != 0 || uint8(e>>runeBits) != clsInvisible {
			return -1
		}
		at -= n
	}
	return -1
}

// composes reports (with w's scratch) whether the combining mark at byte start composes
// with the letter before it (and the marks between) into one letter that
// some key holds: only then can the walks read anything new.
func (sc *scanner) composes(w *walker, start int) bool {
	letter := sc.starts[sc.pos&(ringSize-1)]
	r, n := utf8.DecodeRuneInString(sc.text[letter:])
	_, mn := utf8.DecodeRuneInString(sc.text[start:])
	var buf [4]frune
	fs := sc.m.norm.appendFold(buf[:0], r)
	return len(fs) == 1 && w.composed(fs[0].r, sc.text[letter+n:start+mn]) != 0
}

// composed returns the letter some key holds that the folded letter base
// followed by the combining marks marks composes into (NFC, the marks in
// canonical order), or 0.
func (w *walker) composed(base rune, marks string) rune {
	w.nfc = append(utf8.AppendRune(w.nfc[:0], base), marks...)
	return w.sc.m.rd.composeTo[string(w.nfc)]
}

// lastRune returns the folded rune of the last word character read (the
// last one of its code point) and the end of its code point.
func (sc *scanner) lastRune() (rune, int) {
	st := sc.starts[sc.pos&(ringSize-1)]
	r, n := utf8.DecodeRuneInString(sc.text[st:])
	var buf [4]frune
	fs := sc.m.norm.appendFold(buf[:0], r)
	for j := len(fs) - 1; j >= 0; j-- {
		if isWordClass(fs[j].cls) {
			return fs[j].r, st + n
		}
	}
	return -1, st + n
}

// walker returns the scanner's walker.
func (sc *scanner) walker() *walker {
	w := sc.w
	if w == nil {
		w = new(walker)
	}
	sc.w = nil
	w.sc = sc
	return w
}

// reset starts the walker's units at byte offset at.
func (w *walker) reset(at int) {
	w.units = w.units[:0]
	w.next = at
	w.steps = 0
}

// walkFrom runs one walk from p and adds its best candidates.
func (w *walker) walkFrom(p vpath) {
	w.best, w.bestA = cand{entry: -1}, cand{entry: -1}
	if w.walkSteps >= memoAfter {
		clear(w.seen)
	}
	w.walkSteps = 0
	w.search(p)
	if w.best.entry >= 0 {
		w.sc.addCand(w.best)
	}
	if w.bestA.entry >= 0 {
		w.sc.addCand(w.bestA)
	}
}

// search explores every way to read on from p.
func (w *walker) search(p vpath) {
	if w.steps++; w.steps > maxTriggerWork || w.walkSteps >= maxWalkSteps || w.sc.walkBudget <= 0 {
		w.sc.incomplete = true // a limit, not the end of the ways to read on
		return
	}
	if w.visited(&p) {
		return
	}
	u := w.unit(p.j)
	if u == nil {
		return
	}
	m := w.sc.m
	rd := m.rd
	atTrig := p.j == w.trigJ && p.k == w.trigK
	beforeTrig := w.trigJ >= 0 && (p.j < w.trigJ || p.j == w.trigJ && p.k < w.trigK)
	nextPos := func(q *vpath) {
		if q.k+1 < int(u.n) {
			q.k++
		} else {
			q.j, q.k = q.j+1, 0
		}
	}
	cend := w.copyEnd(u, p.k)
	if u.cls == clsBreak {
		return
	}
	// A repeat of the last carrier's last unit, absorbed.
	if p.d > 0 && rd.any&ReadRepeat != 0 && u.r == p.last && !beforeTrig && (p.touch || p.carriers > 1) &&
		!(p.clause && p.lastCJK && u.cls == clsCJK) {
		q := p
		q.clause = false // clause punctuation counts between units of the match
		q.via |= ReadRepeat
		q.tailOK = p.tailOK && p.touch
		q.touch = true
		if (atTrig || !isWordClass(u.cls)) && u.n > 1 {
			// One copy: the walk may read the next as a letter (at the
			// trigger), or (a symbol) as a separator, which a word may
			// need after repeats (s$$$$a for "s a"). Of a long run of a
			// symbol, all but the last few copies at once: a match reads
			// at most maxGap of them as separators and one as a letter,
			// and reading those among the last copies instead reaches the
			// same points (a run of 4,000 $ before h1t is still shit).
			if k := int(u.n) - (maxGap + 2); !atTrig && p.k < k {
				q.k, q.end = k, w.copyEnd(u, k-1)
			} else {
				nextPos(&q)
				q.end = cend
			}
		} else {
			q.j, q.k = p.j+1, 0 // the rest of the run (consume first, then absorb)
			q.end = u.end
		}
		if q.tailOK {
			// Touching repeats after the last carrier end a match too.
			w.outputs(&q)
		}
		w.search(q)
	}
	word := isWordClass(u.cls)
	// Plain.
	if word && !atTrig && u.sym != 0 {
		w.carry(p, u, u.sym, cend, 0, false)
	}
	if beforeTrig {
		if !word && p.d > 0 {
			w.separator(p, u)
		}
		return
	}
	if !u.trig {
		if !word && p.d > 0 && !atTrig {
			w.separator(p, u)
		}
		return
	}
	// Leet.
	if rd.any&ReadLeet != 0 && u.r < utf8.RuneSelf {
		for _, s := range rd.leet[u.r] {
			if s != 0 {
				w.carry(p, u, s, cend, ReadLeet, false)
			}
		}
	}
	// Look-alikes.
	if rd.look != nil && word && u.r >= utf8.RuneSelf {
		if c, ok := rd.look.foreign[u.r]; ok {
			if s := rd.letter[c]; s != 0 {
				w.carry(p, u, s, cend, ReadLookalike, true)
			}
		}
		if c, ok := rd.look.decorated[u.r]; ok && u.sym == 0 {
			if s := rd.letter[c]; s != 0 {
				w.carry(p, u, s, cend, ReadLookalike, false)
			}
		}
	}
	if u.alt != 0 {
		w.carry(p, u, m.symOf(u.alt), cend, ReadLookalike, false)
	}
	// Variant forms.
	if rd.formAt != nil {
		for _, fi := range rd.formAt[u.r] {
			w.form(p, fi)
		}
	}
	// A separator.
	if !word && p.d > 0 && !atTrig {
		w.separator(p, u)
	}
}

// separator goes on from p over one copy of the separator unit u.
func (w *walker) separator(p vpath, u *vunit) {
	q := p
	q.gap++
	if q.gap > maxGap {
		return
	}
	q.clause = q.clause || u.cls == clsClause
	q.touch = false
	if q.k+1 < int(u.n) {
		q.k++
	} else {
		q.j, q.k = q.j+1, 0
	}
	w.search(q)
}

// gapOK reports whether a carrier whose first unit has class cls may
// follow p's gap.
func gapOK(p *vpath, cls uint8) bool {
	return p.d == 0 || (p.gap <= maxGap && !(p.clause && p.lastCJK && cls == clsCJK))
}

// carry goes on from p reading copy p.k of u as the letter of symbol s
// (ending at byte end), by reading via.
func (w *walker) carry(p vpath, u *vunit, s uint32, end int, via Readings, foreign bool) {
	if !gapOK(&p, u.cls) || p.d >= MaxWordRunes {
		return
	}
	t := w.sc.m.auto.child(p.t, s)
	if t == 0 {
		return
	}
	q := p
	q.setGap(q.d, q.gap > 0)
	q.t, q.d = t, q.d+1
	q.via |= via
	q.foreign = q.foreign || foreign
	if via == 0 && u.cls == clsLatin && unicode.Is(unicode.Latin, u.r) {
		q.plain = true
	}
	q.gap, q.clause, q.touch, q.tailOK = 0, false, true, true
	q.last, q.lastCJK = u.r, u.cls == clsCJK
	q.carriers++
	q.end = end
	if end == u.end || q.k+1 >= int(u.n) {
		q.j, q.k = q.j+1, 0
	} else {
		q.k++
	}
	w.outputs(&q)
	w.search(q)
}

// form goes on from p reading written form fi from copy p.k of unit p.j.
func (w *walker) form(p vpath, fi int32) {
	sc := w.sc
	f := &sc.m.rd.forms[fi]
	u := w.unit(p.j)
	if !gapOK(&p, u.cls) || p.d+len(f.canon) > MaxWordRunes {
		return
	}
	if f.latinL && w.latinBefore(p.j, p.k) {
		return
	}
	j, k := p.j, p.k
	adv := func() {
		if v := w.unit(j); v != nil && k+1 < int(v.n) {
			k++
		} else {
			j, k = j+1, 0
		}
	}
	end, prevCJK := w.copyEnd(u, k), u.cls == clsCJK
	adv()
	// The form's other characters, with up to 3 separators between them.
	gap, clause := 0, false
	for i := 1; i < len(f.runes); {
		v := w.unit(j)
		if v == nil || v.cls == clsBreak {
			return
		}
		if !isWordClass(v.cls) {
			gap++
			clause = clause || v.cls == clsClause
			if gap > maxGap {
				return
			}
			adv()
			continue
		}
		if v.r != f.runes[i] || (clause && prevCJK && v.cls == clsCJK) {
			return
		}
		end, prevCJK = w.copyEnd(v, k), v.cls == clsCJK
		gap, clause = 0, false
		i++
		adv()
	}
	if f.latinR && w.latinAfter(j, k) {
		return
	}
	a := &sc.m.auto
	t := p.t
	for _, s := range f.canon {
		if t = a.child(t, s); t == 0 {
			return
		}
	}
	q := p
	q.setGap(q.d, q.gap > 0) // (the canonical form's other letters follow with no gap)
	q.t, q.d = t, q.d+len(f.canon)
	q.via |= ReadVariants
	q.gap, q.clause, q.touch, q.tailOK = 0, false, true, true
	q.last, q.lastCJK = f.runes[len(f.runes)-1], prevCJK
	q.carriers++
	q.end = end
	q.j, q.k = j, k
	w.outputs(&q)
	w.search(q)
}

// latinBefore reports whether the nearest visible unit before copy k of
// unit j is a letter or digit of a spaced script.
func (w *walker) latinBefore(j, k int) bool {
	switch {
	case k > 0:
		return w.units[j].cls == clsLatin
	case j == 0:
		return w.beforeLatin
	}
	return w.units[j-1].cls == clsLatin
}

// latinAfter reports whether the unit at copy k of unit j (the next
// visible one after a match) is a letter or digit of a spaced script.
func (w *walker) latinAfter(j, k int) bool {
	u := w.unit(j)
	return u != nil && u.cls == clsLatin
}

// outputs checks the keys ending in q.t after a carrier and keeps the
// frame's best candidates.
func (w *walker) outputs(q *vpath) {
	m := w.sc.m
	a := &m.auto
	if a.states[q.t].term != q.t {
		return // no key ends exactly here
	}
	// The match may take in the touching repeats after its last carrier:
	// all of them, all but the last (when the unit after them is glued,
	// the last one is not, being a repeat of a rune of no spaced script),
	// or none.
	type ending struct {
		end, j, k int
		via       Readings
	}
	ends := [3]ending{{end: q.end, j: q.j, k: q.k}}
	n := 1
	tailEnd, tj, tk := q.end, q.j, q.k
	lastJ, prevEnd := -1, 0 // the last unit of the run, and where the run ends before it
	for {
		u := w.unit(tj)
		if u == nil || u.r != q.last || (tk == 0 && u.start != tailEnd && !w.invisibleOnly(tailEnd, u.start)) {
			break
		}
		prevEnd = tailEnd
		tailEnd, lastJ, tj, tk = u.end, tj, tj+1, 0
	}
	if lastJ >= 0 {
		ends[0], n = ending{tailEnd, tj, tk, ReadRepeat}, 2
		if u := &w.units[lastJ]; u.cls != clsLatin {
			// All but the last copy: the next unit is that copy. The
			// match ends at the copy before it (of this unit, or the end
			// of the run before it), not at invisible characters that
			// stand between them.
			pe, pj, pk := prevEnd, lastJ, int(u.n-1)
			if u.n > 1 {
				pe = w.copyEnd(u, pk-1)
			}
			if pe > q.end {
				ends[1], n = ending{pe, pj, pk, ReadRepeat}, 3
			}
		}
		ends[n-1] = ending{end: q.end, j: q.j, k: q.k}
	}
	for _, ei := range a.outputs(q.t) {
		e := &m.entries[ei]
		if int(e.n) != q.d {
			continue
		}
		if (q.via&ReadLeet != 0 || q.foreign) && !w.plainLatin(q) {
			continue
		}
		if q.via&ReadLeet != 0 && e.flags&latinOnly == 0 {
			continue
		}
		if e.flags&needLeft != 0 && !w.frame.leftOK {
			continue
		}
		if !w.sepsOK(e, q) {
			continue
		}
		for _, en := range ends[:n] {
			via := q.via | en.via
			if via == 0 || uint8(via)&^e.read != 0 {
				continue
			}
			if e.flags&needRight != 0 && w.latinAfter(en.j, en.k) {
				continue
			}
			c := cand{entry: ei, start: w.frame.start, end: en.end, via: via}
			if e.id < 0 {
				if w.bestA.entry < 0 || c.end > w.bestA.end {
					w.bestA = c
				}
			} else if w.better(c) {
				w.best = c
				w.bestAc = m.actionOf(e.id, via)
			}
			break
		}
	}
}

// better reports whether word candidate c beats the frame's best.
func (w *walker) better(c cand) bool {
	b := w.best
	if b.entry < 0 || c.end != b.end {
		return b.entry < 0 || c.end > b.end
	}
	m := w.sc.m
	ca, ci, bi := m.actionOf(m.entries[c.entry].id, c.via), m.entries[c.entry].id, m.entries[b.entry].id
	if ca != w.bestAc {
		return ca > w.bestAc
	}
	if ci != bi {
		return ci < bi
	}
	return c.via < b.via
}

// invisibleOnly reports whether text[from:to] holds only invisible code
// points.
func (w *walker) invisibleOnly(from, to int) bool {
	return from <= to && w.sc.invisibleBetween(from, to)
}

// sepsOK checks the separators entry e writes against the gaps q read.
func (w *walker) sepsOK(e *entry, q *vpath) bool {
	m := w.sc.m
	for _, p := range m.seps[e.sepOff : e.sepOff+int32(e.sepN)] {
		i := int(p)
		if i < w.frame.pre {
			if w.sc.info[(w.frame.ring+1+i)&(ringSize-1)]&infoGap == 0 {
				return false
			}
		} else if q.gb[i/64]&(1<<(i%64)) == 0 {
			return false
		}
	}
	return true
}

// plainLatin reports whether the path read a plain Latin letter,
// counting the letters read plainly before the trigger.
func (w *walker) plainLatin(q *vpath) bool {
	if q.plain {
		return true
	}
	f := &w.frame
	if f.plainPre < 0 {
		f.plainPre = 0
		sc := w.sc
		var buf [4]frune
		for i := 1; i <= f.pre; i++ {
			st := sc.starts[(f.ring+i)&(ringSize-1)]
			r, _ := utf8.DecodeRuneInString(sc.text[st:])
			for _, fr := range sc.m.norm.appendFold(buf[:0], r) {
				if fr.cls == clsLatin && unicode.Is(unicode.Latin, fr.r) {
					f.plainPre = 1
				}
			}
		}
	}
	return f.plainPre == 1
}
