// Package costly holds a word list and a text made to cost wordfilter's
// variant readings the most, for the tests of the packages that judge
// texts (filter, server, cmd/wordfilter): under words spelt with i and l,
// a run of ! and | (each read as i, l or a separator) makes every start a
// search that reaches a work limit (docs/matching.md, "Limits").
package costly

import "strings"

// ILWords returns every spelling of six letters i and l followed by x:
// 64 words.
func ILWords() []string {
	words := make([]string, 0, 64)
	for n := range 64 {
		var b strings.Builder
		for k := range 6 {
			b.WriteByte("il"[n>>k&1])
		}
		words = append(words, b.String()+"x")
	}
	return words
}

// List returns ILWords and shit, one a line, as a dictionary file holds
// them.
func List() string { return strings.Join(append(ILWords(), "shit"), "\n") + "\n" }

// Text is sh1t, then 3,000 pairs of ! and | and a letter (the letter
// after the run lets the searches start): under List, a text that reaches
// a work limit, with sh1t to mask.
var Text = "sh1t " + strings.Repeat("!|", 3000) + " x"
