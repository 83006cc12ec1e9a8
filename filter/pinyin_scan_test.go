package filter

import (
	"testing"

	"github.com/wordfilter/wordfilter/internal/pinyin"
)

// TestPinyinScanTables checks the tables that scan's loop reads for the
// pinyin reading while no walker is live against the trie they stand
// for: every three syllables some key starts with pass quickHan (a miss
// there would lose a match, which pyHan never sees), quickHan keeps a
// character pending as pyHan does, and the scout entry of a character is
// its first reading with pkRoot as pyData.entry gives it.
func TestPinyinScanTables(t *testing.T) {
	var words []Word
	for _, w := range []string{"法轮功", "操你妈", "银行卡号", "习近平", "六四事件", "天安门", "共产党员", "傻逼"} {
		words = append(words, Word{Text: w, Category: "x", Action: Block})
	}
	m := MustCompile(words, Options{Policy: Policy{Readings: ReadPinyin}})
	d := m.py
	if d == nil {
		t.Fatal("no pinyin data")
	}
	triples := 0
	for a := pinyin.Syllable(1); a <= pinyin.NumSyllables; a++ {
		t1 := d.child(0, a)
		if t1 < 0 {
			continue
		}
		for b := pinyin.Syllable(1); b <= pinyin.NumSyllables; b++ {
			t2 := d.child(t1, b)
			if t2 < 0 {
				continue
			}
			p := pyScan{pend: uint32(d.entry(a))<<16 | uint32(d.entry(b))}
			for c := pinyin.Syllable(1); c <= pinyin.NumSyllables; c++ {
				if d.child(t2, c) < 0 {
					continue
				}
				triples++
				if q := p; !q.quickHan(d, d.entry(c)) {
					t.Errorf("quickHan misses %v %v %v, which begins a key", a, b, c)
				}
			}
		}
	}
	if triples < 8 {
		t.Fatalf("only %d three-syllable prefixes: the test reads nothing", triples)
	}
	// A character that does not hit is kept pending, as pyHan keeps it.
	a, b := firstReading('法'), firstReading('轮')
	for c := pinyin.Syllable(1); c <= pinyin.NumSyllables; c++ {
		p := pyScan{pend: uint32(d.entry(a))<<16 | uint32(d.entry(b))}
		if !p.quickHan(d, d.entry(c)) {
			if want := uint32(d.entry(b))<<16 | uint32(d.entry(c)); p.pend != want {
				t.Fatalf("quickHan(%v) after %v %v: pend %#x, want %#x", c, a, b, p.pend, want)
			}
		}
	}
	for _, w := range words {
		for _, r := range w.Text {
			want := d.entry(firstReading(r))
			if got := d.scout[r]; got != want || want&pkSyl == 0 || want&pkRoot == 0 && r == []rune(w.Text)[0] {
				t.Errorf("scout[%q] = %#x, want %#x (first reading, and pkRoot for a first character)", r, got, want)
			}
		}
	}
}

// TestPyCombos: pyCombos, which sizes the key arrays before they are
// filled, counts exactly the keys addCombos adds, capped at
// maxPinyinKeys, for characters with one to seven readings each.
func TestPyCombos(t *testing.T) {
	for n := 1; n <= maxPinyinChars; n++ {
		for seed := range 40 {
			rs := make([][]pinyin.Syllable, n)
			for j := range rs {
				for k := range 1 + (seed*7+j*3)%7 {
					rs[j] = append(rs[j], pinyin.Syllable(1+k))
				}
			}
			var keys pyKeys
			keys.addCombos(rs, 0)
			if got := pyCombos(rs); got != len(keys.end) || len(keys.syl) != got*n {
				t.Fatalf("%d characters with %v readings: pyCombos %d, addCombos added %d keys of %d syllables", n, rs, got, len(keys.end), len(keys.syl))
			}
		}
	}
}
