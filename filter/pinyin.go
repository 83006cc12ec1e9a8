package filter

import (
	"math"
	"math/bits"
	"slices"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/unicode/norm"

	"github.com/wordfilter/wordfilter/internal/pinyin"
)

// This file holds the pinyin reading (ReadPinyin; docs/matching.md,
// "Variant readings"): Chinese words found where they are written by
// sound, in Latin pinyin (falungong), in part (法lun功) or with other
// characters of the same pronunciation (发轮功).
//
// Compile gives every word and allow phrase that takes the reading and
// is made of two to maxPinyinChars Chinese characters with readings one
// key per combination of its characters' readings (at most
// maxPinyinKeys: those with the fewest uncommon readings first), and
// builds a trie of the keys over syllables: a double array whose slot
// numbers are the states, so that a step is two loads (base of the
// state, check of the child).
//
// A walker is one way of reading the text from a fixed start as a key
// prefix: a trie state, and inside a syllable spelled in Latin letters
// the spelling trie's state. A character of the text is read by its first
// reading alone (docs/matching.md), so at a character each walker goes on
// by one syllable; at a letter by the spelling trie, and, where a
// syllable's spelling ends, by that syllable too (xian is xi+an and
// xian). A walker reaching the end of a key is judged for each word of the
// key (the rules that depend on the word's own characters: the
// two-character rule, a match that needs the reading, required
// separators), and each word that passes becomes a candidate with via
// ReadPinyin. Separators and clause punctuation are read from the main
// thread's gap, as any word reads them.
//
// Nearly every character begins some key, but few three do: the walkers
// of the last two characters are left pending (pyScan.pend) until a third
// may go on with them (pyData.pair, a bit per two syllables, and triple, a
// Bloom filter of two bits per three), or a letter follows. While no walker
// is live the main scan reads a CJK character for the reading itself, in
// the same step as it reads the character for the automaton
// (pyScan.quickHan, inlined: one load of pyData.scout, one of triple, a
// shift of pend), and calls the
// reading only where three characters may begin a key; a letter or digit
// goes to the reading (scanner.pinyinAt), which lets it pass at once
// unless it is a letter that may spell a syllable.

// Limits of the pinyin reading.
const (
	// maxPinyinKeys is the number of keys a word gets at most: of the
	// combinations of its characters' readings, those using the fewest
	// readings other than each character's first (most common) one.
	maxPinyinKeys = 64
	// maxPinyinChars is the longest word read through pinyin, in
	// characters (the width of a walker's masks).
	maxPinyinChars = 64
	// maxPinyinWalkers is the most walkers a scan keeps at once; more
	// (only text made to explode the readings gets there) are dropped.
	maxPinyinWalkers = 1024
)

// Flags of pyData.check.
const (
	pyTerm   = 1 << 30 // a key ends at the state
	pyLeaf   = 1 << 29 // no key goes on past the state
	pyParent = pyLeaf - 1
)

// pyData is the pinyin reading's part of a Matcher.
type pyData struct {
	// slots is the trie of the keys over syllables (1..NumSyllables; 0
	// is the end mark), a double array: the child of state s by syllable
	// c is t = slots[s].base+c when slots[t].check&pyParent == s. State 0
	// is the root, with base 0, so the child of the root by c is c. A
	// state where a key ends has an end mark child t0 = slots[s].base+0,
	// whose base is the index k of its list of entries,
	// outs[outEnd[k]:outEnd[k+1]]. The base of a state sits beside its
	// check, so a step loads one slot.
	slots  []pySlot
	outs   []int32
	outEnd []int32
	// runes holds the folded characters of the entries read through
	// pinyin, entry i's from runeAt[i] (-1: not read).
	runes  []rune
	runeAt []int32
	// scout has, by code point of the BMP that folds to one rune, what
	// the scan needs to know of it while no walker is live: for a CJK
	// character its first reading and whether a key starts with it, for
	// a Latin letter whether it spells pinyin and may begin a key (pk*).
	scout *[0x10000]uint16
	// pair has a bit for each two syllables a key starts with, at
	// a*pairStride+b: most pairs of characters of a text begin no key,
	// and this table (23 KB) tells so without a look at the trie.
	pair []uint64
	// triple is a Bloom filter of the three syllables keys start with
	// (tripleBits: two bits of one word each), 256 KB: the scan tests the
	// last three characters of the text against it, one load a
	// character, and most pairs that begin a key do not go on with the
	// next character.
	triple *[1 << tripleLog]uint64
}

// Layout of pyData.scout (and of each half of pyScan.pend): pkLetter |
// pkBegin | pkRoot | first reading.
const (
	pkSyl    = 1<<9 - 1 // the first reading of a CJK character (0: none)
	pkRoot   = 1 << 9   // a key starts with it
	pkBegin  = 1 << 10  // a letter that may begin a key
	pkLetter = 1 << 11  // a letter of a spaced script that spells pinyin
)

// pairStride is the row length of pyData.pair.
const pairStride = pinyin.NumSyllables + 1

// tripleLog is the size of pyData.triple: 1<<tripleLog words.
const tripleLog = 15

// tripleBits returns where pyData.triple holds the syllables of pend
// (packed as pyScan.pend packs them) and of c (scout entries, as
// pyData.entry gives them): a word, and two bits of it, which are both
// set when the three may begin a key. Two bits make a chance hit of a
// text's three syllables about ten times rarer than one bit of a table
// the same size (zh-large on zh-chat: 2.1% of the characters hit, 85%
// of them where a key does begin; with one bit 3.6% and 49%), and the
// word takes one load as one bit would.
func tripleBits(pend uint32, c uint16) (uint32, uint64) {
	x := (uint64(pend)<<16 | uint64(c)) * 0x9E3779B97F4A7C15
	return uint32(x >> (64 - tripleLog)), 1<<(x>>(64-tripleLog-6)&63) | 1<<(x>>(64-tripleLog-12)&63)
}

// pySlot is one slot of the double array.
type pySlot struct {
	base  int32
	check int32 // the parent state and the flags pyTerm, pyLeaf; -1 when free
}

func (d *pyData) memoryUsage() int {
	if d == nil {
		return 0
	}
	return 8*cap(d.slots) + 4*(len(d.outs)+len(d.outEnd)+len(d.runes)+len(d.runeAt)) + 2*len(d.scout) + 8*(len(d.pair)+len(d.triple))
}

// entry returns the scout entry of a CJK character of first reading s:
// s, with pkRoot when a key starts with it.
func (d *pyData) entry(s pinyin.Syllable) uint16 {
	if s != 0 && d.slots[s].check&pyParent == 0 {
		return uint16(s) | pkRoot
	}
	return uint16(s)
}

// child returns the child of state s by syllable c, or -1.
func (d *pyData) child(s int32, c pinyin.Syllable) int32 {
	t := d.slots[s].base + int32(c)
	if uint32(t) < uint32(len(d.slots)) && d.slots[t].check&pyParent == s {
		return t
	}
	return -1
}

// firstReading returns the first reading of the folded character f, 0 for
// none.
func firstReading(f rune) pinyin.Syllable {
	if rs := pinyin.Readings(f); rs != nil {
		return rs[0]
	}
	return 0
}

// pyKeys is the keys of the pinyin trie while it is built: key i is
// syl[end[i-1]:end[i]] (end[-1] = 0), of entry entry[i].
type pyKeys struct {
	syl   []pinyin.Syllable
	end   []int32
	entry []int32
}

func (k *pyKeys) key(i int32) []pinyin.Syllable {
	lo := int32(0)
	if i > 0 {
		lo = k.end[i-1]
	}
	return k.syl[lo:k.end[i]]
}

// buildPinyin builds the pinyin reading's data, when some entry takes it.
// It folds each entry once, keeping its characters, and counts the keys
// they make, so that the keys are laid out in arrays of their exact size
// (growing them by appending would leave about four times their size in
// garbage for a large dictionary's reload).
func (m *Matcher) buildPinyin(yield func()) {
	m.spanLen = m.maxLen
	eligible := func(e *entry) bool {
		return e.read&uint8(ReadPinyin) != 0 && e.n >= 2 && e.n <= maxPinyinChars
	}
	most := 0 // characters of the entries that may take the reading
	for i := range m.entries {
		if e := &m.entries[i]; eligible(e) {
			most += int(e.n)
		}
	}
	var runes []rune
	var runeAt []int32
	var kb [MaxWordRunes + 1]frune
	var sb [MaxWordRunes]uint8
	var rs [maxPinyinChars][]pinyin.Syllable
	spell := 0 // letters of the longest spelling of a key
	nkeys, nsyl := 0, 0
	for i := range m.entries {
		pace(yield, i)
		e := &m.entries[i]
		if !eligible(e) {
			continue
		}
		text := ""
		if e.id >= 0 {
			text = m.words[e.id].Text
		} else {
			text = m.allow[^e.id]
		}
		key, _, _ := foldKey(m.norm, kb[:0], sb[:0], text)
		ok := len(key) == int(e.n)
		for j, f := range key {
			if !ok {
				break
			}
			rs[j] = pinyin.Readings(f.r)
			ok = f.cls == clsCJK && unicode.Is(unicode.Han, f.r) && rs[j] != nil
		}
		if !ok {
			continue
		}
		if runeAt == nil {
			runeAt = make([]int32, len(m.entries))
			for k := range runeAt {
				runeAt[k] = -1
			}
			runes = make([]rune, 0, most)
		}
		runeAt[i] = int32(len(runes))
		for _, f := range key {
			runes = append(runes, f.r)
		}
		n := len(key)
		k := pyCombos(rs[:n])
		nkeys, nsyl = nkeys+k, nsyl+k*n
		letters := 0
		for _, r := range rs[:n] {
			longest := 0
			for _, s := range r {
				longest = max(longest, utf8.RuneCountInString(s.String()))
			}
			letters += longest
		}
		spell = max(spell, letters)
	}
	if nkeys == 0 {
		return
	}
	keys := pyKeys{syl: make([]pinyin.Syllable, 0, nsyl), end: make([]int32, 0, nkeys), entry: make([]int32, 0, nkeys)}
	for i, at := range runeAt {
		if at < 0 {
			continue
		}
		pace(yield, i)
		n := int(m.entries[i].n)
		for j, r := range runes[at : int(at)+n] {
			rs[j] = pinyin.Readings(r)
		}
		keys.addCombos(rs[:n], int32(i))
	}
	if cap(runes) > len(runes)+len(runes)/8 {
		runes = slices.Clone(runes) // keep about what is used
	}
	d := &pyData{runes: runes, runeAt: runeAt, triple: new([1 << tripleLog]uint64)}
	d.build(&keys, yield)
	for i := range keys.end {
		if k := keys.key(int32(i)); len(k) >= 3 {
			w, b := tripleBits(uint32(d.entry(k[0]))<<16|uint32(d.entry(k[1])), d.entry(k[2]))
			d.triple[w] |= b
		}
	}
	m.py = d
	m.spanLen = int32(min(ringSize, max(int(m.maxLen), spell)))
	m.markPinyin()
}

// pyCombos returns the number of keys addCombos adds for characters with
// the readings rs: every combination, at most maxPinyinKeys.
func pyCombos(rs [][]pinyin.Syllable) int {
	n := 1
	for _, r := range rs {
		if n = min(n*len(r), maxPinyinKeys); n == 0 {
			return 0
		}
	}
	return n
}

// addCombos adds the keys of entry ei, whose characters have the readings
// rs: every combination of readings, or the maxPinyinKeys of them that use
// the fewest readings other than each character's first.
func (k *pyKeys) addCombos(rs [][]pinyin.Syllable, ei int32) {
	var cur [maxPinyinChars]pinyin.Syllable
	n := len(rs)
	multi := 0 // characters with more than one reading
	for _, r := range rs {
		if len(r) > 1 {
			multi++
		}
	}
	added := 0
	// rec chooses the readings of characters i.. with exactly other
	// readings besides the first ones, among the multi characters left.
	var rec func(i, other, left int)
	rec = func(i, other, left int) {
		if added >= maxPinyinKeys || other > left {
			return
		}
		if i == n {
			k.syl = append(k.syl, cur[:n]...)
			k.end = append(k.end, int32(len(k.syl)))
			k.entry = append(k.entry, ei)
			added++
			return
		}
		r := rs[i]
		if len(r) > 1 {
			left--
		}
		cur[i] = r[0]
		rec(i+1, other, left)
		if other > 0 {
			for _, s := range r[1:] {
				cur[i] = s
				rec(i+1, other-1, left)
			}
		}
	}
	for other := 0; other <= multi && added < maxPinyinKeys; other++ {
		rec(0, other, multi)
	}
}

// build sorts the keys and lays out their trie.
func (d *pyData) build(keys *pyKeys, yield func()) {
	order := make([]int32, len(keys.end))
	for i := range order {
		order[i] = int32(i)
	}
	// A counting sort by the first syllable, then each bucket by the rest.
	var bucket [pinyin.NumSyllables + 2]int32
	for i := range order {
		bucket[keys.key(int32(i))[0]+1]++
	}
	for c := 1; c < len(bucket); c++ {
		bucket[c] += bucket[c-1]
	}
	pos := bucket
	for i := range keys.end {
		c := keys.key(int32(i))[0]
		order[pos[c]] = int32(i)
		pos[c]++
	}
	cmps := 0
	for c := 1; c <= pinyin.NumSyllables; c++ {
		pace(yield, c)
		slices.SortFunc(order[bucket[c]:bucket[c+1]], func(x, y int32) int {
			cmps++
			pace(yield, cmps)
			if c := slices.Compare(keys.key(x)[1:], keys.key(y)[1:]); c != 0 {
				return c
			}
			return int(keys.entry[x] - keys.entry[y])
		})
	}

	// Breadth first over the sorted keys: a node is a range of keys
	// sharing its prefix; its children are placed together in the double
	// array. Breadth first keeps the shallow states, which every character
	// of a Chinese text visits, together at the start of the array (the
	// 20,000 states of depth 2 of zh-large in 160 KB), where they stay in
	// the cache.
	// The trie's slots are those of fl: a used slot but the root holds
	// the state's parent in check (with the flags) and its base in next,
	// copied into d.slots at the end. (Slot 0, the root, heads fl's list
	// of free slots; its base is 0.) fl starts with room for the trie's
	// nodes and a few holes, and grows if it needs more.
	var fl freeList
	nodes := trieNodes(keys, order)
	fl.init(nodes + nodes/16 + pinyin.NumSyllables + 16)
	type node struct {
		state, lo, hi, depth int32
	}
	queue := []node{{0, 0, int32(len(order)), 0}}
	head := 0
	var syms []int32 // symbols of the children, 0 for the end mark
	var ranges []int32
	d.outs = make([]int32, 0, len(order))
	d.outEnd = make([]int32, 1, len(order)+1)
	steps := 0
	for head < len(queue) {
		steps++
		pace(yield, steps)
		nd := queue[head]
		if head++; head >= 1<<16 && head > len(queue)/2 {
			queue = queue[:copy(queue, queue[head:])]
			head = 0
		}
		syms, ranges = syms[:0], ranges[:0]
		i := nd.lo
		if keys.end[order[i]]-keyStart(keys, order[i]) == nd.depth {
			syms = append(syms, 0)
			ranges = append(ranges, i)
			for i < nd.hi && keys.end[order[i]]-keyStart(keys, order[i]) == nd.depth {
				d.outs = append(d.outs, keys.entry[order[i]])
				i++
			}
			d.outEnd = append(d.outEnd, int32(len(d.outs)))
		}
		for i < nd.hi {
			c := keys.key(order[i])[nd.depth]
			syms = append(syms, int32(c))
			ranges = append(ranges, i)
			for i < nd.hi && keys.key(order[i])[nd.depth] == c {
				i++
			}
		}
		ranges = append(ranges, nd.hi)
		base := 0
		if nd.state != 0 {
			base = place(&fl, syms)
		} else {
			fl.grow(pinyin.NumSyllables + 1)
			for _, c := range syms {
				fl.take(c, slot{})
			}
		}
		if nd.state != 0 {
			fl.slots[nd.state].next = int32(base)
		}
		for j, c := range syms {
			t := int32(base) + c
			fl.slots[t].check = nd.state
			if c == 0 {
				fl.slots[t].next = int32(len(d.outEnd) - 2) // this node's list
				if nd.state != 0 {
					fl.slots[nd.state].check |= pyTerm
				}
				continue
			}
			if len(queue) == cap(queue) {
				queue = slices.Grow(queue, len(queue)) // doubling: append's smaller steps leave more garbage
			}
			queue = append(queue, node{t, ranges[j], ranges[j+1], nd.depth + 1})
		}
		if syms[len(syms)-1] == 0 && nd.state != 0 {
			fl.slots[nd.state].check |= pyLeaf
		}
	}
	d.slots = asPySlots(fl.slots)
	for i := range d.slots {
		if sl := fl.slots[i]; i == 0 || fl.state[i]&slotUsed == 0 {
			d.slots[i] = pySlot{check: -1} // free, or the root: base 0, nobody's child
		} else {
			d.slots[i] = pySlot{base: sl.next, check: sl.check}
		}
	}
	// Keep exactly what is used: the slice grew by doubling.
	d.outEnd = slices.Clone(d.outEnd)
}

// asPySlots returns the memory of slots as pySlots, which have the same
// size and layout (two int32), so that the trie takes over the free
// list's array instead of a copy of it: a large dictionary's reload then
// holds one array of a million slots at its peak, not two. Each element
// must be read as a slot before it is written as a pySlot.
func asPySlots(slots []slot) []pySlot {
	return unsafe.Slice((*pySlot)(unsafe.Pointer(unsafe.SliceData(slots))), len(slots))
}

// The two slot types must stay the same size for asPySlots.
var (
	_ [unsafe.Sizeof(slot{}) - unsafe.Sizeof(pySlot{})]struct{}
	_ [unsafe.Sizeof(pySlot{}) - unsafe.Sizeof(slot{})]struct{}
)

// trieNodes returns the number of nodes of the trie of the keys (sorted
// by order) besides the root, the end marks included: each key adds those
// past its longest common prefix with the key before.
func trieNodes(keys *pyKeys, order []int32) int {
	n := 0
	var prev []pinyin.Syllable
	for i, k := range order {
		key := keys.key(k)
		lcp := 0
		for lcp < len(prev) && lcp < len(key) && prev[lcp] == key[lcp] {
			lcp++
		}
		n += len(key) - lcp
		if i == 0 || lcp < len(key) || len(prev) != len(key) {
			n++ // its end mark
		}
		prev = key
	}
	return n
}

func keyStart(keys *pyKeys, i int32) int32 {
	if i == 0 {
		return 0
	}
	return keys.end[i-1]
}

// place finds a base for children of symbols syms (increasing) on free
// slots of fl and takes the slots, as placeDoubleArray does.
func place(fl *freeList, syms []int32) int {
	base := findBase(fl, syms, nil)
	for _, c := range syms {
		fl.take(int32(base+int(c)), slot{})
	}
	return base
}

// markPinyin fills the tables of the scan: pair and scout.
func (m *Matcher) markPinyin() {
	d := m.py
	var first [256]bool // first letters of the syllables keys start with
	for s := pinyin.Syllable(1); s <= pinyin.NumSyllables; s++ {
		if !s.Interjection() && d.child(0, s) >= 0 {
			first[s.String()[0]] = true
		}
	}
	d.pair = make([]uint64, (pairStride*pairStride+63)/64)
	for a := pinyin.Syllable(1); a <= pinyin.NumSyllables; a++ {
		if t := d.child(0, a); t >= 0 {
			for b := pinyin.Syllable(1); b <= pinyin.NumSyllables; b++ {
				if d.child(t, b) >= 0 {
					i := int(a)*pairStride + int(b)
					d.pair[i/64] |= 1 << (i % 64)
				}
			}
		}
	}
	n := m.norm
	d.scout = new([0x10000]uint16)
	for r := range d.scout {
		e := n.bmp[r]
		if e&expFlag != 0 {
			continue // read by scanner.pinyinWord
		}
		f := rune(e & runeMask)
		switch uint8(e >> runeBits) {
		case clsCJK:
			d.scout[r] = d.entry(firstReading(f))
		case clsLatin:
			if b := pinyinLetter(f); b != 0 {
				d.scout[r] = pkLetter
				if first[b&0xFF] {
					d.scout[r] |= pkBegin
				}
			}
		}
	}
}

// pinyinLetter returns the bytes that the folded Latin letter f spells in
// pinyin, low byte first (ü and ê are two), or 0 when f spells nothing: a
// to z stand for themselves; a letter with diacritics (tone marks) stands
// for its plain letter, but u with a diaeresis for ü and e with a
// circumflex for ê.
func pinyinLetter(f rune) uint16 {
	switch {
	case 'a' <= f && f <= 'z':
		return uint16(f)
	case f < 0xC0:
		return 0
	}
	return pinyinLetters()[f]
}

// pinyinLetters maps the folded Latin letters with diacritics to the
// bytes they spell (see pinyinLetter), built once.
var pinyinLetters = sync.OnceValue(func() map[rune]uint16 {
	l := map[rune]uint16{}
	for _, rg := range [][2]rune{{0xC0, 0x24F}, {0x1E00, 0x1EFF}} {
		for r := rg[0]; r <= rg[1]; r++ {
			if !unicode.IsLower(r) {
				continue
			}
			d := norm.NFD.String(string(r))
			base, n := utf8.DecodeRuneInString(d)
			if base < 'a' || base > 'z' || n == len(d) {
				continue
			}
			marks := d[n:]
			ok := true
			for _, c := range marks {
				ok = ok && unicode.Is(unicode.Mn, c)
			}
			if !ok {
				continue
			}
			switch {
			case base == 'u' && containsRune(marks, 0x308):
				l[r] = 0xC3 | 0xBC<<8 // ü
			case base == 'e' && containsRune(marks, 0x302):
				l[r] = 0xC3 | 0xAA<<8 // ê
			default:
				l[r] = uint16(base)
			}
		}
	}
	return l
})

func containsRune(s string, r rune) bool {
	for _, c := range s {
		if c == r {
			return true
		}
	}
	return false
}

// pyWalker is one way of reading the text from start as a key prefix.
type pyWalker struct {
	start int
	han   uint64 // bit j: carrier j is a Chinese character (else Latin)
	gaps  uint64 // bit j: separators before carrier j
	node  int32  // trie state: the syllables read
	base  int32  // the base of node's slot
	spell pinyin.State
	depth uint8 // syllables read
	units uint8 // word characters read (characters and letters)
	sgap  bool  // separators before the syllable being spelled
}

// pyScan is a scan's pinyin state, kept by its scanner between scans.
type pyScan struct {
	cur, next []pyWalker
	// pend holds the last two word units while they are CJK characters
	// read one after the other, in pyData.scout's layout: the last in the
	// low 16 bits, the one before in the high 16 (0: no such character,
	// or one without a reading). Their walkers are not made until a third
	// character may go on with them (pyData.pair and triple say), or a
	// letter follows. Where they start, and whether separators stand
	// between them, the scanner's ring tells: they are its word
	// characters pos-1 and pos.
	pend uint32
	// The expansion being read (a code point folding to several runes)
	// and the word runes of it read so far.
	expAt, expIdx int
	han           [maxPinyinChars]rune
}

// pyReset readies the pinyin state for a new scan.
func (sc *scanner) pyReset() {
	sc.pyLive, sc.pyNext = false, math.MaxInt
	if sc.m.py != nil {
		sc.pyState().expAt = -1
		sc.pyAfresh()
	}
}

// pyBegin starts the reading of sc.text.
func (sc *scanner) pyBegin() {
	if sc.m.py != nil {
		sc.pyAfresh()
	}
}

// pyBreak ends every pinyin reading at an invalid byte.
func (sc *scanner) pyBreak() {
	if sc.m.py != nil {
		sc.pyAfresh()
	}
}

func (sc *scanner) pyState() *pyScan {
	if sc.py == nil {
		sc.py = &pyScan{expAt: -1}
	}
	return sc.py
}

// pyAfresh starts the reading afresh: no walker, nothing pending.
func (sc *scanner) pyAfresh() {
	p := sc.py
	p.cur, p.pend = p.cur[:0], 0
	sc.pyLive, sc.pyNext = false, 0
}

// pyCut reports whether, by scan's packed gap and flags gf before a CJK
// character, the reading breaks before it: more than maxGap separators,
// or clause punctuation after a CJK character.
func pyCut(gf int) bool {
	return gf >= (maxGap+1)<<gapShift || gf&(fGapClause|fPrevCJK) == fGapClause|fPrevCJK
}

// quickHan is the reading of a CJK character of scout entry e (its first
// reading and pkRoot) while no walker is live, done inside scan's loop
// (which has dropped what is pending where the reading breaks before the
// character: pyCut). It reports whether the reading must read the
// character itself (pyHan), because the two pending characters and it
// may begin a key (pyData.triple: a hit is judged again by pyHan, as is
// the rare character without a reading that hits), and otherwise keeps
// it pending. One load of triple, and no branch that depends on the
// syllables but the rare hit. Small enough for the compiler to inline
// it in scan, whose registers a call would spill.
func (p *pyScan) quickHan(d *pyData, e uint16) bool {
	pend := p.pend
	if w, b := tripleBits(pend, e); d.triple[w]&b == b {
		return true
	}
	p.pend = pend<<16 | uint32(e)
	return false
}

// wantsLetter reports whether the reading, with no walker live, must
// read a letter or digit of a spaced script of scout entry e after gap
// separators (leftLatin: the nearest visible character before is a
// letter or digit of a spaced script): a letter that spells pinyin,
// where a walker may start (not glued to a letter on its left), and that
// may begin a key or go on from the pending characters. Otherwise the
// reading would only drop what is pending.
func (p *pyScan) wantsLetter(d *pyData, e uint16, gap int, leftLatin bool) bool {
	switch {
	case e&pkLetter == 0 || leftLatin:
		return false
	case e&pkBegin != 0:
		return true
	case gap > maxGap:
		return false
	}
	return p.pend&pkRoot != 0 || d.pairs(pinyin.Syllable(p.pend>>16&pkSyl), pinyin.Syllable(p.pend&pkSyl))
}

// pairs reports whether some key starts with the syllables a, b (never
// for 0).
func (d *pyData) pairs(a, b pinyin.Syllable) bool {
	i := uint(a)*pairStride + uint(b)
	return d.pair[i/64]&(1<<(i%64)) != 0
}

// pinyinAt feeds the pinyin reading the word character text[start:end], a
// code point of the BMP folding to one rune of class cls, from scan's
// inline path: a CJK character that quickHan hands on or that walkers
// wait for, or any other word character. gf is scan's packed gap and
// flags before it and pos its count of word characters before it
// (stored in sc.pos: a candidate added may settle those before it, and
// the ring at pos holds the pending characters).
func (sc *scanner) pinyinAt(text string, start, end int, cls uint8, gf, pos int) {
	sc.pos = pos
	var r rune
	switch end - start {
	case 1:
		r = rune(text[start])
	case 2:
		r = rune(text[start]&0x1F)<<6 | rune(text[start+1]&0x3F)
	default:
		r = rune(text[start]&0x0F)<<12 | rune(text[start+1]&0x3F)<<6 | rune(text[start+2]&0x3F)
	}
	d, p := sc.m.py, sc.py
	e, gap, leftLatin := d.scout[r], gf>>gapShift, gf&fLastLatin != 0
	switch {
	case cls == clsCJK:
		sc.pyHan(pinyin.Syllable(e&pkSyl), start, end, gap, pyCut(gf))
	case sc.pyLive || p.wantsLetter(d, e, gap, leftLatin):
		sc.pyOther(rune(sc.m.norm.bmp[r]&runeMask), cls, start, end, gap, leftLatin)
	default:
		p.pend = 0
	}
	sc.pyAfter(end, cls == clsLatin)
}

// pinyinWord feeds the pinyin reading the word character of class cls of
// the code point text[start:end], from scanner.word: the code point's
// fold, or the next word rune of its expansion.
func (sc *scanner) pinyinWord(cls uint8, start, end int) {
	p := sc.py
	r, _ := utf8.DecodeRuneInString(sc.text[start:end])
	n := sc.m.norm
	e := n.lookup(r)
	var f rune
	if e&expFlag != 0 {
		if p.expAt != start {
			p.expAt, p.expIdx = start, 0
		}
		k := 0
		for _, fr := range n.exp[e&^expFlag] {
			if isWordClass(fr.cls) {
				if k == p.expIdx {
					f = fr.r
					break
				}
				k++
			}
		}
		p.expIdx++
	} else {
		f = rune(e & runeMask)
		if d := sc.m.py; r < 0x10000 && !sc.pyLive {
			// As scan's inline path reads it.
			switch pe := d.scout[r]; {
			case cls == clsCJK:
				if sc.gap > maxGap || sc.gapClause && sc.prevCJK {
					p.pend = 0 // (pyCut)
				}
				if !p.quickHan(d, pe) {
					return
				}
			case !p.wantsLetter(d, pe, sc.gap, sc.lastLatin):
				p.pend = 0
				sc.pyAfter(end, cls == clsLatin)
				return
			}
		}
	}
	if cls == clsCJK {
		sc.pyHan(firstReading(f), start, end, sc.gap, sc.gap > maxGap || sc.gapClause && sc.prevCJK)
	} else {
		sc.pyOther(f, cls, start, end, sc.gap, sc.lastLatin)
	}
	sc.pyAfter(end, cls == clsLatin)
}

// pyAfter notes, after the reading has read a word unit ending at byte
// end (a letter or digit of a spaced script when latin), whether walkers
// are live. After a letter or digit with none, no walker starts before
// the end of its run of letters and digits (a walker starts only at a
// letter with no letter or digit on its left), so scan's ASCII loop may
// read the rest of the run without the reading: scanner.pyNext.
func (sc *scanner) pyAfter(end int, latin bool) {
	sc.pyLive = len(sc.py.cur) > 0
	if latin && !sc.pyLive && sc.m.auto.dense != nil {
		text, lat := sc.text, &sc.m.ascii
		for end < len(text) && lat[text[end]] >= 0 {
			end++
		}
		sc.pyNext = end
	}
}

// pyHan reads a CJK character of the text, whose first reading is s (0:
// none), after gap separators (cut: the reading breaks before it, see
// pyCut). A character of the text is read by its first reading alone:
// written as itself it is one of its own readings, and standing for
// another character it stands for it by its usual sound
// (docs/matching.md).
func (sc *scanner) pyHan(s pinyin.Syllable, start, end, gap int, cut bool) {
	p := sc.py
	if gap > maxGap || cut || s == 0 {
		p.cur, p.pend = p.cur[:0], 0
		if s == 0 {
			return
		}
	}
	d := sc.m.py
	slots := d.slots
	if len(p.cur) > 0 {
		sc.pyStep(s, end, gap)
	}
	if s0, s1 := pinyin.Syllable(p.pend>>16&pkSyl), pinyin.Syllable(p.pend&pkSyl); d.pairs(s0, s1) {
		if w, b := tripleBits(p.pend, d.entry(s)); d.triple[w]&b == b {
			// The two characters before and this one may begin a key:
			// their walker, of depth 3.
			t2 := slots[s0].base + int32(s1)
			if t := slots[t2].base + int32(s); uint32(t) < uint32(len(slots)) && slots[t].check&pyParent == t2 {
				w := pyWalker{start: sc.starts[(sc.pos-1)&(ringSize-1)], han: 7, node: t, base: slots[t].base, depth: 3, units: 3}
				if sc.info[sc.pos&(ringSize-1)]&infoGap != 0 {
					w.gaps |= 2
				}
				if gap > 0 {
					w.gaps |= 4
				}
				p.cur = sc.pyReached(p.cur, &w, slots[t].check, end, false)
			}
		}
	}
	p.pend = p.pend<<16 | uint32(d.entry(s))
}

// pyStep moves the walkers on by the character of first reading s.
func (sc *scanner) pyStep(s pinyin.Syllable, end, gap int) {
	p := sc.py
	slots := sc.m.py.slots
	limit := uint8(sc.m.spanLen)
	cur, next := p.cur, p.next[:0]
	for i := range cur {
		w := &cur[i]
		if w.spell != 0 || w.units >= limit {
			continue
		}
		t := w.base + int32(s)
		if uint32(t) >= uint32(len(slots)) {
			continue
		}
		sl := slots[t]
		if sl.check&pyParent != w.node {
			continue
		}
		nw := *w
		nw.node, nw.base = t, sl.base
		nw.han |= 1 << w.depth
		if gap > 0 {
			nw.gaps |= 1 << w.depth
		}
		nw.depth++
		nw.units++
		next = sc.pyReached(next, &nw, sl.check, end, false)
	}
	p.cur, p.next = next, cur
}

// pyPending makes the walkers left pending at the last two characters
// (see pyScan) and appends them to cur.
func (sc *scanner) pyPending(cur []pyWalker) []pyWalker {
	p := sc.py
	d := sc.m.py
	slots := d.slots
	if s0, s1 := pinyin.Syllable(p.pend>>16&pkSyl), pinyin.Syllable(p.pend&pkSyl); d.pairs(s0, s1) {
		t := slots[s0].base + int32(s1)
		w := pyWalker{start: sc.starts[(sc.pos-1)&(ringSize-1)], han: 3, node: t, base: slots[t].base, depth: 2, units: 2}
		if sc.info[sc.pos&(ringSize-1)]&infoGap != 0 {
			w.gaps = 2
		}
		cur = append(cur, w)
	}
	if s := pinyin.Syllable(p.pend & pkSyl); p.pend&pkRoot != 0 {
		cur = append(cur, pyWalker{start: sc.starts[sc.pos&(ringSize-1)], han: 1, node: int32(s), base: slots[s].base, depth: 1, units: 1})
	}
	p.pend = 0
	return cur
}

// pyOther reads a word unit f of class cls other than CJK after gap
// separators (leftLatin: the nearest visible character before is a letter
// or digit of a spaced script): a letter that spells pinyin, or anything
// else, which ends every walker.
func (sc *scanner) pyOther(f rune, cls uint8, start, end, gap int, leftLatin bool) {
	p := sc.py
	cur := p.cur
	if gap > maxGap {
		cur, p.pend = cur[:0], 0
	}
	cur = sc.pyPending(cur)
	next := p.next[:0]
	if b := pinyinLetter(f); b != 0 && cls == clsLatin {
		limit := uint8(sc.m.spanLen)
		for i := range cur {
			if cur[i].units < limit {
				next = sc.pySpell(next, cur[i], b, gap, end)
			}
		}
		if !leftLatin {
			next = sc.pySpell(next, pyWalker{start: start}, b, gap, end)
		}
	}
	p.cur, p.next = next, cur[:0]
}

// pySpell goes on from w with the letter spelling bytes b (see
// pinyinLetter) and appends the walkers that result to next.
func (sc *scanner) pySpell(next []pyWalker, w pyWalker, b uint16, gap, end int) []pyWalker {
	sp := w.spell
	if sp == 0 {
		sp = pinyin.Start()
		w.sgap = gap > 0
	}
	var ok bool
	if sp, ok = sp.Next(byte(b)); ok && b > 0xFF {
		sp, ok = sp.Next(byte(b >> 8))
	}
	if !ok {
		return next
	}
	w.spell = sp
	w.units++
	next = sc.pyKeep(next, &w)
	slots := sc.m.py.slots
	for _, s := range sp.Ends() {
		if s.Interjection() {
			continue
		}
		t := w.base + int32(s)
		if uint32(t) >= uint32(len(slots)) || slots[t].check&pyParent != w.node {
			continue
		}
		nw := w
		nw.node, nw.base, nw.spell = t, slots[t].base, 0
		if w.sgap {
			nw.gaps |= 1 << w.depth
		}
		nw.depth++
		next = sc.pyReached(next, &nw, slots[t].check, end, true)
	}
	return next
}

// pyReached handles walker w, which has just read a syllable ending at
// byte end (a letter's when latin) into a state with flags (its check):
// it reports the keys ending there and keeps w in next when keys go on.
func (sc *scanner) pyReached(next []pyWalker, w *pyWalker, flags int32, end int, latin bool) []pyWalker {
	if flags&pyTerm != 0 && (w.depth != 2 || w.han == 1 || w.han == 2) {
		// (A two-character word needs one character and one syllable
		// in Latin letters.)
		sc.pyOutput(w, end, latin)
	}
	if flags&pyLeaf == 0 && w.depth < maxPinyinChars {
		next = sc.pyKeep(next, w)
	}
	return next
}

// pyKeep appends w to the walkers kept, unless maxPinyinWalkers are: the
// text is then reported incomplete.
func (sc *scanner) pyKeep(next []pyWalker, w *pyWalker) []pyWalker {
	if len(next) < maxPinyinWalkers {
		return append(next, *w)
	}
	sc.incomplete = true
	return next
}

// pyOutput judges the words whose key w has read, ending at byte end
// (after a letter when latin), and adds the candidates.
func (sc *scanner) pyOutput(w *pyWalker, end int, latin bool) {
	if latin && sc.latinAt(end) {
		return // glued on its right
	}
	m := sc.m
	d := m.py
	k := d.slots[w.base].base
	outs := d.outs[d.outEnd[k]:d.outEnd[k+1]]
	n := int(w.depth)
	han := sc.py.hanRunes(m, sc.text[w.start:end])
	if bits.OnesCount64(w.han) != len(han) {
		return // cannot happen: every Chinese character of the span is a carrier
	}
	for _, ei := range outs {
		e := &m.entries[ei]
		word := d.runes[d.runeAt[ei]:]
		itself, h := 0, 0
		for j := range n {
			if w.han&(1<<j) != 0 {
				if han[h] == word[j] {
					itself++
				}
				h++
			}
		}
		if itself == n || n == 2 && itself != 1 {
			// An exact match (the main thread's), or a two-character
			// word without one character written as itself.
			continue
		}
		ok := true
		for _, q := range m.seps[e.sepOff : e.sepOff+int32(e.sepN)] {
			ok = ok && w.gaps&(1<<q) != 0
		}
		if ok {
			sc.addCand(cand{entry: ei, start: w.start, end: end, via: ReadPinyin})
		}
	}
}

// hanRunes returns the folded Chinese characters of s in order.
func (p *pyScan) hanRunes(m *Matcher, s string) []rune {
	out := p.han[:0]
	var buf [8]frune
	for _, r := range s {
		for _, f := range m.norm.appendFold(buf[:0], r) {
			if f.cls == clsCJK && len(out) < len(p.han) {
				out = append(out, f.r)
			}
		}
	}
	return out
}

// latinAt reports whether the nearest visible character at or after byte
// i is a letter or digit of a spaced script.
func (sc *scanner) latinAt(i int) bool {
	text := sc.text
	var buf [8]frune
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if r == utf8.RuneError && n == 1 {
			return false
		}
		if fs := sc.m.norm.appendFold(buf[:0], r); len(fs) > 0 {
			return fs[0].cls == clsLatin
		}
		i += n
	}
	return false
}
