package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/wordfilter/wordfilter/filter"
	"github.com/wordfilter/wordfilter/internal/report"
)

func TestCheckSummaryText(t *testing.T) {
	dir := writeDictFolder(t, testDict)
	in := "fuck\nfuck shit fuck\nhello\n法轮功\nfree money\n"
	code, out, errOut := runCmd(t, in, "check", "-summary", "-dict", dir)
	wantOut := "mask\t****\nmask\t**** **** ****\npass\thello\nblock\t***\nreview\tfree money\n"
	wantErr := "summary: 5 messages: pass 1, review 1, mask 2, block 1\n" +
		"readings: none\n" +
		"words (messages, top 20):\n" +
		"  fuck (profanity, mask): 2\n" +
		"  free money (ads, review): 1\n" +
		"  shit (profanity, mask): 1\n" +
		"  法轮功 (politics, block): 1\n"
	if code != 0 || out != wantOut || errOut != wantErr {
		t.Fatalf("check -summary = %d, stdout %q, stderr %q; want 0, %q, %q", code, out, errOut, wantOut, wantErr)
	}
	// Without -summary there is none.
	if code, _, errOut := runCmd(t, in, "check", "-dict", dir); code != 0 || errOut != "" {
		t.Fatalf("check without -summary = %d, stderr %q; want 0 and nothing", code, errOut)
	}
	// Nothing read: every count is 0 and the words say so.
	code, out, errOut = runCmd(t, "", "check", "-summary", "-dict", dir)
	if want := "summary: 0 messages: pass 0, review 0, mask 0, block 0\nreadings: none\nwords: none\n"; code != 0 || out != "" || errOut != want {
		t.Fatalf("check -summary of nothing = %d, %q, %q; want 0, nothing, %q", code, out, errOut, want)
	}
}

func TestCheckSummaryJSON(t *testing.T) {
	dir := writeDictFolder(t, testDict)
	code, out, errOut := runCmd(t, "fuck\nhello\nshit fuck\n", "check", "-json", "-summary", "-dict", dir)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if code != 0 || errOut != "" || len(lines) != 4 {
		t.Fatalf("check -json -summary = %d, stderr %q, %d lines; want 0, nothing, 3 results and a summary:\n%s", code, errOut, len(lines), out)
	}
	want := `{"summary":{"messages":3,"decisions":{"block":0,"mask":2,"pass":1,"review":0},"via":{},"words":[` +
		`{"word":"fuck","category":"profanity","action":"mask","messages":2},` +
		`{"word":"shit","category":"profanity","action":"mask","messages":1}]}}`
	if lines[3] != want {
		t.Fatalf("summary line = %s\nwant           %s", lines[3], want)
	}
	// Only when asked.
	_, out, _ = runCmd(t, "fuck\n", "check", "-json", "-dict", dir)
	if strings.Contains(out, "summary") {
		t.Fatalf("check -json without -summary printed a summary: %q", out)
	}
}

func TestCheckSummaryTop20(t *testing.T) {
	var words, in strings.Builder
	for i := 1; i <= 25; i++ {
		w := fmt.Sprintf("w%02d", i)
		words.WriteString(w + "\n")
		for j := 0; j < i; j++ { // w25 in most messages
			in.WriteString(w + "\n")
		}
	}
	dir := writeDictFolder(t, map[string]string{"x.txt": words.String()})
	code, out, _ := runCmd(t, in.String(), "check", "-json", "-summary", "-dict", dir)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	var s struct {
		Summary struct {
			Messages int
			Words    []struct {
				Word     string
				Messages int
			}
		}
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &s); err != nil || code != 0 {
		t.Fatalf("summary line %q: %v (exit %d)", lines[len(lines)-1], err, code)
	}
	if s.Summary.Messages != 325 || len(s.Summary.Words) != 20 {
		t.Fatalf("summary has %d messages and %d words, want 325 and 20", s.Summary.Messages, len(s.Summary.Words))
	}
	for i, w := range s.Summary.Words {
		if want := fmt.Sprintf("w%02d", 25-i); w.Word != want || w.Messages != 25-i {
			t.Fatalf("word %d = %s %d, want %s %d", i, w.Word, w.Messages, want, 25-i)
		}
	}
}

// viaDict is testDict with a variants file and variant-action review for
// politics.
func viaDict() map[string]string {
	files := map[string]string{
		"variants.txt":    "法 氵去\n",
		"wordfilter.yaml": "categories:\n  politics: { variant-action: review }\n",
	}
	for name, content := range testDict {
		files[name] = content
	}
	return files
}

// viaInput is what TestCheckVia checks: leet, plain, a variant form of a
// word sent to review, repeat and leet in one message, and a clean one.
const viaInput = "sh1t\nfuck\n氵去轮功\nshiiit sh1t\nhello\n"

// TestCheckVia: check's text output shows the readings a message's
// matches needed after its decision, and -summary counts the messages
// each reading flagged, in the text and the JSON summary. Needs the
// engine's variant readings.
func TestCheckVia(t *testing.T) {
	dir := writeDictFolder(t, viaDict())
	code, out, errOut := runCmd(t, viaInput, "check", "-summary", "-dict", dir)
	wantOut := "mask\t****\n" +
		"mask\t****\n" +
		"review\t氵去轮功\n" +
		"mask\t****** ****\n" +
		"pass\thello\n"
	wantErr := "summary: 5 messages: pass 1, review 1, mask 3, block 0\n" +
		"readings: repeat 1, leet 2, variants 1\n" +
		"words (messages, top 20):\n" +
		"  shit (profanity, mask): 2\n" +
		"  fuck (profanity, mask): 1\n" +
		"  法轮功 (politics, review): 1\n"
	if code != 0 || out != wantOut || errOut != wantErr {
		t.Errorf("check -summary = %d\nstdout %q\nstderr %q\nwant 0\n       %q\n       %q", code, out, errOut, wantOut, wantErr)
	}

	code, out, errOut = runCmd(t, viaInput, "check", "-json", "-summary", "-dict", dir)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if code != 0 || errOut != "" || len(lines) != 6 {
		t.Fatalf("check -json -summary = %d, stderr %q, %d lines; want 0, nothing, 5 results and a summary:\n%s", code, errOut, len(lines), out)
	}
	if !strings.Contains(lines[0], `"via":["leet"]`) || !strings.Contains(lines[2], `"action":"review","start":0,"end":12,"via":["variants"]`) ||
		strings.Contains(lines[1], `"via"`) {
		t.Errorf("check -json results lack via or the match's action:\n%s", out)
	}
	want := `{"summary":{"messages":5,"decisions":{"block":0,"mask":3,"pass":1,"review":1},"via":{"leet":2,"repeat":1,"variants":1},"words":[` +
		`{"word":"shit","category":"profanity","action":"mask","messages":2},` +
		`{"word":"fuck","category":"profanity","action":"mask","messages":1},` +
		`{"word":"法轮功","category":"politics","action":"review","messages":1}]}}`
	if lines[5] != want {
		t.Errorf("summary line = %s\nwant           %s", lines[5], want)
	}
}

// viaReports are results as the engine reports variant matches: a leet
// match, a plain one, a variant form sent to review, a message with a
// repeat and a leet match, and a clean message.
func viaReports() []report.Report {
	match := func(word, category, action string, via filter.Readings) report.Match {
		return report.Match{Word: word, Category: category, Action: action, Via: via.Names(), Readings: via}
	}
	return []report.Report{
		{Decision: "mask", Text: "****", Matches: []report.Match{match("shit", "profanity", "mask", filter.ReadLeet)}},
		{Decision: "mask", Text: "****", Matches: []report.Match{match("fuck", "profanity", "mask", 0)}},
		{Decision: "review", Text: "氵去轮功", Matches: []report.Match{match("法轮功", "politics", "review", filter.ReadVariants)}},
		{Decision: "mask", Text: "****** ****", Matches: []report.Match{
			match("shit", "profanity", "mask", filter.ReadRepeat), match("shit", "profanity", "mask", filter.ReadLeet)}},
		{Decision: "pass", Text: "hello", Matches: []report.Match{}},
	}
}

// TestCheckWritesViaAndCountsReadings checks, without the engine, what
// check makes of matches that needed readings: "(via ...)" after the
// decision, and the messages each reading flagged in the summary, text
// (fixed order) and JSON.
func TestCheckWritesViaAndCountsReadings(t *testing.T) {
	var out bytes.Buffer
	c := &checker{out: bufio.NewWriter(&out), summary: newCheckSummary()}
	for _, rep := range viaReports() {
		if err := c.write(rep); err != nil {
			t.Fatal(err)
		}
	}
	c.out.Flush()
	wantOut := "mask\t****\n" +
		"mask\t****\n" +
		"review\t氵去轮功\n" +
		"mask\t****** ****\n" +
		"pass\thello\n"
	if out.String() != wantOut {
		t.Errorf("check printed\n%q\nwant\n%q", out.String(), wantOut)
	}
	c.summary.finish()
	var text, js bytes.Buffer
	c.summary.writeText(&text)
	if err := c.summary.writeJSON(&js); err != nil {
		t.Fatal(err)
	}
	wantText := "summary: 5 messages: pass 1, review 1, mask 3, block 0\n" +
		"readings: repeat 1, leet 2, variants 1\n" +
		"words (messages, top 20):\n" +
		"  shit (profanity, mask): 2\n" +
		"  fuck (profanity, mask): 1\n" +
		"  法轮功 (politics, review): 1\n"
	if text.String() != wantText {
		t.Errorf("text summary\n%q\nwant\n%q", text.String(), wantText)
	}
	wantJSON := `{"summary":{"messages":5,"decisions":{"block":0,"mask":3,"pass":1,"review":1},"via":{"leet":2,"repeat":1,"variants":1},"words":[` +
		`{"word":"shit","category":"profanity","action":"mask","messages":2},` +
		`{"word":"fuck","category":"profanity","action":"mask","messages":1},` +
		`{"word":"法轮功","category":"politics","action":"review","messages":1}]}}` + "\n"
	if js.String() != wantJSON {
		t.Errorf("JSON summary\n%s\nwant\n%s", js.String(), wantJSON)
	}
}
