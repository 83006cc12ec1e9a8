package filter

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// TEMPORARY: a deliberately simple implementation (lower-casing and
// substring search only) so that dict/ and server/ can build against the
// final API while the real engine is written. The engine work replaces this
// file entirely; keep the exported signatures.

// MaxWordRunes is the longest word, in characters after normalisation,
// that Compile accepts.
const MaxWordRunes = 128

// Options configure Compile. The zero value is the default: every
// normalisation on, '*' as the mask character.
type Options struct {
	// Allow lists allow phrases: a match lying inside an occurrence of
	// an allow phrase is dropped.
	Allow []string
	// Mask is the character that replaces each masked character; 0 means '*'.
	Mask rune
}

// WordError reports a word that Compile cannot accept.
type WordError struct {
	// Index is the position of the word in the slice given to Compile,
	// or in Options.Allow when Allow is true.
	Index int
	// Allow tells whether the word came from Options.Allow.
	Allow bool
	// Text is the word as given.
	Text string
	// Reason says what is wrong, e.g. "nothing matchable left after normalisation".
	Reason string
}

func (e *WordError) Error() string {
	return fmt.Sprintf("filter: word %q: %s", e.Text, e.Reason)
}

// CheckWord reports whether text is acceptable as a dictionary word or
// allow phrase: it returns the reason (as WordError.Reason) or "".
func CheckWord(text string) string {
	n := 0
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	if n == 0 {
		return "nothing matchable left after normalisation"
	}
	if utf8.RuneCountInString(text) > MaxWordRunes {
		return fmt.Sprintf("longer than %d characters", MaxWordRunes)
	}
	return ""
}

// Matcher is a compiled dictionary. It is immutable and safe for
// concurrent use by any number of goroutines.
type Matcher struct {
	words []Word
	keys  []string
	allow []string
	mask  rune
	stats Stats
}

// Compile builds a Matcher from words. Words that fold to the same text
// are one word; the strongest action wins.
func Compile(words []Word, opts Options) (*Matcher, error) {
	start := time.Now()
	m := &Matcher{mask: opts.Mask}
	if m.mask == 0 {
		m.mask = '*'
	}
	seen := map[string]int{}
	for i, w := range words {
		if reason := CheckWord(w.Text); reason != "" {
			return nil, &WordError{Index: i, Text: w.Text, Reason: reason}
		}
		k := strings.ToLower(w.Text)
		if j, ok := seen[k]; ok {
			if w.Action > m.words[j].Action {
				m.words[j] = w
			}
			continue
		}
		seen[k] = len(m.words)
		m.words = append(m.words, w)
		m.keys = append(m.keys, k)
	}
	for i, a := range opts.Allow {
		if reason := CheckWord(a); reason != "" {
			return nil, &WordError{Index: i, Allow: true, Text: a, Reason: reason}
		}
		m.allow = append(m.allow, strings.ToLower(a))
	}
	m.stats = Stats{Words: len(m.words), Allow: len(m.allow), BuildTime: time.Since(start)}
	return m, nil
}

// MustCompile is like Compile but panics on error. For tests and examples.
func MustCompile(words []Word, opts Options) *Matcher {
	m, err := Compile(words, opts)
	if err != nil {
		panic(err)
	}
	return m
}

// Len returns the number of distinct words.
func (m *Matcher) Len() int { return len(m.words) }

// Stats returns size and build figures.
func (m *Matcher) Stats() Stats { return m.stats }

// Word returns the word with index id (Match.Word).
func (m *Matcher) Word(id int) Word { return m.words[id] }

// Contains reports whether text holds any match (of any action). It does
// not allocate.
func (m *Matcher) Contains(text string) bool {
	return len(m.AppendMatches(nil, text)) > 0
}

// AppendMatches appends the matches of text to dst, in text order,
// leftmost-longest without overlap, and returns the extended slice.
func (m *Matcher) AppendMatches(dst []Match, text string) []Match {
	lower := strings.ToLower(text)
	if len(lower) != len(text) {
		return dst
	}
	for i := 0; i < len(lower); {
		best, bestEnd := -1, 0
		for id, k := range m.keys {
			if strings.HasPrefix(lower[i:], k) && i+len(k) > bestEnd {
				best, bestEnd = id, i+len(k)
			}
		}
		if best < 0 {
			i++
			continue
		}
		dst = append(dst, Match{Word: best, Start: i, End: bestEnd})
		i = bestEnd
	}
	return dst
}

// Filter returns the masked text, the decision and the matches, appending
// the matches to dst (which may be nil).
func (m *Matcher) Filter(dst []Match, text string) Result {
	ms := m.AppendMatches(dst, text)
	res := Result{Text: text, Matches: ms}
	var b strings.Builder
	last := 0
	for _, mt := range ms[len(dst):] {
		a := m.words[mt.Word].Action
		if a > res.Decision {
			res.Decision = a
		}
		if a == Review {
			continue
		}
		b.WriteString(text[last:mt.Start])
		for range text[mt.Start:mt.End] {
			b.WriteRune(m.mask)
		}
		last = mt.End
	}
	if last > 0 {
		b.WriteString(text[last:])
		res.Text = b.String()
	}
	return res
}

// Replace returns text with its Mask and Block matches masked; it returns
// text itself when nothing was masked.
func (m *Matcher) Replace(text string) string { return m.Filter(nil, text).Text }
