package pinyin_test

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	gopinyin "github.com/mozillazg/go-pinyin"

	"github.com/wordfilter/wordfilter/internal/pinyin"
)

// names returns the names of ss.
func names(ss []pinyin.Syllable) []string {
	if ss == nil {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.String()
	}
	return out
}

func TestReadings(t *testing.T) {
	f := func(r rune, want ...string) {
		t.Helper()
		if got := names(pinyin.Readings(r)); !slices.Equal(got, want) {
			t.Errorf("Readings(%q) = %q, want %q", r, got, want)
		}
		if got := pinyin.HasReadings(r); got != (len(want) > 0) {
			t.Errorf("HasReadings(%q) = %v, want %v", r, got, len(want) > 0)
		}
	}
	f('法', "fa")
	f('轮', "lun")
	f('輪', "lun") // traditional
	f('功', "gong")
	f('操', "cao")
	f('妈', "ma")
	f('媽', "ma")
	f('发', "fa")
	f('發', "fa", "bo")
	f('草', "cao", "zao")
	f('泥', "ni", "nie", "ning")
	f('马', "ma")
	f('你', "ni")
	f('傻', "sha")
	f('逼', "bi")
	f('装', "zhuang")
	f('双', "shuang")
	// Heteronyms, in go-pinyin's order, the most common first; tones
	// merged (了 is le and liǎo, liào).
	f('行', "xing", "hang", "heng")
	f('了', "le", "liao")
	f('的', "de", "di")
	f('长', "zhang", "chang")
	f('重', "zhong", "chong", "tong")
	// ü stays a letter of the syllable.
	f('绿', "lü", "lu")
	f('綠', "lü") // go-pinyin gives the traditional form one reading
	f('女', "nü", "ru")
	f('略', "lüe")
	f('虐', "nüe")
	f('路', "lu", "luo")
	f('居', "ju", "ji") // ju, qu, xu, yu are written with u
	// Interjections.
	f('嗯', "n", "ng")
	f('呣', "m", "mou")
	f('欸', "ai", "ê", "xie", "ei")
	f('〇', "ling", "yuan", "xing")
	f('㐀', "qiu") // extension A
	f('𠀀', "he")  // extension B
	// Not Chinese characters, or not in the table.
	for _, r := range []rune{0, 'a', 'A', 'ü', '1', ' ', '。', '，', 'ａ', '😀', 'あ', '한', '⺀', -1, unicode.MaxRune, unicode.MaxRune + 1, 0x7fffffff, utf8.RuneError} {
		f(r)
	}
}

// tonelessOf removes the tones of one of go-pinyin's toned readings, written
// independently of the generator (which goes through NFD): a list of every
// marked letter the data uses.
var tonelessOf = strings.NewReplacer(
	"ā", "a", "á", "a", "ǎ", "a", "à", "a",
	"ē", "e", "é", "e", "ě", "e", "è", "e",
	"ī", "i", "í", "i", "ǐ", "i", "ì", "i",
	"ō", "o", "ó", "o", "ǒ", "o", "ò", "o",
	"ū", "u", "ú", "u", "ǔ", "u", "ù", "u",
	"ǖ", "ü", "ǘ", "ü", "ǚ", "ü", "ǜ", "ü",
	"ḿ", "m", "ń", "n", "ň", "n", "ǹ", "n",
	"ế", "ê", "ề", "ê",
	"\u0300", "", "\u0301", "", "\u0304", "", "\u030c", "", // combining tones (m̀, ê̄, ê̌)
)

// TestReadingsGoPinyin compares every rune's readings with go-pinyin's
// table: the same readings, tones removed, duplicates dropped, order kept,
// and nothing for the runes it does not have.
func TestReadingsGoPinyin(t *testing.T) {
	seen := map[string]bool{}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		var want []string
		if v, ok := gopinyin.PinyinDict[int(r)]; ok {
			for p := range strings.SplitSeq(v, ",") {
				s := tonelessOf.Replace(p)
				if !slices.Contains(want, s) {
					want = append(want, s)
				}
				seen[s] = true
			}
		}
		if got := names(pinyin.Readings(r)); !slices.Equal(got, want) {
			t.Errorf("Readings(%U %q) = %q, want %q (go-pinyin: %q)", r, r, got, want, gopinyin.PinyinDict[int(r)])
		}
	}
	if len(seen) != pinyin.NumSyllables {
		t.Errorf("go-pinyin has %d toneless syllables, NumSyllables = %d", len(seen), pinyin.NumSyllables)
	}
	for s := range seen {
		for _, c := range s {
			if (c < 'a' || c > 'z') && c != 'ü' && c != 'ê' {
				t.Errorf("toneless syllable %q has %q: a tone mark the test does not remove", s, c)
			}
		}
	}
}

func TestReadingsMax(t *testing.T) {
	most, n := rune(0), 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		rs := pinyin.Readings(r)
		if len(rs) > n {
			most, n = r, len(rs)
		}
		if len(rs) != cap(rs) {
			t.Fatalf("Readings(%q): cap %d != len %d: appending would overwrite the table", r, cap(rs), len(rs))
		}
	}
	if n != pinyin.MaxReadings {
		t.Errorf("the most readings are %d (%q: %q), MaxReadings = %d", n, most, names(pinyin.Readings(most)), pinyin.MaxReadings)
	}
}

func TestSyllable(t *testing.T) {
	prev := ""
	for s := pinyin.Syllable(1); s <= pinyin.NumSyllables; s++ {
		name := s.String()
		if name <= prev {
			t.Errorf("Syllable(%d) = %q, not after %q", s, name, prev)
		}
		prev = name
		if got, ok := pinyin.Parse(name); got != s || !ok {
			t.Errorf("Parse(%q) = %d, %v, want %d, true", name, got, ok, s)
		}
		if !s.Valid() {
			t.Errorf("Syllable(%d).Valid() = false", s)
		}
	}
	for _, s := range []pinyin.Syllable{0, pinyin.NumSyllables + 1, 65535} {
		if s.Valid() || s.Interjection() {
			t.Errorf("Syllable(%d) is valid or an interjection", s)
		}
		if got, want := s.String(), "Syllable("; !strings.HasPrefix(got, want) {
			t.Errorf("Syllable(%d).String() = %q, want %q...", s, got, want)
		}
	}
	for _, name := range []string{"", "lv", "lu:", "FA", "fa1", "fā", "v", "zhuangg", "zzz"} {
		if got, ok := pinyin.Parse(name); ok || got != 0 {
			t.Errorf("Parse(%q) = %v, %v, want 0, false", name, got, ok)
		}
	}
	var interj []string
	for s := pinyin.Syllable(1); s <= pinyin.NumSyllables; s++ {
		if s.Interjection() {
			interj = append(interj, s.String())
		}
	}
	if want := []string{"hm", "hng", "m", "n", "ng", "ê"}; !slices.Equal(interj, want) {
		t.Errorf("interjections %q, want %q", interj, want)
	}
}

func TestChars(t *testing.T) {
	f := func(name string, some ...rune) {
		t.Helper()
		s, ok := pinyin.Parse(name)
		if !ok {
			t.Fatalf("Parse(%q) failed", name)
		}
		got := pinyin.Chars(s)
		for _, r := range some {
			if !slices.Contains(got, r) {
				t.Errorf("Chars(%s) lacks %q", name, r)
			}
		}
	}
	f("fa", '法', '发', '發', '乏')
	f("cao", '操', '草', '曹')
	f("lü", '绿', '綠', '驴', '律')
	f("lu", '路', '绿', '鹿')
	if got := pinyin.Chars(0); got != nil {
		t.Errorf("Chars(0) = %q, want nil", got)
	}
	total := 0
	for s := pinyin.Syllable(1); s <= pinyin.NumSyllables; s++ {
		cs := pinyin.Chars(s)
		if len(cs) == 0 {
			t.Errorf("Chars(%s) is empty", s)
		}
		if !slices.IsSorted(cs) {
			t.Errorf("Chars(%s) is not in rune order", s)
		}
		for _, r := range cs {
			if !slices.Contains(pinyin.Readings(r), s) {
				t.Errorf("Chars(%s) holds %q, whose readings are %q", s, r, names(pinyin.Readings(r)))
			}
		}
		total += len(cs)
	}
	want := 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		want += len(pinyin.Readings(r))
	}
	if total != want {
		t.Errorf("Chars hold %d characters in all, Readings %d", total, want)
	}
}
