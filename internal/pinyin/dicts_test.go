package pinyin_test

import (
	"bufio"
	"os"
	"slices"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/wordfilter/wordfilter/internal/pinyin"
	"github.com/wordfilter/wordfilter/internal/shareddata"
)

// noReading lists the Han characters of the shared word lists that
// go-pinyin has no reading for, even after NFKC: rare extension C–E forms
// and a component, all in junk-looking entries (增觕增汏延𪶄敭痿早泄,
// 尒婬荡纯鎺𫓽, 诳嘢媄𫟸, 𫔰苞价咯, 龷+匪).
var noReading = []rune{'龷', '𪶄', '𫓽', '𫔰', '𫟸'}

// TestDictCoverage checks that every Han character of the shared Chinese
// word lists, folded by NFKC as the matcher folds text (郎 U+F92C is 郎
// U+90CE), has a reading, but for those of noReading (skipped when the
// shared data is absent).
func TestDictCoverage(t *testing.T) {
	for _, r := range noReading {
		if pinyin.HasReadings(r) {
			t.Errorf("%q (%U) has readings %q now: remove it from noReading", r, r, names(pinyin.Readings(r)))
		}
	}
	for _, name := range []string{"dicts/zh-small.txt", "dicts/zh-medium.txt", "dicts/zh-large.txt", "dicts/zh-xlarge.txt"} {
		t.Run(name, func(t *testing.T) {
			path := shareddata.Path(t, name)
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			han, missing := map[rune]bool{}, map[rune]bool{}
			sc := bufio.NewScanner(f)
			line := 0
			for sc.Scan() {
				line++
				for _, r := range norm.NFKC.String(sc.Text()) {
					if !unicode.Is(unicode.Han, r) {
						continue
					}
					han[r] = true
					if !pinyin.HasReadings(r) && !missing[r] {
						missing[r] = true
						if !slices.Contains(noReading, r) {
							t.Errorf("%s:%d: %q (%U) is Han but has no reading", path, line, r, r)
						}
					}
				}
			}
			if err := sc.Err(); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d lines, %d distinct Han characters after NFKC, %d without a reading", name, line, len(han), len(missing))
		})
	}
}
