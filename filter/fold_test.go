package filter_test

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/wordfilter/wordfilter/filter"
)

// refClassNames names the reference's classes as filter.FoldClasses does.
var refClassNames = [...]string{rSep: "sep", rClause: "clause", rWord: "anywhere", rLatin: "boundary", rCJK: "cjk"}

// TestFoldAgainstReference folds every code point with the engine and with
// the reference and compares the visible runes and their classes. A
// traditional character outside the reference's own table is taken as the
// engine folds it only when that is what the engine's table says; the table
// itself is checked by TestT2STableAgainstOpenCC.
func TestFoldAgainstReference(t *testing.T) {
	bad := 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue // surrogates: never decoded from valid UTF-8
		}
		gotRunes, gotCls := filter.FoldClasses(r)
		var wantRunes []rune
		var wantCls []string
		for _, f := range refFoldRune(r) {
			wantRunes = append(wantRunes, f.r)
			wantCls = append(wantCls, refClassNames[f.cls])
		}
		if len(gotRunes) == len(wantRunes) {
			for i, g := range gotRunes {
				if _, known := refT2S(wantRunes[i]); !known {
					if s, ok := filter.T2S(wantRunes[i]); ok && s == g {
						wantRunes[i] = g
					}
				}
			}
		}
		if !slices.Equal(gotRunes, wantRunes) || !slices.Equal(gotCls, wantCls) {
			if bad++; bad <= 20 {
				t.Errorf("%U %q folds to %q %v, want %q %v", r, r, string(gotRunes), gotCls, string(wantRunes), wantCls)
			}
		}
	}
	if bad > 20 {
		t.Errorf("... %d code points in all", bad)
	}
}

// TestT2STableAgainstOpenCC reads the OpenCC data that t2s_table.go says it
// was generated from, with a parser of its own, and compares every entry:
// the first candidate of each line, nothing more and nothing less. It also
// checks the reference's hand-written table against the same data.
func TestT2STableAgainstOpenCC(t *testing.T) {
	src, err := os.ReadFile("t2s_table.go")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`from (\S+)@(\S+) (\S+) `).FindSubmatch(src)
	if m == nil {
		t.Fatal("t2s_table.go does not say which module and file it was generated from")
	}
	module, version, file := string(m[1]), string(m[2]), string(m[3])
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not on PATH: cannot locate the module cache")
	}
	out, err := exec.Command(goBin, "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatalf("go env GOMODCACHE: %v", err)
	}
	path := filepath.Join(strings.TrimSpace(string(out)), filepath.FromSlash(module)+"@"+version, filepath.FromSlash(file))
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		t.Skipf("OpenCC data not in the module cache (go mod download %s@%s fetches it): %v", module, version, err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[rune]rune{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		from, n := utf8.DecodeRuneInString(fields[0])
		to, k := utf8.DecodeRuneInString(fields[1])
		if n != len(fields[0]) || k != len(fields[1]) {
			t.Fatalf("%s: line %q is not one character to one character", path, sc.Text())
		}
		if from != to {
			want[from] = to
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(want) < 3000 {
		t.Fatalf("%s: only %d mappings read", path, len(want))
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		got, ok := filter.T2S(r)
		w, wok := want[r]
		if ok != wok || got != w {
			t.Errorf("engine T2S(%q) = %q %v, OpenCC says %q %v", r, got, ok, w, wok)
		}
		if s, known := refT2S(r); known && s != w {
			t.Errorf("reference T2S(%q) = %q, OpenCC says %q", r, s, w)
		}
	}
}
