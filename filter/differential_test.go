package filter_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wordfilter/wordfilter/filter"
)

// pieces of random texts: word characters in several forms, separators,
// clause punctuation, invisible characters, expanding code points and an
// invalid byte.
var (
	diffWordChars = []string{"a", "b", "s", "1", "法", "轮", "中", "共", "功", "ａ", "Ｂ", "輪", "國", "国", "①", "ﬁ", "f", "i", "é", "ß", "ж", "Ж"}
	diffOther     = []string{" ", ".", "，", "*", "😀", "-", "\u200b", "\u0301", "\ufe0f", "\xff", "⑴", "㈱", "x", "。", "  "}
)

// pieces of mostly ASCII Latin texts, where scan's ASCII loop runs long
// runs of letters (words nest and overlap in few letters), with a
// non-ASCII Latin letter, a CJK character and invisible characters now
// and then.
var (
	latinWordChars = []string{"a", "s", "b", "a", "s", "1", "A", "é"}
	latinOther     = []string{" ", ".", "-", " ", "  ", "...", "\u200b", "\u00ad", "法", ","}
)

// pieceSet is what random dictionaries and texts are made of.
type pieceSet struct{ word, other []string }

// Symbol words (made only of symbols) mixed with ordinary words: the
// word pieces are symbols, and the dictionary adds a few letter words.
var (
	symbolWordChars = []string{"@", "$", "$", "☭", "＠", "🖕", "!", "┻", "，", "\x01", "(", ")"}
	symbolOther     = []string{"a", "s", " ", "\ufe0f", "\u200b", "法", "\xff", "$", "中", "⁉", "⑴", "(", ")"}
)

var (
	mixedPieces  = pieceSet{diffWordChars, diffOther}
	latinPieces  = pieceSet{latinWordChars, latinOther}
	symbolPieces = pieceSet{symbolWordChars, symbolOther}
)

func randText(r *rand.Rand, n int) string { return mixedPieces.text(r, n) }

func (ps pieceSet) text(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		if r.IntN(3) == 0 {
			b.WriteString(ps.other[r.IntN(len(ps.other))])
		} else {
			b.WriteString(ps.word[r.IntN(len(ps.word))])
		}
	}
	return b.String()
}

func (ps pieceSet) randWord(r *rand.Rand, maxLen int) string {
	for {
		var b strings.Builder
		n := 1 + r.IntN(maxLen)
		for i := range n {
			b.WriteString(ps.word[r.IntN(len(ps.word))])
			if i < n-1 && r.IntN(6) == 0 {
				b.WriteString([]string{" ", "-", "\u200b"}[r.IntN(3)])
			}
		}
		if filter.CheckWord(b.String()) == "" {
			return b.String()
		}
	}
}

func randDict(r *rand.Rand) ([]filter.Word, []string) { return mixedPieces.dict(r, 4) }

func (ps pieceSet) dict(r *rand.Rand, maxLen int) ([]filter.Word, []string) {
	var words []filter.Word
	for range 1 + r.IntN(8) {
		words = append(words, filter.Word{Text: ps.randWord(r, maxLen), Category: "c", Action: filter.Action(1 + r.IntN(3))})
	}
	var allow []string
	for range r.IntN(3) {
		allow = append(allow, ps.randWord(r, maxLen))
	}
	return words, allow
}

// checkAgainstRef compares m's result on text with want, a reference
// matcher's (each reference's filter masks with '*').
func checkAgainstRef(t *testing.T, m *filter.Matcher, want filter.Result, text string, words []filter.Word, allow []string) {
	t.Helper()
	got := m.Filter(nil, text)
	if !slices.Equal(got.Matches, want.Matches) || got.Text != want.Text || got.Decision != want.Decision {
		t.Fatalf("words %q allow %q text %q (dense %v):\n got %v %q %v\nwant %v %q %v",
			words, allow, text, m.IsDense(), got.Decision, got.Text, got.Matches, want.Decision, want.Text, want.Matches)
	}
	if c := m.Contains(text); c != (len(want.Matches) > 0) {
		t.Fatalf("Contains(%q) = %v, want %v (words %q allow %q)", text, c, !c, words, allow)
	}
	if utf8.RuneCountInString(got.Text) != utf8.RuneCountInString(text) {
		t.Fatalf("Filter(%q).Text = %q: rune count changed", text, got.Text)
	}
}

func TestDifferential(t *testing.T) {
	t.Run("mixed", func(t *testing.T) { differential(t, mixedPieces, 4, 30, rand.New(rand.NewPCG(1, 2))) })
	// Long runs of Latin letters through the ASCII loop of the dense
	// engine: words ending inside a run, starting after its first letter,
	// runs begun after a non-ASCII letter.
	t.Run("latin", func(t *testing.T) { differential(t, latinPieces, 6, 60, rand.New(rand.NewPCG(5, 6))) })
	// Symbol words, with letters, separators and CJK around them and
	// invisible characters inside.
	t.Run("symbols", func(t *testing.T) { differential(t, symbolPieces, 4, 40, rand.New(rand.NewPCG(7, 8))) })
}

// differential compares random dictionaries of words up to maxLen pieces
// with the reference on random texts up to textLen pieces.
func differential(t *testing.T, ps pieceSet, maxLen, textLen int, r *rand.Rand) {
	rounds := 3000
	if testing.Short() || raceEnabled {
		rounds = 300
	}
	for range rounds {
		words, allow := ps.dict(r, maxLen)
		ref := newRef(words, allow)
		for _, dense := range []bool{false, true} {
			m, err := filter.Compile(words, filter.WithEngine(filter.Options{Allow: allow}, dense))
			if err != nil {
				t.Fatalf("Compile(%q, allow %q): %v", words, allow, err)
			}
			for range 10 {
				text := ps.text(r, r.IntN(textLen))
				checkAgainstRef(t, m, ref.filter(text, '*'), text, words, allow)
			}
		}
	}
}

// FuzzFilter checks that Filter never panics, reports offsets on rune
// boundaries in range, keeps the rune count, and agrees with the reference.
func FuzzFilter(f *testing.F) {
	f.Add("法轮功|fuck|a片", "pen is", "法 轮 功 f.u.c.k 你是a片吗 the pen is")
	f.Add("中共", "", "其中，共有 中 共")
	f.Add("@$$|☭|🖕|fuck", "$$!", "@$$ ＠＄＄ ☭\ufe0f☭ f$u$c$k 🖕🖕 @$$!")
	f.Add("法轮功|轮功学|学员", "功.学", "法.轮.功.学.员 法，轮 功 法.轮.功")
	f.Add("ass|free money", "class", "class ass free-money freemoney")
	f.Add("ﬁne|株", "", "ﬁne ㈱ \xff\xfe")
	f.Add("ass|hell|abc|bcd|s1", "hello", "class hello a bcd xhell hell. éass s1s s1 hel-l")
	f.Fuzz(func(t *testing.T, dict, allowList, text string) {
		var words []filter.Word
		for i, w := range strings.Split(dict, "|") {
			if filter.CheckWord(w) == "" {
				words = append(words, filter.Word{Text: w, Action: filter.Action(1 + i%3)})
			}
		}
		var allow []string
		for _, a := range strings.Split(allowList, "|") {
			if filter.CheckWord(a) == "" {
				allow = append(allow, a)
			}
		}
		m, err := filter.Compile(words, filter.Options{Allow: allow})
		if err != nil {
			t.Fatalf("Compile: %v", err)
		}
		res := m.Filter(nil, text)
		checkResult(t, text, res)
		sparse, err := filter.Compile(words, filter.WithEngine(filter.Options{Allow: allow}, false))
		if err != nil {
			t.Fatalf("Compile (sparse): %v", err)
		}
		if got := sparse.Filter(nil, text); got.Text != res.Text || !slices.Equal(got.Matches, res.Matches) {
			t.Fatalf("sparse engine: %q %v, dense engine: %q %v", got.Text, got.Matches, res.Text, res.Matches)
		}
		// Settling after every candidate (see scanner) changes nothing.
		eager, err := filter.Compile(words, filter.WithSettleAt(filter.Options{Allow: allow}, 1))
		if err != nil {
			t.Fatalf("Compile (settle at 1): %v", err)
		}
		if got := eager.AppendMatches(nil, text); !slices.Equal(got, res.Matches) {
			t.Fatalf("settled after every candidate: %v, at the end: %v", got, res.Matches)
		}
		if len(words) > 30 || len(text) > 300 {
			return // keep the brute force quick
		}
		checkAgainstRef(t, m, newRef(words, allow).filter(text, '*'), text, words, allow)
	})
}

// TestConcurrentUse shares one Matcher between goroutines (run it with
// -race): every goroutine must see the same results.
func TestConcurrentUse(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	words, allow := randDict(r)
	words = append(words, filter.Word{Text: "fuck", Action: filter.Mask})
	m := filter.MustCompile(words, filter.Options{Allow: allow})
	texts := make([]string, 200)
	want := make([]filter.Result, len(texts))
	for i := range texts {
		texts[i] = randText(r, 20) + " fuck"
		want[i] = m.Filter(nil, texts[i])
	}
	done := make(chan error, 4)
	for range 4 {
		go func() {
			for i, text := range texts {
				got := m.Filter(nil, text)
				if got.Text != want[i].Text || !slices.Equal(got.Matches, want[i].Matches) {
					done <- fmt.Errorf("Filter(%q) = %q %v, want %q %v", text, got.Text, got.Matches, want[i].Text, want[i].Matches)
					return
				}
			}
			done <- nil
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// checkResult checks what every Filter result holds whatever the words:
// matches in text order and apart, each non-empty and on code point
// boundaries of text (an invalid byte is one code point), and a masked
// text of as many code points.
func checkResult(t *testing.T, text string, res filter.Result) {
	t.Helper()
	bounds := map[int]bool{len(text): true}
	for i := 0; i < len(text); {
		bounds[i] = true
		_, n := utf8.DecodeRuneInString(text[i:])
		i += n
	}
	last := 0
	for _, mt := range res.Matches {
		if mt.Start < last || mt.End > len(text) || mt.Start >= mt.End || !bounds[mt.Start] || !bounds[mt.End] {
			t.Fatalf("match %v out of order, out of range or not on code point boundaries in %q", mt, text)
		}
		last = mt.End
	}
	if utf8.RuneCountInString(res.Text) != utf8.RuneCountInString(text) {
		t.Fatalf("masked %q has another rune count than %q", res.Text, text)
	}
}
