package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/filter"
	"github.com/wordfilter/wordfilter/internal/costly"
	"github.com/wordfilter/wordfilter/internal/report"
)

// writeDictFolder creates a flat folder of files (name → content).
func writeDictFolder(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runCmd runs the command line args with stdin and returns the exit code,
// stdout and stderr.
func runCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// testDict is a small folder used by the check tests.
var testDict = map[string]string{
	"profanity.mask.txt": "fuck\nshit\n",
	"politics.block.txt": "法轮功\n",
	"ads.review.txt":     "free money\n",
}

func TestValidateGood(t *testing.T) {
	dir := writeDictFolder(t, testDict)
	code, out, errOut := runCmd(t, "", "validate", "-dict", dir)
	if code != 0 || errOut != "" {
		t.Fatalf("validate = %d, stderr %q; want 0 and nothing", code, errOut)
	}
	d, err := dict.Load(dir, filter.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "ok: " + dir + ": 4 words, 0 allow phrases, 3 files, 3 categories (ads 1, politics 1, profanity 2), " +
		"0 variant forms, readings repeat,leet,lookalike,variants,pinyin (0 category overrides), version " + d.Version + "\n"
	if out != want {
		t.Fatalf("validate stdout = %q, want %q", out, want)
	}
}

func TestValidateVariantsAndSettings(t *testing.T) {
	files := map[string]string{
		"variants.txt":    "# canonical, then written forms\n法 氵去 灋\n奸 女干\n",
		"zh.variants.txt": "强 弓虽\n",
		"wordfilter.yaml": "readings: [pinyin, repeat]\ncategories:\n  politics: { pinyin-action: same }\n  ads: { readings: [] }\n",
	}
	for name, content := range testDict {
		files[name] = content
	}
	dir := writeDictFolder(t, files)
	code, out, errOut := runCmd(t, "", "validate", "-dict", dir)
	if code != 0 || errOut != "" {
		t.Fatalf("validate = %d, stderr %q; want 0 and nothing", code, errOut)
	}
	d, err := dict.Load(dir, filter.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "ok: " + dir + ": 4 words, 0 allow phrases, 5 files, 3 categories (ads 1, politics 1, profanity 2), " +
		"4 variant forms, readings repeat,pinyin (2 category overrides), version " + d.Version + "\n"
	if out != want {
		t.Fatalf("validate stdout = %q, want %q", out, want)
	}

	// Their errors refuse the folder like a word file's.
	writeFiles := map[string]string{
		"variants.txt":    "法 氵去 灋\n奸\n",
		"wordfilter.yaml": "readings: [pinyin, repeat]\ncategories:\n  politic: { pinyin-action: same }\n",
	}
	for name, content := range writeFiles {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut = runCmd(t, "", "validate", "-dict", dir)
	wantErr := filepath.Join(dir, "variants.txt") + `:2: variants line "奸": want the canonical form, then one or more written forms, separated by whitespace (法 氵去 灋)` + "\n" +
		filepath.Join(dir, "wordfilter.yaml") + `:3: categories: no file of the folder defines category "politic"` + "\n"
	if code != 1 || out != "" || errOut != wantErr {
		t.Fatalf("validate = %d, stdout %q, stderr %q; want 1, nothing, %q", code, out, errOut, wantErr)
	}
}

func TestValidateErrors(t *testing.T) {
	dir := writeDictFolder(t, map[string]string{
		"a.txt":       "ok\n\u200b\n",
		"b.block.txt": "\xff\xfe\n\nfine\n",
	})
	code, out, errOut := runCmd(t, "", "validate", "-dict", dir)
	want := filepath.Join(dir, "a.txt") + `:2: word "\u200b": nothing matchable left after normalisation` + "\n" +
		filepath.Join(dir, "b.block.txt") + `:1: word "\xff\xfe": invalid UTF-8` + "\n"
	if code != 1 || out != "" || errOut != want {
		t.Fatalf("validate = %d, stdout %q, stderr %q; want 1, nothing, %q", code, out, errOut, want)
	}
}

func TestValidateMisspelledSuffix(t *testing.T) {
	dir := writeDictFolder(t, map[string]string{
		"politics.blok.txt": "法轮功\n",
		"porn.Mask.txt":     "fuck\n",
		"variants.txt":      "法 氵去\n",
		"wordfilter.yaml":   "readings: [repeat]\n",
	})
	code, out, errOut := runCmd(t, "", "validate", "-dict", dir)
	want := filepath.Join(dir, "politics.blok.txt") +
		`: unknown suffix ".blok": a dictionary file is NAME.txt or NAME.<mask|block|review|allow|variants>.txt` + "\n"
	if code != 1 || out != "" || errOut != want {
		t.Fatalf("validate = %d, stdout %q, stderr %q; want 1, nothing, %q", code, out, errOut, want)
	}
	if err := os.Rename(filepath.Join(dir, "politics.blok.txt"), filepath.Join(dir, "politics.BLOCK.txt")); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCmd(t, "", "validate", "-dict", dir)
	if code != 0 || !strings.Contains(out, "2 words") || errOut != "" {
		t.Fatalf("validate after the rename = %d, stdout %q, stderr %q; want 0 and 2 words", code, out, errOut)
	}
}

func TestValidateExitCodes(t *testing.T) {
	t.Setenv("WORDFILTER_DICT", "")
	f := func(wantCode int, wantOut, wantErr string, args ...string) {
		t.Helper()
		code, out, errOut := runCmd(t, "", args...)
		if code != wantCode || !strings.Contains(out, wantOut) || !strings.Contains(errOut, wantErr) {
			t.Fatalf("%q = %d, stdout %q, stderr %q; want %d, %q, %q", args, code, out, errOut, wantCode, wantOut, wantErr)
		}
	}
	missing := filepath.Join(t.TempDir(), "nope")
	f(1, "", missing+": cannot read folder", "validate", "-dict", missing)
	f(1, "", "no dictionary files", "validate", "-dict", t.TempDir())
	f(0, "ok: embedded: ", "", "validate")
	f(2, "", "unexpected argument", "validate", "somedir")
	f(2, "", "flag provided but not defined", "validate", "-bogus")
	f(0, "", "Usage: wordfilter validate", "validate", "-h")
}

func TestCheckPlain(t *testing.T) {
	dir := writeDictFolder(t, testDict)
	in := "what the fuck\n你好\r\n\n法轮功 and shit\nfree money here\nno newline at the end"
	code, out, errOut := runCmd(t, in, "check", "-dict", dir)
	want := "mask\twhat the ****\n" +
		"pass\t你好\n" +
		"pass\t\n" +
		"block\t*** and ****\n" +
		"review\tfree money here\n" +
		"pass\tno newline at the end\n"
	if code != 0 || out != want || errOut != "" {
		t.Fatalf("check = %d, stdout %q, stderr %q; want 0, %q, nothing", code, out, errOut, want)
	}
}

func TestCheckJSON(t *testing.T) {
	dir := writeDictFolder(t, testDict)
	d, err := dict.Load(dir, filter.Options{})
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, "what the fuck <b>\nhello\n", "check", "-json", "-dict", dir)
	if code != 0 || errOut != "" {
		t.Fatalf("check -json = %d, stderr %q", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("check -json printed %d lines, want 2: %q", len(lines), out)
	}
	var r report.Report
	if err := json.Unmarshal([]byte(lines[0]), &r); err != nil {
		t.Fatalf("line 1 %q: %v", lines[0], err)
	}
	want := report.Report{Decision: "mask", Text: "what the **** <b>", Version: d.Version,
		Matches: []report.Match{{Word: "fuck", Category: "profanity", Action: "mask", Start: 9, End: 13}}}
	if r.Decision != want.Decision || r.Text != want.Text || r.Version != want.Version || len(r.Matches) != 1 || !reflect.DeepEqual(r.Matches[0], want.Matches[0]) {
		t.Fatalf("line 1 = %+v, want %+v", r, want)
	}
	if !strings.Contains(lines[0], "<b>") {
		t.Errorf("line 1 %q escapes HTML, want it as written", lines[0])
	}
	if want := `{"decision":"pass","text":"hello","matches":[],"version":"` + d.Version + `"}`; lines[1] != want {
		t.Fatalf("line 2 = %q, want %q", lines[1], want)
	}
}

func TestCheckFiles(t *testing.T) {
	dir := writeDictFolder(t, testDict)
	files := writeDictFolder(t, map[string]string{"one.log": "fuck\n", "two.log": "clean\nshit\n"})
	missing := filepath.Join(files, "missing.log")
	code, out, errOut := runCmd(t, "stdin is not read\n", "check", "-dict", dir, "-mask", "#",
		filepath.Join(files, "one.log"), missing, filepath.Join(files, "two.log"))
	if want := "mask\t####\npass\tclean\nmask\t####\n"; out != want {
		t.Fatalf("check FILES stdout = %q, want %q", out, want)
	}
	if code != 1 || !strings.Contains(errOut, `cannot open "`+missing+`": no such file or directory`) {
		t.Fatalf("check with a missing FILE = %d, stderr %q; want 1 and the file named", code, errOut)
	}
}

func TestCheckLongLine(t *testing.T) {
	dir := writeDictFolder(t, testDict)
	long := strings.Repeat("好", 1<<20/3) + "fuck"
	code, out, errOut := runCmd(t, long+"\nshort\n", "check", "-dict", dir)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if code != 0 || errOut != "" || len(lines) != 2 {
		t.Fatalf("check of a 1 MB line = %d, %d output lines, stderr %q; want 0 and 2 lines", code, len(lines), errOut)
	}
	if want := "mask\t" + long[:len(long)-4] + "****"; lines[0] != want {
		t.Fatalf("the 1 MB line was not filtered as one message (got %d bytes)", len(lines[0]))
	}
	if lines[1] != "pass\tshort" {
		t.Fatalf("line 2 = %q, want pass of short", lines[1])
	}
}

func TestCheckBadInput(t *testing.T) {
	bad := writeDictFolder(t, map[string]string{"a.txt": "ok\n\u200b\n"})
	code, out, errOut := runCmd(t, "x\n", "check", "-dict", bad)
	if code != 1 || out != "" || !strings.Contains(errOut, filepath.Join(bad, "a.txt")+":2: ") {
		t.Fatalf("check with a bad dictionary = %d, stdout %q, stderr %q; want 1 and path:line", code, out, errOut)
	}
	for _, mask := range []string{"", "**"} {
		if code, _, errOut := runCmd(t, "x\n", "check", "-mask", mask); code != 2 || !strings.Contains(errOut, "exactly one character") {
			t.Fatalf("check -mask %q = %d, %q; want 2", mask, code, errOut)
		}
	}
}

func TestCheckEmbeddedDefault(t *testing.T) {
	t.Setenv("WORDFILTER_DICT", "")
	code, out, _ := runCmd(t, "what the fuck\n", "check", "-json")
	var r report.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != 0 {
		t.Fatalf("check -json with the embedded default = %d, %q, %v", code, out, err)
	}
	if r.Decision != "mask" || len(r.Matches) != 1 || r.Matches[0].Category != "profanity-en" {
		t.Fatalf("embedded default result = %+v, want fuck masked as profanity-en", r)
	}
}

// runPiped runs the command line args in the background with pipes for
// stdin and stdout, and returns stdin's writing end, stdout and a
// channel that receives the exit code.
func runPiped(args ...string) (*io.PipeWriter, *bufio.Reader, <-chan int) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code := run(args, inR, outW, io.Discard)
		outW.Close()
		done <- code
	}()
	return inW, bufio.NewReader(outR), done
}

// nextLine reads the next line of results, failing the test when it
// does not come within 10 seconds: while stdin stays open, the result of
// input must already be written.
func nextLine(t *testing.T, results *bufio.Reader, input string) string {
	t.Helper()
	type line struct {
		s   string
		err error
	}
	ch := make(chan line, 1)
	go func() { s, err := results.ReadString('\n'); ch <- line{s, err} }()
	select {
	case got := <-ch:
		if got.err != nil {
			t.Fatalf("reading the result of %q: %v", input, got.err)
		}
		return got.s
	case <-time.After(10 * time.Second):
		t.Fatalf("no result for %q while stdin stays open: the command does not stream", input)
	}
	return ""
}

func TestCheckStreams(t *testing.T) {
	dir := writeDictFolder(t, testDict)
	inW, results, done := runPiped("check", "-dict", dir)
	// Each result must arrive while stdin is still open: nothing waits
	// for the end of the input.
	for _, c := range []struct{ in, want string }{
		{"what the fuck\n", "mask\twhat the ****\n"},
		{"hello\n", "pass\thello\n"},
	} {
		if _, err := io.WriteString(inW, c.in); err != nil {
			t.Fatal(err)
		}
		if got := nextLine(t, results, c.in); got != c.want {
			t.Fatalf("result of %q = %q; want %q", c.in, got, c.want)
		}
	}
	inW.Close()
	if code := <-done; code != 0 {
		t.Fatalf("check exited %d, want 0", code)
	}
}

// TestCheckJSONIncomplete: a line made to cost the variant readings more
// than a text may (costly.Text under costly.List) is
// printed as judged with "incomplete":true; the next line has no such key.
func TestCheckJSONIncomplete(t *testing.T) {
	dir := writeDictFolder(t, map[string]string{"profanity.txt": costly.List()})
	in := costly.Text + "\nsh1t\n"
	code, out, errOut := runCmd(t, in, "check", "-json", "-dict", dir)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if code != 0 || errOut != "" || len(lines) != 2 {
		t.Fatalf("check -json = %d, %d lines, stderr %q", code, len(lines), errOut)
	}
	var r report.Report
	if err := json.Unmarshal([]byte(lines[0]), &r); err != nil || !r.Incomplete || !strings.HasPrefix(r.Text, "**** !|") {
		t.Errorf("line 1: incomplete %v, text %.12q (%v); want incomplete and sh1t masked", r.Incomplete, r.Text, err)
	}
	if strings.Contains(lines[1], "incomplete") {
		t.Errorf("line 2 = %q, want no incomplete", lines[1])
	}
}
