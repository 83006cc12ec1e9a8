package filter_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/wordfilter/wordfilter/filter"
	"github.com/wordfilter/wordfilter/internal/costly"
)

// ilWords returns a list that runs of | and ! cost the walks the most:
// every i/l spelling of six letters, then x.
func ilWords() []filter.Word {
	var words []filter.Word
	for _, w := range costly.ILWords() {
		words = append(words, filter.Word{Text: w, Action: filter.Mask})
	}
	return words
}

// TestWalkBudget: a text made to cost the variant walks the most (a long
// run of ambiguous leet characters under words spelt with the letters
// they stand for) still ends, finds the variant match before it and every
// exact match after it: past the budget only the variant readings stop.
func TestWalkBudget(t *testing.T) {
	words := append(ilWords(), filter.Word{Text: "fuck", Action: filter.Block})
	m := filter.MustCompile(words, filter.Options{Policy: filter.Policy{Readings: filter.AllReadings}})
	text := "fuuuck " + strings.Repeat("!|", 20000) + " fuck"
	res := m.Filter(nil, text)
	if len(res.Matches) < 2 {
		t.Fatalf("matches %v, want the variant fuuuck first and the exact fuck last", res.Matches)
	}
	first, last := res.Matches[0], res.Matches[len(res.Matches)-1]
	if text[first.Start:first.End] != "fuuuck" || first.Via != filter.ReadRepeat {
		t.Errorf("first match %q via %v, want fuuuck via repeat", text[first.Start:first.End], first.Via)
	}
	if text[last.Start:last.End] != "fuck" || last.Via != 0 || last.End != len(text) {
		t.Errorf("last match %q via %v at %d, want the exact fuck at the end", text[last.Start:last.End], last.Via, last.Start)
	}
	if res.Decision != filter.Block {
		t.Errorf("decision %v, want block", res.Decision)
	}
	if !res.Incomplete {
		t.Error("Incomplete = false for a text whose walks ran out of steps")
	}
	if ms, incomplete := m.AppendMatchesChecked(nil, text); !incomplete || len(ms) != len(res.Matches) {
		t.Errorf("AppendMatchesChecked: %d matches, incomplete %v; Filter: %d, true", len(ms), incomplete, len(res.Matches))
	}
	if res := m.Filter(nil, "fuuuck sh1t !|!|!| fuck"); res.Incomplete || len(res.Matches) != 2 {
		t.Errorf("a short text: %d matches, Incomplete %v; want 2, false", len(res.Matches), res.Incomplete)
	}
}

// TestRealTextComplete: real chat messages, one by one and a megabyte of
// them as one text, never reach a limit of the readings under the shared
// lists with every reading on: Result.Incomplete is a sign of a text made
// to cost them (docs/matching.md, "Limits").
func TestRealTextComplete(t *testing.T) {
	for _, set := range []struct{ dict, corpus string }{
		{"dicts/en.txt", "corpus/en-chat.txt"},
		{"dicts/zh-large.txt", "corpus/zh-chat.txt"},
		{"dicts/zh-large.txt", "corpus/zh-long.txt"},
	} {
		var words []filter.Word
		for _, w := range readWords(t, set.dict, filter.Mask) {
			if filter.CheckWord(w.Text) == "" {
				words = append(words, w)
			}
		}
		m := filter.MustCompile(words, filter.Options{Policy: filter.Policy{Readings: filter.AllReadings}})
		lines := readWords(t, set.corpus, filter.Mask)
		step := 1
		if raceEnabled {
			step = 20
		}
		var all strings.Builder
		for i := 0; i < len(lines); i += step {
			if res := m.Filter(nil, lines[i].Text); res.Incomplete {
				t.Errorf("%s, %s line %d: Incomplete", set.dict, set.corpus, i+1)
			}
			if all.Len() < 1<<20 {
				all.WriteString(lines[i].Text)
				all.WriteByte('\n')
			}
		}
		if res := m.Filter(nil, all.String()); res.Incomplete {
			t.Errorf("%s, %s: Incomplete for the first %d bytes as one text", set.dict, set.corpus, all.Len())
		}
	}
}

// TestVariantAfterPadding checks that a padding of digits, symbols and
// leet characters in front of a message does not use up the readings'
// budget (see docs/matching.md, "Limits") before the word after it: 1 MiB
// of each (128 KiB under the race detector), then sh1t. Under these
// words spelt with i and l, a budget not granted byte by byte would be
// spent by 4 KB of "!|".
func TestVariantAfterPadding(t *testing.T) {
	var words []filter.Word
	for _, w := range []string{"shit", "idiot", "ill", "lol", "oil", "loli", "lilo", "ass", "asia"} {
		words = append(words, filter.Word{Text: w, Action: filter.Mask})
	}
	m := filter.MustCompile(words, filter.Options{Policy: filter.Policy{Readings: filter.AllReadings}})
	size := 1 << 20
	if raceEnabled {
		size = 128 << 10
	}
	for _, pad := range []string{"|", "!|", "| ", "1|", "|!", "11", "!!!! ", "i1l| ", "$", "a$$a ", "0o", "l1l1 ", "$!$", "|$$"} {
		text := strings.Repeat(pad, size/len(pad)) + " you sh1t"
		res := m.Filter(nil, text)
		if !strings.HasSuffix(res.Text, " you ****") {
			t.Errorf("after %d bytes of %q: the text ends %q, want sh1t masked", size, pad, res.Text[len(res.Text)-12:])
		}
	}
}

// TestPaddingWalksNothing: a run of digits and symbols with no plain
// letter within the reach of a match (docs/matching.md, "Limits") starts
// no walk, so that it cannot spend the steps the text after it is granted:
// under words spelt with i and l, the walks of a padding and $h1t glued
// to it take as many steps after 1 MiB (128 KiB under the race detector)
// of the padding as after 16 KiB, the steps of the starts within reach of
// the h, and $h1t is masked. (Were the reach unbounded, the steps would
// grow with the padding until they used up all the text was granted.)
func TestPaddingWalksNothing(t *testing.T) {
	words := append(ilWords(), filter.Word{Text: "shit", Action: filter.Mask})
	m := filter.MustCompile(words, filter.Options{Policy: filter.Policy{Readings: filter.AllReadings}})
	var pads []string
	for _, pad := range []string{"!|", "|", "| ", "1|", "1!|", "!|$", "|!!", "0!|", "!\u200d|", "\uff01|"} {
		pad, _ = strconv.Unquote(`"` + pad + `"`)
		pads = append(pads, pad)
	}
	checkPaddings(t, m, pads, "$h1t", "****", "the walks", m.WalkSteps)
}

// checkPaddings checks, for each padding, that the steps count counts
// (what of, named by what) do not grow from 16 KiB of the padding followed
// by tail to 1 MiB of it (128 KiB under the race detector), and that the
// filtered text then ends with end.
func checkPaddings(t *testing.T, m *filter.Matcher, pads []string, tail, end, what string, count func(string) int) {
	t.Helper()
	size := 1 << 20
	if raceEnabled {
		size = 128 << 10
	}
	for _, pad := range pads {
		short := strings.Repeat(pad, (16<<10)/len(pad)) + tail
		text := strings.Repeat(pad, size/len(pad)) + tail
		if s, l := count(short), count(text); l > s+s/8 {
			t.Errorf("%q: %s took %d steps after %d bytes, %d after %d", pad, what, l, size, s, 16<<10)
		}
		if res := m.Filter(nil, text); !strings.HasSuffix(res.Text, end) {
			t.Errorf("after %d bytes of %q: the text ends %q, want %q", size, pad, res.Text[len(res.Text)-12:], end)
		}
	}
}

// TestLongRun: a long run of copies of one character is read as one unit
// at the cost of a short run: a leet symbol as one letter and its
// repeats, a letter or a CJK character as a carrier and its repeats,
// invisible code points between the copies (one or two, at uneven
// distances, or combining marks) parting none of them; copies whose marks
// compose them into a letter of a word make one unit too. The walks take
// as many steps after 1 MiB of copies (128 KiB under the race detector) as
// after 64 (a step a copy more where each copy's marks start a search of
// their own), and the match spans the whole run, the text not reported
// incomplete. (A walk reading such a run a copy at a time runs out of
// steps after about 2,000 copies and misses $$$…$h1t.)
func TestLongRun(t *testing.T) {
	var words []filter.Word
	// (coño makes the engine read combining marks: those after u compose
	// it into ü, which no word holds, so they are invisible.)
	for _, w := range []string{"shit", "ass", "s a", "fuck", "傻逼", "coño"} {
		words = append(words, filter.Word{Text: w, Action: filter.Mask})
	}
	size := 1 << 20
	if raceEnabled {
		size = 128 << 10
	}
	for _, dense := range []bool{false, true} {
		opts := filter.WithEngine(filter.Options{Policy: filter.Policy{Readings: filter.AllReadings}}, dense)
		m := filter.MustCompile(words, opts)
		for _, c := range []struct {
			before, copy, after string
			start               int // of the match
		}{
			{"", "$", "h1t", 0},
			{"a", "$", "", 0},
			{"x ", "$", "h!t", 2},
			// s is glued to the first $, which a match cannot start at,
			// and $ is no repeat of s: "s a" starts at the second.
			{"s", "$", "a", 2},
			{"s", "\u200b$", "a", 8},
			{"", "$\u200b$\u200c\u200d", "h1t", 0},
			{"", "s\u200b", "hit", 0},
			{"", "s\u200bs\u200c\u00ad", "hit", 0},
			{"f", "u\u200d", "ck", 0},
			{"f", "u\u0308", "ck", 0},
			{"f", "u\u0308\u200b", "ck", 0},
			// ñ is coño's: each copy's marks start a search of their own.
			{"co", "n\u0303", "o", 0},
			{"co", "n\u0303\u200b", "o", 0},
			{"", "傻\u200b傻\u200c\u200d", "逼", 0},
		} {
			short := c.before + strings.Repeat(c.copy, 64) + c.after
			copies := size / len(c.copy)
			text := c.before + strings.Repeat(c.copy, copies) + c.after
			perCopy := strings.Contains(c.copy, "\u0303") // a step a copy
			if s, l := m.WalkSteps(short), m.WalkSteps(text); perCopy && l > s+copies || !perCopy && l > s {
				t.Errorf("dense %v, %q + %q…: the walks took %d steps after %d bytes, %d after 64 copies", dense, c.before, c.copy, l, len(text), s)
			}
			res := m.Filter(nil, text)
			if len(res.Matches) != 1 || res.Matches[0].Start != c.start || res.Matches[0].End != len(text) || res.Incomplete {
				t.Errorf("dense %v, %q + %d bytes of %q + %q: matches %v incomplete %v, want one from byte %d to the end, complete",
					dense, c.before, len(text), c.copy, c.after, res.Matches, res.Incomplete, c.start)
			}
		}
	}
}

// TestShortTextCost: a short text made to cost the walks the most (x and
// xx between separators under words of two, three and six x: every x
// starts walks that read on through the run) takes no more steps than the
// text's grant (walkBase and 32 a byte) and a walk's worth over it, is
// reported incomplete, and its words are still found. (With a base of
// 262,144 steps, 256 bytes of "xx " take 210,539 steps, 14 ms.)
func TestShortTextCost(t *testing.T) {
	var words []filter.Word
	for _, w := range []string{"xx", "xxx", "xxxxxx", "shit"} {
		words = append(words, filter.Word{Text: w, Action: filter.Mask})
	}
	m := filter.MustCompile(words, filter.Options{Policy: filter.Policy{Readings: filter.AllReadings}})
	for _, pad := range []string{"xx ", "x ", "x$"} {
		text := strings.Repeat(pad, 256/len(pad)) + " sh1t"
		grant := 1<<13 + 32*len(text)
		if steps := m.WalkSteps(text); steps > grant+1<<11 {
			t.Errorf("%d bytes of %q: the walks took %d steps, more than the text's %d and a walk's 2,048", len(text), pad, steps, grant)
		}
		res := m.Filter(nil, text)
		if !res.Incomplete || len(res.Matches) < 2 || !strings.HasSuffix(res.Text, " ****") {
			t.Errorf("%d bytes of %q: %d matches, Incomplete %v, text ends %q; want x words and sh1t masked, incomplete", len(text), pad, len(res.Matches), res.Incomplete, res.Text[len(res.Text)-8:])
		}
	}
}

// TestGluedLeetRunChecks: in a run of letters and the leet digits that
// stand for them (1l1l…, o0o…), glued into one word, the ASCII loop knows
// how long the run is, also after it stopped to emit or handed a
// character to the general path (scanner.runBack): no key can start inside
// the run, so the checks of its digits end at once, and the steps they
// take do not grow with the run (were the run's length lost, about 48
// steps a digit, and a second of CPU for a megabyte of 1l). A word after
// the run is still found.
func TestGluedLeetRunChecks(t *testing.T) {
	var words []filter.Word
	for _, w := range []string{"lil", "lol", "oil", "loli", "idiot", "shit", "soso", "sis"} {
		words = append(words, filter.Word{Text: w, Action: filter.Mask})
	}
	m := filter.MustCompile(words, filter.Options{Policy: filter.Policy{Readings: filter.AllReadings}})
	checkPaddings(t, m, []string{"1l", "o0o", "5s", "l1l", "0o"}, " sh1t", " ****", "the checks", m.CheckSteps)
}

// TestCheckShadow: in a stretch of short words of letters and leet
// characters that words spelt with i and l could be read from (l1 l1 …),
// every check of the ASCII loop would run out of steps and leave the
// character to the walks anyway; after one has, the checks of the next
// bytes leave it to them at once (checkShadow). They take under 4 steps a
// byte of such a stretch (24 to 48 with every check looking), and the
// word after it is still masked.
func TestCheckShadow(t *testing.T) {
	m := filter.MustCompile(append(ilWords(), filter.Word{Text: "shit", Action: filter.Mask}),
		filter.Options{Policy: filter.Policy{Readings: filter.AllReadings}})
	for _, pad := range []string{"l1 ", "1 l ", "i1 ", "l|!"} {
		text := strings.Repeat(pad, (64<<10)/len(pad)) + " sh1t"
		if steps := m.CheckSteps(text); steps > 4*len(text) {
			t.Errorf("%q: the checks took %d steps over %d bytes, more than 4 a byte", pad, steps, len(text))
		}
		if res := m.Filter(nil, text); !strings.HasSuffix(res.Text, " ****") {
			t.Errorf("after 64 KiB of %q: the text ends %q, want sh1t masked", pad, res.Text[len(res.Text)-8:])
		}
	}
}
