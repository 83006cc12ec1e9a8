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

// Random dictionaries and texts for the variant readings, compared between
// the engine and the reference of reference_variants_test.go: words and
// texts mix Latin letters, leet digits and symbols, repeats (touching and
// with separators), the Cyrillic and Greek look-alikes of refForeign,
// decorated letters (precomposed and with combining marks), CJK with
// variant forms, separators, clause punctuation, invisible characters and
// an invalid byte.

// varWordPool are words and allow phrases the generator picks from.
var varWordPool = []string{
	"ass", "shit", "fuck", "hell", "hello", "helo", "sob", "as", "coño", "ano", "cop", "sh1t", "s1",
	"free money", "法轮功", "奸", "傻逼", "中共", "a片", "сука", "@$$", "$", "轮功", "is", "lol", "bitch",
	"oo", "sis", "ii", "tit", "ass hat", "shit happens",
}

// varLetters are the letters of random words.
var varLetters = []string{"a", "s", "h", "i", "t", "o", "l", "1", "0", "法", "轮", "功", "奸", "傻", "逼", "ñ", "ü", cyrC, "я"}

// varVariantPool are the variants lines a dictionary picks from.
var varVariantPool = [][]string{{"法", "氵去", "灋"}, {"奸", "女干"}, {"轮功", "lg"}, {"s", "z"}, {"傻", "沙"}, {"逼", "b1"}}

// Text pieces standing for a letter under each reading.
var (
	varLeetOf = map[rune][]string{'o': {"0"}, 'i': {"1", "!", "|"}, 'l': {"1", "|"}, 'e': {"3"}, 'a': {"4", "@"},
		's': {"5", "$"}, 't': {"7", "+"}, 'b': {"8"}, 'g': {"9"}}
	varForeignOf = map[rune][]string{'a': {"\u0430", "\u03b1"}, 'c': {"\u0441"}, 'e': {"\u0435"}, 'o': {"\u043e", "\u03bf"},
		'p': {"\u0440"}, 'x': {"\u0445"}, 'y': {"\u0443"}, 'i': {"\u0456", "\u03b9"}, 'j': {"\u0458"}, 's': {"\u0455"}, 'v': {"\u03bd"}}
	varDecoratedOf = map[rune][]string{'u': {"ü", "Ü"}, 'e': {"é"}, 'f': {"ƒ"}, 'a': {"ɑ"}, 'i': {"ı"}, 'n': {"ñ"}, 'c': {"ç"}, 'k': {"ķ"}}
	varMarks       = []string{"\u0303", "\u0308", "\u0301"}
	varInvisible   = []string{"\u200b", "\u200c", "\u200d", "\u00ad"}
	varSeps        = []string{" ", ".", "-", "*", "，", "。", "!", "$", " ", "\u200b"}
	varNoise       = []string{"a", "s", "h", "x", "i", "t", "1", "0", "5", "$", "@", "!", "|", "+", " ", " ", ".", "-", "，",
		"法", "中", "女", "干", "去", "氵", "灋", "沙", "\u0441", "\u043e", "\u03bf", "я", "ü", "ñ", "é", "ƒ", "ı",
		"\u0303", "\u0308", "\u200b", "ß", "\xff", "Ｓ", "Ⓢ", "z", "lg"}
)

// varGen is one random dictionary with its options, and makes texts for it.
type varGen struct {
	r        *rand.Rand
	words    []filter.Word
	allow    []string
	variants []filter.Variant
	opts     refOpts
	// maxRep is the most repeats render writes after a piece (3 unless
	// set): long runs of a symbol take another path in the walks.
	maxRep int
	// invisible puts invisible code points between repeats, one or two
	// of varInvisible before half of them (so the copies of a run stand
	// at uneven distances), and repeats a letter written with a combining
	// mark whole (decomposed copies).
	invisible bool
}

func (g *varGen) pick(s []string) string { return s[g.r.IntN(len(s))] }

// randReadings returns a random set of readings, all of them half the time.
func randReadings(r *rand.Rand) filter.Readings {
	if r.IntN(2) == 0 {
		return refReadable
	}
	return filter.Readings(r.IntN(int(refReadable) + 1))
}

// newVarGen makes a random dictionary, allow phrases, variants and
// policies (the policies are left to the caller in opts).
func newVarGen(r *rand.Rand) *varGen {
	g := &varGen{r: r}
	for _, line := range varVariantPool {
		if r.IntN(2) == 0 {
			g.variants = append(g.variants, filter.Variant{Canonical: line[0], Forms: line[1:]})
		}
	}
	for range 1 + r.IntN(6) {
		g.words = append(g.words, filter.Word{Text: g.randWord(), Category: g.pick([]string{"a", "b"}), Action: filter.Action(1 + r.IntN(3))})
	}
	for range r.IntN(3) {
		a := g.randWord()
		if r.IntN(2) == 0 {
			a = g.words[r.IntN(len(g.words))].Text + g.pick([]string{" happens", "s", "法", " x"})
		}
		if filter.CheckWord(a) == "" {
			g.allow = append(g.allow, a)
		}
	}
	return g
}

// randWord returns a word of the pool or of random letters.
func (g *varGen) randWord() string {
	for {
		var w string
		if g.r.IntN(5) < 3 {
			w = g.pick(varWordPool)
		} else {
			var b strings.Builder
			n := 1 + g.r.IntN(4)
			for i := range n {
				b.WriteString(g.pick(varLetters))
				if i < n-1 && g.r.IntN(8) == 0 {
					b.WriteString(" ")
				}
			}
			w = b.String()
		}
		if filter.CheckWord(w) == "" {
			return w
		}
	}
}

// randPolicies sets random policies: the folder's, and now and then
// category b's.
func (g *varGen) randPolicies() {
	g.opts = refOpts{Variants: g.variants, Policy: filter.Policy{Readings: randReadings(g.r), VariantReview: g.r.IntN(5) == 0}}
	if g.r.IntN(5) < 2 {
		g.opts.Categories = map[string]filter.Policy{"b": {Readings: randReadings(g.r), VariantReview: g.r.IntN(3) == 0}}
	}
}

// text returns a random text: noise around one or two words of the
// dictionary (or allow phrases) written the ways evaders write them.
func (g *varGen) text() string {
	var b strings.Builder
	g.noise(&b, 3)
	for range 1 + g.r.IntN(2) {
		src := g.words[g.r.IntN(len(g.words))].Text
		if len(g.allow) > 0 && g.r.IntN(4) == 0 {
			src = g.allow[g.r.IntN(len(g.allow))]
		}
		g.render(&b, src)
		g.noise(&b, 3)
	}
	return b.String()
}

func (g *varGen) noise(b *strings.Builder, n int) {
	for range g.r.IntN(n + 1) {
		b.WriteString(g.pick(varNoise))
	}
}

// render writes word w letter by letter, each plain or through a reading,
// with repeats and separators.
func (g *varGen) render(b *strings.Builder, w string) {
	letters, _, _ := refKey(w)
	if len(letters) == 0 { // a symbol word, as written
		b.WriteString(w)
		return
	}
	for j := 0; j < len(letters); {
		if j > 0 {
			switch k := g.r.IntN(20); {
			case k < 12:
			case k < 17:
				b.WriteString(g.pick(varSeps))
			default:
				for range 2 + g.r.IntN(3) {
					b.WriteString(g.pick(varSeps))
				}
			}
		}
		l := letters[j]
		piece := string(l)
		step := 1
		switch k := g.r.IntN(12); {
		case k < 4:
			if g.r.IntN(4) == 0 {
				piece = strings.ToUpper(piece)
			}
		case k < 6 && len(varLeetOf[l]) > 0:
			piece = g.pick(varLeetOf[l])
		case k < 7 && len(varForeignOf[l]) > 0:
			piece = g.pick(varForeignOf[l])
		case k < 8 && len(varDecoratedOf[l]) > 0:
			piece = g.pick(varDecoratedOf[l])
		case k < 9 && l < utf8.RuneSelf:
			piece += g.pick(varMarks)
		case k < 11:
			for _, v := range g.variants {
				canon, _, _ := refKey(v.Canonical)
				if j+len(canon) <= len(letters) && slices.Equal(canon, letters[j:j+len(canon)]) {
					piece, step = g.pick(v.Forms), len(canon)
					if g.r.IntN(5) == 0 { // a separator inside the form
						first, size := utf8.DecodeRuneInString(piece)
						if size < len(piece) {
							piece = string(first) + g.pick(varSeps) + piece[size:]
						}
					}
					break
				}
			}
		}
		b.WriteString(piece)
		if g.r.IntN(3) == 0 { // repeats of the piece's last character
			last, _ := utf8.DecodeLastRuneInString(piece)
			rep := string(last)
			if g.invisible && strings.ContainsRune(strings.Join(varMarks, ""), last) {
				rep = piece // a letter and its marks, again: decomposed copies
			}
			for range 1 + g.r.IntN(max(g.maxRep, 3)) {
				if g.r.IntN(3) == 0 {
					b.WriteString(g.pick(varSeps))
				}
				if g.invisible && g.r.IntN(2) == 0 {
					for range 1 + g.r.IntN(2) {
						b.WriteString(g.pick(varInvisible))
					}
				}
				b.WriteString(rep)
			}
		}
		j += step
	}
}

// describe returns a Go-ish description of a dictionary for failure
// messages.
func (g *varGen) describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "words:")
	for _, w := range g.words {
		fmt.Fprintf(&b, " %s/%v:%q", w.Category, w.Action, w.Text)
	}
	fmt.Fprintf(&b, "\nallow: %q\nvariants:", g.allow)
	for _, v := range g.opts.Variants {
		fmt.Fprintf(&b, " %q", append([]string{v.Canonical}, v.Forms...))
	}
	fmt.Fprintf(&b, "\npolicy: %+v (readings %v)", g.opts.Policy, g.opts.Policy.Readings)
	for c, p := range g.opts.Categories {
		fmt.Fprintf(&b, "\ncategory %s: %+v (readings %v)", c, p, p.Readings)
	}
	return b.String()
}

// varEngines compiles the dictionary with the sparse and the dense
// automaton and with a scan settling after every candidate.
func varEngines(t *testing.T, words []filter.Word, opts filter.Options) map[string]*filter.Matcher {
	t.Helper()
	ms := map[string]*filter.Matcher{}
	for kind, o := range map[string]filter.Options{
		"sparse":  filter.WithEngine(opts, false),
		"dense":   filter.WithEngine(opts, true),
		"settle1": filter.WithSettleAt(opts, 1),
	} {
		m, err := filter.Compile(words, o)
		if err != nil {
			t.Fatalf("Compile(%q, %+v): %v", words, opts, err)
		}
		ms[kind] = m
	}
	return ms
}

// checkVariantsAgainstRef compares the engine m with the reference's
// result want on text.
func checkVariantsAgainstRef(t *testing.T, kind string, m *filter.Matcher, want filter.Result, text string, dict func() string) {
	t.Helper()
	got := m.Filter(nil, text)
	if !slices.Equal(got.Matches, want.Matches) || got.Text != want.Text || got.Decision != want.Decision {
		t.Fatalf("%s\ntext %q (%s engine):\n got %v %q %s\nwant %v %q %s",
			dict(), text, kind, got.Decision, got.Text, varMatches(text, got.Matches), want.Decision, want.Text, varMatches(text, want.Matches))
	}
	if c := m.Contains(text); c != (len(want.Matches) > 0) {
		t.Fatalf("%s\nContains(%q) = %v, want %v (%s engine)", dict(), text, c, !c, kind)
	}
	if utf8.RuneCountInString(got.Text) != utf8.RuneCountInString(text) {
		t.Fatalf("Filter(%q).Text = %q: rune count changed", text, got.Text)
	}
}

// varMatches describes matches with the text they cover.
func varMatches(text string, ms []filter.Match) string {
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, " {word %d %d-%d %q via %v}", m.Word, m.Start, m.End, text[m.Start:m.End], m.Via)
	}
	if b.Len() == 0 {
		return "none"
	}
	return b.String()
}

// TestVariantsDifferential compares the engine with the reference on
// random dictionaries, policies and texts. "none" has no reading on (it
// checks that the reference agrees with the plain engine on these
// pieces); "readings" has random readings, variant-action review and
// category policies.
func TestVariantsDifferential(t *testing.T) {
	t.Run("none", func(t *testing.T) { variantsDifferential(t, rand.New(rand.NewPCG(21, 22)), false) })
	t.Run("readings", func(t *testing.T) { variantsDifferential(t, rand.New(rand.NewPCG(23, 24)), true) })
	t.Run("long-runs", func(t *testing.T) { variantsDifferential(t, rand.New(rand.NewPCG(25, 26)), true, 12) })
	t.Run("invisible-runs", func(t *testing.T) {
		variantsDifferential(t, rand.New(rand.NewPCG(27, 28)), true, 12, varInvisibleRuns)
	})
}

// varInvisibleRuns, as variantsDifferential's option after maxRep, puts
// invisible code points between repeats (varGen.invisible).
const varInvisibleRuns = 1

// variantsDifferential compares the engine with the reference on random
// dictionaries and texts, with the readings when readings is set, and
// runs of up to maxRep[0] repeats in the texts (with invisible code points
// between them when maxRep[1] is varInvisibleRuns).
func variantsDifferential(t *testing.T, r *rand.Rand, readings bool, maxRep ...int) {
	rounds := 1500
	switch {
	case raceEnabled: // Compile is slow under the race detector
		rounds = 100
	case testing.Short():
		rounds = 200
	}
	if len(maxRep) > 0 {
		rounds /= 3
	}
	for range rounds {
		g := newVarGen(r)
		if len(maxRep) > 0 {
			g.maxRep = maxRep[0]
			g.invisible = len(maxRep) > 1 && maxRep[1] == varInvisibleRuns
		}
		g.opts = refOpts{Variants: g.variants}
		if readings {
			g.randPolicies()
		}
		ref := newRefVariants(g.words, g.allow, g.opts)
		engines := varEngines(t, g.words, g.opts.options(g.allow))
		for range 8 {
			text := g.text()
			want := ref.filter(text, '*')
			for _, kind := range []string{"sparse", "dense", "settle1"} {
				checkVariantsAgainstRef(t, kind, engines[kind], want, text, g.describe)
			}
		}
	}
}

// parseFuzzVariants reads variants lines separated by '|', keeping only
// lines a variants file accepts (forms acceptable as words, at least one
// written form, none folding to its canonical form, none listed twice)
// whose forms hold a letter or digit and no separator inside (the
// reference's readings of symbol forms and of separators inside forms
// are not pinned down by docs/matching.md).
func parseFuzzVariants(s string) []filter.Variant {
	var out []filter.Variant
	seen := map[string]bool{}
	for _, line := range strings.Split(s, "|") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		ok := true
		for _, form := range f {
			if letters, sep, _ := refKey(form); len(letters) == 0 || slices.Contains(sep, true) || filter.CheckWord(form) != "" {
				ok = false
			}
		}
		canon := filter.Fold(f[0])
		for _, form := range f[1:] {
			if k := filter.Fold(form); k == canon || seen[k] {
				ok = false
			}
		}
		if !ok {
			continue
		}
		for _, form := range f[1:] {
			seen[filter.Fold(form)] = true
		}
		out = append(out, filter.Variant{Canonical: f[0], Forms: f[1:]})
	}
	return out
}

// refFoldAgrees reports whether the reference folds every code point of
// texts as the engine does (the reference's traditional→simplified table
// knows only the characters the tests write).
func refFoldAgrees(texts ...string) bool {
	for _, s := range texts {
		for _, r := range s {
			var b strings.Builder
			for _, f := range refFoldRune(r) {
				b.WriteRune(f.r)
			}
			if b.String() != filter.Fold(string(r)) {
				return false
			}
		}
	}
	return true
}

// FuzzFilterVariants checks the engines against each other and against the
// reference with readings: dict holds words "[category/][action:]text"
// separated by '|', variants lines "canonical form..." separated by '|';
// the low four bits of readings are the folder's readings, the high four
// category b's.
func FuzzFilterVariants(f *testing.F) {
	f.Add("fuck|shit|b/block:ass", "shit happens", "", "fuuuuck f-u-u-u-c-k sh1t happens a$$ $.h.i.t", uint8(0xff), false)
	f.Add("法轮功|奸|傻逼", "汉奸", "法 氵去 灋|奸 女干", "氵去轮功 灋.轮.功 汉女干 女干干 傻傻傻逼 傻，傻逼", uint8(0x0f), false)
	f.Add("fuck|coño|ano|cop", "", "", "fu\u0441k ƒüçķ año con\u0303o an\u0303o \u0441\u043e\u0440 c\u043e\u0440", uint8(0x0f), true)
	f.Add("b/fuck|a/shit|hello|helo", "", "", "fuuuck shiiit hello helllo is shiiiit ffuck fuckkkk", uint8(0x1e), false)
	f.Add("leet|sob|aoa|ass|@$$|$", "", "", "1337 5008 404 @$$ $hit b@ss as$$ asss as", uint8(0xff), false)
	f.Add("free money|s1|ab片", "", "s z|轮功 lg", "fr33 m0ney $1 a8片 z hit 法lg 法lgx", uint8(0x0f), false)
	f.Add("fuck", "fuck off", "f ph", "phuck ph uck fu\u0441k \u043eff fu\xffck fuck\u200bk", uint8(0x0f), false)
	f.Fuzz(func(t *testing.T, dict, allowList, variants, text string, readings uint8, review bool) {
		var words []filter.Word
		for w := range strings.SplitSeq(dict, "|") {
			if pw := parseVarWord(w); filter.CheckWord(pw.Text) == "" {
				words = append(words, pw)
			}
		}
		var allow []string
		for a := range strings.SplitSeq(allowList, "|") {
			if filter.CheckWord(a) == "" {
				allow = append(allow, a)
			}
		}
		ropts := refOpts{
			Policy:     filter.Policy{Readings: filter.Readings(readings) & refReadable, VariantReview: review},
			Categories: map[string]filter.Policy{"b": {Readings: filter.Readings(readings>>4) & refReadable, VariantReview: !review}},
			Variants:   parseFuzzVariants(variants),
		}
		opts := ropts.options(allow)
		ms := varEngines(t, words, opts)
		res := ms["dense"].Filter(nil, text)
		checkResult(t, text, res)
		for _, mt := range res.Matches {
			if mt.Via&^refReadable != 0 {
				t.Fatalf("match %v: via %v holds a reading that no category has", mt, mt.Via)
			}
		}
		for _, kind := range []string{"sparse", "settle1"} {
			if got := ms[kind].Filter(nil, text); got.Text != res.Text || !slices.Equal(got.Matches, res.Matches) {
				t.Fatalf("%s engine: %q %v, dense engine: %q %v", kind, got.Text, got.Matches, res.Text, res.Matches)
			}
		}
		if len(words) > 12 || len(text) > 160 || !refFoldAgrees(dict, allowList, variants, text) {
			return // keep the brute force quick, and on characters it folds as the engine does
		}
		dictDesc := func() string {
			return fmt.Sprintf("words %q allow %q options %+v", words, allow, ropts)
		}
		want := newRefVariants(words, allow, ropts).filter(text, '*')
		checkVariantsAgainstRef(t, "dense", ms["dense"], want, text, dictDesc)
	})
}
