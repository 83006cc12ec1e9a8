package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
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
