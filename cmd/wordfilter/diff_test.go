package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/filter"
	"github.com/wordfilter/wordfilter/internal/report"
)

// diffOld and diffNew are the two folders of the diff tests: shit moves
// from mask to block, hello becomes a review word, free money an allowed
// phrase (its word leaves), 法轮功 stays.
var (
	diffOld = map[string]string{
		"profanity.mask.txt": "fuck\nshit\n",
		"politics.block.txt": "法轮功\n",
		"ads.review.txt":     "free money\n",
	}
	diffNew = map[string]string{
		"profanity.mask.txt": "fuck\n",
		"slurs.block.txt":    "shit\n",
		"politics.block.txt": "法轮功\n",
		"greet.review.txt":   "hello\n",
	}
	// diffInput holds 7 messages, 4 of them changed (lines 2, 3, 5, 7).
	diffInput = "fuck\nshit happens\nhello\r\nfine\r\nshit shit fuck\n法轮功\nfree money\n"
)

// versions returns the versions of the folders old and new.
func versions(t *testing.T, old, new string) (string, string) {
	t.Helper()
	o, err := dict.Load(old, filter.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n, err := dict.Load(new, filter.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return o.Version, n.Version
}

func TestDiffText(t *testing.T) {
	old, new := writeDictFolder(t, diffOld), writeDictFolder(t, diffNew)
	ov, nv := versions(t, old, new)
	code, out, errOut := runCmd(t, diffInput, "diff", "-old", old, "-new", new)
	want := "stdin:2: mask → block\n  old: **** happens\n  new: **** happens\n" +
		"  + shit (slurs, block)\n  - shit (profanity, mask)\n" +
		"stdin:3: pass → review\n  old: hello\n  new: hello\n  + hello (greet, review)\n" +
		"stdin:5: mask → block\n  old: **** **** ****\n  new: **** **** ****\n" +
		"  + shit (slurs, block)\n  - shit (profanity, mask)\n" +
		"stdin:7: review → pass\n  old: free money\n  new: free money\n  - free money (ads, review)\n" +
		"\n" +
		"summary: 7 messages, 4 changed (old " + old + " version " + ov + ", new " + new + " version " + nv + ")\n" +
		"moves:\n  mask → block: 2\n  pass → review: 1\n  review → pass: 1\n" +
		"words (messages, top 20):\n" +
		"  - shit (profanity, mask): 2\n  + shit (slurs, block): 2\n" +
		"  - free money (ads, review): 1\n  + hello (greet, review): 1\n"
	if code != 1 || out != want || errOut != "" {
		t.Fatalf("diff = %d, stderr %q, stdout:\n%s\nwant 1, nothing and:\n%s", code, errOut, out, want)
	}
}

func TestDiffTextChange(t *testing.T) {
	// Same decision, other text: an allow phrase unmasks one of two matches.
	old := writeDictFolder(t, map[string]string{"p.txt": "大麻\n"})
	new := writeDictFolder(t, map[string]string{"p.txt": "大麻\n", "allow.txt": "大麻烦\n"})
	code, out, _ := runCmd(t, "大麻 大麻烦\n大麻烦\n", "diff", "-old", old, "-new", new)
	want := "stdin:1: mask → mask\n  old: ** **烦\n  new: ** 大麻烦\n  - 大麻 (p, mask)\n" +
		"stdin:2: mask → pass\n  old: **烦\n  new: 大麻烦\n  - 大麻 (p, mask)\n"
	if code != 1 || !strings.HasPrefix(out, want) || !strings.Contains(out, "\nmoves:\n  mask → mask: 1\n  mask → pass: 1\n") {
		t.Fatalf("diff = %d, stdout:\n%s\nwant 1 and it to start with:\n%s", code, out, want)
	}
}

func TestDiffJSON(t *testing.T) {
	old, new := writeDictFolder(t, diffOld), writeDictFolder(t, diffNew)
	ov, nv := versions(t, old, new)
	in := filepath.Join(t.TempDir(), "in.log")
	if err := os.WriteFile(in, []byte(diffInput+"\xff shit <b>\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, "", "diff", "-json", "-old", old, "-new", new, in)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if code != 1 || errOut != "" || len(lines) != 6 {
		t.Fatalf("diff -json = %d, stderr %q, %d lines; want 1, nothing, 5 changes and a summary:\n%s", code, errOut, len(lines), out)
	}
	want := `{"file":"` + in + `","line":3,"text":"hello",` +
		`"old":{"decision":"pass","text":"hello","matches":[],"version":"` + ov + `"},` +
		`"new":{"decision":"review","text":"hello","matches":[{"word":"hello","category":"greet","action":"review","start":0,"end":5}],"version":"` + nv + `"},` +
		`"added":[{"word":"hello","category":"greet","action":"review"}],"removed":[]}`
	if lines[1] != want {
		t.Fatalf("line 2 = %s\nwant     %s", lines[1], want)
	}
	// Each changed message decodes with the old and new results as
	// /v1/filter shapes them; invalid UTF-8 becomes U+FFFD, HTML stays.
	var last struct {
		File    string
		Line    int
		Text    string
		Old     report.Report
		New     report.Report
		Added   []wordKey
		Removed []wordKey
	}
	if err := json.Unmarshal([]byte(lines[4]), &last); err != nil {
		t.Fatalf("line 5 %q: %v", lines[4], err)
	}
	if last.Line != 8 || last.Text != "\ufffd shit <b>" || last.Old.Decision != "mask" || last.New.Decision != "block" ||
		last.New.Text != "\ufffd **** <b>" || len(last.Added) != 1 || last.Added[0] != (wordKey{"shit", "slurs", "block", ""}) {
		t.Fatalf("line 5 = %+v", last)
	}
	wantSummary := `{"summary":{"messages":8,"changed":5,"oldVersion":"` + ov + `","newVersion":"` + nv + `",` +
		`"moves":{"mask→block":3,"pass→review":1,"review→pass":1},"words":[` +
		`{"word":"shit","category":"profanity","action":"mask","change":"removed","messages":3},` +
		`{"word":"shit","category":"slurs","action":"block","change":"added","messages":3},` +
		`{"word":"free money","category":"ads","action":"review","change":"removed","messages":1},` +
		`{"word":"hello","category":"greet","action":"review","change":"added","messages":1}]}}`
	if lines[5] != wantSummary {
		t.Fatalf("summary = %s\nwant      %s", lines[5], wantSummary)
	}
}

func TestDiffNothingChanged(t *testing.T) {
	old := writeDictFolder(t, diffOld)
	other := writeDictFolder(t, map[string]string{"profanity.mask.txt": "fuck\nshit\n", "x.block.txt": "zzqq\n"})
	ov, nv := versions(t, old, other)
	code, out, errOut := runCmd(t, "fuck\nhello\n", "diff", "-old", old, "-new", other)
	want := "summary: 2 messages, 0 changed (old " + old + " version " + ov + ", new " + other + " version " + nv + ")\n"
	if code != 0 || out != want || errOut != "" {
		t.Fatalf("diff = %d, %q, %q; want 0, %q, nothing", code, out, errOut, want)
	}
	code, out, _ = runCmd(t, "", "diff", "-json", "-old", old, "-new", other)
	want = `{"summary":{"messages":0,"changed":0,"oldVersion":"` + ov + `","newVersion":"` + nv + `","moves":{},"words":[]}}` + "\n"
	if code != 0 || out != want {
		t.Fatalf("diff -json of nothing = %d, %q; want 0, %q", code, out, want)
	}
}

func TestDiffEmbeddedOld(t *testing.T) {
	// Without -old the embedded default is the old dictionary; it holds no
	// such made-up word.
	new := writeDictFolder(t, map[string]string{"x.block.txt": "zzqqxyz\n"})
	code, out, errOut := runCmd(t, "zzqqxyz\n", "diff", "-new", new)
	if code != 1 || errOut != "" || !strings.HasPrefix(out, "stdin:1: pass → block\n  old: zzqqxyz\n  new: *******\n  + zzqqxyz (x, block)\n") ||
		!strings.Contains(out, "(old embedded version ") {
		t.Fatalf("diff without -old = %d, stderr %q, stdout:\n%s", code, errOut, out)
	}
}

func TestDiffExitCodes(t *testing.T) {
	good := writeDictFolder(t, diffNew)
	bad := writeDictFolder(t, map[string]string{"a.txt": "ok\n\u200b\n"})
	missing := filepath.Join(t.TempDir(), "nope")
	f := func(wantCode int, wantErr string, args ...string) string {
		t.Helper()
		code, out, errOut := runCmd(t, "shit\n", args...)
		if code != wantCode || !strings.Contains(errOut, wantErr) {
			t.Fatalf("%q = %d, stderr %q; want %d and %q", args, code, errOut, wantCode, wantErr)
		}
		return out
	}
	f(2, "-new DIR is required", "diff")
	f(2, "-new DIR is required", "diff", "-old", good)
	f(2, "flag provided but not defined", "diff", "-new", good, "-bogus")
	f(0, "Usage: wordfilter diff", "diff", "-h")
	if out := f(2, "cannot load the new dictionary "+bad+":\n"+filepath.Join(bad, "a.txt")+":2: ", "diff", "-new", bad); out != "" {
		t.Fatalf("diff with a refused dictionary printed %q", out)
	}
	f(2, "cannot load the old dictionary "+bad+":\n"+filepath.Join(bad, "a.txt")+":2: ", "diff", "-old", bad, "-new", good)
	f(2, "cannot load the new dictionary "+missing+":\n"+missing+": cannot read folder", "diff", "-new", missing)

	// An unreadable FILE exits 2, and the other FILEs are still compared.
	files := writeDictFolder(t, map[string]string{"one.log": "hello\n"})
	out := f(2, `cannot open "`+filepath.Join(files, "gone.log")+`": no such file or directory`,
		"diff", "-old", writeDictFolder(t, diffOld), "-new", good, filepath.Join(files, "gone.log"), filepath.Join(files, "one.log"))
	if !strings.Contains(out, filepath.Join(files, "one.log")+":1: pass → review\n") || !strings.Contains(out, "summary: 1 messages, 1 changed") {
		t.Fatalf("diff after an unreadable FILE printed:\n%s", out)
	}
}

func TestDiffStreams(t *testing.T) {
	old, new := writeDictFolder(t, diffOld), writeDictFolder(t, diffNew)
	inW, results, done := runPiped("diff", "-json", "-old", old, "-new", new)
	// A changed message must be written while stdin is still open.
	if _, err := io.WriteString(inW, "fine\nhello\n"); err != nil {
		t.Fatal(err)
	}
	if got := nextLine(t, results, "hello"); !strings.HasPrefix(got, `{"file":"stdin","line":2,"text":"hello",`) {
		t.Fatalf("first line = %q, want the change of line 2", got)
	}
	inW.Close()
	rest, _ := io.ReadAll(results)
	if !strings.HasPrefix(string(rest), `{"summary":{"messages":2,"changed":1,`) {
		t.Fatalf("after the input ends diff printed %q, want the summary", rest)
	}
	if code := <-done; code != 1 {
		t.Fatalf("diff exited %d, want 1", code)
	}
}
