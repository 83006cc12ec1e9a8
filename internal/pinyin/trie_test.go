package pinyin_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/wordfilter/wordfilter/internal/pinyin"
)

// spellingsOf returns the Latin spellings of s as the package documents
// them: its name, ü also as v or u, ê also as e.
func spellingsOf(s pinyin.Syllable) []string {
	name := s.String()
	sp := []string{name}
	if strings.Contains(name, "ü") {
		sp = append(sp, strings.ReplaceAll(name, "ü", "v"), strings.ReplaceAll(name, "ü", "u"))
	}
	if strings.Contains(name, "ê") {
		sp = append(sp, strings.ReplaceAll(name, "ê", "e"))
	}
	return sp
}

// spelled maps every spelling to the syllables it spells, in increasing
// order.
func spelled() map[string][]pinyin.Syllable {
	m := map[string][]pinyin.Syllable{}
	for s := pinyin.Syllable(1); s <= pinyin.NumSyllables; s++ {
		for _, sp := range spellingsOf(s) {
			m[sp] = append(m[sp], s)
		}
	}
	return m
}

// walk steps the trie from Start over s.
func walk(s string) (pinyin.State, bool) {
	st := pinyin.Start()
	for i := range len(s) {
		var ok bool
		if st, ok = st.Next(s[i]); !ok {
			return st, false
		}
	}
	return st, true
}

// TestTrie visits every state the trie reaches, over every byte, and
// checks that the syllables ending at each are exactly those spelled by
// the bytes that lead there, and that every spelling is reached.
func TestTrie(t *testing.T) {
	want := spelled()
	longest := 0
	for sp := range want {
		longest = max(longest, len(sp))
		if st, ok := walk(sp); !ok || !slices.Equal(st.Ends(), want[sp]) {
			t.Errorf("walk(%q) = %v, ends %q, want ends %q", sp, ok, names(st.Ends()), names(want[sp]))
		}
	}
	if longest != pinyin.MaxSpellingLen {
		t.Errorf("longest spelling %d bytes, MaxSpellingLen = %d", longest, pinyin.MaxSpellingLen)
	}
	type item struct {
		st   pinyin.State
		path string
	}
	queue := []item{{pinyin.Start(), ""}}
	seen := map[pinyin.State]string{pinyin.Start(): ""}
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		if got := it.st.Ends(); !slices.Equal(got, want[it.path]) {
			t.Errorf("state after %q ends %q, want %q", it.path, names(got), names(want[it.path]))
		}
		if len(it.path) > pinyin.MaxSpellingLen {
			t.Errorf("state after %q: deeper than MaxSpellingLen", it.path)
		}
		for b := range 256 {
			next, ok := it.st.Next(byte(b))
			if ok != (next != 0) {
				t.Errorf("Next(%q) after %q = %d, %v", byte(b), it.path, next, ok)
			}
			if !ok {
				continue
			}
			path := it.path + string([]byte{byte(b)})
			if p, dup := seen[next]; dup {
				t.Errorf("state %d reached by %q and %q", next, p, path)
				continue
			}
			seen[next] = path
			queue = append(queue, item{next, path})
		}
	}
	var dead pinyin.State
	for b := range 256 {
		if next, ok := dead.Next(byte(b)); ok || next != 0 {
			t.Errorf("dead state: Next(%q) = %d, %v", byte(b), next, ok)
		}
	}
	if dead.Ends() != nil {
		t.Errorf("dead state ends %q", names(dead.Ends()))
	}
	t.Logf("%d trie states, %d spellings", len(seen), len(want))
}

// segs formats segmentations as "fa lun gong|..." for comparison.
func segs(ss [][]pinyin.Syllable) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.Join(names(s), " ")
	}
	return out
}

func TestSegmentations(t *testing.T) {
	// f checks that Segmentations(s) holds each of want ("" for none).
	f := func(s string, want ...string) {
		t.Helper()
		got := segs(pinyin.Segmentations(s))
		if len(want) == 0 && len(got) != 0 {
			t.Errorf("Segmentations(%q) = %q, want none", s, got)
		}
		for _, w := range want {
			if !slices.Contains(got, w) {
				t.Errorf("Segmentations(%q) = %q, want it to hold %q", s, got, w)
			}
		}
	}
	// exact checks the whole answer, in order.
	exact := func(s string, want ...string) {
		t.Helper()
		if got := segs(pinyin.Segmentations(s)); !slices.Equal(got, want) {
			t.Errorf("Segmentations(%q) = %q, want %q", s, got, want)
		}
	}
	f("falungong", "fa lun gong")
	f("xian", "xian", "xi an")
	f("fangan", "fang an", "fan gan")
	f("caonima", "cao ni ma")
	f("shabi", "sha bi")
	f("zhuangbi", "zhuang bi")
	f("lvse", "lü se")
	f("luse", "lu se", "lü se")
	f("lüse", "lü se")
	f("nvren", "nü ren")
	f("nuren", "nü ren", "nu ren")
	f("lve", "lüe")
	f("lue", "lüe")
	f("nve", "nüe")
	f("nüe", "nüe")
	f("falungongs")
	f("fa1")
	f("FALUNGONG")
	f("v")
	f("")
	exact("xian", "xi a n", "xi an", "xia n", "xian")
	exact("lv", "lü")
	exact("lu", "lu", "lü")
	exact("lvlu", "lü lu", "lü lü")
	exact("nue", "nu e", "nu ê", "nü e", "nü ê", "nüe")
	exact("fa", "fa")
	exact("zhuang", "zhu a ng", "zhu ang", "zhua ng", "zhuang")
}

// segmentBrute returns every segmentation of s by trying every spelling at
// every position, in the order Segmentations documents.
func segmentBrute(s string, sp map[string][]pinyin.Syllable) [][]pinyin.Syllable {
	if s == "" {
		return [][]pinyin.Syllable{{}}
	}
	var out [][]pinyin.Syllable
	for n := 1; n <= len(s); n++ {
		for _, syl := range sp[s[:n]] {
			for _, rest := range segmentBrute(s[n:], sp) {
				out = append(out, append([]pinyin.Syllable{syl}, rest...))
			}
		}
	}
	return out
}

// TestSegmentationsBrute compares Segmentations with segmentBrute on
// random runs of letters and on random sequences of spellings.
func TestSegmentationsBrute(t *testing.T) {
	sp := spelled()
	var all []string
	for s := range sp {
		all = append(all, s)
	}
	slices.Sort(all)
	rng := rand.New(rand.NewPCG(1, 2))
	check := func(s string) {
		t.Helper()
		want := segmentBrute(s, sp)
		if s == "" {
			want = nil
		}
		got := pinyin.Segmentations(s)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("Segmentations(%q) = %q, want %q", s, segs(got), segs(want))
		}
	}
	letters := "aeinoughzsvülxc"
	for range 3000 {
		var b strings.Builder
		for range rng.IntN(9) {
			if rng.IntN(2) == 0 {
				b.WriteString(all[rng.IntN(len(all))])
			} else {
				b.WriteRune([]rune(letters)[rng.IntN(len([]rune(letters)))])
			}
		}
		check(b.String())
	}
}
