package filter_test

import (
	"cmp"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/wordfilter/wordfilter/filter"
	"github.com/wordfilter/wordfilter/internal/pinyin"
)

// Pieces of the random dictionaries and texts of the pinyin tests: words
// of Chinese characters with homophones among them (法 发 fa, 轮 论 lun,
// 功 工 公 gong, 行 xing/hang/heng with 星 航, 银 音 yin, 了 le/liao with
// 聊, 么 me/mo/ma/yao with 吗 妈 马), and texts mixing them with the Latin
// spellings of their syllables (also ambiguous ones: xian is xi+an, lu is
// lu and lü, n and e are interjections), capitals, tone marks, separators,
// clause punctuation, glued letters and digits, kana, a character beyond
// the CJK Unified block, code points that fold to several runes,
// invisible characters and an invalid byte.
var (
	pyWordChars = []string{"法", "发", "轮", "论", "功", "工", "公", "行", "星", "航", "银", "音",
		"了", "聊", "么", "吗", "妈", "马", "西", "安", "先", "绿", "路", "女", "操", "草", "你", "泥", "傻", "逼"}
	pyTextPieces = []string{"法", "发", "發", "轮", "輪", "论", "功", "工", "行", "星", "航", "银", "音",
		"了", "聊", "么", "吗", "妈", "媽", "马", "西", "安", "先", "绿", "路", "女", "操", "草", "你", "泥", "傻", "逼",
		"fa", "lun", "gong", "xing", "hang", "yin", "liao", "le", "ma", "me", "xi", "an", "xian", "lv", "lu", "lü", "nv", "nü",
		"cao", "ni", "sha", "bi", "FA", "Lun", "fǎ", "lǘ", "gōng", "n", "e", "ng",
		" ", " ", ".", "，", "-", "  ", "\u200b", "x", "s", "3", "か", "㐀", "㈱", "\xff", "😀"}
)

// pyWord returns a random word of 1 to 4 characters of pyWordChars, now
// and then with a separator written in it.
func pyWord(r *rand.Rand) string {
	var b strings.Builder
	n := 1 + r.IntN(4)
	for i := range n {
		b.WriteString(pyWordChars[r.IntN(len(pyWordChars))])
		if i < n-1 && r.IntN(10) == 0 {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

func pyText(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(pyTextPieces[r.IntN(len(pyTextPieces))])
	}
	return b.String()
}

// pyRender writes word the ways the pinyin reading reads, and the ways it
// does not: each character as itself, as a character of the same
// syllable (whatever its first reading), or spelled in Latin letters
// (with capitals, tone marks, ü as ü, v or u, separators now and then),
// with separators between them, clause punctuation among them now and
// then.
func pyRender(r *rand.Rand, word string) string {
	var b strings.Builder
	for i, c := range []rune(filter.Fold(word)) {
		if i > 0 {
			for range r.IntN(3) * r.IntN(3) {
				b.WriteString([]string{" ", "-", "，", ".", "\u200b"}[r.IntN(5)])
			}
		}
		rs := pinyin.Readings(c)
		switch k := r.IntN(10); {
		case rs == nil || k < 3:
			b.WriteRune(c)
		case k < 6:
			hs := pinyin.Chars(rs[r.IntN(len(rs))])
			for range 20 {
				h := hs[r.IntN(len(hs))]
				if filter.Fold(string(h)) == string(h) {
					c = h
					break
				}
			}
			b.WriteRune(c)
		default:
			b.WriteString(pySpell(r, rs[r.IntN(len(rs))]))
		}
	}
	return b.String()
}

// pyTones are the toned forms of the vowels.
var pyTones = map[rune]string{'a': "āáǎà", 'e': "ēéěè", 'i': "īíǐì", 'o': "ōóǒò", 'u': "ūúǔù", 'ü': "ǖǘǚǜ"}

// pySpell spells syllable s in Latin letters, the ways people type it.
func pySpell(r *rand.Rand, s pinyin.Syllable) string {
	var b strings.Builder
	for i, c := range s.String() {
		if i > 0 && r.IntN(12) == 0 {
			b.WriteByte('.')
		}
		switch {
		case c == 'ü' && r.IntN(3) == 0:
			b.WriteByte('v')
			continue
		case c == 'ü' && r.IntN(2) == 0:
			b.WriteByte('u')
			continue
		case pyTones[c] != "" && r.IntN(5) == 0:
			ts := []rune(pyTones[c])
			c = ts[r.IntN(len(ts))]
		case r.IntN(8) == 0:
			c = unicode.ToUpper(c)
		}
		b.WriteRune(c)
	}
	return b.String()
}

// pyDict returns a random dictionary (with a word of Latin letters now
// and then, which the reading leaves alone), allow phrases, a policy with
// the pinyin reading on (review or not) and, now and then, a category
// without it.
func pyDict(r *rand.Rand) ([]filter.Word, []string, filter.Policy, map[string]filter.Policy) {
	var words []filter.Word
	for range 1 + r.IntN(6) {
		w := filter.Word{Text: pyWord(r), Category: "c", Action: filter.Action(1 + r.IntN(3))}
		if r.IntN(6) == 0 {
			w.Text = []string{"fa", "lun", "xian", "ma"}[r.IntN(4)]
		}
		if r.IntN(5) == 0 {
			w.Category = "plain"
		}
		words = append(words, w)
	}
	var allow []string
	for range r.IntN(3) {
		allow = append(allow, pyWord(r))
	}
	pol := filter.Policy{Readings: filter.ReadPinyin, PinyinReview: r.IntN(2) == 0}
	cats := map[string]filter.Policy{"plain": {}}
	return words, allow, pol, cats
}

// TestPinyinDifferential compares random dictionaries read with pinyin
// with the brute-force reference on random texts, with both automaton
// layouts and with candidates settled one at a time.
func TestPinyinDifferential(t *testing.T) {
	t.Run("short", func(t *testing.T) { pinyinDifferential(t, rand.New(rand.NewPCG(11, 12)), 3000, 1) })
	// Texts longer than the ring of 128 word characters, settled as
	// they go.
	t.Run("long", func(t *testing.T) { pinyinDifferential(t, rand.New(rand.NewPCG(13, 14)), 100, 20) })
}

// pinyinDifferential runs rounds random dictionaries, each on texts of
// about parts times the usual length.
func pinyinDifferential(t *testing.T, r *rand.Rand, rounds, parts int) {
	if testing.Short() || raceEnabled {
		rounds = max(rounds/10, 10)
	}
	for range rounds {
		words, allow, pol, cats := pyDict(r)
		ref := newPyRef(words, allow, pol, cats)
		opts := filter.Options{Allow: allow, Policy: pol, Categories: cats}
		var ms []*filter.Matcher
		for _, dense := range []bool{false, true} {
			ms = append(ms, filter.MustCompile(words, filter.WithEngine(opts, dense)))
		}
		ms = append(ms, filter.MustCompile(words, filter.WithSettleAt(opts, 1)))
		for k := range 10 {
			var b strings.Builder
			for range parts {
				b.WriteString(pyText(r, r.IntN(24)))
				if k%2 == 0 {
					// A word of the dictionary, written by sound, among
					// other pieces.
					w := words[r.IntN(len(words))].Text
					b.WriteString(pyText(r, r.IntN(4)) + pyRender(r, w) + pyText(r, r.IntN(4)))
				}
			}
			text := b.String()
			for _, m := range ms {
				checkAgainstRef(t, m, ref.filter(text, '*'), text, words, allow)
			}
		}
	}
}

// FuzzFilterPinyin compiles the words of dict (separated by |) with the
// pinyin reading and checks Filter against the reference, and the engine's
// invariants: offsets on rune boundaries, the rune count kept, both
// layouts and eager settling agreeing.
func FuzzFilterPinyin(f *testing.F) {
	f.Add("法轮功|操你妈|傻逼", "", "falungong fa lun gong 法lun功 发轮功 caonima 草泥马 傻bi sha逼 shabi 煞笔")
	f.Add("银行|行星|西安", "银行卡", "银hang 银xing yinhang xian 西an xi安 行xing 航星")
	f.Add("法轮功|fa", "发轮", "xfalungong falungongs FaLunGong! fǎlúngōng f.a.l.u.n.g.o.n.g 发，轮，功 发 轮 功")
	f.Add("绿女|路女", "", "lvnv lünü lunu 绿nv 路nu nü绿 ng n e")
	f.Add("了么吗|聊吗", "", "了么吗 聊吗 liaoma le么 ㈱聊ma か了吗 \xff了ma")
	f.Fuzz(func(t *testing.T, dict, allowList, text string) {
		if len(dict) > 200 || len(allowList) > 100 || len(text) > 200 {
			return // keep the brute force quick
		}
		// Symbol words are left out: the reference does not model them.
		ok := func(w string) bool {
			rs, _, _ := refKey(w)
			return filter.CheckWord(w) == "" && len(rs) > 0
		}
		var words []filter.Word
		for i, w := range strings.Split(dict, "|") {
			if ok(w) {
				words = append(words, filter.Word{Text: w, Category: "c", Action: filter.Action(1 + i%3)})
			}
		}
		var allow []string
		for _, a := range strings.Split(allowList, "|") {
			if ok(a) {
				allow = append(allow, a)
			}
		}
		for _, w := range append(slices.Collect(func(yield func(string) bool) {
			for _, w := range words {
				yield(w.Text)
			}
		}), allow...) {
			if pinyinCombos(w) > 64 {
				return // the engine keeps 64 keys a word; the reference reads every combination
			}
		}
		pol := filter.Policy{Readings: filter.ReadPinyin, PinyinReview: len(text)%2 == 0}
		opts := filter.Options{Allow: allow, Policy: pol}
		m, err := filter.Compile(words, opts)
		if err != nil {
			t.Fatalf("Compile: %v", err)
		}
		res := m.Filter(nil, text)
		checkResult(t, text, res)
		for _, o := range []filter.Options{filter.WithEngine(opts, false), filter.WithEngine(opts, true), filter.WithSettleAt(opts, 1)} {
			if got := filter.MustCompile(words, o).AppendMatches(nil, text); !slices.Equal(got, res.Matches) {
				t.Fatalf("another layout or settling: %v, default: %v", got, res.Matches)
			}
		}
		checkAgainstRef(t, m, newPyRef(words, allow, pol, nil).filter(text, '*'), text, words, allow)
	})
}

// pinyinCombos returns the number of combinations of readings of the
// characters of w (1 for a character without readings).
func pinyinCombos(w string) int {
	n := 1
	for _, r := range filter.Fold(w) {
		n *= max(1, len(pinyin.Readings(r)))
		if n > 1<<20 {
			break
		}
	}
	return n
}

// TestPinyinLongSpelling checks that a word spelled in Latin letters is
// found when its spelling holds more letters than the longest word has
// characters (the scan must keep its candidates that long before settling
// them), also when every candidate is settled as soon as it can be.
func TestPinyinLongSpelling(t *testing.T) {
	word := strings.Repeat("庄", 20) // zhuang: 120 letters in Latin
	words := []filter.Word{{Text: word, Action: filter.Block}, {Text: "光", Action: filter.Mask}}
	text := "光 " + strings.Repeat("zhuang", 20) + " 光"
	for _, o := range []filter.Options{{}, filter.WithSettleAt(filter.Options{}, 1)} {
		o.Policy = filter.Policy{Readings: filter.AllReadings}
		m := filter.MustCompile(words, o)
		got := m.AppendMatches(nil, text)
		want := []filter.Match{{Word: 1, Start: 0, End: 3}, {Word: 0, Start: 4, End: 124, Via: filter.ReadPinyin}, {Word: 1, Start: 125, End: 128}}
		if !slices.Equal(got, want) {
			t.Errorf("AppendMatches(%q) = %v, want %v", text, got, want)
		}
	}
}

// TestPinyinKeysCapped checks that a word with more than 64 combinations
// of readings is still found by its most common readings.
func TestPinyinKeysCapped(t *testing.T) {
	word := "了了了了了了了" // le/liao: 128 combinations
	if n := pinyinCombos(word); n <= 64 {
		t.Fatalf("%s has %d combinations; the test needs more than 64", word, n)
	}
	m := filter.MustCompile([]filter.Word{{Text: word, Action: filter.Mask}}, filter.Options{Policy: filter.Policy{Readings: filter.ReadPinyin}})
	for _, c := range []struct {
		text string
		want bool
	}{
		{"lelelelelele了", true},                 // the first readings
		{"liaolelelelele了", true},               // one other reading
		{"liaoliaoliaoliaoliaoliaoliao", false}, // four other readings or more: left out
	} {
		if got := m.Contains(c.text); got != c.want {
			t.Errorf("Contains(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

// TestPinyinFlagRate reads the shared chat corpora with zh-large and
// every reading on, and checks that the messages flagged only through
// pinyin (every match of the message needed it) stay under 1% of zh-chat;
// it logs the rates and the 20 most frequent pinyin-only matches (word =
// text), which is where to look when the rate moves. Skipped under -short
// and without the shared data.
func TestPinyinFlagRate(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the shared corpora")
	}
	m := compileDict(t, "zh-large")
	for _, c := range []struct {
		corpus  string
		ceiling float64 // percent, 0: none
	}{{"zh-chat", 1}, {"zh-long", 0}} {
		msgs := bench.readLines(t, "corpus/"+c.corpus+".txt")
		hits := map[string]int{}
		var ms []filter.Match
		only, any := 0, 0
		for _, msg := range msgs {
			ms = m.AppendMatches(ms[:0], msg)
			if len(ms) == 0 {
				continue
			}
			any++
			if slices.ContainsFunc(ms, func(mt filter.Match) bool { return mt.Via&filter.ReadPinyin == 0 }) {
				continue
			}
			only++
			for _, mt := range ms {
				hits[m.Word(mt.Word).Text+" = "+msg[mt.Start:mt.End]]++
			}
		}
		rate := 100 * float64(only) / float64(len(msgs))
		t.Logf("%s: %d of %d messages flagged, %d (%.2f%%) only through pinyin", c.corpus, any, len(msgs), only, rate)
		keys := slices.Collect(maps.Keys(hits))
		slices.SortFunc(keys, func(a, b string) int { return cmp.Or(hits[b]-hits[a], strings.Compare(a, b)) })
		for _, k := range keys[:min(20, len(keys))] {
			t.Logf("  %4d  %s", hits[k], k)
		}
		if c.ceiling > 0 && rate > c.ceiling {
			t.Errorf("%s: %.2f%% of the messages flagged only through pinyin, over %.2f%%", c.corpus, rate, c.ceiling)
		}
	}
}

// TestPinyinCandidatesBounded filters long texts written by sound: the
// candidates a scan holds at once must not grow with the text, and
// settling them as soon as possible changes nothing.
func TestPinyinCandidatesBounded(t *testing.T) {
	size := 1 << 18
	if testing.Short() || raceEnabled {
		size = 1 << 16
	}
	words := []filter.Word{{Text: "法轮功", Action: filter.Mask}, {Text: "轮功", Action: filter.Mask}, {Text: "发轮功学员", Action: filter.Mask}}
	for _, c := range []struct {
		unit    string
		matches bool
	}{{"发轮功", true}, {"falungong ", true}, {"发lun功", true}, {"xianxianxian", false}, {"lululululu ", false}} {
		opts := filter.Options{Allow: []string{"论功"}, Policy: filter.Policy{Readings: filter.ReadPinyin}}
		m := filter.MustCompile(words, opts)
		n := size / len(c.unit)
		text := strings.Repeat(c.unit, n)
		settles, held := m.Settles(text)
		if held > 3*filter.MaxWordRunes*(filter.MaxWordRunes+1) || c.matches && settles == 0 {
			t.Errorf("%q ×%d: %d settles, up to %d candidates held", c.unit, n, settles, held)
		}
		got := m.AppendMatches(nil, text)
		if want := 0; !c.matches && len(got) != want || c.matches && len(got) != n {
			t.Errorf("%q ×%d: %d matches", c.unit, n, len(got))
		}
		// Settling at every candidate sorts each time: a shorter text.
		short := text[:len(c.unit)*min(n, 1<<12/len(c.unit))]
		eager := filter.MustCompile(words, filter.WithSettleAt(opts, 1)).AppendMatches(nil, short)
		if want := m.AppendMatches(nil, short); !slices.Equal(eager, want) {
			t.Errorf("%q: settled as soon as possible, %d matches differ from %d", c.unit, len(eager), len(want))
		}
	}
}
