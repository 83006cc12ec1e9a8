package filter

import (
	"cmp"
	"slices"
	"sync"
	"unicode/utf8"
)

// cand is a candidate match found by a scan, before allow phrases and the
// leftmost-longest choice are applied.
type cand struct {
	entry      int32
	right      bool // waiting for the right word-boundary check
	start, end int
}

// scratch is per-call working memory, recycled through scratchPool; a
// scan takes one only when it finds a candidate, so clean texts never
// touch the pool.
type scratch struct {
	cands []cand
	allow []cand
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// maxPooledCands bounds the scratch kept in the pool after a huge text.
const maxPooledCands = 1 << 14

// scanner is the state of one pass over a text, taken from scannerPool.
type scanner struct {
	m   *Matcher
	scr *scratch

	state     int32
	pos       int  // word characters seen so far
	gap       int  // separator code points since the last word character
	sepCp     int  // byte offset of the code point of the last separator
	gapClause bool // the gap holds clause punctuation
	prevCJK   bool // the last word character is CJK
	lastLatin bool // the last visible character is a Latin letter or digit
	pending   bool // candidates from pendFrom on wait for the right boundary check
	pendFrom  int

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
)

// buildASCII fills m.ascii: by byte, the symbol of an ASCII Latin letter
// or digit, asciiSep or asciiClause for a separator, asciiStop for every
// other byte (non-ASCII included). One load a byte in scanner.ascii.
func (m *Matcher) buildASCII() {
	for b := range m.ascii {
		v := int32(asciiStop)
		if e := m.tab[b]; b < utf8.RuneSelf && e&tabSlow == 0 {
			switch uint8(e >> tabClsShift) {
			case clsLatin:
				v = int32(e & tabSymMask)
			case clsSep:
				v = asciiSep
			case clsClause:
				v = asciiClause
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
	sc.gapClause, sc.prevCJK, sc.lastLatin, sc.pending = false, false, false, false
	return sc
}

// scan feeds every character of text through the automaton. The common
// cases (a 1- to 3-byte code point folding to one rune, no
// candidate waiting) run here on local copies of the scanner's fields;
// everything else goes through the scanner's methods.
func (sc *scanner) scan(text string) {
	tab := sc.m.tab
	auto := &sc.m.auto
	dense, firstOut := auto.dense, auto.firstOut
	// gf packs the gap length (above gapShift) and the flags: one
	// register less in this loop.
	st, pos, gf := sc.state, sc.pos, sc.gap<<gapShift|int(sc.flags())
	if dense != nil {
		// st is the offset of the state's row in dense.
		st *= int32(auto.stride)
		firstOut *= int32(auto.stride)
	}
	for i := 0; i < len(text); {
		start := i
		c := text[i]
		if c < utf8.RuneSelf && dense != nil && !sc.pending {
			// It stops at once only on a class it leaves to the code below.
			s, hit := 0, false
			i, s, pos, gf, hit = sc.ascii(text, i, int(st), pos, gf, &sc.m.ascii, dense, int(firstOut), auto.stride-1)
			if st = int32(s); hit {
				sc.pos = pos
				sc.emit(st/int32(auto.stride), i)
			}
			if i != start {
				continue
			}
		}
		e := uint32(tabSlow)
		if c < utf8.RuneSelf {
			e = tab[c]
			i++
		} else if c&0xF0 == 0xE0 && i+2 < len(text) && text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80 {
			if r := rune(c&0x0F)<<12 | rune(text[i+1]&0x3F)<<6 | rune(text[i+2]&0x3F); r >= 0x800 && (r < 0xD800 || r > 0xDFFF) {
				e = tab[r]
				i += 3
			}
		} else if c&0xE0 == 0xC0 && c >= 0xC2 && i+1 < len(text) && text[i+1]&0xC0 == 0x80 {
			e = tab[rune(c&0x1F)<<6|rune(text[i+1]&0x3F)]
			i += 2
		}
		cls := uint8(e >> tabClsShift)
		if cls == clsInvisible {
			continue
		}
		if e&tabSlow != 0 || sc.pending {
			sc.sync(st, pos, gf)
			i = sc.generic(text, start)
			st, pos, gf = sc.state, sc.pos, sc.gap<<gapShift|int(sc.flags())
			if dense != nil {
				st *= int32(auto.stride)
			}
			continue
		}
		if cls <= clsClause {
			// One rune per code point here, so every separator counts.
			gf = (gf+1<<gapShift)&^fLastLatin | int(cls-clsSep)<<1 // clsClause sets fGapClause
			continue
		}
		if gf >= 1<<gapShift && (gf >= (maxGap+1)<<gapShift || gf&(fGapClause|fPrevCJK) == fGapClause|fPrevCJK && cls == clsCJK) {
			st = 0
		}
		if sym := e & tabSymMask; sym == 0 {
			st = 0
		} else if dense != nil {
			st = dense[st+int32(sym)]
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
				sc.emit(st/int32(auto.stride), i)
			} else {
				sc.emit(st, i)
			}
		}
	}
	sc.sync(st, pos, gf)
	if sc.pending {
		sc.resolve(false)
	}
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
func (sc *scanner) ascii(text string, i int, s, pos, gf int, lat *[256]int32, dense []int32, out, bc int) (next, st, npos, ngf int, hit bool) {
	// The state is an int so that the load of the next state, which every
	// letter waits for, needs no sign extension after it.
	for i < len(text) {
		sym := lat[text[i]]
		if sym < 0 {
			if sym == asciiStop {
				break
			}
			// One rune per code point here, so every separator counts.
			gf = (gf+1<<gapShift)&^fLastLatin | int(asciiSep-sym)<<1 // asciiClause sets fGapClause
			i++
			continue
		}
		// The first letter of a run: the gap before it decides.
		if gf >= (maxGap+1)<<gapShift {
			s = 0
		}
		// run counts the letters of the run, which starts here unless the
		// letter before was Latin too (after a non-ASCII Latin letter: its
		// start is unknown, so no emit is skipped).
		run := 1
		if gf == fLastLatin {
			run = -ringSize
		}
		s = int(dense[s+int(sym)])
		pos++
		sc.starts[pos&(ringSize-1)] = i
		// infoGap when the gap is not 0, without a branch: the first
		// letter of each word would mispredict it.
		sc.info[pos&(ringSize-1)] = uint8(gf&fLastLatin | min(gf>>gapShift, 1)*infoGap)
		gf = fLastLatin
		i++
		// The rest of the run: no gap, a Latin neighbour on the left.
		for i < len(text) {
			sym := lat[text[i]]
			if sym < 0 {
				break
			}
			s = int(dense[s+int(sym)])
			pos++
			run++
			sc.starts[pos&(ringSize-1)] = i
			sc.info[pos&(ringSize-1)] = infoLeftLatin
			i++
		}
		if s >= out && int(dense[s+bc]) >= run {
			return i, s, pos, gf, true
		}
	}
	return i, s, pos, gf, false
}

// gapShift is where the gap length starts in scan's packed gf.
const gapShift = 4

// sync stores scan's local copies back into the scanner.
func (sc *scanner) sync(st int32, pos, gf int) {
	if sc.m.auto.dense != nil {
		st /= int32(sc.m.auto.stride)
	}
	sc.state, sc.pos, sc.gap = st, pos, gf>>gapShift
	sc.setFlags(uint8(gf & (1<<gapShift - 1)))
}

// Scanner flags, packed for the fast path of scan.
const (
	fLastLatin = 1 << iota // the last visible character is a Latin letter or digit
	fGapClause             // the current gap holds clause punctuation
	fPrevCJK               // the last word character is CJK
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
		sc.table(sc.m.tab[c], i, i+1)
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
	switch cls := uint8(e >> tabClsShift); {
	case cls == clsInvisible:
	case cls <= clsClause:
		sc.sep(cls, start)
	default:
		sc.word(cls, e&tabSymMask, start, end)
	}
}

// slow handles a code point that is not a single BMP rune after folding.
func (sc *scanner) slow(r rune, start, end int) {
	n := sc.m.norm
	e := n.lookup(r)
	if e&expFlag != 0 {
		for _, f := range n.exp[e&^expFlag] {
			sc.frune(f, start, end)
		}
		return
	}
	if cls := uint8(e >> runeBits); cls != clsInvisible {
		sc.frune(frune{rune(e & runeMask), cls}, start, end)
	}
}

func (sc *scanner) frune(f frune, start, end int) {
	if f.cls <= clsClause {
		sc.sep(f.cls, start)
		return
	}
	sc.word(f.cls, sc.m.alpha[f.r], start, end)
}

// breaker handles an invalid byte: visible, not Latin, never in a word.
func (sc *scanner) breaker() {
	if sc.pending {
		sc.resolve(false)
	}
	sc.state = 0
	sc.gap, sc.gapClause, sc.prevCJK, sc.lastLatin = 0, false, false, false
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
// text[start:end].
func (sc *scanner) word(cls uint8, sym uint32, start, end int) {
	if sc.pending {
		sc.resolve(cls == clsLatin)
	}
	m := sc.m
	st := sc.state
	if sc.gap > 0 && (sc.gap > maxGap || sc.gapClause && sc.prevCJK && cls == clsCJK) {
		st = 0
	}
	switch {
	case sym == 0:
		st = 0
	case m.auto.dense != nil:
		st = m.auto.dense[int(st)*m.auto.stride+int(sym)] / int32(m.auto.stride)
	default:
		st = m.auto.next(st, sym)
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
}

// emit records the candidates ending at the current word character, which
// ends at byte end.
func (sc *scanner) emit(st int32, end int) {
	m := sc.m
	a := &m.auto
	for t := a.states[st].term; t >= 0; t = a.states[a.states[t].fail].term {
	outs:
		for _, ei := range a.outputs(t) {
			e := &m.entries[ei]
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
				sc.scr.cands = sc.scr.cands[:0]
			}
			c := cand{entry: ei, start: sc.starts[first&(ringSize-1)], end: end}
			if e.flags&needRight != 0 {
				if !sc.pending {
					sc.pending = true
					sc.pendFrom = len(sc.scr.cands)
				}
				c.right = true
			}
			sc.scr.cands = append(sc.scr.cands, c)
		}
	}
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

// filterAllowed moves the allow occurrences out of the candidates and
// drops the word candidates that lie inside one; it returns the rest.
func (sc *scanner) filterAllowed() []cand {
	m := sc.m
	cs := sc.scr.cands
	if len(m.allow) == 0 {
		return cs
	}
	al := sc.scr.allow[:0]
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
	sc.scr.allow = al
	if len(al) > 0 {
		j = 0
	next:
		for _, c := range cs {
			for _, a := range al {
				if a.start <= c.start && c.end <= a.end {
					continue next
				}
			}
			cs[j] = c
			j++
		}
		cs = cs[:j]
	}
	sc.scr.cands = cs
	return cs
}

// selectMatches appends the leftmost-longest non-overlapping choice among
// the candidates to dst.
func (sc *scanner) selectMatches(dst []Match) []Match {
	m := sc.m
	cs := sc.filterAllowed()
	slices.SortFunc(cs, func(x, y cand) int {
		if c := cmp.Compare(x.start, y.start); c != 0 {
			return c
		}
		if c := cmp.Compare(y.end, x.end); c != 0 {
			return c
		}
		wx, wy := m.entries[x.entry].id, m.entries[y.entry].id
		if c := cmp.Compare(m.words[wy].Action, m.words[wx].Action); c != 0 {
			return c
		}
		return cmp.Compare(wx, wy)
	})
	last := 0
	for _, c := range cs {
		if c.start >= last {
			dst = append(dst, Match{Word: int(m.entries[c.entry].id), Start: c.start, End: c.end})
			last = c.end
		}
	}
	return dst
}

func (sc *scanner) release() {
	if cap(sc.scr.cands) <= maxPooledCands && cap(sc.scr.allow) <= maxPooledCands {
		scratchPool.Put(sc.scr)
	}
	sc.scr = nil
}
