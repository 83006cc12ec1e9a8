// Package filter is the matching engine of wordfilter: it finds the words
// of a sensitive-word dictionary in a text, the way docs/matching.md says,
// and masks them.
//
// # Use
//
// Compile a dictionary once into a [Matcher] and share it: a Matcher is
// immutable and safe for concurrent use by any number of goroutines.
//
//	m, err := filter.Compile(words, filter.Options{Allow: allow})
//	res := m.Filter(nil, text) // res.Decision, res.Text (masked), res.Matches
//
// [Matcher.Contains] is the fastest question ("is anything there?") and
// never allocates; [Matcher.AppendMatches] appends the matches to a
// caller's slice; [Matcher.Filter] also returns the masked text and the
// decision; [Matcher.Replace] returns only the masked text. Match offsets
// are byte offsets into the original text.
//
// # What matches
//
// Text and dictionary words are normalised the same way, one code point at
// a time: NFKC (so full-width ｆ, circled ① and styled 𝐟 fold to f, 1, f),
// then full Unicode case folding, then traditional→simplified Chinese per
// character (OpenCC's TSCharacters table, generated into t2s_table.go).
// Invisible characters (general categories Cf, Mn, Me: zero-width
// characters, bidi controls, variation selectors, tags, combining marks,
// the soft hyphen) are dropped. Letters and digits (L, N, Mc) make words;
// everything else visible is a separator. Invalid UTF-8 bytes count as one
// character each, are never part of a match and are left untouched.
//
// Between two characters of a word the text may hold up to 3 separator
// characters (code points; invisible ones are not counted), except that
// the clause punctuation ，。、；：！？ and , . ; : ! ? is not a separator
// between two CJK characters. A separator written inside a word ("free
// money") stands for 1 to 3 separators in the text. A word that starts or
// ends with a Latin letter or digit matches only where that end is not
// glued to another Latin letter or digit (judged on the nearest visible
// neighbour): "ass" does not match in "class", "sb" matches in "你是sb吗".
//
// Candidates lying inside an occurrence of an allow phrase are dropped;
// from the rest, matches are chosen leftmost-longest and never overlap
// (ties: the stronger action, then the earlier word). Masking replaces
// every character from the first to the last character of a Mask or Block
// match, skipped separators and invisible characters included, by one mask
// character each; Review matches are reported but never masked. The
// decision is the strongest action among the matches, or Pass.
//
// # Variant readings
//
// With Options.Policy (and Options.Categories per category) a Matcher also
// finds words written the ways evaders write them ([Readings]): repeated
// characters (fuuuck, 傻傻逼), leet digits and symbols (sh1t, a$$hole),
// look-alike letters of other scripts and decorated Latin letters (fuсk
// with a Cyrillic с, ƒüçķ), and the written forms of Options.Variants
// (氵去轮功). A match found through them reports them in [Match.Via] and
// takes [Matcher.ActionOf] (Review under VariantReview); on the same span
// a match without readings wins. The zero Options reads none. Where the
// scan meets a character some reading could read otherwise, it walks the
// trie from the states of its suffix chain (variants.go), after cheap
// checks that rule most of them out (the ASCII loop's reach, letterAhead,
// worthWalking); text with no such character takes the plain paths.
// docs/design-variants.md says how and what it costs; the work a text may
// take is bounded (8,192 walk steps, and a few more for each byte as the
// scan passes it, docs/matching.md "Limits"); Result.Incomplete and
// AppendMatchesChecked tell when a bound stopped a reading.
//
// # How
//
// Compile folds the words and builds an Aho-Corasick automaton over a
// dense alphabet of the characters occurring in them, with output links
// for nested words. A per-Matcher table gives, for every code point of the
// Basic Multilingual Plane, its class and its symbol in one lookup; code
// points that fold to several characters (ﬁ, ①, ㈱) and those beyond the
// BMP take a slower path. Small dictionaries get a full transition table
// (the next state is one load); larger ones keep a dense root row, a
// double array (base/check, filled like darts-clone) for the other states,
// and failure links. States with outputs are numbered last, so finding
// that a match may end costs no memory access. Separators do not move the
// automaton; a longer run, a clause punctuation between CJK characters, an
// invalid byte or a letter occurring in no word resets it to the root.
// Runs of ASCII Latin letters and digits take a tighter loop. A ring of
// the start offsets of the last MaxWordRunes word characters maps a match
// back to its first byte. Word-boundary and "separator required" checks
// are made only for a candidate. Candidates are settled (allow phrases,
// then the leftmost-longest choice) while the scan runs, as soon as no
// later character can change them, so the candidates held at once are
// bounded by the dictionary, not by the length of the text: about 2 MB
// at most for 1 MiB of 一 against the 128 nested words 一, 一一, ...
// The scanner (with its ring) and the candidate scratch come from
// sync.Pools, so a clean text does not allocate.
//
// The pinyin reading (ReadPinyin, pinyin.go) has a trie of its own over
// toneless syllables, with one key per combination of readings of each
// word of Chinese characters (at most 64), laid out as a double array
// breadth first. Walkers from fixed starts read it, a character by its
// first reading and Latin letters through the spelling trie of
// internal/pinyin; the words of a key reached are judged against the text
// before they become candidates. While no walker is live the main scan
// reads a Chinese character for the reading in the same step as for the
// automaton (its first reading, and a Bloom filter of the keys' first
// three syllables) and calls the reading only where a key may begin.
//
// # Limits and errors
//
// A word or allow phrase may hold at most [MaxWordRunes] letters and
// digits after normalisation. Compile refuses a word or allow phrase that
// is not valid UTF-8 ([ErrInvalidUTF8]), that has nothing visible left
// after normalisation ([ErrNothingMatchable]; a word of symbols or emoji
// such as "☭" or "@$$" is a symbol word, no error) or that is too long
// ([ErrTooLong]), and a word whose action is not Review, Mask or Block
// ([ErrInvalidAction]). It reports every one at once, in the manner of
// regexp/syntax: a [*CompileError] lists a [*WordError] per refused word,
// with its [ErrorCode], its index in the words or in Options.Allow and
// its text, so that a loader maps each back to where it read it.
// [CheckWord] gives the code of one text without compiling. An empty
// dictionary compiles and matches nothing. Compile never panics on its
// input; MustCompile does, for tests.
//
// # Resource usage
//
// Building is roughly linear in the total length of the words; the
// memory held is about 16 bytes an automaton state plus 8 a double-array
// slot, plus a 256 KB table of the Basic Multilingual Plane (and the
// words themselves). Dictionaries small enough (states × alphabet ≤ 1M
// cells and at most 65,536 states, like an English list of a few
// thousand words) get a full transition table of 2 bytes a cell. The
// normalisation tables, shared by every Matcher, are built once per
// process on first use (about 300 KB, a few tens of milliseconds).
// Measured build times, held and allocated memory and scanning speed per
// dictionary size are in docs/benchmarks.md ("Engine build" and "Engine
// per message"), each with the command that measures it
// (BenchmarkCompile, BenchmarkMessages). The pinyin reading adds its
// syllable trie and tables (about 400 KB besides the trie): zh-large holds
// 23.7 MB with every reading on (11.6 MB without pinyin) and builds in
// about 0.3 s, zh-xlarge 38.6 MB (21.0 MB) in about 0.5 s, on a shared
// 2-core machine (BenchmarkCompile).
package filter
