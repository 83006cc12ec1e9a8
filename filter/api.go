package filter

import "fmt"

// Action is what the filter does with a matched word. Actions are ordered by
// strength: Block > Mask > Review > Pass. A message's decision is the
// strongest action among its matches, or Pass when nothing matched.
type Action uint8

// The actions, weakest first.
const (
	// Pass means nothing matched; it is a decision, never a word's action.
	Pass Action = iota
	// Review reports and counts a match but never masks it.
	Review
	// Mask replaces every character of the match with the mask character.
	Mask
	// Block refuses the whole message (the reported text is still masked).
	Block
)

// String returns "pass", "review", "mask" or "block".
func (a Action) String() string {
	switch a {
	case Pass:
		return "pass"
	case Review:
		return "review"
	case Mask:
		return "mask"
	case Block:
		return "block"
	}
	return fmt.Sprintf("Action(%d)", uint8(a))
}

// ParseAction is the inverse of Action.String for the word actions
// "review", "mask" and "block".
func ParseAction(s string) (Action, error) {
	switch s {
	case "review":
		return Review, nil
	case "mask":
		return Mask, nil
	case "block":
		return Block, nil
	}
	return Pass, fmt.Errorf("filter: unknown action %q (want review, mask or block)", s)
}

// Word is one dictionary entry given to Compile.
type Word struct {
	// Text is the word or phrase as written in the dictionary.
	Text string
	// Category names the list the word came from (the file name in dict).
	Category string
	// Action is Review, Mask or Block.
	Action Action
}

// Match is one occurrence of a dictionary word in a text.
type Match struct {
	// Word is the index of the matched word; Matcher.Word(Word) describes it.
	Word int
	// Start and End are byte offsets into the original text: text[Start:End]
	// runs from the first to the last character of the match, skipped
	// separators included.
	Start, End int
	// Via is the set of variant readings the match needed, or 0 for a
	// match that folding alone finds.
	Via Readings
}

// Result is the outcome of filtering one text.
type Result struct {
	// Text is the text with every Mask and Block match masked; it is the
	// input itself (no copy) when nothing was masked.
	Text string
	// Decision is the strongest action among Matches, or Pass.
	Decision Action
	// Matches lists the matches in text order, Review ones included.
	Matches []Match
	// Incomplete tells that a work limit stopped a variant reading
	// somewhere in the text (docs/matching.md, "Limits"), so that a
	// variant match there may be missing; section 3's matches are all
	// found whatever the limits. Only texts made to cost the readings the
	// most get there (a long run like "a!|!|!|…" or "x x x x…" under a
	// list whose words those characters spell).
	Incomplete bool
}
