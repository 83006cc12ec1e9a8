package filter_test

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wordfilter/wordfilter/filter"
	"github.com/wordfilter/wordfilter/internal/shareddata"
)

func TestCheckWord(t *testing.T) {
	f := func(text string, want filter.ErrorCode) {
		t.Helper()
		if got := filter.CheckWord(text); got != want {
			t.Errorf("CheckWord(%q) = %q, want %q", text, got, want)
		}
	}
	f("fuck", "")
	f("法轮功", "")
	f("free money", "")
	f("a\u200b", "")
	f(strings.Repeat("a", filter.MaxWordRunes), "")
	f(strings.Repeat("a ", filter.MaxWordRunes), "")
	f("", filter.ErrNothingMatchable)
	f(" \u200b\t", filter.ErrNothingMatchable)
	f(" .,!\u200b", "") // a symbol word: .,!
	f("😀", "")
	f("@$$", "")
	f(strings.Repeat("☭", filter.MaxWordRunes+1), filter.ErrTooLong)
	f("fu\xffck", filter.ErrInvalidUTF8)
	f(strings.Repeat("a", filter.MaxWordRunes+1), filter.ErrTooLong)
}

// TestErrorCodes pins the messages of the codes, which dict shows after
// path:line, and ties ErrTooLong's to MaxWordRunes.
func TestErrorCodes(t *testing.T) {
	for code, want := range map[filter.ErrorCode]string{
		filter.ErrInvalidUTF8:      "invalid UTF-8",
		filter.ErrNothingMatchable: "nothing matchable left after normalisation",
		filter.ErrTooLong:          "longer than " + strconv.Itoa(filter.MaxWordRunes) + " letters and digits after normalisation",
		filter.ErrInvalidAction:    "invalid action (want review, mask or block)",
	} {
		if code.String() != want {
			t.Errorf("ErrorCode.String() = %q, want %q", code.String(), want)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	_, err := filter.Compile([]filter.Word{{Text: "ok", Action: filter.Mask}, {Text: " \u200b ", Action: filter.Mask}}, filter.Options{})
	var we *filter.WordError
	if !errors.As(err, &we) || we.Index != 1 || we.Allow || we.Text != " \u200b " || we.Code != filter.ErrNothingMatchable {
		t.Fatalf("Compile(bad word) error = %v, want a *WordError for index 1", err)
	}
	if got, want := err.Error(), `filter: word " \u200b ": nothing matchable left after normalisation`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	_, err = filter.Compile(nil, filter.Options{Allow: []string{"fine", "\xff"}})
	if !errors.As(err, &we) || we.Index != 1 || !we.Allow || we.Code != filter.ErrInvalidUTF8 {
		t.Fatalf("Compile(bad allow) error = %v, want a *WordError for allow index 1", err)
	}
	_, err = filter.Compile([]filter.Word{{Text: "x", Action: filter.Pass}}, filter.Options{})
	if !errors.As(err, &we) || we.Code != filter.ErrInvalidAction || we.Index != 0 {
		t.Errorf("Compile(action pass) error = %v, want a *WordError with ErrInvalidAction", err)
	}
	_, err = filter.Compile(nil, filter.Options{Mask: -1})
	if err == nil || errors.As(err, new(*filter.CompileError)) {
		t.Errorf("Compile(mask -1) error = %v, want an error that is no *CompileError", err)
	}
}

// TestCompileReportsEveryBadWord checks that Compile goes on after the
// first refused word and lists them all, words then allow phrases, each
// with its index and code.
func TestCompileReportsEveryBadWord(t *testing.T) {
	long := strings.Repeat("a", filter.MaxWordRunes+1)
	words := []filter.Word{
		{Text: "ok", Action: filter.Mask},
		{Text: "\u200b", Action: filter.Mask},
		{Text: "fine", Action: filter.Block},
		{Text: "a\xffb", Action: filter.Review},
		{Text: "fuck", Action: filter.Action(9)},
		{Text: long, Action: filter.Mask},
		{Text: "ok", Action: filter.Block}, // a duplicate after the first error is no error
	}
	allow := []string{"  ", "good", "\xfe"}
	_, err := filter.Compile(words, filter.Options{Allow: allow})
	var ce *filter.CompileError
	if !errors.As(err, &ce) {
		t.Fatalf("Compile error = %v (%T), want a *CompileError", err, err)
	}
	want := []filter.WordError{
		{Code: filter.ErrNothingMatchable, Index: 1, Text: "\u200b"},
		{Code: filter.ErrInvalidUTF8, Index: 3, Text: "a\xffb"},
		{Code: filter.ErrInvalidAction, Index: 4, Text: "fuck"},
		{Code: filter.ErrTooLong, Index: 5, Text: long},
		{Code: filter.ErrNothingMatchable, Index: 0, Allow: true, Text: "  "},
		{Code: filter.ErrInvalidUTF8, Index: 2, Allow: true, Text: "\xfe"},
	}
	if len(ce.Words) != len(want) {
		t.Fatalf("CompileError.Words has %d errors, want %d: %v", len(ce.Words), len(want), err)
	}
	for i, we := range ce.Words {
		if *we != want[i] {
			t.Errorf("Words[%d] = %+v, want %+v", i, *we, want[i])
		}
	}
	if got, want := err.Error(), `filter: 6 words refused: word "\u200b": nothing matchable left after normalisation; `+
		`word "a\xffb": invalid UTF-8; word "fuck": invalid action (want review, mask or block); and 3 more`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if errs := ce.Unwrap(); len(errs) != len(want) || !errors.As(errs[5], new(*filter.WordError)) {
		t.Errorf("Unwrap() = %v, want the %d *WordErrors", errs, len(want))
	}
}

func TestEmptyDictionary(t *testing.T) {
	m := filter.MustCompile(nil, filter.Options{})
	if m.Len() != 0 || m.Contains("anything 法轮功") {
		t.Fatalf("empty Matcher: Len %d, Contains true", m.Len())
	}
	if r := m.Filter(nil, "abc"); r.Text != "abc" || r.Decision != filter.Pass || len(r.Matches) != 0 {
		t.Fatalf("empty Matcher: Filter = %+v", r)
	}
}

func TestDedupAndStats(t *testing.T) {
	m := filter.MustCompile([]filter.Word{
		{Text: "fuck", Category: "a", Action: filter.Mask},
		{Text: "ＦＵＣＫ", Category: "b", Action: filter.Block},
		{Text: "fu ck", Category: "c", Action: filter.Review},
	}, filter.Options{Allow: []string{"x", "X"}})
	if m.Len() != 2 {
		t.Fatalf("Len() = %d, want 2", m.Len())
	}
	if w := m.Word(0); w.Category != "b" || w.Action != filter.Block {
		t.Errorf("Word(0) = %+v, want category b, block", w)
	}
	if m.AllowLen() != 1 || m.MemoryUsage() <= 0 {
		t.Errorf("AllowLen() = %d, MemoryUsage() = %d; want 1 and more than 0", m.AllowLen(), m.MemoryUsage())
	}
}

// TestDedupOnHashCollisions compiles with every folded key hashing alike
// and checks that duplicates are still merged exactly as with real hashes.
func TestDedupOnHashCollisions(t *testing.T) {
	words := []filter.Word{
		{Text: "fuck", Category: "a", Action: filter.Mask},
		{Text: "fu ck", Category: "b", Action: filter.Review},
		{Text: "ＦＵＣＫ", Category: "c", Action: filter.Block},
		{Text: "fu-ck", Category: "d", Action: filter.Block},
		{Text: "ab", Category: "e", Action: filter.Mask},
		{Text: "ba", Category: "f", Action: filter.Mask},
		{Text: "AB", Category: "g", Action: filter.Review},
		{Text: "法轮功", Category: "h", Action: filter.Mask},
		{Text: "法輪功", Category: "i", Action: filter.Block},
	}
	opts := filter.Options{Allow: []string{"ab", "AB", "fuck", "a b"}}
	got := compareSameHash(t, words, opts)
	// fuck/ＦＵＣＫ merge into one word and fu ck/fu-ck into another
	// (a separator is required), each taking its strongest action.
	if got.Len() != 5 || got.Word(0).Category != "c" || got.Word(1).Category != "d" {
		t.Errorf("Len() = %d, Word(0) = %+v, Word(1) = %+v; want 5, categories c and d", got.Len(), got.Word(0), got.Word(1))
	}
	t.Run("zh-small", func(t *testing.T) {
		compareSameHash(t, append(words, readWords(t, "dicts/zh-small.txt", filter.Review)...), opts)
	})
}

// compareSameHash compiles words with real and with colliding hashes,
// checks that both give the same words and matches, and returns the
// second Matcher.
func compareSameHash(t *testing.T, words []filter.Word, opts filter.Options) *filter.Matcher {
	t.Helper()
	want := filter.MustCompile(words, opts)
	got := filter.MustCompile(words, filter.WithSameHash(opts))
	if got.Len() != want.Len() || got.AllowLen() != want.AllowLen() {
		t.Fatalf("with colliding hashes: %d words, %d allow; want %d, %d",
			got.Len(), got.AllowLen(), want.Len(), want.AllowLen())
	}
	for i := range want.Len() {
		if got.Word(i) != want.Word(i) {
			t.Errorf("Word(%d) = %+v, want %+v", i, got.Word(i), want.Word(i))
		}
	}
	for _, text := range []string{"fuck you", "f u c k", "ab ba a b", "法輪功 法轮功"} {
		if g, w := got.Filter(nil, text), want.Filter(nil, text); !slices.Equal(g.Matches, w.Matches) || g.Text != w.Text {
			t.Errorf("Filter(%q) = %+v, want %+v", text, g, w)
		}
	}
	return got
}

// readWords reads a shared dictionary: one word a line.
func readWords(tb testing.TB, rel string, action filter.Action) []filter.Word {
	tb.Helper()
	f, err := os.Open(shareddata.Path(tb, rel))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var words []filter.Word
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" {
			words = append(words, filter.Word{Text: w, Category: rel, Action: action})
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return words
}

// TestRealDictionaries checks that every real word is accepted (except
// the ones made only of symbols, which the engine refuses today:
// docs/matching.md, "Not implemented yet") and compiles.
func TestRealDictionaries(t *testing.T) {
	dir := shareddata.Dir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "dicts", "*.txt"))
	multi, _ := filepath.Glob(filepath.Join(dir, "dicts", "multi", "*.txt"))
	for _, p := range append(files, multi...) {
		rel, _ := filepath.Rel(dir, p)
		if testing.Short() && strings.Contains(rel, "xlarge") {
			continue
		}
		words := readWords(t, filepath.ToSlash(rel), filter.Mask)
		var ok []filter.Word
		for _, w := range words {
			switch reason := filter.CheckWord(w.Text); reason {
			case "":
				ok = append(ok, w)
			case filter.ErrNothingMatchable:
				t.Logf("%s: %q refused: %s", rel, w.Text, reason)
			default:
				t.Errorf("%s: %q refused: %s", rel, w.Text, reason)
			}
		}
		if _, err := filter.Compile(ok, filter.Options{}); err != nil {
			t.Errorf("%s: Compile: %v", rel, err)
		}
	}
}

// TestRealCorpusAgainstReference runs real dictionaries (with their allow
// lists) over real chat messages and compares with the reference matcher.
func TestRealCorpusAgainstReference(t *testing.T) {
	for _, set := range []struct{ dict, allow, corpus string }{
		{"dicts/zh-small.txt", "dicts/allow-zh.txt", "corpus/zh-chat.txt"},
		{"dicts/en.txt", "dicts/allow-en.txt", "corpus/en-chat.txt"},
	} {
		var words []filter.Word
		for i, w := range readWords(t, set.dict, filter.Mask) {
			if filter.CheckWord(w.Text) == "" {
				w.Action = filter.Action(1 + i%3)
				words = append(words, w)
			}
		}
		var allow []string
		for _, w := range readWords(t, set.allow, filter.Mask) {
			allow = append(allow, w.Text)
		}
		m := filter.MustCompile(words, filter.Options{Allow: allow})
		ref := newRef(words, allow)
		lines := readWords(t, set.corpus, filter.Mask)
		step := 1 + len(lines)/1500
		if testing.Short() || raceEnabled {
			step = 1 + len(lines)/100
		}
		hits := 0
		for i := 0; i < len(lines); i += step {
			checkAgainstRef(t, m, ref.filter(lines[i].Text, '*'), lines[i].Text, nil, nil)
			hits += len(m.AppendMatches(nil, lines[i].Text))
		}
		t.Logf("%s × %s: %d matches in %d messages", set.dict, set.corpus, hits, len(lines)/step)
	}
}

// TestDenseStatesLimit compiles a dictionary of more states than a dense
// table can number (every 8-letter word over four letters: 87,380 states,
// few enough symbols that the table would fit its size limit) with the
// dense table asked for: it must fall back to the sparse one and match as
// that does, not wrap state numbers around.
func TestDenseStatesLimit(t *testing.T) {
	var words []filter.Word
	for n := range 1 << 16 {
		var b [8]byte
		for k := range b {
			b[k] = "abcd"[n>>(2*k)&3]
		}
		words = append(words, filter.Word{Text: string(b[:]), Action: filter.Mask})
	}
	for _, dense := range []bool{true, false} {
		m := filter.MustCompile(words, filter.WithEngine(filter.Options{}, dense))
		if m.IsDense() {
			t.Fatalf("%d states in a dense table", m.States())
		}
		for _, text := range []string{"dcbadcba", "x abcdabcd y", "dddddddd, aaaaaaaa"} {
			res := m.Filter(nil, text)
			want := strings.Map(func(r rune) rune {
				if r >= 'a' && r <= 'd' {
					return '*'
				}
				return r
			}, text)
			if res.Text != want {
				t.Errorf("dense %v: %q filtered to %q, want %q", dense, text, res.Text, want)
			}
		}
	}
}
