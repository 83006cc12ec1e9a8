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
	diffWordChars = []string{"a", "b", "s", "1", "法", "轮", "中", "共", "功", "ａ", "Ｂ", "輪", "①", "ﬁ", "f", "i", "é", "ß", "ж", "Ж"}
	diffOther     = []string{" ", ".", "，", "*", "😀", "-", "\u200b", "\u0301", "\ufe0f", "\xff", "⑴", "㈱", "x", "。", "  "}
)

func randText(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		if r.IntN(3) == 0 {
			b.WriteString(diffOther[r.IntN(len(diffOther))])
		} else {
			b.WriteString(diffWordChars[r.IntN(len(diffWordChars))])
		}
	}
	return b.String()
}

func randWord(r *rand.Rand) string {
	for {
		var b strings.Builder
		n := 1 + r.IntN(4)
		for i := range n {
			b.WriteString(diffWordChars[r.IntN(len(diffWordChars))])
			if i < n-1 && r.IntN(6) == 0 {
				b.WriteString([]string{" ", "-", "\u200b"}[r.IntN(3)])
			}
		}
		if filter.CheckWord(b.String()) == "" {
			return b.String()
		}
	}
}

func randDict(r *rand.Rand) ([]filter.Word, []string) {
	var words []filter.Word
	for range 1 + r.IntN(8) {
		words = append(words, filter.Word{Text: randWord(r), Category: "c", Action: filter.Action(1 + r.IntN(3))})
	}
	var allow []string
	for range r.IntN(3) {
		allow = append(allow, randWord(r))
	}
	return words, allow
}

// checkAgainstRef compares m with the reference on text.
func checkAgainstRef(t *testing.T, m *filter.Matcher, ref *refMatcher, text string, words []filter.Word, allow []string) {
	t.Helper()
	got := m.Filter(nil, text)
	want := ref.filter(text, '*')
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
	r := rand.New(rand.NewPCG(1, 2))
	rounds := 3000
	if testing.Short() || raceEnabled {
		rounds = 300
	}
	for range rounds {
		words, allow := randDict(r)
		ref := newRef(words, allow)
		for _, dense := range []bool{false, true} {
			m, err := filter.Compile(words, filter.WithEngine(filter.Options{Allow: allow}, dense))
			if err != nil {
				t.Fatalf("Compile(%q, allow %q): %v", words, allow, err)
			}
			for range 10 {
				checkAgainstRef(t, m, ref, randText(r, r.IntN(30)), words, allow)
			}
		}
	}
}

// FuzzFilter checks that Filter never panics, reports offsets on rune
// boundaries in range, keeps the rune count, and agrees with the reference.
func FuzzFilter(f *testing.F) {
	f.Add("法轮功|fuck|a片", "pen is", "法 轮 功 f.u.c.k 你是a片吗 the pen is")
	f.Add("中共", "", "其中，共有 中 共")
	f.Add("ass|free money", "class", "class ass free-money freemoney")
	f.Add("ﬁne|株", "", "ﬁne ㈱ \xff\xfe")
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
		bounds := map[int]bool{len(text): true}
		for i := 0; i < len(text); {
			bounds[i] = true
			_, n := utf8.DecodeRuneInString(text[i:])
			i += n
		}
		for _, mt := range res.Matches {
			if mt.Start < 0 || mt.End > len(text) || mt.Start >= mt.End {
				t.Fatalf("match %v out of range for %q", mt, text)
			}
			if !bounds[mt.Start] || !bounds[mt.End] {
				t.Fatalf("match %v not on rune boundaries in %q", mt, text)
			}
		}
		if utf8.RuneCountInString(res.Text) != utf8.RuneCountInString(text) {
			t.Fatalf("masked %q has another rune count than %q", res.Text, text)
		}
		sparse, err := filter.Compile(words, filter.WithEngine(filter.Options{Allow: allow}, false))
		if err != nil {
			t.Fatalf("Compile (sparse): %v", err)
		}
		if got := sparse.Filter(nil, text); got.Text != res.Text || !slices.Equal(got.Matches, res.Matches) {
			t.Fatalf("sparse engine: %q %v, dense engine: %q %v", got.Text, got.Matches, res.Text, res.Matches)
		}
		if len(words) > 30 || len(text) > 300 {
			return // keep the brute force quick
		}
		checkAgainstRef(t, m, newRef(words, allow), text, words, allow)
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
