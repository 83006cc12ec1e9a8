package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/wordfilter/wordfilter/filter"
	"github.com/wordfilter/wordfilter/internal/report"
)

// topN is how many words the summaries of check and diff list.
const topN = 20

// wordKey names a dictionary word as a match reports it. Change is set
// only by diff: "added" for a word matched with the new dictionary and not
// the old, "removed" for the opposite.
type wordKey struct {
	Word     string `json:"word"`
	Category string `json:"category"`
	Action   string `json:"action"`
	Change   string `json:"change,omitempty"`
}

// keyOf is the wordKey of a match.
func keyOf(m report.Match) wordKey {
	return wordKey{Word: m.Word, Category: m.Category, Action: m.Action}
}

// String is how the text summaries show a word: "fuck (profanity, mask)",
// with "+ " or "- " before it for an added or removed word.
func (k wordKey) String() string {
	s := fmt.Sprintf("%s (%s, %s)", k.Word, k.Category, k.Action)
	switch k.Change {
	case "added":
		return "+ " + s
	case "removed":
		return "- " + s
	}
	return s
}

// wordCount is a word of a summary with the number of messages it was
// counted in.
type wordCount struct {
	wordKey
	Messages int `json:"messages"`
}

// topWords returns the n words of counts counted in most messages, most
// first; ties in word, category, action and change order.
func topWords(counts map[wordKey]int, n int) []wordCount {
	list := make([]wordCount, 0, len(counts))
	for k, c := range counts {
		list = append(list, wordCount{k, c})
	}
	slices.SortFunc(list, func(a, b wordCount) int {
		if c := cmp.Compare(b.Messages, a.Messages); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(a.Word, b.Word), cmp.Compare(a.Category, b.Category),
			cmp.Compare(a.Action, b.Action), cmp.Compare(a.Change, b.Change))
	})
	return list[:min(n, len(list))]
}

// writeWords writes the words section of a text summary.
func writeWords(w io.Writer, words []wordCount) {
	if len(words) == 0 {
		fmt.Fprintln(w, "words: none")
		return
	}
	fmt.Fprintf(w, "words (messages, top %d):\n", topN)
	for _, wc := range words {
		fmt.Fprintf(w, "  %s: %d\n", wc.wordKey, wc.Messages)
	}
}

// decisions are the decision labels, weakest first.
var decisions = [...]string{
	filter.Pass.String(), filter.Review.String(), filter.Mask.String(), filter.Block.String(),
}

// checkSummary counts what "wordfilter check -summary" reports: messages by
// decision, by reading and by word.
type checkSummary struct {
	Messages  int            `json:"messages"`
	Decisions map[string]int `json:"decisions"`
	// Via counts, for each variant reading, the messages with a match
	// that needed it (report.Match.Via): a message counts once for each
	// reading any of its matches needed. Readings that flagged no message
	// are left out.
	Via   map[string]int `json:"via"`
	Words []wordCount    `json:"words"`

	words map[wordKey]int
}

// newCheckSummary returns an empty summary with every decision at 0.
func newCheckSummary() *checkSummary {
	s := &checkSummary{Decisions: map[string]int{}, Via: map[string]int{}, words: map[wordKey]int{}}
	for _, d := range decisions {
		s.Decisions[d] = 0
	}
	return s
}

// add counts the result of one message; a word matched twice in it is
// counted once.
func (s *checkSummary) add(rep report.Report) {
	s.Messages++
	s.Decisions[rep.Decision]++
	for _, name := range messageVia(rep).Names() {
		s.Via[name]++
	}
	for i, m := range rep.Matches {
		k := keyOf(m)
		if !slices.ContainsFunc(rep.Matches[:i], func(o report.Match) bool { return keyOf(o) == k }) {
			s.words[k]++
		}
	}
}

// finish fills Words from the counts.
func (s *checkSummary) finish() {
	s.Words = topWords(s.words, topN)
}

// messageVia is the set of readings the matches of rep needed.
func messageVia(rep report.Report) filter.Readings {
	var via filter.Readings
	for _, m := range rep.Matches {
		via |= m.Readings
	}
	return via
}

// writeText writes the summary for people: "summary: N messages: pass N,
// review N, mask N, block N", the messages each reading flagged in the
// readings' fixed order ("readings: leet 3, variants 1"; "readings: none"
// when no match needed one) and the words matched in most messages.
func (s *checkSummary) writeText(w io.Writer) {
	parts := make([]string, len(decisions))
	for i, d := range decisions {
		parts[i] = fmt.Sprintf("%s %d", d, s.Decisions[d])
	}
	fmt.Fprintf(w, "summary: %d messages: %s\n", s.Messages, strings.Join(parts, ", "))
	var readings []string
	for _, name := range filter.AllReadings.Names() {
		if n := s.Via[name]; n > 0 {
			readings = append(readings, fmt.Sprintf("%s %d", name, n))
		}
	}
	if len(readings) == 0 {
		fmt.Fprintln(w, "readings: none")
	} else {
		fmt.Fprintf(w, "readings: %s\n", strings.Join(readings, ", "))
	}
	writeWords(w, s.Words)
}

// writeJSON writes the summary as one line {"summary":{...}}.
func (s *checkSummary) writeJSON(w io.Writer) error {
	b, err := report.MarshalValue(struct {
		Summary *checkSummary `json:"summary"`
	}{s})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}
