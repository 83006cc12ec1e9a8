package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wordfilter/wordfilter/internal/shareddata"
)

// writeFile writes content to dir/name and returns the path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestMine(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "profanity.mask.txt", "fuck\nshit\nbitch\n")
	writeFile(t, dir, "abuse.block.txt", "傻逼\n")
	writeFile(t, dir, "ads.review.txt", "代购\n")
	writeFile(t, dir, "allow.txt", "shitake\n")
	cdir := t.TempDir()
	zh := writeFile(t, cdir, "zh.txt", "你这个傻逼\n找代购\n\n你好\n傻 逼傻逼\n")
	en := writeFile(t, cdir, "en.txt", "hello\nfuck you\nshit, fuck\nshitake mushrooms\nFUCK\nf.u.c.k\n")

	var out, errOut strings.Builder
	code := run([]string{"-dict", dir, "-corpus", zh, "-corpus", en, "-examples", "2", "-all"}, &out, &errOut)
	if code != 0 {
		t.Fatalf("mine = %d, stderr %q", code, errOut.String())
	}
	want := strings.Join([]string{
		"corpus\tmessages\tpass\treview\tmask\tblock\tflagged",
		"zh.txt\t4\t1\t1\t0\t2\t75.00%",
		"en.txt\t6\t2\t0\t4\t0\t66.67%",
		"",
		"hits\tword\tcategory\taction\tper corpus",
		"4\tfuck\tprofanity\tmask\ten.txt:4",
		"\ten.txt:2: fuck you",
		"\ten.txt:3: shit, fuck",
		"2\t傻逼\tabuse\tblock\tzh.txt:2",
		"\tzh.txt:1: 你这个傻逼",
		"\tzh.txt:5: 傻 逼傻逼",
		"1\tshit\tprofanity\tmask\ten.txt:1",
		"\ten.txt:3: shit, fuck",
		"1\t代购\tads\treview\tzh.txt:1",
		"\tzh.txt:2: 找代购",
		"0\tbitch\tprofanity\tmask\t",
		"",
	}, "\n")
	if got := out.String(); got != want {
		t.Errorf("mine output:\n%s\nwant:\n%s", got, want)
	}

	// -top cuts the word table; without -all the words that matched
	// nothing are left out.
	out.Reset()
	if code := run([]string{"-dict", dir, "-corpus", en, "-top", "1", "-examples", "0"}, &out, &errOut); code != 0 {
		t.Fatalf("mine -top 1 = %d", code)
	}
	if got, want := out.String(), "corpus\tmessages\tpass\treview\tmask\tblock\tflagged\nen.txt\t6\t2\t0\t4\t0\t66.67%\n\nhits\tword\tcategory\taction\tper corpus\n4\tfuck\tprofanity\tmask\ten.txt:4\n"; got != want {
		t.Errorf("mine -top 1 output:\n%s\nwant:\n%s", got, want)
	}
}

func TestMineShortensExamples(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "w.txt", "fuck\n")
	long := "fuck\t" + strings.Repeat("x", 200)
	corpus := writeFile(t, t.TempDir(), "c.txt", long+"\n")
	var out, errOut strings.Builder
	if code := run([]string{"-dict", dir, "-corpus", corpus}, &out, &errOut); code != 0 {
		t.Fatalf("mine = %d, %q", code, errOut.String())
	}
	want := "\tc.txt:1: fuck " + strings.Repeat("x", maxExampleRunes-5) + "…\n"
	if !strings.HasSuffix(out.String(), want) {
		t.Errorf("mine output %q does not end with the shortened example %q", out.String(), want)
	}
}

func TestMineErrors(t *testing.T) {
	bad := t.TempDir()
	writeFile(t, bad, "x.blok.txt", "word\n")
	good := t.TempDir()
	writeFile(t, good, "x.txt", "word\n")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-dict", bad, "-corpus", os.DevNull}, "x.blok.txt"},
		{[]string{"-dict", good, "-corpus", filepath.Join(good, "missing.txt")}, "missing.txt"},
		{[]string{"-dict", good, "-corpus", os.DevNull, "extra"}, `unexpected argument "extra"`},
		{[]string{"-nosuchflag"}, "nosuchflag"},
	} {
		var out, errOut strings.Builder
		if code := run(c.args, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), c.want) {
			t.Errorf("mine %q = %d, stderr %q; want 2 and %q", c.args, code, errOut.String(), c.want)
		}
	}
}

// TestMineDefaultCorpora runs the embedded default over the shared
// corpora, as `go run ./dict/mine` does with no flags.
func TestMineDefaultCorpora(t *testing.T) {
	shareddata.Dir(t)
	if testing.Short() {
		t.Skip("reads the shared corpora (about 13 MB)")
	}
	var out, errOut strings.Builder
	if code := run([]string{"-top", "5"}, &out, &errOut); code != 0 {
		t.Fatalf("mine = %d, %q", code, errOut.String())
	}
	for _, c := range []string{"\nen-chat.txt\t", "\nzh-chat.txt\t", "\nzh-long.txt\t"} {
		if !strings.Contains(out.String(), c) {
			t.Errorf("mine output lacks the corpus row %q:\n%s", c, out.String())
		}
	}
}
