// Package report is the result of filtering one text as the REST API's
// POST /v1/filter answers it and "wordfilter check -json" prints it: the
// types, the function that builds one from a dictionary, and the one JSON
// encoding both use, so the two write the same bytes for the same text.
package report

import (
	"github.com/bytedance/sonic"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/filter"
)

// Report is the result of filtering one text.
type Report struct {
	// Action is the decision as the engine's enum, for callers that count
	// or branch on it; Decision is its label.
	Action   filter.Action `json:"-"`
	Decision string        `json:"decision"`
	Text     string        `json:"text"`
	Matches  []Match       `json:"matches"`
	Version  string        `json:"version"`
	// Incomplete tells that a work limit stopped a variant reading in the
	// text (filter.Result.Incomplete); left out of the JSON when false.
	Incomplete bool `json:"incomplete,omitempty"`
}

// Match is one match of a Report: the dictionary word, its category, the
// match's action, the byte offsets of the match in the original text and
// the variant readings it needed.
type Match struct {
	Word     string `json:"word"`
	Category string `json:"category"`
	// Action is what the match does (filter.Matcher.ActionOf): its word's
	// action, or "review" when it needed variant readings and its
	// category's variant-action or pinyin-action is review.
	Action string `json:"action"`
	Start  int    `json:"start"`
	End    int    `json:"end"`
	// Via names the variant readings the match needed, in their fixed
	// order ("repeat", "leet", "lookalike", "variants", "pinyin"); nil,
	// and left out of the JSON, for a match that folding alone finds.
	// The slice is shared (filter.Readings.Names): do not modify it.
	Via []string `json:"via,omitempty"`
	// Readings is Via as the engine's set, for callers that count by
	// reading.
	Readings filter.Readings `json:"-"`
	// Source is where the word was read, "path:line" relative to the
	// dictionary folder ("default/..." for the embedded one); only in an
	// explained report (Explain).
	Source string `json:"source,omitempty"`
	// Folded is, for a variant match of an explained report, the text of
	// the match as folding reads it (filter.Fold), the form the readings
	// then took for the word ("sh1t" for shit written ｓｈ１ｔ).
	Folded string `json:"folded,omitempty"`
}

// Batch is the answer to a batch POST /v1/filter: one Report a text.
type Batch struct {
	Results []Report `json:"results"`
	Version string   `json:"version"`
}

// New filters text with d and describes the result. Matches is never nil,
// so that it encodes as [] rather than null.
func New(d *dict.Dictionary, text string) Report { return build(d, text, false) }

// Explain is New with each match's Source, where its word was read, and
// for a variant match its Folded form (the "explain":true of POST
// /v1/filter).
func Explain(d *dict.Dictionary, text string) Report { return build(d, text, true) }

func build(d *dict.Dictionary, text string, explain bool) Report {
	res := d.Matcher.Filter(nil, text)
	r := Report{
		Action:     res.Decision,
		Decision:   res.Decision.String(),
		Text:       res.Text,
		Matches:    make([]Match, 0, len(res.Matches)),
		Version:    d.Version,
		Incomplete: res.Incomplete,
	}
	for _, m := range res.Matches {
		w := d.Matcher.Word(m.Word)
		rm := Match{
			Word: w.Text, Category: w.Category, Action: d.Matcher.ActionOf(m).String(),
			Start: m.Start, End: m.End, Via: m.Via.Names(), Readings: m.Via,
		}
		if explain {
			rm.Source = d.WordSource(m.Word)
			if m.Via != 0 {
				rm.Folded = filter.Fold(text[m.Start:m.End])
			}
		}
		r.Matches = append(r.Matches, rm)
	}
	return r
}

// jsonAPI is the JSON encoding of results: HTML characters are written
// as they are (a result is data, not a page), invalid UTF-8 in a text is
// replaced by U+FFFD, map keys are sorted (so a summary's counts come out
// in the same order every time). It is a frozen, read-only configuration.
var jsonAPI = sonic.Config{ValidateString: true, SortMapKeys: true}.Froze()

// Marshal encodes r as one JSON object, with no line end.
func Marshal(r Report) ([]byte, error) {
	return jsonAPI.Marshal(r)
}

// MarshalValue encodes v, a value that holds Reports (a line of
// "wordfilter diff -json") or goes with them (a summary), as one JSON
// object with no line end, in the encoding Marshal uses.
func MarshalValue(v any) ([]byte, error) {
	return jsonAPI.Marshal(v)
}

// MarshalBatch encodes b as one JSON object, with no line end; each of
// its results is encoded as Marshal encodes it.
func MarshalBatch(b Batch) ([]byte, error) {
	return jsonAPI.Marshal(b)
}
