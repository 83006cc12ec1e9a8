package filter

import (
	"unicode"
	"unicode/utf8"
)

// A word made only of symbols or emoji (🖕, ☠, ☭☭, @$$) has no letter or
// digit for the main automaton, whose alphabet is the word characters and
// which skips separators. Such words are matched as written after
// folding (＠＄＄ is @$$; invisible characters such as variation
// selectors are looked through), character for character with nothing
// skipped inside them, wherever they occur, by a second small automaton
// over the separator runes. Only the code points that fold to a rune of
// some symbol word leave the fast paths of the scanner; a dictionary
// without symbol words costs nothing.

// symbolKey appends to key the folded visible runes of text, whitespace
// at either end left out, when text is a symbol word: no word character,
// something visible. It returns the code it is refused with as one
// (ErrNothingMatchable for nothing visible; a text with a word character
// is no symbol word: ErrNothingMatchable too, and the caller knows better).
// Symbols here are every visible character that is not a letter or digit
// (@ is punctuation to Unicode, $ a symbol: @$$ is one such word).
func symbolKey(n *normaliser, key []rune, text string) ([]rune, ErrorCode) {
	var buf [8]frune
	for _, r := range text {
		for _, f := range n.appendFold(buf[:0], r) {
			if isWordClass(f.cls) {
				return key[:0], ErrNothingMatchable
			}
			if len(key) == 0 && unicode.IsSpace(f.r) {
				continue
			}
			if len(key) <= MaxWordRunes {
				key = append(key, f.r)
			}
		}
	}
	for len(key) > 0 && unicode.IsSpace(key[len(key)-1]) {
		key = key[:len(key)-1]
	}
	switch {
	case len(key) == 0:
		return key, ErrNothingMatchable
	case len(key) > MaxWordRunes:
		return key, ErrTooLong
	}
	return key, ""
}

// symbolSeenKey tells symbol words and allow phrases apart in the
// builder's map of those already added.
type symbolSeenKey struct {
	allow bool
	key   string
}

// symbolWord is a symbol word or allow phrase waiting for its entry.
type symbolWord struct {
	key []rune
	id  int32 // word id, or ^allow index
}

// symbols is the automaton of the symbol words: a trie over folded runes
// with failure links, the entries ending at each node (its own and those
// of its suffixes), and the set of runes it reads. Built once by Compile.
type symbols struct {
	next   []map[rune]int32
	fail   []int32
	out    [][]int32 // indexes into Matcher.entries
	runes  map[rune]bool
	maxLen int // runes of the longest symbol word
}

// addSymbol records a symbol word (or allow phrase) in the builder, or
// finds the one it duplicates.
func (b *builder) addSymbol(key []rune, id int32, allow bool) {
	k := symbolSeenKey{allow: allow, key: string(key)} // any rune may be in a key: no marker byte
	if b.symSeen == nil {
		b.symSeen = map[symbolSeenKey]int32{}
	}
	if dup, ok := b.symSeen[k]; ok {
		b.isDup, b.dup = true, dup
		return
	}
	b.symSeen[k] = id
	b.symWords = append(b.symWords, symbolWord{key: key, id: id})
}

// buildSymbols appends the entries of the symbol words to m.entries,
// builds their automaton and takes their runes off the fast paths.
func (m *Matcher) buildSymbols(words []symbolWord) {
	if len(words) == 0 {
		return
	}
	sy := &symbols{next: []map[rune]int32{{}}, fail: []int32{0}, out: [][]int32{nil}, runes: map[rune]bool{}}
	for _, w := range words {
		ei := int32(len(m.entries))
		m.entries = append(m.entries, entry{id: w.id, n: int32(len(w.key))})
		sy.maxLen = max(sy.maxLen, len(w.key))
		s := int32(0)
		for _, r := range w.key {
			sy.runes[r] = true
			nx, ok := sy.next[s][r]
			if !ok {
				nx = int32(len(sy.next))
				sy.next = append(sy.next, map[rune]int32{})
				sy.fail = append(sy.fail, 0)
				sy.out = append(sy.out, nil)
				sy.next[s][r] = nx
			}
			s = nx
		}
		sy.out[s] = append(sy.out[s], ei)
	}
	// Failure links, breadth first; each node's outputs gain its
	// suffix's (the lists are short: few symbol words).
	queue := []int32{}
	for _, c := range sy.next[0] {
		queue = append(queue, c)
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for r, c := range sy.next[s] {
			f := sy.fail[s]
			for {
				if nx, ok := sy.next[f][r]; ok && nx != c {
					sy.fail[c] = nx
					break
				}
				if f == 0 {
					break
				}
				f = sy.fail[f]
			}
			sy.out[c] = append(sy.out[c], sy.out[sy.fail[c]]...)
			queue = append(queue, c)
		}
	}
	m.sym = sy
	for r := range m.tab {
		if e := m.norm.bmp[r]; e&expFlag == 0 && sy.runes[rune(e&runeMask)] {
			m.tab[r] |= tabSlow
		}
	}
	m.buildASCII()
}

// symbol feeds the separator rune r of the code point text[start:end] to
// the symbol automaton and records the candidates ending there.
func (sc *scanner) symbol(r rune, start, end int) {
	sy := sc.m.sym
	if !sy.runes[r] {
		sc.symState = 0
		return
	}
	if start != sc.symStart && start != sc.symEnd && !sc.invisibleBetween(sc.symEnd, start) {
		sc.symState = 0 // something visible came between: a new run
	}
	s := sc.symState
	for {
		if nx, ok := sy.next[s][r]; ok {
			s = nx
			break
		}
		if s == 0 {
			break
		}
		s = sy.fail[s]
	}
	sc.symState, sc.symStart, sc.symEnd = s, start, end
	sc.symPos++
	sc.symStarts[sc.symPos&(ringSize-1)] = start
	for _, ei := range sy.out[s] {
		first := sc.symPos - int(sc.m.entries[ei].n) + 1
		sc.addCand(cand{entry: ei, start: sc.symStarts[first&(ringSize-1)], end: end})
	}
}

// invisibleBetween reports whether text[from:to] holds only invisible
// characters (false when from is not a position of this scan).
func (sc *scanner) invisibleBetween(from, to int) bool {
	if from < 0 || from > to {
		return false
	}
	var buf [4]frune
	for _, r := range sc.text[from:to] {
		if r == utf8.RuneError || len(sc.m.norm.appendFold(buf[:0], r)) > 0 {
			return false
		}
	}
	return true
}
