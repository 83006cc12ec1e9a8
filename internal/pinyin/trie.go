package pinyin

// State is a position in the trie of syllable spellings: the bytes read
// since the syllable began. The zero State is dead (no spelling goes on
// from it); Start is the root. A State is a small integer, cheap to copy
// and compare; only values from Start and Next are valid.
type State uint16

// Start returns the root of the trie, the state before the first byte of a
// syllable.
func Start() State { return 1 }

// Next returns the state after byte b and true, or the dead state and false
// when no spelling goes on with b. The bytes are those of lower-case ASCII
// letters and of the UTF-8 encodings of ü (0xC3 0xBC) and ê (0xC3 0xAA);
// any other byte (upper case, digits, other letters) ends every spelling.
// Next does not allocate.
func (s State) Next(b byte) (State, bool) {
	n := State(trieNext[int(s)*numClasses+int(byteClass[b])])
	return n, n != 0
}

// Ends returns the syllables whose spelling ends at s, in increasing order,
// or nil. Most states end one syllable or none; a spelling with u for ü
// ends two ("lu": lu and lü; "nue": nüe alone). The slice is shared and
// must not be modified. Ends does not allocate.
func (s State) Ends() []Syllable {
	lo, hi := trieEndsEnd[s], trieEndsEnd[s+1]
	if lo == hi {
		return nil
	}
	return trieEnds[lo:hi:hi]
}

// Segmentations returns every way of reading s, a run of lower-case Latin
// letters as Next takes them, as a sequence of whole syllables, or nil
// when there is none ("falungongs"). The segmentations come in order of
// their first syllable's end, shortest first, then of the syllable's
// number, and so on for the rest: "xian" gives [xi an] then [xian]. Their
// number can grow exponentially with the length of s ("lululu" has 8, as
// each lu may be lü); it is meant for tests and tools, not for scanning.
func Segmentations(s string) [][]Syllable {
	var out [][]Syllable
	var cur []Syllable
	var walk func(i int)
	walk = func(i int) {
		if i == len(s) {
			out = append(out, append([]Syllable(nil), cur...))
			return
		}
		st := Start()
		for j := i; j < len(s); j++ {
			var ok bool
			if st, ok = st.Next(s[j]); !ok {
				return
			}
			for _, syl := range st.Ends() {
				cur = append(cur, syl)
				walk(j + 1)
				cur = cur[:len(cur)-1]
			}
		}
	}
	if s != "" {
		walk(0)
	}
	return out
}
