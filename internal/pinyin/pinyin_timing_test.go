package pinyin_test

import (
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	gopinyin "github.com/mozillazg/go-pinyin"

	"github.com/wordfilter/wordfilter/internal/pinyin"
	"github.com/wordfilter/wordfilter/internal/shareddata"
)

var sink atomic.Int64

// sampleZH is Chinese text for the benchmarks when the shared chat corpus is
// absent.
const sampleZH = "今天天气很好，我们一起去公园散步吧。法轮功是邪教，草泥马是一种动物。" +
	"这个长长的句子里有一些多音字，比如行、了、的、长、重和绿。"

// chineseText returns up to 64 KB of Chinese chat text: the shared corpus
// when present, sampleZH repeated otherwise.
func chineseText(b *testing.B) string {
	if dir := shareddata.Find(); dir != "" {
		if data, err := os.ReadFile(dir + "/corpus/zh-chat.txt"); err == nil {
			return strings.ToValidUTF8(string(data[:min(len(data), 64<<10)]), "")
		}
	}
	return strings.Repeat(sampleZH, 64<<10/len(sampleZH))
}

// BenchmarkReadings looks up every rune of Chinese chat text, against
// go-pinyin's map: the lookup alone (which yields toned, comma-separated
// readings) and the lookup plus what Readings returns (split, tones
// removed, syllables found by name).
func BenchmarkReadings(b *testing.B) {
	text := chineseText(b)
	runes := utf8.RuneCountInString(text)
	perRune := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(runes), "ns/rune")
	}
	b.Run("pinyin", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			for _, r := range text {
				n += len(pinyin.Readings(r))
			}
		}
		perRune(b)
		sink.Add(int64(n))
	})
	b.Run("go-pinyin-map", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			for _, r := range text {
				n += len(gopinyin.PinyinDict[int(r)])
			}
		}
		perRune(b)
		sink.Add(int64(n))
	})
	b.Run("go-pinyin-map+parse", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			for _, r := range text {
				v, ok := gopinyin.PinyinDict[int(r)]
				if !ok {
					continue
				}
				for p := range strings.SplitSeq(v, ",") {
					if s, ok := pinyin.Parse(tonelessOf.Replace(p)); ok {
						n += int(s)
					}
				}
			}
		}
		perRune(b)
		sink.Add(int64(n))
	})
}

// BenchmarkReadingsAll looks up every rune from U+0000 to U+3FFFF once per
// iteration (most have no reading).
func BenchmarkReadingsAll(b *testing.B) {
	const end = 0x40000
	b.ReportMetric(0, "ns/op")
	n := 0
	for b.Loop() {
		for r := rune(0); r < end; r++ {
			n += len(pinyin.Readings(r))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/end, "ns/rune")
	sink.Add(int64(n))
}

// liveScan reads s as a run of pinyin the way a scanner would: a set of
// live trie states, stepped together, Start joining wherever a syllable
// ends. It returns whether s splits into whole syllables and the largest
// number of live states.
func liveScan(s string, live, next []pinyin.State) (whole bool, most int) {
	live = append(live[:0], pinyin.Start())
	for i := range len(s) {
		next = next[:0]
		ended := false
		for _, st := range live {
			if n, ok := st.Next(s[i]); ok {
				next = append(next, n)
				ended = ended || len(n.Ends()) > 0
			}
		}
		if ended {
			next = append(next, pinyin.Start())
		}
		live, next = next, live
		most = max(most, len(live))
		if len(live) == 0 {
			return false, most
		}
	}
	return len(live) > 0 && live[len(live)-1] == pinyin.Start(), most
}

// BenchmarkTrie steps the live-state set of liveScan over pinyin text (the
// sample text's readings, first reading of each character, written with v
// for ü).
func BenchmarkTrie(b *testing.B) {
	var sb strings.Builder
	for _, r := range sampleZH {
		if rs := pinyin.Readings(r); rs != nil {
			sb.WriteString(strings.ReplaceAll(rs[0].String(), "ü", "v"))
		}
	}
	text := sb.String()
	live, next := make([]pinyin.State, 0, 16), make([]pinyin.State, 0, 16)
	if whole, most := liveScan(text, live, next); !whole {
		b.Fatalf("liveScan(%q) found no whole segmentation", text)
	} else {
		b.Logf("%d letters, at most %d live states", len(text), most)
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		whole, _ := liveScan(text, live, next)
		if whole {
			sink.Add(1)
		}
	}
}

// BenchmarkNext steps one state through one spelling.
func BenchmarkNext(b *testing.B) {
	const word = "zhuang"
	b.SetBytes(int64(len(word)))
	n := 0
	for b.Loop() {
		st := pinyin.Start()
		for i := range len(word) {
			st, _ = st.Next(word[i])
		}
		n += len(st.Ends())
	}
	sink.Add(int64(n))
}
