package filter

import (
	"cmp"
	"math"
	"slices"
	"sync"
	"unicode/utf8"
)

// cand is a candidate match found by a scan, before allow phrases and the
// leftmost-longest choice are applied.
type cand struct {
	entry      int32
	right      bool     // waiting for the right word-boundary check
	via        Readings // the variant readings the candidate needed
	start, end int
}

// scratch is per-call working memory, recycled through scratchPool; a
// scan takes one only when it finds a candidate, so clean texts never
// touch the pool.
type scratch struct {
	cands []cand // candidates and allow occurrences not settled yet
	allow []cand // allow occurrences that may still cover a candidate, by start after settle
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// maxPooledCands bounds the scratch kept in the pool after a huge text.
const maxPooledCands = 1 << 14

// defaultSettleAt is the number of candidates at which a scan first
// settles the ones no later character can change (see scanner).
const defaultSettleAt = 4096

// scanner is the state of one pass over a text, taken from scannerPool.
//
// Candidates are settled while the scan runs, so that their list stays
// bounded whatever the length of the text. A candidate or allow occurrence
// not found yet ends at the word character being handled (number pos) or
// a later one, and spans at most Matcher.spanLen word characters (the
// longest word or allow phrase, or the longest pinyin spelling of one, at
// most ringSize, which the ring holds), so it starts no earlier than word
// character pos-spanLen+1 does.
// A candidate that starts before that byte is therefore final: no later
// candidate can start before it or at its start, and no later allow
// occurrence can cover it. When the list reaches limit, settle applies the
// allow phrases and the leftmost-longest choice to those candidates,
// appends the chosen ones to out and drops them, keeping only the
// candidates that start at or after the byte (all of them end in the last
// maxLen word characters) and the allow occurrences that reach past it
// (at most one ends at each word character: of those ending together,
// emit keeps the one starting first, which covers what the others do).
// What is kept is thus bounded by the outputs the automaton can report
// over maxLen word characters, a property of the dictionary alone: for the
// nested words 一, 一一, ... up to 128 characters, 8,256 candidates and
// 128 allow occurrences. The next settle waits until as many new
// candidates have come as were kept, so the list holds about twice that
// at most (1.8 MB of heap at the peak for 1 MiB of 一), and a settle sorts
// at most twice what came since the last one: the cost per candidate does
// not grow with the text either.
type scanner struct {
	m   *Matcher
	scr *scratch

	out      []Match // the matches chosen so far (AppendMatches' dst)
	last     int     // end of the last match chosen
	limit    int     // settle when this many candidates wait
	contains bool    // for Contains: note a match in found, append none
	found    bool
	settles  int // settles before the end of the text (for tests)
	held     int // most candidates and allow occurrences held at a settle (for tests)

	text string // the text being scanned (read again only to start the clause thread)

	state int32
	// The clause thread reads the CJK characters linked by clause
	// punctuation in every gap (法.轮.功), which the main thread (state)
	// breaks at: cstate is its automaton state, crun how many CJK
	// characters it has read (0: not live). It reports only words of
	// three or more characters that lie within its run.
	cstate    int32
	crun      int
	clauseOut bool // emit reports only the clause thread's words

	// The symbol automaton (symbols.go): its state, the code point it
	// read last (start and end), and the starts of the code points of
	// its last runes, by symPos.
	symState         int32
	symStart, symEnd int
	symPos           int
	symStarts        [ringSize]int
	pos              int     // word characters seen so far
	lastSym          uint32  // symbol of the last word character (repeats)
	brokeAt          int     // pos at the last invalid byte: no word character up to it touches one after it
	w                *walker // the variant readings' walker, kept between triggers
	walkBudget       int     // steps the walks of this text may still take (variants.go)
	walkPaid         int     // the bytes before this one have granted their steps to walkBudget
	incomplete       bool    // a work limit stopped a reading (Result.Incomplete)
	checkSteps       int     // steps the ASCII loop's checks (leetMatters, repeatMatters) took
	outOfSteps       int     // byte of the last check that ran out of steps (checkShadow)
	gap              int     // separator code points since the last word character
	sepCp            int     // byte offset of the code point of the last separator
	gapClause        bool    // the gap holds clause punctuation
	prevCJK          bool    // the last word character is CJK
	lastLatin        bool    // the last visible character is a Latin letter or digit
	pending          bool    // candidates from pendFrom on wait for the right boundary check
	pendFrom         int
	py               *pyScan // the pinyin reading's walkers (pinyin.go)
	pyLive           bool    // some pinyin walker is live: every word unit goes to it
	pyNext           int     // the ASCII loop hands the pinyin reading the letters from this byte on (pinyin.go)
	// letterAhead's last answer, for the starts from aheadFrom up to
	// aheadTo: ahead for those from aheadMin on, no before.
	aheadFrom, aheadTo, aheadMin int
	ahead                        bool

	// Ring of the last ringSize word characters, by pos: the byte offset
	// where each starts, and info = gap before it <<1 | left neighbour is Latin.
	starts [ringSize]int
	info   [ringSize]uint8
}

// Values of Matcher.ascii besides the symbols of letters and digits.
const (
	asciiStop   = -1 // a byte the ASCII loop leaves to the general one
	asciiSep    = -2 // a separator
	asciiClause = -3 // clause punctuation
	asciiLeet   = -4 // a leet character: the variant readings may read it (Matcher.asciiPlain has its value)
)

// buildASCII fills m.ascii: by byte, the symbol of an ASCII Latin letter
// or digit, asciiSep or asciiClause for a separator, asciiStop for every
// other byte (non-ASCII included). One load a byte in scanner.ascii.
func (m *Matcher) buildASCII() {
	for b := range m.ascii {
		v := int32(asciiStop)
		e := uint32(tabSlow)
		if b < utf8.RuneSelf {
			e = m.tab[b]
		}
		if e&tabSlow == 0 {
			switch uint8(e &^ tabTrig >> tabClsShift) {
			case clsLatin:
				v = int32(e & tabSymMask)
			case clsSep:
				v = asciiSep
			case clsClause:
				v = asciiClause
			}
		}
		if e&tabTrig != 0 {
			// A trigger: a leet character that begins no variant form
			// is judged in the loop (scanner.leetMatters), the rest
			// left to the general path.
			_, form := m.rd.formAt[rune(b)]
			if v != asciiStop && leetLetters(rune(b)) != "" && !form {
				m.asciiPlain[b] = v
				v = asciiLeet
			} else {
				v = asciiStop
			}
		}
		m.ascii[b] = v
	}
}

// scannerPool recycles scanners: a fresh one would cost zeroing its ring
// on every call.
var scannerPool = sync.Pool{New: func() any { return new(scanner) }}

// acquireScanner returns a scanner from the pool, reset for a scan with m.
// The ring needs no reset: a scan reads only what it wrote itself.
func acquireScanner(m *Matcher) *scanner {
	sc := scannerPool.Get().(*scanner)
	sc.m, sc.scr = m, nil
	sc.state, sc.pos, sc.gap, sc.sepCp, sc.pendFrom = 0, 0, 0, 0, 0
	sc.cstate, sc.crun, sc.clauseOut = 0, 0, false
	sc.symState, sc.symStart, sc.symEnd, sc.symPos = 0, -1, -1, 0
	sc.lastSym, sc.brokeAt = 0, 0
	sc.gapClause, sc.prevCJK, sc.lastLatin, sc.pending = false, false, false, false
	sc.out, sc.last, sc.limit, sc.contains, sc.found, sc.settles, sc.held = nil, 0, m.settleAt, false, false, 0, 0
	sc.pyReset()
	return sc
}

// scan feeds every character of text through the automaton. The common
// cases (a 1- to 3-byte code point folding to one rune, no
// candidate waiting) run here on local copies of the scanner's fields;
// everything else goes through the scanner's methods.
func (sc *scanner) scan(text string) {
	sc.text = text
	sc.aheadTo = 0
	sc.walkBudget, sc.walkPaid, sc.incomplete, sc.checkSteps = walkBase, 0, false, 0
	sc.outOfSteps = -1 << 30
	if sc.w != nil {
		sc.w.run, sc.w.copyMemo = wholeRun{}, copyMemo{}
	}
	sc.pyBegin()
	tab := sc.m.tab
	auto := &sc.m.auto
	pyd := sc.m.py // the pinyin reading's tables, nil without it
	dense, firstOut, stride := auto.dense, auto.firstOut, int32(auto.stride)
	// gf packs the gap length (above gapShift) and the flags: one
	// register less in this loop.
	st, pos, gf := sc.state, sc.pos, sc.gap<<gapShift|int(sc.flags())
	if dense != nil {
		// st is the offset of the state's row in dense.
		st *= stride
		firstOut *= stride
	}
	for i := 0; i < len(text); {
		start := i
		c := text[i]
		if c < utf8.RuneSelf && dense != nil && !sc.pending && gf&fClauseLive == 0 && !sc.pyLive {
			// It stops at once only on a class it leaves to the code below.
			s, hit := 0, false
			i, s, pos, gf, hit = sc.ascii(text, i, int(st), pos, gf, &sc.m.ascii, dense, int(firstOut), int(stride))
			if st = int32(s); hit {
				sc.pos = pos
				sc.emit(auto.rowState(st), i)
			}
			if i != start {
				continue
			}
		}
		e, r := uint32(tabSlow), rune(c)
		if c < utf8.RuneSelf {
			e = tab[c]
			i++
		} else if c&0xF0 == 0xE0 && i+2 < len(text) && text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80 {
			if r = rune(c&0x0F)<<12 | rune(text[i+1]&0x3F)<<6 | rune(text[i+2]&0x3F); r >= 0x800 && (r < 0xD800 || r > 0xDFFF) {
				e = tab[r]
				i += 3
			}
		} else if c&0xE0 == 0xC0 && c >= 0xC2 && i+1 < len(text) && text[i+1]&0xC0 == 0x80 {
			r = rune(c&0x1F)<<6 | rune(text[i+1]&0x3F)
			e = tab[r]
			i += 2
		}
		cls := uint8(e >> tabClsShift)
		if cls == clsInvisible {
			continue
		}
		if e >= tabTrig || sc.pending {
			// tabSlow or tabTrig
			i, st, pos, gf = sc.viaMethods(text, start, st, pos, gf)
			continue
		}
		if cls <= clsClause {
			// One rune per code point here, so every separator counts.
			gf = (gf+1<<gapShift)&^fLastLatin | int(cls-clsSep)<<1 // clsClause sets fGapClause
			continue
		}
		if gf&fClauseLive != 0 {
			// The clause thread goes on or ends: the methods handle both
			// threads.
			i, st, pos, gf = sc.viaMethods(text, start, st, pos, gf)
			continue
		}
		if gf >= 1<<gapShift {
			cut := gf >= (maxGap+1)<<gapShift
			if gf&(fGapClause|fPrevCJK) == fGapClause|fPrevCJK && cls == clsCJK {
				if sc.m.clause3 && !cut && auto.begins(sc.lastSym, e&tabSymMask) {
					// The clause thread may start here: the characters on
					// either side of the clause gap begin a word. (lastSym
					// is still the symbol of the character before the gap,
					// as symAt would read it again from the text.)
					i, st, pos, gf = sc.viaMethods(text, start, st, pos, gf)
					continue
				}
				cut = true
			}
			if cut {
				// Every word and pinyin key under way breaks here: the
				// characters pending for the reading are dropped (as pyHan
				// and pyOther drop them, with the walkers: pyCut).
				st = 0
				if pyd != nil {
					sc.py.pend = 0
				}
			}
		}
		sym := e & tabSymMask
		if sym == sc.lastSym && sym != 0 && sc.m.repeat {
			// A repeat: the methods see whether it triggers the readings.
			i, st, pos, gf = sc.viaMethods(text, start, st, pos, gf)
			continue
		}
		if pyd != nil && (cls != clsCJK || sc.pyLive || sc.py.quickHan(pyd, pyd.scout[uint16(r)])) {
			sc.pinyinAt(text, start, i, cls, gf, pos)
		}
		sc.lastSym = sym
		if sym == 0 {
			st = 0
		} else if dense != nil {
			st = int32(dense[st+int32(sym)]) * stride
		} else {
			st = auto.next(st, sym)
		}
		pos++
		k := pos & (ringSize - 1)
		sc.starts[k] = start
		info := uint8(gf & fLastLatin)
		if gf >= 1<<gapShift {
			info |= infoGap
		}
		sc.info[k] = info
		gf = int(uint32(clsFlagBits) >> (cls * 4) & 0xF)
		if st >= firstOut {
			sc.pos = pos
			if dense != nil {
				sc.emit(auto.rowState(st), i)
			} else {
				sc.emit(st, i)
			}
		}
	}
	sc.sync(st, pos, gf)
	if sc.pending {
		sc.resolve(false)
	}
	sc.text = "" // a pooled scanner must not keep the text alive
}

// ascii is scan's loop over ASCII text with a dense automaton, from
// text[i] on while the text holds only separators and Latin letters and
// digits. It takes and returns scan's local state (dense row offset, pos,
// packed gap and flags) and returns the index where it stopped, and hit
// when it stopped at the end of a run of letters whose state has outputs
// worth emitting, for the caller to emit. Kept apart from scan, with no
// call inside, so its few variables stay in registers.
//
// Every character here is Latin, so a word ending inside a run of letters
// fails its right boundary (the next letter is Latin), and a word needing
// a left boundary that starts after the run's first letter fails that:
// ascii stops only at the end of a run (the next byte is not an ASCII
// letter or digit), and only when the state's bound (see setEmitBounds)
// says that an output may start early enough. That spares an emit for
// "ass" in "class" and for "hell" in "hello".
func (sc *scanner) ascii(text string, i int, s, pos, gf int, lat *[256]int32, dense []uint16, out, stride int) (next, st, npos, ngf int, hit bool) {
	// The state is an int so that the load of the next state, which every
	// letter waits for, needs no sign extension after it.
	lastRun := 0 // letters of the last run (< 1: unknown), for leetMatters
	if gf == fLastLatin {
		lastRun = sc.runBack(pos) // a run goes on from before this call
	}
	rep := sc.m.repeat
	last := int32(sc.lastSym) // the symbol of the last letter, stored in sc.lastSym on the way out
	for i < len(text) {
		sym := lat[text[i]]
		if sym < 0 {
			if sym == asciiLeet {
				sc.lastSym = uint32(last)
				if sc.leetMatters(text, i, s, gf, lastRun) {
					break
				}
				sym = sc.m.asciiPlain[text[i]]
			}
			if sym == asciiStop {
				break
			}
		}
		if sym < 0 {
			// One rune per code point here, so every separator counts.
			gf = (gf+1<<gapShift)&^fLastLatin | int(asciiSep-sym)<<1 // asciiClause sets fGapClause
			i++
			continue
		}
		if rep && sym == last && sc.repeatMatters(text, i, s, sym, min(gf>>gapShift, 1)*max(lastRun, 2)) {
			break // a repeat: the general path sees to it
		}
		if i >= sc.pyNext {
			break // the pinyin reading reads it: the general path does
		}
		// The first letter of a run: the gap before it decides.
		if gf >= (maxGap+1)<<gapShift {
			s = 0
		}
		// run counts the letters of the run, which starts here unless the
		// letter before was Latin too (a leet digit read as itself, or a
		// run that began before this call, which runBack counted): the
		// pre-checks of the digits of 1l1l… then see the run as long as
		// it is, and give up at once.
		run := 1
		if gf == fLastLatin {
			run = lastRun + 1
		}
		s = int(dense[s+int(sym)]) * stride
		last = sym
		pos++
		sc.starts[pos&(ringSize-1)] = i
		// infoGap when the gap is not 0, without a branch: the first
		// letter of each word would mispredict it.
		sc.info[pos&(ringSize-1)] = uint8(gf&fLastLatin | min(gf>>gapShift, 1)*infoGap)
		gf = fLastLatin
		i++
		// The rest of the run: no gap, a Latin neighbour on the left. The
		// letter at byte j is number j+pk, and run is j+rk before it:
		// neither is counted in the loop, which has few registers to
		// spare. Two copies of the loop: the one for the repeat reading
		// also looks for a letter equal to the one before (ASCII letters
		// and digits fold alike exactly when they have one symbol) whose
		// state holds the run (the depth in the bound column), which
		// costs the other about 10% on English.
		pk, rk := pos+1-i, run-i
		if !rep {
			for i < len(text) {
				sym := lat[text[i]]
				if sym < 0 {
					break
				}
				s = int(dense[s+int(sym)]) * stride
				sc.starts[(i+pk)&(ringSize-1)] = i
				sc.info[(i+pk)&(ringSize-1)] = infoLeftLatin
				i++
			}
			if v := lat[text[i-1]]; v >= 0 {
				last = v // (else the run is its first letter, a leet digit)
			}
		} else {
			for i < len(text) {
				sym := lat[text[i]]
				if sym < 0 {
					break
				}
				if sym == last {
					if run := i + rk; int(uint8(dense[s+stride-1])) >= run && sc.repeatMatters(text, i, s, sym, run) {
						break
					}
				}
				s = int(dense[s+int(sym)]) * stride
				last = sym
				sc.starts[(i+pk)&(ringSize-1)] = i
				sc.info[(i+pk)&(ringSize-1)] = infoLeftLatin
				i++
			}
		}
		pos, run = i-1+pk, i+rk
		lastRun = run
		if s >= out && int(dense[s+stride-1]) >= run<<boundShift {
			sc.lastSym = uint32(last)
			return i, s, pos, gf, true
		}
	}
	sc.lastSym = uint32(last)
	return i, s, pos, gf, false
}

// runBack returns the number of word characters of the run of Latin
// letters and digits that word character pos ends, as the ring records
// their left neighbours: at most the longest entry's length + 1 (no
// state's depth or emit bound tells longer runs apart, as no key is
// longer) and at most ringSize, a lower bound for a longer run (a shorter
// run only makes the ASCII loop's checks answer yes, and its emits
// happen, more often). So a text that enters the loop at every letter
// (s, U+200B, s, U+200B, …) costs a few steps a letter. The first word
// character of a text has no Latin neighbour recorded, so the count stops
// before any ring entry the scan has not written.
func (sc *scanner) runBack(pos int) int {
	limit := min(ringSize, int(sc.m.maxLen)+1)
	n := 1
	for n < limit && sc.info[(pos-n+1)&(ringSize-1)]&infoLeftLatin != 0 {
		n++
	}
	return n
}

// leetMatters tells the ASCII loop whether the leet character text[i]
// may start a variant match, where the dense automaton is at row s, after
// the gap and flags gf, and run is the number of letters of the last run
// of letters (< 1: unknown): the one it is glued to, or the one before
// the separators. A
// walk must read the character as a letter it stands for: after a
// separator, from the root (a match starting here) or from a state
// before the gap (a match holding all of the run before it); glued to a
// Latin letter, from a state of s's suffix chain that starts no later
// than the run; either way possibly as a repeat of the letter before.
// Each such first step is followed on by reach.
func (sc *scanner) leetMatters(text string, i, s, gf, run int) bool {
	if i-sc.outOfSteps <= checkShadow {
		return true // see checkShadow
	}
	a := &sc.m.auto
	budget := reachBudget
	defer sc.endCheck(i, &budget)
	ls := &sc.m.rd.leet[text[i]]
	gap := gf >> gapShift
	if gf&fLastLatin == 0 {
		// A match starting here must read a plain letter later on; at
		// the third copy of a symbol it starts at the second too (see
		// thirdCopy), which was checked, unless a match ends right
		// before this copy (endsAt).
		prev := sc.thirdCopy(i)
		root := (prev < 0 || sc.endsAt(prev, i)) && sc.letterAhead(text, i)
		for _, l := range ls {
			if l == 0 {
				continue
			}
			if t := a.goes(0, int(l)); root && t != 0 && sc.reach(text, i+1, t, 1, false, int32(l), 0, &budget) {
				return true
			}
			if gap > maxGap || s == 0 {
				continue
			}
			need := max(run, 1) + 1
			if t := a.goes(s, int(l)); a.rowDepth(t) >= need && sc.reach(text, i+1, t, need, true, int32(l), 0, &budget) {
				return true
			}
			if sc.m.repeat && l == sc.lastSym && sc.reach(text, i+1, s, max(run, 2), true, int32(l), gap, &budget) {
				return true
			}
		}
		return false
	}
	need := max(run, 1) + 1
	if a.rowDepth(s) < need-1 {
		return false // no state of the chain holds the run
	}
	for _, l := range ls {
		if l == 0 {
			continue
		}
		if t := a.goes(s, int(l)); a.rowDepth(t) >= need && sc.reach(text, i+1, t, need, true, int32(l), 0, &budget) {
			return true
		}
		if sc.m.repeat && l == sc.lastSym && sc.reach(text, i+1, s, need-1, true, int32(l), 0, &budget) {
			return true
		}
	}
	return false
}

// letterAhead reports whether a match starting at the leet character
// ending at text[i] may hold a plain Latin letter: whether one comes (or
// a letter of another spaced script, or a code point that folds to
// several) near enough, before more than maxGap separators in a row, an
// invalid byte or the end of the text. A look-alike or a variant form is
// no plain letter. A digit or symbol may stand for a letter or (a symbol)
// a separator, and repeats absorb any number of copies, but the gap
// between two letters of a match holds at most maxGap separators, so a
// match reaches no further than readingData.aheadUnits units, a unit being
// a run of visible code points that fold alike (invisible ones between
// them left out, which merges more than the walks' units do, so that the
// count errs low). Runs of digits and symbols with no letter near, the bulk
// of an adversarial text, and those in Chinese text thus start no walk
// from the root. The answer for every start before the byte that decided
// it follows from one reading, which the scanner keeps (aheadFrom,
// aheadTo, aheadMin, ahead), so that a text is read about twice at most
// whatever its triggers; a later start may count one unit more than that
// reading gives it (the code point after it starts a unit of its own), which
// the 2 units of slack in aheadUnits cover.
func (sc *scanner) letterAhead(text string, i int) bool {
	if sc.aheadFrom <= i && i < sc.aheadTo {
		return sc.ahead && i >= sc.aheadMin
	}
	j, res, units := sc.readAhead(text, i, -1)
	sc.aheadFrom, sc.aheadTo, sc.aheadMin, sc.ahead = i, j, i, res
	if limit := sc.m.rd.aheadUnits; res && units > limit {
		// Starts from the one where units-limit units have begun are near
		// enough: read again to that unit.
		sc.aheadMin, _, _ = sc.readAhead(text, i, units-limit)
		return false
	}
	return res
}

// readAhead reads the text after the code point ending at text[i] for
// letterAhead: it returns where a letter or the end of what a match may
// span stops the reading, whether a letter did, and the units read
// before. With stopAt >= 0 it returns instead at the start of unit number
// stopAt (counted from 1).
func (sc *scanner) readAhead(text string, i int, stopAt int) (int, bool, int) {
	m := sc.m
	gap, units, j := 0, 0, i+1
	prev := rune(-1)
	for j < len(text) {
		c := text[j]
		cls := uint8(clsCJK) // a word character that is no Latin letter
		f, n := rune(c), 1
		if c < utf8.RuneSelf {
			if c|0x20 >= 'a' && c|0x20 <= 'z' {
				return j, true, units
			}
			if v := m.ascii[c]; v == asciiSep || v == asciiClause {
				cls = clsSep
			}
		} else {
			var r rune
			r, n = utf8.DecodeRuneInString(text[j:])
			if r == utf8.RuneError && n == 1 {
				return j, false, units // an invalid byte: no match goes across it
			}
			e := m.norm.lookup(r)
			k := uint8(e >> runeBits)
			f = rune(e & runeMask)
			switch {
			case e&expFlag != 0:
				return j, true, units // several runes: not looked into
			case k == clsInvisible:
				cls = clsInvisible
			case f < utf8.RuneSelf:
				// Read as the ASCII character it folds to (a full-width
				// one).
				if f|0x20 >= 'a' && f|0x20 <= 'z' {
					return j, true, units
				} else if v := m.ascii[f]; v == asciiSep || v == asciiClause {
					cls = clsSep
				}
			case k == clsLatin:
				return j, true, units // a letter of a spaced script (Latin or not: not looked into)
			case k <= clsClause:
				cls = clsSep
			}
		}
		if cls != clsInvisible && f != prev {
			if units++; units == stopAt {
				return j, false, units
			}
			prev = f
		}
		j += n
		switch cls {
		case clsSep:
			if gap++; gap > maxGap {
				return j, false, units
			}
		case clsInvisible:
		default:
			gap = 0
		}
	}
	return j, false, units
}

// repeatMatters tells the ASCII loop whether the repeat text[i] (of
// symbol sym, the letter before it) may start a variant match, where the
// dense automaton is at row s. A walk absorbing the repeat goes on from a
// state of s's suffix chain that holds at least need letters (the run of
// letters the repeat is glued to, or the run before the separators: a key
// starting inside a run is glued to the letter before it, and every key
// here starts with a Latin letter; after separators at least 2, as the
// first carrier's repeats must touch it), which reach follows on.
func (sc *scanner) repeatMatters(text string, i, s int, sym int32, need int) bool {
	if sc.m.auto.rowDepth(s) < need {
		return false // no state of the chain holds the run
	}
	if i-sc.outOfSteps <= checkShadow {
		return true // see checkShadow
	}
	budget := reachBudget
	defer sc.endCheck(i, &budget)
	return sc.reach(text, i+1, s, max(need, 1), true, sym, 0, &budget)
}

// endCheck ends the check of the character at byte i: it adds the steps
// the check took, reachBudget less what is left of budget, to
// scanner.checkSteps, and notes i in scanner.outOfSteps when the check ran
// out of them.
func (sc *scanner) endCheck(i int, budget *int) {
	sc.checkSteps += reachBudget - max(*budget, 0)
	if *budget < 0 {
		sc.outOfSteps = i
	}
}

// checkShadow is how many bytes after a check that ran out of steps the
// checks answer yes at once, leaving the character to the walks: in a
// stretch of ambiguous characters (l1 l1 l1 …) each would run out too,
// and the walks, which remember where they have been and whose steps the
// text's budget bounds, read it for less (1 MiB of "l1 " under the
// shared English list: 0.13 s, 0.36 s with every check looking).
const checkShadow = 16

// reachBudget bounds the steps of the reach calls of one check: past it,
// the check answers yes and the walks decide.
const reachBudget = 48

// reach tells whether a variant match may go on from dense row t, where
// it has read need letters since the earliest start allowed and plain
// tells whether it has read a plain Latin letter: whether, reading the
// ASCII text from text[j] on plainly, by leet, and with repeats of the
// letter last (a symbol) absorbed, it reaches a key ending at a state
// that holds need letters or more, after gap separators. It answers no
// only where no walk can find a match or allow phrase; anything it does
// not read (non-ASCII text, a character beginning a variant form, a
// letter that combining marks may follow) or a spent budget makes it
// answer yes. The right word boundary is left to
// the walks.
func (sc *scanner) reach(text string, j, t, need int, plain bool, last int32, gap int, budget *int) bool {
	m := sc.m
	a := &m.auto
	stride := a.stride
	lat := &m.ascii
	for {
		if *budget--; *budget < 0 {
			return true
		}
		// A key of need letters or more (or one needing no left boundary)
		// ends here: the emit bound.
		if plain && int(a.dense[t+stride-1]) >= need<<boundShift {
			return true
		}
		if j >= len(text) {
			return false
		}
		c := text[j]
		v := lat[c]
		switch v {
		case asciiStop:
			return true
		case asciiSep, asciiClause:
			if gap++; gap > maxGap {
				return false
			}
			j++
			continue
		}
		if m.rd != nil && m.rd.compose && j+1 < len(text) && text[j+1] >= utf8.RuneSelf {
			return true // combining marks may compose with it
		}
		switch v {
		case asciiLeet:
			// Each reading of it: as a letter it stands for (or a
			// repeat of the last one), or plainly: a digit, or a
			// symbol's separator.
			for _, l := range m.rd.leet[c] {
				if l != 0 && sc.reachStep(text, j, t, need, plain, last, gap, int32(l), false, budget) {
					return true
				}
			}
			if p := m.asciiPlain[c]; p >= 0 {
				return sc.reachStep(text, j, t, need, plain, last, gap, p, false, budget)
			}
			if gap+1 > maxGap {
				return false
			}
			return sc.reach(text, j+1, t, need, plain, last, gap+1, budget)
		}
		letter := c|0x20 >= 'a' && c|0x20 <= 'z'
		if v == last && m.repeat {
			return sc.reachStep(text, j, t, need, plain, last, gap, v, letter, budget)
		}
		nt := a.goes(t, int(v))
		if need++; a.rowDepth(nt) < need {
			return false
		}
		t, last, gap, plain = nt, v, 0, plain || letter
		j++
	}
}

// reachStep is reach reading text[j] as the symbol v (a plain Latin
// letter when letter): as a repeat of the letter before, when it is one,
// or as the next letter of the match.
func (sc *scanner) reachStep(text string, j, t, need int, plain bool, last int32, gap int, v int32, letter bool, budget *int) bool {
	m := sc.m
	a := &m.auto
	if v == last && m.repeat && sc.reach(text, j+1, t, need, plain, last, gap, budget) {
		return true
	}
	nt := a.goes(t, int(v))
	if a.rowDepth(nt) < need+1 {
		return false
	}
	return sc.reach(text, j+1, nt, need+1, plain || letter, v, 0, budget)
}

// viaMethods handles the code point at text[start] through the scanner's
// methods, for scan: it stores scan's local state (dense row offset, pos,
// packed gap and flags), and returns the index of the next code point and
// the state to go on with.
func (sc *scanner) viaMethods(text string, start int, st int32, pos, gf int) (int, int32, int, int) {
	sc.sync(st, pos, gf)
	i := sc.generic(text, start)
	st, pos, gf = sc.state, sc.pos, sc.gap<<gapShift|int(sc.flags())
	if a := &sc.m.auto; a.dense != nil {
		st *= int32(a.stride)
	}
	return i, st, pos, gf
}

// gapShift is where the gap length starts in scan's packed gf.
const gapShift = 4

// sync stores scan's local copies back into the scanner.
func (sc *scanner) sync(st int32, pos, gf int) {
	if a := &sc.m.auto; a.dense != nil {
		st = a.rowState(st)
	}
	sc.state, sc.pos, sc.gap = st, pos, gf>>gapShift
	sc.setFlags(uint8(gf & (1<<gapShift - 1)))
}

// Scanner flags, packed for the fast path of scan.
const (
	fLastLatin  = 1 << iota // the last visible character is a Latin letter or digit
	fGapClause              // the current gap holds clause punctuation
	fPrevCJK                // the last word character is CJK
	fClauseLive             // the clause thread is live (scanner.crun > 0)
)

// Bits of scanner.info.
const (
	infoLeftLatin = fLastLatin // the nearest visible character before is Latin
	infoGap       = 2          // at least one separator before
)

// clsFlagBits gives, 4 bits per class, the flags after a word character
// of that class.
const clsFlagBits = fLastLatin<<(clsLatin*4) | fPrevCJK<<(clsCJK*4)

func (sc *scanner) flags() uint8 {
	var f uint8
	if sc.lastLatin {
		f |= fLastLatin
	}
	if sc.gapClause {
		f |= fGapClause
	}
	if sc.prevCJK {
		f |= fPrevCJK
	}
	if sc.crun > 0 {
		f |= fClauseLive
	}
	return f
}

func (sc *scanner) setFlags(f uint8) {
	sc.lastLatin, sc.gapClause, sc.prevCJK = f&fLastLatin != 0, f&fGapClause != 0, f&fPrevCJK != 0
}

// generic handles the code point at text[i] through the scanner's
// methods and returns the index of the next one.
func (sc *scanner) generic(text string, i int) int {
	c := text[i]
	if c < utf8.RuneSelf {
		if e := sc.m.tab[c]; e&tabSlow != 0 { // a rune of a symbol word
			sc.slow(rune(c), i, i+1)
		} else {
			sc.table(e, i, i+1)
		}
		return i + 1
	}
	r, n := utf8.DecodeRuneInString(text[i:])
	switch {
	case n == 1:
		sc.breaker() // invalid byte
	case r >= 0x10000:
		sc.slow(r, i, i+n)
	default:
		if e := sc.m.tab[r]; e&tabSlow != 0 {
			sc.slow(r, i, i+n)
		} else {
			sc.table(e, i, i+n)
		}
	}
	return i + n
}

// table handles a code point by its Matcher.tab entry e.
func (sc *scanner) table(e uint32, start, end int) {
	trig := e&tabTrig != 0
	switch cls := uint8(e &^ tabTrig >> tabClsShift); {
	case cls == clsInvisible:
		if trig {
			sc.trigger(trigMark, start)
		}
	case cls <= clsClause:
		if trig {
			sc.trigger(trigUnit, start)
		}
		sc.sep(cls, start)
	default:
		sc.word(cls, e&tabSymMask, start, end, trig)
	}
}

// slow handles a code point that is not a single BMP rune after folding.
func (sc *scanner) slow(r rune, start, end int) {
	n := sc.m.norm
	e := n.lookup(r)
	if e&expFlag != 0 {
		for _, f := range n.exp[e&^expFlag] {
			sc.foldedRune(f, start, end)
		}
		return
	}
	if cls := uint8(e >> runeBits); cls != clsInvisible {
		sc.foldedRune(frune{rune(e & runeMask), cls}, start, end)
	}
}

func (sc *scanner) foldedRune(f frune, start, end int) {
	trig := sc.m.rd != nil && sc.m.isTrigRune(f.r)
	if f.cls <= clsClause {
		if trig {
			sc.trigger(trigUnit, start)
		}
		sc.sep(f.cls, start)
		if sc.m.sym != nil {
			sc.symbol(f.r, start, end)
		}
		return
	}
	// A letter inside a code point that folds to several runes (⑴ is
	// "(1)") breaks a symbol word there, as any letter does.
	sc.symState = 0
	sc.word(f.cls, sc.m.alpha[f.r], start, end, trig)
}

// breaker handles an invalid byte: visible, not Latin, never in a word.
func (sc *scanner) breaker() {
	if sc.pending {
		sc.resolve(false)
	}
	sc.state, sc.crun = 0, 0
	sc.pyBreak()
	sc.gap, sc.gapClause, sc.prevCJK, sc.lastLatin = 0, false, false, false
	sc.lastSym, sc.brokeAt = 0, sc.pos
}

// sep handles a separator rune of the code point starting at start.
func (sc *scanner) sep(cls uint8, start int) {
	if sc.pending {
		sc.resolve(false)
	}
	if sc.gap == 0 || sc.sepCp != start {
		sc.gap++
		sc.sepCp = start
	}
	if cls == clsClause {
		sc.gapClause = true
	}
	sc.lastLatin = false
}

// word handles a word rune (symbol sym, 0 if in no word) of the code point
// text[start:end]; trig tells that a variant reading may read it otherwise.
func (sc *scanner) word(cls uint8, sym uint32, start, end int, trig bool) {
	if sc.pending {
		sc.resolve(cls == clsLatin)
	}
	m := sc.m
	if m.py != nil {
		sc.pinyinWord(cls, start, end)
	}
	kind := trigUnit
	if sym != 0 && sym == sc.lastSym && !trig && m.repeat {
		// A repeat triggers at the second unit of a touching run, and at
		// every repeat after separators. Further on in a run of a letter
		// of no spaced script (which takes no boundary rule), matches may
		// start inside the run: they are walked from there.
		if sc.gap > 0 || !sc.inRun() {
			trig, kind = true, trigRepeat
		} else if cls != clsLatin && sc.state != 0 {
			trig, kind = true, trigRunCopy
		}
	}
	sc.lastSym = sym
	if trig {
		sc.trigger(kind, start)
	}
	st := sc.state
	clauseGap := sc.gap > 0 && sc.gapClause && sc.prevCJK && cls == clsCJK
	if sc.gap > maxGap || clauseGap {
		st = 0
	}
	st = sc.step(st, sym)
	switch {
	case clauseGap && sc.gap <= maxGap && m.clause3:
		if sc.crun == 0 {
			// The thread starts at the character before, when it and
			// this one begin a word of three or more characters;
			// otherwise no word of the run starts there, and a later
			// gap starts the thread.
			if prev := sc.symAt(sc.starts[sc.pos&(ringSize-1)]); m.auto.begins(prev, sym) {
				sc.cstate, sc.crun = m.auto.child(m.auto.child(0, prev), sym), 2
			}
			break
		}
		sc.cstate = sc.step(sc.cstate, sym)
		sc.crun++
		if sc.cstate == 0 {
			sc.crun = 0 // no word of the run is under way
		}
	case sc.crun > 0:
		sc.crun = 0
	}
	sc.pos++
	k := sc.pos & (ringSize - 1)
	sc.starts[k] = start
	var info uint8
	if sc.lastLatin {
		info |= infoLeftLatin
	}
	if sc.gap > 0 {
		info |= infoGap
	}
	sc.info[k] = info
	sc.gap, sc.gapClause = 0, false
	sc.prevCJK, sc.lastLatin = cls == clsCJK, cls == clsLatin
	sc.state = st
	if st >= m.auto.firstOut {
		sc.emit(st, end)
	}
	if sc.crun >= 3 && sc.cstate >= m.auto.firstOut {
		sc.clauseOut = true
		sc.emit(sc.cstate, end)
		sc.clauseOut = false
	}
}

// inRun reports whether the last word character read touches the one
// before it and is the same: a touching repeat of it then continues a run
// whose second unit has triggered the readings already. An invalid byte
// between them is no separator (no infoGap) but parts them.
func (sc *scanner) inRun() bool {
	k := sc.pos & (ringSize - 1)
	return sc.pos-1 > sc.brokeAt && sc.info[k]&infoGap == 0 && sc.symAt(sc.starts[(sc.pos-1)&(ringSize-1)]) == sc.lastSym
}

// symAt returns the symbol of the word character the code point at
// text[start] folds to (the last one, when it folds to several): read
// again from the text, only where a clause gap may start the clause
// thread, rather than kept for every character.
func (sc *scanner) symAt(start int) uint32 {
	r, _ := utf8.DecodeRuneInString(sc.text[start:])
	if r < 0x10000 {
		if e := sc.m.tab[r]; e&tabSlow == 0 {
			return e & tabSymMask
		}
	}
	var buf [4]frune
	fs := sc.m.norm.appendFold(buf[:0], r)
	for j := len(fs) - 1; j >= 0; j-- {
		if isWordClass(fs[j].cls) {
			return sc.m.alpha[fs[j].r]
		}
	}
	return 0
}

// step returns the automaton state after st on symbol sym (0: a rune in
// no word).
func (sc *scanner) step(st int32, sym uint32) int32 {
	a := &sc.m.auto
	switch {
	case sym == 0:
		return 0
	case a.dense != nil:
		return int32(a.dense[int(st)*a.stride+int(sym)])
	}
	return a.next(st, sym)
}

// emit records the candidates ending at the current word character, which
// ends at byte end.
func (sc *scanner) emit(st int32, end int) {
	if sc.scr != nil && len(sc.scr.cands) >= sc.limit && !sc.pending {
		sc.settleEarly()
	}
	m := sc.m
	a := &m.auto
	wide := -1 // index in cands of the allow occurrence kept at this end
	for t := a.states[st].term; t >= 0; t = a.states[a.states[t].fail].term {
	outs:
		for _, ei := range a.outputs(t) {
			e := &m.entries[ei]
			if sc.clauseOut && (e.n < 3 || int(e.n) > sc.crun) {
				continue // not within the clause thread's run, or too short
			}
			first := sc.pos - int(e.n) + 1
			if e.flags&needLeft != 0 && sc.info[first&(ringSize-1)]&infoLeftLatin != 0 {
				continue
			}
			for _, p := range m.seps[e.sepOff : e.sepOff+int32(e.sepN)] {
				if sc.info[(first+int(p))&(ringSize-1)]&infoGap == 0 {
					continue outs
				}
			}
			if sc.scr == nil {
				sc.scr = scratchPool.Get().(*scratch)
				sc.scr.cands, sc.scr.allow = sc.scr.cands[:0], sc.scr.allow[:0]
			}
			c := cand{entry: ei, start: sc.starts[first&(ringSize-1)], end: end}
			if e.flags&needRight != 0 {
				if !sc.pending {
					sc.pending = true
					sc.pendFrom = len(sc.scr.cands)
				}
				c.right = true
			}
			if e.id < 0 {
				// Of the allow occurrences ending here, the one starting
				// first covers all that the others cover: keep it alone.
				if wide >= 0 {
					if c.start < sc.scr.cands[wide].start {
						sc.scr.cands[wide] = c
					}
					continue
				}
				wide = len(sc.scr.cands)
			}
			sc.scr.cands = append(sc.scr.cands, c)
		}
	}
}

// addCand records a candidate found outside emit (a symbol word).
func (sc *scanner) addCand(c cand) {
	if sc.scr == nil {
		sc.scr = scratchPool.Get().(*scratch)
		sc.scr.cands, sc.scr.allow = sc.scr.cands[:0], sc.scr.allow[:0]
	} else if len(sc.scr.cands) >= sc.limit && !sc.pending {
		sc.settleEarly()
	}
	sc.scr.cands = append(sc.scr.cands, c)
}

// resolve settles the candidates waiting for their right boundary: the
// next visible character is Latin (latin true) or not.
func (sc *scanner) resolve(latin bool) {
	sc.pending = false
	if !latin {
		return
	}
	cs := sc.scr.cands
	j := sc.pendFrom
	for _, c := range cs[sc.pendFrom:] {
		if !c.right {
			cs[j] = c
			j++
		}
	}
	sc.scr.cands = cs[:j]
}

// settleEarly settles the candidates that start before the word character
// pos-maxLen+1 (see scanner): the candidates and allow occurrences ending
// at the current word character or later start no earlier than it.
func (sc *scanner) settleEarly() {
	bound := math.MaxInt // no word, no later candidate of the main automaton
	if sc.m.spanLen > 0 {
		first := sc.pos - int(sc.m.spanLen) + 1
		if first < 1 {
			sc.limit *= 2 // too early in the text: wait for more
			return
		}
		bound = sc.starts[first&(ringSize-1)]
	}
	if sy := sc.m.sym; sy != nil && sc.symPos > 0 {
		// A symbol candidate not found yet holds at most sy.maxLen runes
		// and none before the ones read last (symbols.go); with no symbol
		// rune read yet, it starts after everything read so far.
		bound = min(bound, sc.symStarts[max(1, sc.symPos-sy.maxLen+1)&(ringSize-1)])
	}
	sc.settles++
	sc.settle(bound)
}

// finish settles every candidate left at the end of the text.
func (sc *scanner) finish() { sc.settle(math.MaxInt) }

// settle applies the allow phrases and the leftmost-longest choice to the
// candidates that start before byte bound, which nothing found later can
// change (the caller sees to that), appends the matches chosen among them
// to out, and drops them. It keeps the other candidates that may still be
// chosen, and the allow occurrences that may still cover one of them or a
// later one. It must not run while candidates wait for their right
// boundary (pending).
func (sc *scanner) settle(bound int) {
	m := sc.m
	cs, al := sc.scr.cands, sc.scr.allow
	sc.held = max(sc.held, len(cs)+len(al))
	if len(m.allow) > 0 {
		j := 0
		for _, c := range cs {
			if m.entries[c.entry].id < 0 {
				al = append(al, c)
			} else {
				cs[j] = c
				j++
			}
		}
		cs = cs[:j]
		slices.SortFunc(al, func(x, y cand) int { return cmp.Compare(x.start, y.start) })
	}
	// A candidate starting before last overlaps a chosen match and can
	// never be chosen: drop it. Those starting before bound go first
	// (cs[:n]), to be sorted; the others (cs[n:k]) are kept.
	n, k := 0, 0
	for _, c := range cs {
		if c.start < sc.last {
			continue
		}
		cs[k] = c
		if c.start < bound {
			cs[k], cs[n] = cs[n], c
			n++
		}
		k++
	}
	slices.SortFunc(cs[:n], func(x, y cand) int {
		if c := cmp.Compare(x.start, y.start); c != 0 {
			return c
		}
		if c := cmp.Compare(y.end, x.end); c != 0 {
			return c
		}
		if (x.via == 0) != (y.via == 0) {
			if x.via == 0 {
				return -1
			}
			return 1
		}
		wx, wy := m.entries[x.entry].id, m.entries[y.entry].id
		if c := cmp.Compare(m.actionOf(wy, y.via), m.actionOf(wx, x.via)); c != 0 {
			return c
		}
		if c := cmp.Compare(wx, wy); c != 0 {
			return c
		}
		return cmp.Compare(x.via, y.via)
	})
	// cover is the largest end of the allow occurrences that start at or
	// before the candidate: one of them covers it when it ends no earlier.
	ai, cover := 0, -1
	for _, c := range cs[:n] {
		for ; ai < len(al) && al[ai].start <= c.start; ai++ {
			cover = max(cover, al[ai].end)
		}
		if c.end <= cover || c.start < sc.last {
			continue
		}
		if sc.contains {
			sc.found = true
		} else {
			sc.out = append(sc.out, Match{Word: int(m.entries[c.entry].id), Start: c.start, End: c.end, Via: c.via})
		}
		sc.last = c.end
	}
	// last may have moved on.
	j := 0
	for _, c := range cs[n:k] {
		if c.start >= sc.last {
			cs[j] = c
			j++
		}
	}
	sc.scr.cands = cs[:j]
	// An allow occurrence ending at or before bound covers no candidate
	// kept or found later: each starts at or after bound.
	j = 0
	for _, a := range al {
		if a.end > bound {
			al[j] = a
			j++
		}
	}
	sc.scr.allow = al[:j]
	// Wait until as many have come as were kept: each settle then sorts
	// at most twice what came since the last one.
	sc.limit = max(m.settleAt, 2*len(sc.scr.cands)+len(sc.scr.allow))
}

// release returns the scratch to its pool.
func (sc *scanner) release() {
	if cap(sc.scr.cands) <= maxPooledCands && cap(sc.scr.allow) <= maxPooledCands {
		scratchPool.Put(sc.scr)
	}
	sc.scr = nil
}
