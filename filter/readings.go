package filter

import "strings"

// Readings is a set of variant readings: the ways a text is also read
// beyond the plain folding, to find words written the ways evaders write
// them (docs/matching.md, "Variant readings"). The zero value is no
// reading: a Matcher compiled with zero Options finds words only as
// folding alone reads them.
type Readings uint8

// The readings, in their fixed order (the order of Names and String, and
// of a match's "via" list).
const (
	// ReadRepeat reads a run of one repeated character as one occurrence
	// of it, or as many as the word has in a row (fuuuuck, 傻傻逼).
	ReadRepeat Readings = 1 << iota
	// ReadLeet reads the digits and symbols 0 1 3 4 5 7 8 9 @ $ ! | + as
	// the letters they stand for (sh1t, $hit, a$$hole), in words written
	// with Latin letters, in a match holding a plain Latin letter.
	ReadLeet
	// ReadLookalike reads letters of other scripts that look like Latin
	// letters (Cyrillic с in fuсk) and decorated Latin letters (ƒüçķ) as
	// plain Latin letters.
	ReadLookalike
	// ReadVariants reads the written forms of Options.Variants as their
	// canonical forms (女干 as 奸).
	ReadVariants
	// ReadPinyin finds words of Chinese characters written by sound:
	// in Latin pinyin, in full or in part (falungong, 法lun功), or with
	// characters whose first reading is a reading of the word's (发轮功);
	// a two-character word only with one character as itself and the
	// other in Latin letters (傻bi). docs/matching.md has the rules.
	ReadPinyin

	// AllReadings is every reading.
	AllReadings = ReadRepeat | ReadLeet | ReadLookalike | ReadVariants | ReadPinyin
)

// readingNames are the names of the readings, bit by bit.
var readingNames = [...]string{"repeat", "leet", "lookalike", "variants", "pinyin"}

// Has reports whether every reading of r is in s.
func (s Readings) Has(r Readings) bool { return s&r == r }

// Names returns the names of the readings in s, in their fixed order
// ("repeat", "leet", "lookalike", "variants", "pinyin"); nil when s is
// empty. The slices are shared: callers must not modify them.
func (s Readings) Names() []string {
	s &= AllReadings
	if s == 0 {
		return nil
	}
	return readingLists[s]
}

// readingLists holds Names for every set, built once, so that reporting a
// match's readings does not allocate.
var readingLists = func() (l [AllReadings + 1][]string) {
	for s := Readings(1); s <= AllReadings; s++ {
		for i, n := range readingNames {
			if s&(1<<i) != 0 {
				l[s] = append(l[s], n)
			}
		}
	}
	return l
}()

// String returns the names of the readings joined by commas, or "none".
func (s Readings) String() string {
	if s&AllReadings == 0 {
		return "none"
	}
	return strings.Join(s.Names(), ",")
}

// Policy says how the words of one category are read and what a match
// found only through variant readings does.
type Policy struct {
	// Readings are the variant readings on for the category.
	Readings Readings
	// VariantReview sends a match that needed readings other than pinyin
	// (and not pinyin) to review whatever its word's action
	// (variant-action: review); otherwise it takes the word's action.
	VariantReview bool
	// PinyinReview sends a match that needed pinyin to review
	// (pinyin-action: review); otherwise it takes the word's action.
	PinyinReview bool
}

// Variant is one canonical form and the written forms that stand for it
// under ReadVariants (a line "法 氵去 灋" of a variants file).
type Variant struct {
	// Canonical is the form the written forms stand for.
	Canonical string
	// Forms are the written forms.
	Forms []string
}

// policyBits packs a Policy's actions for a word: bit 0 VariantReview,
// bit 1 PinyinReview.
const (
	variantReviewBit = 1 << iota
	pinyinReviewBit
)

// ActionOf returns what match mt does: its word's action, or Review when
// the match needed variant readings (Match.Via) and its category's Policy
// sends such matches to review. Decision, AppendMasked and Filter use it.
func (m *Matcher) ActionOf(mt Match) Action {
	return m.actionOf(int32(mt.Word), mt.Via)
}

func (m *Matcher) actionOf(id int32, via Readings) Action {
	a := m.words[id].Action
	if via == 0 || len(m.review) == 0 {
		return a
	}
	r := m.review[id]
	switch {
	case via&ReadPinyin != 0:
		if r&pinyinReviewBit != 0 {
			return Review
		}
	case r&variantReviewBit != 0:
		return Review
	}
	return a
}
