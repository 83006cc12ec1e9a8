package filter_test

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/wordfilter/wordfilter/filter"
)

// nestedPieces make texts where words nest: runs of one character, with
// separators, clause punctuation and a Latin letter glued now and then.
var nestedPieces = pieceSet{
	word:  []string{"一", "一", "一", "一", "a", "a", "a", "b"},
	other: []string{" ", "，", "-", "\u200b", "  ", "法"},
}

// TestSettleDifferential makes scans settle their candidates as soon as
// one waits (see scanner), so that settling happens many times in short
// texts, and compares the result with the reference and with the same
// dictionary settled only at the end of the text: allow phrases,
// separators, Latin boundaries and nested words.
func TestSettleDifferential(t *testing.T) {
	for _, tc := range []struct {
		name            string
		ps              pieceSet
		maxLen, textLen int
		seed            uint64
	}{
		{"mixed", mixedPieces, 4, 120, 11},
		{"latin", latinPieces, 6, 150, 12},
		{"nested", nestedPieces, 8, 100, 13},
		// Symbol words, alone and with letter words: their candidates
		// come from the symbol automaton (fuzzing found a dictionary of
		// symbol words only settling on a bound of the empty main one).
		{"symbols", symbolPieces, 3, 80, 14},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(tc.seed, 7))
			rounds := 1500
			if testing.Short() || raceEnabled {
				rounds = 150
			}
			settles := 0
			for range rounds {
				words, allow := tc.ps.dict(r, tc.maxLen)
				// Nested words (and allow phrases) of the pieces' first
				// characters, so that candidates pile up.
				for k := range 1 + r.IntN(tc.maxLen) {
					w := tc.ps.randWord(r, 1)
					words = append(words, filter.Word{Text: repeatN(w, k+1), Action: filter.Action(1 + r.IntN(3))})
					if r.IntN(4) == 0 {
						allow = append(allow, repeatN(w, k+2))
					}
				}
				ref := newRef(words, allow)
				dense := r.IntN(2) == 0
				opts := filter.WithEngine(filter.Options{Allow: allow}, dense)
				eager := filter.MustCompile(words, filter.WithSettleAt(opts, 1+r.IntN(3)))
				late := filter.MustCompile(words, filter.WithSettleAt(opts, math.MaxInt))
				for range 10 {
					text := tc.ps.text(r, r.IntN(tc.textLen))
					checkAgainstRef(t, eager, ref.filter(text, '*'), text, words, allow)
					got, want := eager.AppendMatches(nil, text), late.AppendMatches(nil, text)
					if !slices.Equal(got, want) {
						t.Fatalf("words %q allow %q text %q: settled early %v, at the end %v", words, allow, text, got, want)
					}
					n, _ := eager.Settles(text)
					settles += n
					if n, _ := late.Settles(text); n != 0 {
						t.Fatalf("settle threshold MaxInt: %d settles before the end of %q", n, text)
					}
				}
			}
			// Most texts should settle several times, or this test
			// checks little.
			if settles < rounds*10 {
				t.Fatalf("%d settles in %d texts: too few", settles, rounds*10)
			}
			t.Logf("%d settles in %d texts", settles, rounds*10)
		})
	}
}

func repeatN(s string, n int) string {
	b := make([]byte, 0, len(s)*n)
	for range n {
		b = append(b, s...)
	}
	return string(b)
}

// TestSettleKeepsDst checks that matches settled while the scan runs go
// after what dst holds, in text order, and that Contains agrees.
func TestSettleKeepsDst(t *testing.T) {
	words := nestedWords("一", 5)
	words = append(words, filter.Word{Text: "ass", Action: filter.Block})
	opts := filter.Options{Allow: []string{"一 ass"}}
	m := filter.MustCompile(words, filter.WithSettleAt(opts, 1))
	late := filter.MustCompile(words, filter.WithSettleAt(opts, math.MaxInt))
	text := repeatTo("一", 300) + " ass class " + repeatTo("一", 36) + " ass, ass"
	prefix := []filter.Match{{Word: 99, Start: 1, End: 2}}
	got := m.AppendMatches(slices.Clone(prefix), text)
	want := late.AppendMatches(slices.Clone(prefix), text)
	if !slices.Equal(got, want) {
		t.Fatalf("AppendMatches = %v, want %v", got, want)
	}
	if !slices.Equal(got[:1], prefix) || len(got) < 10 {
		t.Fatalf("AppendMatches = %v: prefix lost or too few matches", got)
	}
	for i := 2; i < len(got); i++ {
		if got[i].Start < got[i-1].End {
			t.Fatalf("matches out of order or overlapping: %v", got)
		}
	}
	if n, _ := m.Settles(text); n < 10 {
		t.Fatalf("%d settles: the test checks little", n)
	}
	if !m.Contains(text) || m.Contains("一 ass class") {
		t.Fatal("Contains disagrees")
	}
}

// TestCandidatesBounded filters a long text against dictionaries of
// nested words (see nestedCases): the candidates a scan holds at once,
// and what a call allocates (dst has room for the matches), must not
// grow with the text. Before candidates were settled while scanning, a
// call allocated 6 GB on 1 MiB of 一 against 一 ×1..128.
func TestCandidatesBounded(t *testing.T) {
	size := 1 << 18 // BenchmarkNestedWords measures 1 MiB
	if testing.Short() || raceEnabled {
		size = 1 << 16
	}
	for _, c := range nestedCases {
		t.Run(c.name, func(t *testing.T) {
			m := filter.MustCompile(c.words, filter.Options{Allow: c.allow})
			text := repeatTo(c.unit, size)
			settles, held := m.Settles(text)
			// A settle keeps the candidates starting in the last
			// MaxWordRunes word characters (at most 8,256 for 128 nested
			// words) and the allow occurrences reaching into them, then
			// waits for twice as many.
			const maxHeld = 3 * filter.MaxWordRunes * (filter.MaxWordRunes + 1)
			if settles == 0 || held > maxHeld {
				t.Errorf("%d settles, up to %d candidates held; want some settles and at most %d held", settles, held, maxHeld)
			}
			dst := make([]filter.Match, 0, 1<<13)
			n := len(m.AppendMatches(dst, text))
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			m.AppendMatches(dst, text)
			runtime.ReadMemStats(&after)
			const maxAlloc = 4 << 20
			if a := after.TotalAlloc - before.TotalAlloc; a > maxAlloc {
				t.Errorf("AppendMatches on %d bytes allocated %d bytes, want at most %d", len(text), a, maxAlloc)
			}
			if want := len(text) / len(c.unit) / filter.MaxWordRunes; n < want {
				t.Errorf("%d matches, want at least %d", n, want)
			}
		})
	}
}
