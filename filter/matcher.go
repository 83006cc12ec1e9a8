package filter

import (
	"fmt"
	"hash/maphash"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxWordRunes is the longest dictionary word or allow phrase that Compile
// accepts, counted in letters and digits after normalisation (separators
// and invisible characters are not counted). The longest entry of the
// largest real dictionary we test with has 107 characters.
const MaxWordRunes = 128

// ringSize is the number of recent word characters whose start offsets a
// scan remembers; a power of two not below MaxWordRunes.
const ringSize = 128

// The ring must reach back to the first character of the longest word.
var _ [ringSize - MaxWordRunes]struct{}

// maxGap is the longest run of separators skipped between two characters
// of a word.
const maxGap = 3

// Options configure Compile. The zero value is the default: every
// normalisation on, '*' as the mask character, leftmost-longest matches.
type Options struct {
	// Allow lists allow phrases: a match lying inside an occurrence of an
	// allow phrase is dropped before the leftmost-longest choice is made.
	Allow []string
	// Mask is the character that replaces each masked character; 0 means '*'.
	// It must be a valid Unicode code point.
	Mask rune
	// Yield, when set, is called every so often while Compile works (about
	// every few hundred words, states or table rows), from the goroutine that
	// called Compile, e.g. to let other goroutines run or to pace a
	// background reload. nil means never. It does not change the result.
	Yield func()
	// Policy is how words are read (their variant readings, and what a
	// match found through them does), for every category not in
	// Categories. Its Readings also read the allow phrases. The zero value
	// is no variant reading.
	Policy Policy
	// Categories overrides Policy for the words of the categories it
	// names.
	Categories map[string]Policy
	// Variants are the written forms that ReadVariants reads as their
	// canonical forms; every form must be acceptable as a word
	// (CheckWord).
	Variants []Variant

	// engine forces an automaton layout (tests only, see export_test.go).
	engine engineKind
	// sameHash gives every folded key the same hash, so that duplicates
	// are found through the collision path (tests only).
	sameHash bool
	// settleAt, when not 0, replaces defaultSettleAt (tests only).
	settleAt int
}

// engineKind selects the transition layout of the automaton.
type engineKind uint8

const (
	engineAuto   engineKind = iota // dense table when small enough, else sparse
	engineSparse                   // failure links and sorted edge lists
	engineDense                    // a full transition table
)

// denseLimit is the largest number of transition cells (states × symbols)
// for which Compile builds a full transition table (4 bytes a cell).
const denseLimit = 1 << 20

// ErrorCode says why Compile refuses a word or allow phrase; its value
// is the text Error shows for it.
type ErrorCode string

// The codes of a WordError.
const (
	// ErrInvalidUTF8 is a word that is not valid UTF-8.
	ErrInvalidUTF8 ErrorCode = "invalid UTF-8"
	// ErrNothingMatchable is a word with nothing visible left after
	// normalisation: empty, or only whitespace and invisible characters.
	// (A word of symbols or emoji, "☭" or "@$$", is a symbol word, no
	// error.)
	ErrNothingMatchable ErrorCode = "nothing matchable left after normalisation"
	// ErrTooLong is a word longer than MaxWordRunes letters and digits
	// (or, for a symbol word, visible characters) after normalisation.
	ErrTooLong ErrorCode = "longer than 128 letters and digits after normalisation"
	// ErrInvalidAction is a word whose Action is not Review, Mask or Block.
	ErrInvalidAction ErrorCode = "invalid action (want review, mask or block)"
)

// String returns the code's message, e.g. "invalid UTF-8".
func (c ErrorCode) String() string { return string(c) }

// WordError reports a word or allow phrase that Compile refuses.
type WordError struct {
	// Code says what is wrong.
	Code ErrorCode
	// Index is the position of the word in the slice given to Compile,
	// or in Options.Allow when Allow is true.
	Index int
	// Allow tells whether the word came from Options.Allow.
	Allow bool
	// Text is the word as given.
	Text string
}

// Error returns "filter: word %q: code" (or "allow phrase %q: code").
func (e *WordError) Error() string { return "filter: " + e.message() }

// message is Error without the package prefix.
func (e *WordError) message() string {
	what := "word"
	if e.Allow {
		what = "allow phrase"
	}
	return fmt.Sprintf("%s %q: %s", what, e.Text, e.Code)
}

// CompileError is Compile's error for a dictionary with bad words: it
// lists every refused word and allow phrase, one *WordError each, so that
// a caller reports them all from one call. errors.As finds the first
// *WordError through Unwrap.
type CompileError struct {
	// Words are the refused words in the order of Compile's words, then
	// the refused allow phrases in the order of Options.Allow.
	Words []*WordError
}

// compileErrorShown is how many words CompileError.Error quotes.
const compileErrorShown = 3

// Error returns the error of the only refused word, or a summary naming
// how many were refused and quoting the first few.
func (e *CompileError) Error() string {
	switch len(e.Words) {
	case 0:
		return "filter: no word refused"
	case 1:
		return e.Words[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "filter: %d words refused: ", len(e.Words))
	for i, we := range e.Words[:min(len(e.Words), compileErrorShown)] {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(we.message())
	}
	if n := len(e.Words) - compileErrorShown; n > 0 {
		fmt.Fprintf(&b, "; and %d more", n)
	}
	return b.String()
}

// Unwrap returns the refused words as errors, for errors.As and errors.Is.
func (e *CompileError) Unwrap() []error {
	errs := make([]error, len(e.Words))
	for i, we := range e.Words {
		errs[i] = we
	}
	return errs
}

// CheckWord reports whether text is acceptable as a dictionary word or
// allow phrase: it returns the code Compile would refuse it with, or ""
// when it is acceptable. It is safe for concurrent use, and does not
// allocate for a text of up to MaxWordRunes letters and digits.
func CheckWord(text string) ErrorCode {
	var key [MaxWordRunes + 1]frune
	var seps [MaxWordRunes]uint8
	_, _, code := foldKey(defaultNormaliser(), key[:0], seps[:0], text)
	if code == ErrNothingMatchable {
		var sym [MaxWordRunes + 1]rune
		_, code = symbolKey(defaultNormaliser(), sym[:0], text) // a symbol word (symbols.go)?
	}
	return code
}

// foldKey folds a dictionary word into its key: the folded word
// characters, and for each position k > 0 whether a separator is
// required before character k. It appends to key and seps (reused
// between calls).
func foldKey(n *normaliser, key []frune, seps []uint8, text string) ([]frune, []uint8, ErrorCode) {
	if !utf8.ValidString(text) {
		return key, seps, ErrInvalidUTF8
	}
	sep := false
	var buf [8]frune
	for _, r := range text {
		for _, f := range n.appendFold(buf[:0], r) {
			if !isWordClass(f.cls) {
				sep = true
				continue
			}
			if sep && len(key) > 0 && len(key) < MaxWordRunes {
				seps = append(seps, uint8(len(key)))
			}
			sep = false
			key = append(key, f)
		}
	}
	switch {
	case len(key) == 0:
		return key, seps, ErrNothingMatchable
	case len(key) > MaxWordRunes:
		return key, seps, ErrTooLong
	}
	return key, seps, ""
}

// Entry flags.
const (
	needLeft  = 1 << iota // starts with a Latin letter or digit
	needRight             // ends with a Latin letter or digit
	latinOnly             // every letter is a Latin letter or a digit (leet reads it)
)

// entry is one distinct folded dictionary word or allow phrase.
type entry struct {
	id     int32 // word index, or ^index into the allow phrases
	n      int32 // word characters in the key
	sepOff int32 // seps[sepOff:sepOff+sepN]: positions needing a separator before them
	sepN   uint8
	flags  uint8
	read   uint8 // the variant readings the entry takes (Readings)
}

// Layout of a Matcher.tab entry.
const (
	tabSymMask  = 1<<24 - 1
	tabClsShift = 24
	tabSlow     = 1 << 31 // fold via the normaliser (several runes)
)

// Matcher is a compiled dictionary: an Aho-Corasick automaton over
// normalised characters. It is immutable and safe for concurrent use by
// any number of goroutines.
type Matcher struct {
	norm  *normaliser
	tab   []uint32   // per BMP code point: symbol | class<<24, or tabSlow
	ascii [256]int32 // by byte, for the ASCII loop of a dense automaton (see buildASCII)
	// asciiPlain holds the ascii value of each leet character that ascii
	// marks asciiLeet.
	asciiPlain [128]int32
	alpha      map[rune]uint32 // folded rune → symbol (slow path)
	nsym       int             // symbols are 1..nsym; 0 is "not in any word"

	auto    automaton
	entries []entry
	seps    []uint8
	maxLen  int32 // word characters in the longest entry
	// spanLen is the most word characters a candidate spans: maxLen, or
	// more when a word read through pinyin is spelled in more letters
	// (at most ringSize).
	spanLen int32
	// settleAt is the number of waiting candidates at which a scan first
	// settles some (see scanner).
	settleAt int

	words  []Word
	origin []int32 // origin[id]: the index in Compile's words of the word id reports
	allow  []string
	mask   rune
	memory int      // MemoryUsage, computed once by Compile
	sym    *symbols // the symbol words' automaton, nil when there is none (symbols.go)
	// clause3 tells that some word or allow phrase has three or more
	// characters, all CJK: only then does the scanner's clause thread
	// run (法.轮.功).
	clause3 bool
	// review has, by word id, the policy bits of the word's category
	// (variantReviewBit, pinyinReviewBit); nil when no category sends
	// variant matches to review.
	review []uint8
	// rd is the data of the variant readings, nil when no entry takes one
	// (variants.go).
	rd *readingData
	// repeat tells that some entry takes ReadRepeat: the scan then looks
	// for repeated word characters.
	repeat bool
	// py is the data of the pinyin reading, nil when no entry takes it
	// (pinyin.go).
	py *pyData
}

// Compile builds a Matcher from words and opts. Words that fold to the
// same text are one word: the strongest action wins, with its Category and
// Text. An empty dictionary compiles and matches nothing.
//
// A word or allow phrase that is not valid UTF-8, has nothing visible
// left after normalisation or is longer than MaxWordRunes, or a word
// whose Action is not Review, Mask or Block, is refused: Compile then
// checks every remaining word (without building anything) and returns a
// *CompileError listing every refused one, with its index and a code.
// An invalid Options.Mask gives an error of another type.
func Compile(words []Word, opts Options) (*Matcher, error) {
	n := defaultNormaliser()
	m := &Matcher{norm: n, mask: opts.Mask, settleAt: defaultSettleAt}
	if opts.settleAt > 0 {
		m.settleAt = opts.settleAt
	}
	if m.mask == 0 {
		m.mask = '*'
	}
	if !utf8.ValidRune(m.mask) {
		return nil, fmt.Errorf("filter: invalid mask character %U", m.mask)
	}
	b := newBuilder(m, words, opts.Allow, opts.Yield)
	b.sameHash = opts.sameHash
	var bad []*WordError // once a word is refused, the others are only checked
	for i, w := range words {
		pace(b.yield, i)
		var code ErrorCode
		switch {
		case w.Action < Review || w.Action > Block:
			code = ErrInvalidAction
		case bad != nil:
			code = CheckWord(w.Text)
		default:
			code = b.add(w.Text, int32(len(m.words)), false)
		}
		if code != "" {
			bad = append(bad, &WordError{Code: code, Index: i, Text: w.Text})
		}
		if bad != nil {
			continue
		}
		if b.isDup {
			if old := &m.words[b.dup]; w.Action > old.Action {
				*old = w
				m.origin[b.dup] = int32(i)
			}
			continue
		}
		m.words = append(m.words, w)
		m.origin = append(m.origin, int32(i))
	}
	for i, a := range opts.Allow {
		pace(b.yield, i)
		var code ErrorCode
		if bad != nil {
			code = CheckWord(a)
		} else {
			code = b.add(a, ^int32(len(m.allow)), true)
		}
		if code != "" {
			bad = append(bad, &WordError{Code: code, Index: i, Allow: true, Text: a})
		}
		if bad == nil && !b.isDup {
			m.allow = append(m.allow, a)
		}
	}
	if bad != nil {
		return nil, &CompileError{Words: bad}
	}
	b.build(opts.engine)
	m.buildSymbols(b.symWords)
	m.buildReadings(opts)
	m.buildPinyin(b.yield)
	m.memory = m.memoryUsage()
	return m, nil
}

// MustCompile is like Compile but panics on error. For tests and examples.
func MustCompile(words []Word, opts Options) *Matcher {
	m, err := Compile(words, opts)
	if err != nil {
		panic("filter.MustCompile: " + err.Error())
	}
	return m
}

// builder holds what Compile needs only while building.
type builder struct {
	m        *Matcher
	alphaIdx map[rune]uint32
	alphaRn  []rune
	seed     maphash.Seed
	sameHash bool             // Options.sameHash
	yield    func()           // Options.Yield
	seen     map[uint32]int32 // hash of a folded key (with separators) → the first entry with that hash
	collide  map[string]int32 // folded key → entry, for keys whose hash an earlier different key holds
	flat     []uint32         // the symbols of every entry's key, one after another
	keyEnd   []int32          // entry i's key is flat[keyEnd[i-1]:keyEnd[i]]
	keyBuf   []frune
	sepBuf   []uint8
	keyStr   []byte
	isDup    bool                    // add found a duplicate of an earlier entry
	dup      int32                   // the duplicate's entry id
	symSeen  map[symbolSeenKey]int32 // symbol word key → its id (see symbols.go)
	symWords []symbolWord            // the symbol words, for buildSymbols
}

// pace calls yield (Options.Yield, maybe nil) when i is a multiple of
// 256: the hook of Compile's long loops (a few hundred iterations take
// tens to hundreds of microseconds).
func pace(yield func(), i int) {
	if i&255 == 0 && yield != nil {
		yield()
	}
}

// newBuilder sizes the builder and m's slices for words and allow, so
// that nothing big grows by doubling.
func newBuilder(m *Matcher, words []Word, allow []string, yield func()) builder {
	n := len(words) + len(allow)
	runes := 0
	for i, w := range words {
		pace(yield, i)
		runes += utf8.RuneCountInString(w.Text)
	}
	for _, a := range allow {
		runes += utf8.RuneCountInString(a)
	}
	m.words = make([]Word, 0, len(words))
	m.origin = make([]int32, 0, len(words))
	m.allow = make([]string, 0, len(allow))
	m.entries = make([]entry, 0, n)
	return builder{
		m:        m,
		yield:    yield,
		alphaIdx: make(map[rune]uint32),
		seed:     maphash.MakeSeed(),
		seen:     make(map[uint32]int32, n),
		flat:     make([]uint32, 0, runes),
		keyEnd:   make([]int32, 0, n),
	}
}

// add folds text into a new entry, or finds the entry it duplicates.
// It returns the code of a refused text (nothing is added then), or "".
func (b *builder) add(text string, id int32, allow bool) ErrorCode {
	b.isDup = false
	key, seps, code := foldKey(b.m.norm, b.keyBuf[:0], b.sepBuf[:0], text)
	b.keyBuf, b.sepBuf = key, seps
	if code == ErrNothingMatchable {
		sym, code := symbolKey(b.m.norm, nil, text)
		if code != "" {
			return code
		}
		b.addSymbol(sym, id, allow)
		return ""
	}
	if code != "" {
		return code
	}
	b.keyStr = b.keyStr[:0]
	if allow {
		b.keyStr = append(b.keyStr, 1)
	}
	si := 0
	for i, f := range key {
		if si < len(seps) && int(seps[si]) == i {
			b.keyStr = append(b.keyStr, 0)
			si++
		}
		b.keyStr = utf8.AppendRune(b.keyStr, f.r)
	}
	ne := int32(len(b.m.entries))
	h := uint32(maphash.Bytes(b.seed, b.keyStr)) // 32 bits: a collision costs a lookup in collide
	if b.sameHash {
		h = 0
	}
	if e, ok := b.seen[h]; !ok {
		b.seen[h] = ne
	} else if b.sameKey(e, key, seps, allow) {
		b.isDup, b.dup = true, b.m.entries[e].id
		return ""
	} else if e, ok := b.collide[string(b.keyStr)]; ok {
		b.isDup, b.dup = true, b.m.entries[e].id
		return ""
	} else {
		if b.collide == nil {
			b.collide = make(map[string]int32)
		}
		b.collide[string(b.keyStr)] = ne
	}
	for _, f := range key {
		s, ok := b.alphaIdx[f.r]
		if !ok {
			b.alphaRn = append(b.alphaRn, f.r)
			s = uint32(len(b.alphaRn))
			b.alphaIdx[f.r] = s
		}
		b.flat = append(b.flat, s)
	}
	e := entry{id: id, n: int32(len(key)), sepOff: int32(len(b.m.seps)), sepN: uint8(len(seps))}
	if len(key) >= 3 && !b.m.clause3 {
		b.m.clause3 = !slices.ContainsFunc(key, func(f frune) bool { return f.cls != clsCJK })
	}
	if key[0].cls == clsLatin {
		e.flags |= needLeft
	}
	if key[len(key)-1].cls == clsLatin {
		e.flags |= needRight
	}
	if !slices.ContainsFunc(key, func(f frune) bool { return !unicode.Is(unicode.Latin, f.r) && !unicode.IsDigit(f.r) }) {
		e.flags |= latinOnly
	}
	b.m.seps = append(b.m.seps, seps...)
	b.m.entries = append(b.m.entries, e)
	b.m.maxLen = max(b.m.maxLen, e.n)
	b.keyEnd = append(b.keyEnd, int32(len(b.flat)))
	return ""
}

// sameKey reports whether entry e has the folded key key with separators
// seps, and is an allow phrase exactly when allow is.
func (b *builder) sameKey(e int32, key []frune, seps []uint8, allow bool) bool {
	en := b.m.entries[e]
	if (en.id < 0) != allow || int(en.n) != len(key) ||
		!slices.Equal(b.m.seps[en.sepOff:en.sepOff+int32(en.sepN)], seps) {
		return false
	}
	start := int32(0)
	if e > 0 {
		start = b.keyEnd[e-1]
	}
	for i, f := range key {
		if s, ok := b.alphaIdx[f.r]; !ok || b.flat[start+int32(i)] != s {
			return false
		}
	}
	return true
}

func (m *Matcher) memoryUsage() int {
	n := 4*len(m.tab) + m.auto.memoryUsage() + m.py.memoryUsage()
	n += 20*len(m.entries) + len(m.seps) + 16*len(m.alpha) + 4*len(m.origin)
	for _, w := range m.words {
		n += 40 + len(w.Text) // categories are shared strings
	}
	for _, a := range m.allow {
		n += 16 + len(a)
	}
	return n
}

// Len returns the number of distinct words (after folding): the word
// ids are 0 to Len()-1.
func (m *Matcher) Len() int { return len(m.words) }

// AllowLen returns the number of distinct allow phrases (after folding).
func (m *Matcher) AllowLen() int { return len(m.allow) }

// Word returns the word with index id (Match.Word), 0 <= id < Len().
func (m *Matcher) Word(id int) Word { return m.words[id] }

// Origin returns the index, in the words given to Compile, of the word
// that id stands for: of words that fold to the same text, the one whose
// action won (the first of equals). Callers use it to say where a word
// came from.
func (m *Matcher) Origin(id int) int { return int(m.origin[id]) }

// MemoryUsage returns the approximate number of bytes the Matcher holds
// (the shared normalisation tables, about 300 KB, are not counted).
func (m *Matcher) MemoryUsage() int { return m.memory }

// Contains reports whether text holds any match (of any action) that no
// allow phrase covers. It does not allocate.
func (m *Matcher) Contains(text string) bool {
	sc := acquireScanner(m)
	sc.contains = true
	sc.scan(text)
	found := false
	if sc.scr != nil {
		sc.finish()
		found = sc.found
		sc.release()
	}
	scannerPool.Put(sc)
	return found
}

// AppendMatches appends the matches of text to dst, in text order,
// leftmost-longest without overlap, and returns the extended slice. It
// allocates only when dst must grow.
func (m *Matcher) AppendMatches(dst []Match, text string) []Match {
	dst, _ = m.AppendMatchesChecked(dst, text)
	return dst
}

// AppendMatchesChecked is AppendMatches that also tells whether a work
// limit stopped a variant reading in text (see Result.Incomplete).
func (m *Matcher) AppendMatchesChecked(dst []Match, text string) (ms []Match, incomplete bool) {
	sc := acquireScanner(m)
	sc.out = dst
	sc.scan(text)
	if sc.scr != nil {
		sc.finish()
		dst = sc.out
		sc.release()
	}
	incomplete = sc.incomplete
	sc.out = nil
	scannerPool.Put(sc)
	return dst, incomplete
}

// Filter filters text: it appends the matches to dst (which may be nil)
// and returns them with the decision and the masked text. Result.Text is
// text itself when nothing was masked, so a clean text costs no
// allocation when dst has room (none is needed for a clean text).
func (m *Matcher) Filter(dst []Match, text string) Result {
	ms, incomplete := m.AppendMatchesChecked(dst, text)
	d := m.Decision(ms[len(dst):])
	if d > Review {
		text = m.maskText(text, ms[len(dst):])
	}
	return Result{Text: text, Matches: ms, Decision: d, Incomplete: incomplete}
}

// maskText returns text with the non-review matches of ms masked.
func (m *Matcher) maskText(text string, ms []Match) string {
	return b2s(m.AppendMasked(make([]byte, 0, len(text)+8), text, ms))
}

// AppendMasked appends text to dst with the Mask and Block matches among
// ms masked (one mask character for each character from the first to the
// last of a match) and returns the extended buffer. ms must be matches of
// text from this Matcher, in text order, as AppendMatches returns them.
// With Decision it lets a caller that works on byte buffers (fasthttp)
// filter without allocating: AppendMatches into a reused slice, then
// AppendMasked into a reused buffer when Decision is Mask or Block.
func (m *Matcher) AppendMasked(dst []byte, text string, ms []Match) []byte {
	last := 0
	for _, mt := range ms {
		if m.ActionOf(mt) == Review || mt.Start < last || mt.End < mt.Start || mt.End > len(text) {
			continue
		}
		dst = append(dst, text[last:mt.Start]...)
		for range text[mt.Start:mt.End] {
			dst = utf8.AppendRune(dst, m.mask)
		}
		last = mt.End
	}
	return append(dst, text[last:]...)
}

// Decision returns the strongest action among the matches ms (from this
// Matcher), or Pass when there are none.
func (m *Matcher) Decision(ms []Match) Action {
	d := Pass
	for _, mt := range ms {
		d = max(d, m.ActionOf(mt))
	}
	return d
}

// Replace returns text with its Mask and Block matches masked; it returns
// text itself when nothing was masked.
func (m *Matcher) Replace(text string) string { return m.Filter(nil, text).Text }
