// Command gen writes internal/pinyin/tables.go: the toneless pinyin readings
// of every character in github.com/mozillazg/go-pinyin's PinyinDict (data
// from mozillazg/pinyin-data; both MIT), packed into static arrays, and the
// trie of the syllables' Latin spellings. Run it with `go generate
// ./internal/pinyin/` (the go:generate line is in internal/pinyin/doc.go);
// the go-pinyin version is the one go.mod requires.
//
// Tables, all package-level arrays the linker places in read-only data (no
// heap, no init code):
//
//   - syllableNames/syllableEnd: the distinct toneless syllables, sorted
//     bytewise, Syllable i (1-based; 0 means none) being
//     syllableNames[syllableEnd[i-1]:syllableEnd[i]].
//   - charIndex/charBlocks: a two-level table from a rune to the number of
//     its reading set: charBlocks[charIndex[r>>charShift]<<charShift |
//     r&(1<<charShift-1)], identical blocks stored once, block 0 all zero.
//   - setEnd/setSyllables: reading set i is setSyllables[setEnd[i-1]:setEnd[i]]
//     (set 0 is empty), the syllables in go-pinyin's order after removing
//     tones and duplicates.
//   - interjection: 1 for the syllables spelled without a plain vowel letter
//     (m, n, ng, hm, hng, ê), which only interjections have.
//   - trieNext/byteClass/trieEndsEnd/trieEnds: a DFA over the bytes of the
//     spellings (ü also written v or u, ê also written e); state 0 is dead,
//     state 1 the start; trieEnds[trieEndsEnd[s]:trieEndsEnd[s+1]] are the
//     syllables whose spelling ends at state s.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"unicode"

	gopinyin "github.com/mozillazg/go-pinyin"
	"golang.org/x/text/unicode/norm"
)

const module = "github.com/mozillazg/go-pinyin"

func main() {
	log.SetFlags(0)
	out := flag.String("o", "tables.go", "output file")
	flag.Parse()
	src, err := generate(gopinyin.PinyinDict, moduleVersion(), moduleLicense())
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		log.Fatal(err)
	}
}

// moduleVersion returns the version of go-pinyin linked into this program.
func moduleVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		log.Fatal("gen: no build info: cannot name the go-pinyin version")
	}
	for _, d := range bi.Deps {
		if d.Path == module {
			if d.Replace != nil {
				return d.Version + " (replaced by " + d.Replace.Path + " " + d.Replace.Version + ")"
			}
			return d.Version
		}
	}
	log.Fatalf("gen: %s not in build info", module)
	return ""
}

// moduleLicense returns the text of go-pinyin's LICENSE file, from the
// module cache (go list names the directory of the version go.mod requires).
func moduleLicense() string {
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", module).Output()
	if err != nil {
		log.Fatalf("gen: cannot locate %s: %v", module, err)
	}
	text, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(dir)), "LICENSE"))
	if err != nil {
		log.Fatalf("gen: cannot read the licence of %s: %v", module, err)
	}
	return strings.TrimSpace(string(text))
}

// toneless removes the tone marks of one toned reading: "lǜ" → "lü",
// "ế" → "ê", "ḿ" → "m". ü and ê keep their marks: they are letters.
func toneless(p string) (string, error) {
	var b []rune
	for _, r := range norm.NFD.String(p) {
		if unicode.Is(unicode.Mn, r) {
			n := len(b)
			if (r == '\u0308' && n > 0 && b[n-1] == 'u') || (r == '\u0302' && n > 0 && b[n-1] == 'e') {
				b = append(b, r)
			}
			continue
		}
		b = append(b, r)
	}
	s := norm.NFC.String(string(b))
	if s == "" {
		return "", fmt.Errorf("gen: empty reading %q", p)
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && r != 'ü' && r != 'ê' {
			return "", fmt.Errorf("gen: reading %q: unexpected letter %q after removing tones (%q)", p, r, s)
		}
	}
	return s, nil
}

// spellings returns the Latin spellings of a toneless syllable: itself and,
// for ü, v and u in its place; for ê, e.
func spellings(name string) []string {
	sp := []string{name}
	if strings.Contains(name, "ü") {
		sp = append(sp, strings.ReplaceAll(name, "ü", "v"), strings.ReplaceAll(name, "ü", "u"))
	}
	if strings.Contains(name, "ê") {
		sp = append(sp, strings.ReplaceAll(name, "ê", "e"))
	}
	return sp
}

type tables struct {
	version, license string

	names   []string       // syllable names; Syllable i is names[i-1]
	chars   map[rune][]int // rune → syllable ids in go-pinyin order
	maxRune rune           // largest rune with readings
	sets    [][]int        // reading sets; set i is sets[i-1]
	setOf   map[rune]int   // rune → set number
	shift   uint           // charShift
	index   []int          // charIndex
	blocks  []int          // charBlocks
	states  [][]int        // trie: states[s][class] → next state
	classes map[byte]int   // byteClass
	ends    [][]int        // trie: syllables ending at each state
	maxLen  int            // longest spelling in bytes
	maxRead int            // most readings of one character
}

func generate(dict map[int]string, version, license string) ([]byte, error) {
	t := &tables{version: version, license: license, chars: map[rune][]int{}, setOf: map[rune]int{}, classes: map[byte]int{}}

	// Toneless readings per rune, and the syllable set.
	readings := map[rune][]string{}
	nameSet := map[string]bool{}
	for k, v := range dict {
		r := rune(k)
		if k < 0 || k > unicode.MaxRune || int(r) != k {
			return nil, fmt.Errorf("gen: key %#x is not a rune", k)
		}
		var rs []string
		for p := range strings.SplitSeq(v, ",") {
			s, err := toneless(strings.TrimSpace(p))
			if err != nil {
				return nil, fmt.Errorf("%U %q: %w", r, v, err)
			}
			if !slices.Contains(rs, s) {
				rs = append(rs, s)
			}
			nameSet[s] = true
		}
		readings[r] = rs
	}
	for n := range nameSet {
		t.names = append(t.names, n)
	}
	slices.Sort(t.names)
	id := map[string]int{}
	for i, n := range t.names {
		id[n] = i + 1
	}

	// Reading sets, numbered in rune order.
	runes := make([]rune, 0, len(readings))
	for r := range readings {
		runes = append(runes, r)
	}
	slices.Sort(runes)
	t.maxRune = runes[len(runes)-1]
	setNum := map[string]int{}
	for _, r := range runes {
		var ids []int
		for _, s := range readings[r] {
			ids = append(ids, id[s])
		}
		t.chars[r] = ids
		t.maxRead = max(t.maxRead, len(ids))
		key := fmt.Sprint(ids)
		n, ok := setNum[key]
		if !ok {
			t.sets = append(t.sets, ids)
			n = len(t.sets)
			setNum[key] = n
		}
		t.setOf[r] = n
	}

	// Two-level character table: the block size giving the smallest tables.
	best := -1
	for shift := uint(3); shift <= 10; shift++ {
		index, blocks := twoLevel(t.setOf, t.maxRune, shift)
		size := 2*len(index) + 2*len(blocks)
		if best < 0 || size < best {
			best, t.shift, t.index, t.blocks = size, shift, index, blocks
		}
	}

	// The trie of spellings.
	t.states = [][]int{nil, nil} // 0 dead, 1 start
	t.ends = [][]int{nil, nil}
	var alphabet []byte
	for _, n := range t.names {
		for _, sp := range spellings(n) {
			t.maxLen = max(t.maxLen, len(sp))
			for i := range len(sp) {
				if !slices.Contains(alphabet, sp[i]) {
					alphabet = append(alphabet, sp[i])
				}
			}
		}
	}
	slices.Sort(alphabet)
	for i, b := range alphabet {
		t.classes[b] = i + 1
	}
	nclass := len(alphabet) + 1
	for i := range t.states {
		t.states[i] = make([]int, nclass)
	}
	for _, n := range t.names {
		for _, sp := range spellings(n) {
			s := 1
			for i := range len(sp) {
				c := t.classes[sp[i]]
				if t.states[s][c] == 0 {
					t.states = append(t.states, make([]int, nclass))
					t.ends = append(t.ends, nil)
					t.states[s][c] = len(t.states) - 1
				}
				s = t.states[s][c]
			}
			if !slices.Contains(t.ends[s], id[n]) {
				t.ends[s] = append(t.ends[s], id[n])
				slices.Sort(t.ends[s])
			}
		}
	}
	return t.source()
}

// twoLevel splits the rune→set map into blocks of 1<<shift runes, storing
// identical blocks once; block 0 is all zero.
func twoLevel(setOf map[rune]int, maxRune rune, shift uint) (index, blocks []int) {
	size := 1 << shift
	blocks = make([]int, size)
	seen := map[string]int{fmt.Sprint(blocks): 0}
	for base := rune(0); base <= maxRune; base += rune(size) {
		blk := make([]int, size)
		for i := range blk {
			blk[i] = setOf[base+rune(i)]
		}
		key := fmt.Sprint(blk)
		n, ok := seen[key]
		if !ok {
			n = len(blocks) / size
			seen[key] = n
			blocks = append(blocks, blk...)
		}
		index = append(index, n)
	}
	return index, blocks
}

func (t *tables) source() ([]byte, error) {
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	elem := func(maxVal int) string {
		switch {
		case maxVal <= 0xff:
			return "uint8"
		case maxVal <= 0xffff:
			return "uint16"
		}
		return "uint32"
	}
	list := func(name, doc, typ string, vals []int) {
		p("\n%s\nvar %s = [%d]%s{", doc, name, len(vals), typ)
		for i, v := range vals {
			if i%16 == 0 {
				p("\n")
			}
			p("%d,", v)
		}
		p("\n}\n")
	}

	nsets := len(t.sets)
	var setSyl, setEnd []int
	setEnd = append(setEnd, 0)
	for _, s := range t.sets {
		setSyl = append(setSyl, s...)
		setEnd = append(setEnd, len(setSyl))
	}
	var names strings.Builder
	nameEnd := []int{0}
	for _, n := range t.names {
		names.WriteString(n)
		nameEnd = append(nameEnd, names.Len())
	}
	var trie, endsEnd, ends []int
	endsEnd = append(endsEnd, 0)
	for s := range t.states {
		trie = append(trie, t.states[s]...)
		ends = append(ends, t.ends[s]...)
		endsEnd = append(endsEnd, len(ends))
	}
	var class [256]int
	for c, n := range t.classes {
		class[c] = n
	}
	nclass := len(t.classes) + 1

	for _, c := range []struct {
		what string
		n    int
	}{{"syllables", len(t.names)}, {"reading sets", nsets}, {"blocks", len(t.blocks) >> t.shift}, {"trie states", len(t.states)}} {
		if c.n >= 0xffff {
			return nil, fmt.Errorf("gen: %d %s do not fit the uint16 the package uses", c.n, c.what)
		}
	}
	if len(setSyl) > 0xffff || len(ends) > 0xffff || names.Len() > 0xffff {
		return nil, fmt.Errorf("gen: a table outgrew uint16 offsets")
	}
	bytesOf := func(n int, typ string) int {
		switch typ {
		case "uint8":
			return n
		case "uint16":
			return 2 * n
		}
		return 4 * n
	}
	size := names.Len() + 2*len(nameEnd) + len(t.names) + 1 + 2*len(t.index) + 2*len(t.blocks) + 2*len(setEnd) + 2*len(setSyl) +
		bytesOf(len(trie), elem(len(t.states))) + 256 + 2*len(endsEnd) + 2*len(ends)

	p("// Code generated by internal/pinyin/gen from %s@%s (PinyinDict; MIT licence, its data from github.com/mozillazg/pinyin-data, MIT licence); DO NOT EDIT.\n\n", module, t.version)
	p("// The readings are go-pinyin's, tones removed; its licence:\n//\n")
	for l := range strings.SplitSeq(t.license, "\n") {
		p("%s\n", strings.TrimRight("//\t"+l, " \t"))
	}
	p("//\n// go-pinyin's table is generated from pinyin-data (https://github.com/mozillazg/pinyin-data,\n// MIT licence), which draws on the Unicode Han Database (Unihan).\n\n")
	p("package pinyin\n\n")
	p("// Figures of the generated tables.\nconst (\n")
	p("\t// NumSyllables is the number of distinct toneless syllables; a valid\n\t// Syllable is in [1, NumSyllables].\n\tNumSyllables = %d\n\n", len(t.names))
	p("\t// MaxReadings is the largest number of distinct toneless readings of one\n\t// character.\n\tMaxReadings = %d\n\n", t.maxRead)
	p("\t// MaxSpellingLen is the length in bytes of the longest spelling the\n\t// trie accepts (ü and ê are two bytes each).\n\tMaxSpellingLen = %d\n\n", t.maxLen)
	p("\tnumChars = %d // characters with readings\n", len(t.chars))
	p("\tmaxRune = %#x // the largest of them\n", t.maxRune)
	p("\tcharShift = %d // charBlocks holds blocks of 1<<charShift runes\n", t.shift)
	p("\tnumClasses = %d // byte classes of the trie; class 0 is every byte no spelling holds\n", nclass)
	p("\ttableBytes = %d // the size of the arrays below\n", size)
	p(")\n")

	p("\n// syllableNames holds the toneless syllables, sorted bytewise; Syllable i\n// is syllableNames[syllableEnd[i-1]:syllableEnd[i]].\nconst syllableNames = %q\n", names.String())
	list("syllableEnd", "// syllableEnd holds the end offsets of the names in syllableNames.", "uint16", nameEnd)
	list("charIndex", "// charIndex maps r>>charShift to a block of charBlocks, for r <= maxRune.", elem(len(t.blocks)>>t.shift), t.index)
	list("charBlocks", "// charBlocks maps a rune to its reading set (0: none), blocks of\n// 1<<charShift runes, identical blocks stored once.", "uint16", t.blocks)
	list("setEnd", "// setEnd holds the end offsets of the reading sets in setSyllables:\n// set i is setSyllables[setEnd[i-1]:setEnd[i]].", "uint16", setEnd)
	list("setSyllables", "// setSyllables holds the reading sets, each in go-pinyin's order.", "Syllable", setSyl)
	interj := []int{0}
	for _, n := range t.names {
		v := 0
		if !strings.ContainsAny(n, "aeiouü") {
			v = 1
		}
		interj = append(interj, v)
	}
	list("interjection", "// interjection[s] is 1 for the syllables without a plain vowel letter.", "uint8", interj)
	list("byteClass", "// byteClass maps a byte to its column in trieNext.", "uint8", class[:])
	list("trieNext", "// trieNext is the trie of spellings: trieNext[s*numClasses+byteClass[b]]\n// is the state after byte b in state s; state 0 is dead, state 1 the start.", elem(len(t.states)), trie)
	list("trieEndsEnd", "// trieEndsEnd holds the end offsets in trieEnds of the syllables ending at\n// each state: state s ends trieEnds[trieEndsEnd[s]:trieEndsEnd[s+1]].", "uint16", endsEnd)
	list("trieEnds", "// trieEnds holds the syllables ending at each state, by id.", "Syllable", ends)

	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("gen: cannot format the output: %w", err)
	}
	log.Printf("gen: %d characters, %d syllables, %d reading sets, max %d readings, %d blocks of %d, %d trie states × %d classes, %d bytes of tables",
		len(t.chars), len(t.names), nsets, t.maxRead, len(t.blocks)>>t.shift, 1<<t.shift, len(t.states), nclass, size)
	return src, nil
}
