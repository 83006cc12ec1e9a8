package filter

import (
	"slices"
)

// automaton is the Aho-Corasick automaton over symbols 1..nsym. State 0
// is the root. Transitions live in a double array: the child of state s
// by symbol c is slots[states[s].base+c].next when that slot's check is s;
// otherwise the failure link is followed. The root has a dense row.
// Small dictionaries also get a full transition table (dense), one load a
// character.
type automaton struct {
	root   []int32 // root transitions, by symbol
	states []state
	slots  []slot
	// dense[s*stride+sym] is the next state, or dense is nil. The scan
	// keeps the offset of the state's row (the state times stride) and
	// multiplies each entry by the stride: the multiplication costs less
	// than twice the table's size in cache (en: 650 KB against 1.3 MB,
	// which outgrows a core's L2). The last column of a row is not a
	// transition but the state's emit bound and depth (see
	// Matcher.setEmitBounds).
	dense  []uint16
	stride int
	// rowMul turns a row offset into its state with a multiplication
	// (rowState) instead of a division.
	rowMul uint64
	perm   []int32 // while building: old state number → new
	outs   []int32 // entry indexes: the outputs of s are outs[states[s].out:states[s+1].out]
	// States are numbered so that exactly those from firstOut on have
	// outputs on their suffix chain: the scan tests that without a load.
	firstOut int32
	// extends has a bit per state with a child in the trie (some key
	// goes on past it), for begins.
	extends []uint64
	// depth is the number of symbols on the trie path to each state: the
	// variant readings start walks from the states of a suffix chain, each
	// at its depth before the current character.
	depth []uint8
}

// state is one automaton state; the fields the scan reads together are
// kept together.
type state struct {
	base int32 // double-array offset of the children
	fail int32 // failure link
	term int32 // first state on the suffix chain (s, fail(s), ...) with outputs, or -1
	out  int32 // start of the outputs in outs
}

type slot struct {
	check int32 // parent state, or -1 for a free slot
	next  int32
}

// next returns the state after reading sym in state s.
func (a *automaton) next(s int32, sym uint32) int32 {
	for s != 0 {
		p := a.states[s].base + int32(sym)
		if uint32(p) < uint32(len(a.slots)) && a.slots[p].check == s {
			return a.slots[p].next
		}
		s = a.states[s].fail
	}
	return a.root[sym]
}

// outputs returns the entries ending exactly in state t.
func (a *automaton) outputs(t int32) []int32 {
	return a.outs[a.states[t].out:a.states[t+1].out]
}

func (a *automaton) memoryUsage() int {
	return 4*len(a.root) + 16*len(a.states) + 8*len(a.slots) + 2*len(a.dense) + 4*len(a.outs) + 8*len(a.extends) + len(a.depth)
}

// child returns the trie child of state s by symbol sym (no failure link
// followed), or 0 when there is none (the root is no child).
func (a *automaton) child(s int32, sym uint32) int32 {
	if s == 0 {
		return a.root[sym]
	}
	p := a.states[s].base + int32(sym)
	if uint32(p) < uint32(len(a.slots)) && a.slots[p].check == s {
		return a.slots[p].next
	}
	return 0
}

// begins reports whether the characters of symbols prev and sym, one
// after the other, begin a key of three or more characters: the clause
// thread starts at a clause gap only then (its words have three or more).
func (a *automaton) begins(prev, sym uint32) bool {
	if prev == 0 || sym == 0 {
		return false
	}
	s := a.child(a.child(0, prev), sym)
	return s != 0 && a.extends[s/64]&(1<<(s%64)) != 0
}

// build lays out the symbol table and the automaton.
func (b *builder) build(kind engineKind) {
	m := b.m
	m.nsym = len(b.alphaRn)
	b.renumberByFrequency()
	m.alpha = b.alphaIdx
	symOf := make([]uint32, 0x10000) // folded BMP rune → symbol
	for r, c := range b.alphaIdx {
		if r < 0x10000 {
			symOf[r] = c
		}
	}
	m.tab = make([]uint32, 0x10000)
	for r := range m.tab {
		pace(b.yield, r)
		e := m.norm.bmp[r]
		if e&expFlag != 0 {
			m.tab[r] = tabSlow
			continue
		}
		f := rune(e & runeMask)
		sym := uint32(0)
		if f < 0x10000 {
			sym = symOf[f]
		} else {
			sym = b.alphaIdx[f]
		}
		m.tab[r] = uint32(e>>runeBits)<<tabClsShift | sym
	}
	flat, keyEnd := b.flat, b.keyEnd
	b.flat, b.keyEnd, b.seen, b.collide = nil, nil, nil, nil // collectable while the automaton is built
	m.auto = buildAutomaton(flat, keyEnd, m.nsym, kind, b.yield)
	m.setEmitBounds()
	m.buildASCII()
}

// setEmitBounds fills the bound column of the dense table: the bound of
// each state << boundShift | its depth (the variant readings' pre-checks
// in the ASCII loop read the depth with no division by the stride).
// Inside a run of Latin letters with no separator, a word that starts
// after the run's first letter has a Latin letter on its left, so every
// word needing a left boundary that is shorter than the run fails it. The
// bound of a state with outputs is the length of the longest output on
// its suffix chain that needs a left boundary (MaxWordRunes+1 when one
// does not), 0 without outputs: the scan's ASCII loop emits only when the
// bound reaches the run length, which saves the call for "ass" in "class"
// and the like.
func (m *Matcher) setEmitBounds() {
	a := &m.auto
	if a.dense == nil {
		return
	}
	bc := a.stride - 1
	for s := range len(a.states) - 1 {
		bound := int32(0)
		for t := a.states[s].term; s >= int(a.firstOut) && t >= 0; t = a.states[a.states[t].fail].term {
			for _, ei := range a.outputs(t) {
				n := m.entries[ei].n
				if m.entries[ei].flags&needLeft == 0 {
					n = MaxWordRunes + 1
				}
				bound = max(bound, n)
			}
		}
		a.dense[s*a.stride+bc] = uint16(bound<<boundShift | int32(a.depth[s])) // both at most MaxWordRunes+1
	}
}

// rowState returns the state whose dense row starts at offset row: row
// times rowMul, the stride's reciprocal rounded up in 32 fractional
// bits, is exact while the state number times the rounding error (less
// than the stride) stays under 1<<32, as it does for every table under
// denseLimit entries.
func (a *automaton) rowState(row int32) int32 {
	return int32(uint64(row) * a.rowMul >> 32)
}

// rowMulOf returns the rowMul of a dense table of the given stride.
func rowMulOf(stride int) uint64 { return (1<<32 + uint64(stride) - 1) / uint64(stride) }

// goes returns the offset of the row of the state that the state of row
// goes to by symbol sym.
func (a *automaton) goes(row, sym int) int { return int(a.dense[row+sym]) * a.stride }

// rowDepth returns the depth of the state whose dense row starts at
// offset row.
func (a *automaton) rowDepth(row int) int { return int(uint8(a.dense[row+a.stride-1])) }

// boundShift is where a state's emit bound starts in the bound column of
// the dense table, above its depth.
const boundShift = 8

// renumberByFrequency gives the most frequent symbols the smallest
// numbers, so that the children of a state sit close together in the
// double array.
func (b *builder) renumberByFrequency() {
	n := len(b.alphaRn)
	count := make([]int, n+1)
	for i, c := range b.flat {
		pace(b.yield, i)
		count[c]++
	}
	old := make([]uint32, n)
	for i := range old {
		old[i] = uint32(i + 1)
	}
	slices.SortStableFunc(old, func(x, y uint32) int { return count[y] - count[x] })
	perm := make([]uint32, n+1)
	for i, o := range old {
		perm[o] = uint32(i + 1)
	}
	for i, c := range b.flat {
		pace(b.yield, i)
		b.flat[i] = perm[c]
	}
	for r, c := range b.alphaIdx {
		b.alphaIdx[r] = perm[c]
	}
}

// keyList is the keys of an automaton: key i is flat[end[i-1]:end[i]].
type keyList struct {
	flat []uint32
	end  []int32
}

func (k keyList) key(i int32) []uint32 {
	lo := int32(0)
	if i > 0 {
		lo = k.end[i-1]
	}
	return k.flat[lo:k.end[i]]
}

// buildAutomaton builds the automaton of the keys flat[keyEnd[i-1]:keyEnd[i]]
// (key i is entry i). Its working memory is a few int32 a state: the trie
// is built straight into the final states array, sized by counting first.
// yield is Options.Yield.
func buildAutomaton(flat []uint32, keyEnd []int32, nsym int, kind engineKind, yield func()) automaton {
	var a automaton
	keys := keyList{flat, keyEnd}
	order := sortKeys(keys, nsym, yield)
	nstates := countStates(keys, order, yield)
	first, inSym := a.buildTrie(keys, order, nstates, yield)
	a.root = make([]int32, nsym+1)
	for v := first[0]; v < first[1]; v++ {
		a.root[inSym[v]] = v
	}
	a.placeDoubleArray(nstates, first, inSym, yield)
	a.linkFailures(nstates, first, inSym, yield)
	a.renumber(nstates, yield)
	a.extends = make([]uint64, (nstates+63)/64)
	for _, sl := range a.slots {
		if sl.check > 0 {
			a.extends[sl.check/64] |= 1 << (sl.check % 64)
		}
	}
	if nstates <= maxDenseStates && (kind == engineDense || kind == engineAuto && nstates*(nsym+1) <= denseLimit) {
		a.fillDense(nstates, nsym, first, inSym, yield)
	}
	a.perm = nil
	return a
}

// sortKeys returns the key indexes in key order: a counting sort by the
// first symbol (the root's children), then each bucket sorted by the rest,
// which costs far fewer comparisons than one sort of all the keys.
func sortKeys(keys keyList, nsym int, yield func()) []int32 {
	bucket := make([]int32, nsym+2) // in the end, keys starting with c are order[bucket[c]:bucket[c+1]]
	for i := range keys.end {
		bucket[keys.key(int32(i))[0]]++
	}
	for c := 1; c < len(bucket); c++ {
		bucket[c] += bucket[c-1] // the end of c's bucket
	}
	order := make([]int32, len(keys.end))
	for i := len(keys.end) - 1; i >= 0; i-- { // backwards, so each bucket is in key order
		c := keys.key(int32(i))[0]
		bucket[c]--
		order[bucket[c]] = int32(i)
	}
	cmps := 0
	for c := 1; c <= nsym; c++ {
		pace(yield, c)
		slices.SortFunc(order[bucket[c]:bucket[c+1]], func(x, y int32) int {
			cmps++
			pace(yield, cmps)
			return slices.Compare(keys.key(x)[1:], keys.key(y)[1:])
		})
	}
	return order
}

// countStates returns the number of trie states of the keys in order: in
// sorted order each key adds one state per character beyond its common
// prefix with the key before it.
func countStates(keys keyList, order []int32, yield func()) int {
	nstates := 1
	var prev []uint32
	for i, k := range order {
		pace(yield, i)
		cur := keys.key(k)
		l := 0
		for l < len(cur) && l < len(prev) && cur[l] == prev[l] {
			l++
		}
		nstates += len(cur) - l
		prev = cur
	}
	return nstates
}

// buildTrie fills a.states and a.outs with the trie of the keys, breadth
// first over the keys in sorted order: each node is a range of keys sharing
// its prefix, so the children of a node come out contiguous and sorted, and
// states are numbered in BFS order. Every edge creates one state, so the
// children of s are the states first[s] to first[s+1]-1, and inSym[v] is
// the symbol leading into v.
func (a *automaton) buildTrie(keys keyList, order []int32, nstates int, yield func()) (first []int32, inSym []uint32) {
	first = make([]int32, nstates+1)
	inSym = make([]uint32, nstates)
	a.depth = make([]uint8, nstates)
	a.states = make([]state, nstates+1) // +1: sentinel for outputs()
	a.outs = make([]int32, 0, len(order))
	st := a.states
	// While the trie is built, a state not yet expanded holds its key
	// range order[lo:hi] in base and fail, and its depth in term.
	st[0] = state{base: 0, fail: int32(len(order)), term: 0}
	n := int32(1)
	for s := range int32(nstates) {
		pace(yield, int(s))
		lo, hi, depth := st[s].base, st[s].fail, st[s].term
		first[s] = n
		st[s] = state{out: int32(len(a.outs))}
		i := lo
		for ; i < hi && len(keys.key(order[i])) == int(depth); i++ {
			a.outs = append(a.outs, order[i])
		}
		for i < hi {
			sym := keys.key(order[i])[depth]
			j := i + 1
			for j < hi && keys.key(order[j])[depth] == sym {
				j++
			}
			inSym[n] = sym
			a.depth[n] = uint8(depth + 1)
			st[n] = state{base: i, fail: j, term: depth + 1}
			n++
			i = j
		}
	}
	first[nstates] = n
	st[nstates] = state{out: int32(len(a.outs))}
	return first, inSym
}

// linkFailures sets the failure link of every state and its term, the
// first state with outputs on its suffix chain (-1 for none), in BFS order
// so that a state's failure link is set before its children's.
func (a *automaton) linkFailures(nstates int, first []int32, inSym []uint32, yield func()) {
	st := a.states
	st[0].term = -1
	for s := range int32(nstates) {
		pace(yield, int(s))
		for v := first[s]; v < first[s+1]; v++ {
			if s != 0 {
				st[v].fail = a.next(st[s].fail, inSym[v])
			}
			if st[v+1].out > st[v].out {
				st[v].term = v
			} else {
				st[v].term = st[st[v].fail].term
			}
		}
	}
}

// maxDenseStates is the most states a dense table can number.
const maxDenseStates = 1 << 16

// fillDense builds the full transition table of the renumbered states.
func (a *automaton) fillDense(nstates, nsym int, first []int32, inSym []uint32, yield func()) {
	a.stride = nsym + 2 // symbols 0..nsym and the bound column
	a.rowMul = rowMulOf(a.stride)
	a.dense = make([]uint16, nstates*a.stride)
	for c, t := range a.root {
		a.dense[c] = uint16(t)
	}
	// Fill rows in BFS order (a failure link is shallower than its
	// state): the row of s is the row of fail(s) plus the children of s.
	for old := 1; old < nstates; old++ {
		pace(yield, old)
		s := int(a.perm[old])
		row := a.dense[s*a.stride : (s+1)*a.stride]
		copy(row, a.dense[int(a.states[s].fail)*a.stride:])
		for v := first[old]; v < first[old+1]; v++ {
			row[inSym[v]] = uint16(a.perm[v])
		}
	}
}

// placeDoubleArray gives every state with children (except the root,
// which has its dense row) a base such that all its children land on free
// slots. States with the most children are placed first, while the array
// is still empty; the many states with few children then fill the holes.
// A free slot that failed as the anchor of placeTries placements leaves
// the search list (it stays free for others' children), which keeps
// building about linear, as in darts-clone.
func (a *automaton) placeDoubleArray(nstates int, first []int32, inSym []uint32, yield func()) {
	fan := func(s int) int32 { return first[s+1] - first[s] }
	// The states with children, most children first, in state order
	// within one fan-out: a counting sort (fan-outs are at most nsym).
	count := make([]int32, len(a.root)) // by fan-out, at most nsym
	for s := 1; s < nstates; s++ {
		pace(yield, s)
		count[fan(s)]++
	}
	inner := int32(0)
	for f := len(count) - 1; f > 0; f-- {
		count[f], inner = inner, inner+count[f] // now where fan-out f starts
	}
	byFan := make([]int32, inner)
	for s := 1; s < nstates; s++ {
		pace(yield, s)
		if f := fan(s); f > 0 {
			byFan[count[f]] = int32(s)
			count[f]++
		}
	}

	var fl freeList
	fl.init(nstates + nstates/4 + len(a.root) + 16)
	tries := 0
	for _, s := range byFan {
		syms := inSym[first[s]:first[s+1]]
		base := findBase(&fl, syms, func() {
			tries++
			pace(yield, tries)
		})
		a.states[s].base = int32(base)
		for i, c := range syms {
			fl.take(int32(base+int(c)), slot{check: s, next: first[s] + int32(i)})
		}
	}
	a.slots = fl.slots
	if cap(a.slots)-len(a.slots) > len(a.slots)/16 {
		a.slots = slices.Clone(a.slots) // the array outgrew its estimate: drop the doubling slack
	}
	for p, st := range fl.state {
		pace(yield, p)
		if st&slotUsed == 0 || p == 0 {
			a.slots[p] = slot{check: -1}
		}
	}
}

// placeTries is how many failed placements a free slot anchors before it
// leaves the search list.
const placeTries = 16

// findBase returns a base b for children of the symbols syms (in
// increasing order) at which slot b+c of fl is free for every c of syms:
// the first that the free list offers for syms[0], else one past the end.
// fl grows to hold every slot tried; tick (maybe nil) is called for each.
func findBase[S ~int32 | ~uint32](fl *freeList, syms []S, tick func()) int {
	c0, cmax := int(syms[0]), int(syms[len(syms)-1])
search:
	for p := fl.slots[0].check; p != 0; {
		if tick != nil {
			tick()
		}
		b := int(p) - c0
		fl.grow(b + cmax + 1)
		for _, c := range syms[1:] {
			if fl.state[b+int(c)]&slotUsed != 0 {
				np := fl.slots[p].check
				fl.failed(p)
				p = np
				continue search
			}
		}
		return b
	}
	base := len(fl.slots) - c0
	fl.grow(base + cmax + 1)
	return base
}

// freeList is a double array being built. Slot 0 is never used; the
// free slots still worth trying as anchors form a circular doubly linked
// search list headed by slot 0, kept in the free slots themselves (check
// is the next slot in the list, next the previous one), so that the list
// costs one byte a slot beyond the array.
type freeList struct {
	slots []slot
	state []uint8 // slotUsed, slotListed, and the failed placements anchored (slotTries)
}

// Bits of freeList.state.
const (
	slotUsed   = 0x80
	slotListed = 0x40
	slotTries  = 0x3f
)

func (f *freeList) init(capacity int) {
	f.slots = make([]slot, 1, capacity)
	f.state = make([]uint8, 1, capacity)
	f.state[0] = slotUsed
}

// grow makes slots up to n-1 exist, the new ones free and listed.
func (f *freeList) grow(n int) {
	for p := int32(len(f.slots)); int(p) < n; p++ {
		last := f.slots[0].next
		f.slots = append(f.slots, slot{check: 0, next: last})
		f.state = append(f.state, slotListed)
		f.slots[last].check = p
		f.slots[0].next = p
	}
}

func (f *freeList) unlink(p int32) {
	f.state[p] &^= slotListed
	next, prev := f.slots[p].check, f.slots[p].next
	f.slots[prev].check = next
	f.slots[next].next = prev
}

// failed counts a failed placement anchored at the listed slot p; after
// placeTries of them p leaves the list (it stays free).
func (f *freeList) failed(p int32) {
	if f.state[p]++; f.state[p]&slotTries >= placeTries {
		f.unlink(p)
	}
}

// take marks the free slot p used and stores v in it.
func (f *freeList) take(p int32, v slot) {
	if f.state[p]&slotListed != 0 {
		f.unlink(p)
	}
	f.state[p] = slotUsed
	f.slots[p] = v
}

// renumber renumbers the states so that those with outputs on their
// suffix chain come last, from firstOut on, keeping BFS order within each
// group; the old→new map stays in perm until the dense table is built.
// The states are permuted in place. The outputs need not move: a state
// outside that group has no outputs, so the states with outputs keep
// their relative order and their ranges of outs.
func (a *automaton) renumber(nstates int, yield func()) {
	perm := make([]int32, nstates)
	n := int32(0)
	for pass := range 2 {
		if pass == 1 {
			a.firstOut = n
		}
		for s := range nstates {
			pace(yield, s)
			if (a.states[s].term >= 0) == (pass == 1) {
				perm[s] = n
				n++
			}
		}
	}
	st := a.states
	for s := range nstates {
		pace(yield, s)
		st[s].fail = perm[st[s].fail]
		if st[s].term >= 0 {
			st[s].term = perm[st[s].term]
		} else {
			st[s].out = 0 // no outputs; the next state in the new order starts at 0 too
		}
	}
	done := make([]bool, nstates)
	for s := range int32(nstates) {
		pace(yield, int(s))
		if done[s] {
			continue
		}
		cur, dep, j := st[s], a.depth[s], perm[s]
		for j != s {
			pace(yield, int(j))
			cur, st[j] = st[j], cur
			dep, a.depth[j] = a.depth[j], dep
			done[j] = true
			j = perm[j]
		}
		st[s] = cur
		a.depth[s] = dep
		done[s] = true
	}
	for i := range a.slots {
		pace(yield, i)
		if a.slots[i].check >= 0 {
			a.slots[i].check = perm[a.slots[i].check]
			a.slots[i].next = perm[a.slots[i].next]
		}
	}
	for c, t := range a.root {
		a.root[c] = perm[t]
	}
	a.perm = perm
}
