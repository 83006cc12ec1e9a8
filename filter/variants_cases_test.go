package filter_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wordfilter/wordfilter/filter"
)

// The semantic table of the variant readings: every example and near miss
// of docs/matching.md ("Variant readings") and the README's table, each run
// under every combination of the readings repeat, leet, lookalike and
// variants (the folder's readings; a case's category policies keep theirs
// within them), so that a match appears exactly when the readings it needs
// are on. TestVariantCases runs the engine on it, TestRefVariantsTable
// (reference_variants_test.go) the reference.

// vm is one expected match: the text it covers, its word (as written in
// the case; "" when the case has a single word) and its readings ("" for
// none, else names joined by commas in any order).
type vm struct{ piece, word, via string }

// varCase is one case. Words are written "[category/][action:]text"
// (category "test", action mask when left out); variants are lines of a
// variants file ("法 氵去 灋").
type varCase struct {
	name     string
	words    []string
	allow    []string
	variants []string
	// cats are category policies; under each setting their readings are
	// met with the setting's.
	cats map[string]filter.Policy
	// review is the folder's VariantReview.
	review bool
	// fixed, when set, is the folder's policy of the only setting run
	// (cats kept as given).
	fixed *filter.Policy
	text  string
	// want are the matches with every reading on, in text order; each is
	// found in text after the previous one.
	want []vm
	// fallback holds the matches under a setting that lacks a reading want
	// needs: the first list whose readings the setting has; none: no match.
	fallback [][]vm
	// masked pins the masked text ('*') with every reading on; "" derives
	// it from the matches.
	masked string
	// dec pins the decision with every reading on, when not Pass.
	dec filter.Action
}

// Cyrillic and Greek letters that look like Latin ones, spelled out.
const (
	cyrA  = "\u0430" // а
	cyrC  = "\u0441" // с
	cyrCu = "\u0421" // С
	cyrO  = "\u043e" // о
	cyrP  = "\u0440" // р
	cyrU  = "\u0443" // у
	cyrDz = "\u0455" // ѕ
	grO   = "\u03bf" // ο
	grNu  = "\u03bd" // ν
	// cyrSuka is сука, all Cyrillic.
	cyrSuka = cyrC + cyrU + "\u043a" + cyrA
)

var varCases = []varCase{
	// repeat
	{name: "repeat inside", words: []string{"fuck"}, text: "fuuuuck", want: []vm{{"fuuuuck", "", "repeat"}}},
	{name: "repeat with separators", words: []string{"fuck"}, text: "f-u-u-u-c-k", want: []vm{{"f-u-u-u-c-k", "", "repeat"}}},
	{name: "repeat four separators", words: []string{"fuck"}, text: "f-u-u-u-u-c-k"},
	{name: "repeats do not count, separators between them do", words: []string{"fuck"}, text: "fu--u-ck", want: []vm{{"fu--u-ck", "", "repeat"}}},
	{name: "separators between repeats count", words: []string{"fuck"}, text: "fu--u--ck"},
	{name: "repeat shiiiit", words: []string{"shit"}, text: "shiiiit!", want: []vm{{"shiiiit", "", "repeat"}}},
	{name: "repeat cjk", words: []string{"傻逼"}, text: "傻傻傻逼", want: []vm{{"傻傻傻逼", "", "repeat"}}, fallback: [][]vm{{{"傻逼", "", ""}}}},
	{name: "repeat at the start", words: []string{"fuck"}, text: "ffuck", want: []vm{{"ffuck", "", "repeat"}}},
	{name: "repeat at the end", words: []string{"fuck"}, text: "fuckkkk off", want: []vm{{"fuckkkk", "", "repeat"}}},
	{name: "repeat before the match stays out", words: []string{"shit"}, text: "this is shiiiit", want: []vm{{"shiiiit", "", "repeat"}}},
	{name: "repeat at the start must touch", words: []string{"shit"}, text: "s shiiiit", want: []vm{{"shiiiit", "", "repeat"}}},
	{name: "repeat at the start separated", words: []string{"fuck"}, text: "f-fuck", want: []vm{{"fuck", "", ""}}},
	{name: "repeat at the end separated", words: []string{"fuck"}, text: "fuck k", want: []vm{{"fuck", "", ""}}},
	{name: "repeat at the end and a separator", words: []string{"fuck"}, text: "fuckk!", want: []vm{{"fuckk", "", "repeat"}}},
	{name: "double letter needs two", words: []string{"ass"}, text: "as"},
	{name: "double letter and a repeat", words: []string{"ass"}, text: "asss", want: []vm{{"asss", "", "repeat"}}},
	{name: "double letter exact", words: []string{"ass"}, text: "an ass", want: []vm{{"ass", "", ""}}},
	{name: "exact double letters win the span", words: []string{"hello", "block:helo"}, text: "hello", want: []vm{{"hello", "hello", ""}}, dec: filter.Mask},
	{name: "single letter word read with a repeat", words: []string{"helo"}, text: "hello", want: []vm{{"hello", "", "repeat"}}},
	{name: "repeat of a double letter", words: []string{"hello"}, text: "helllllo", want: []vm{{"helllllo", "", "repeat"}}},
	// An invalid byte parts two runs of one letter: the repeats after it
	// are read anew (the run before it does not go on across it).
	{name: "repeat after an invalid byte", words: []string{"ii"}, text: "iii\xffiii+", want: []vm{{"iii", "", "repeat"}, {"iii", "", "repeat"}}},
	{name: "cjk repeat after an invalid byte", words: []string{"傻逼"}, text: "傻\xff傻傻逼", want: []vm{{"傻傻逼", "", "repeat"}}, fallback: [][]vm{{{"傻逼", "", ""}}}},
	// A match may start inside a run of a CJK character (no boundary rule)
	// where the match before ends inside it.
	{name: "cjk repeat from inside a run", words: []string{"x/轮功", "功"}, cats: map[string]filter.Policy{"x": {}}, text: "轮功功功",
		want: []vm{{"轮功", "轮功", ""}, {"功功", "功", "repeat"}}, fallback: [][]vm{{{"轮功", "轮功", ""}, {"功", "功", ""}, {"功", "功", ""}}}},
	{name: "cjk repeat from inside a run, a word after", words: []string{"x/轮功", "功逼"}, cats: map[string]filter.Policy{"x": {}}, text: "轮功功功逼",
		want: []vm{{"轮功", "轮功", ""}, {"功功逼", "功逼", "repeat"}}, fallback: [][]vm{{{"轮功", "轮功", ""}, {"功逼", "功逼", ""}}}},
	{name: "cjk repeat from inside a run, an invisible character", words: []string{"x/轮功", "功"}, cats: map[string]filter.Policy{"x": {}}, text: "轮功\u200b功功",
		want: []vm{{"轮功", "轮功", ""}, {"功功", "功", "repeat"}}, fallback: [][]vm{{{"轮功", "轮功", ""}, {"功", "功", ""}, {"功", "功", ""}}}},
	{name: "cjk repeat across clause", words: []string{"傻逼"}, text: "傻，傻逼", want: []vm{{"傻逼", "", ""}}},
	{name: "cjk repeat separated at the start", words: []string{"傻逼"}, text: "傻 傻逼", want: []vm{{"傻逼", "", ""}}},
	{name: "cjk repeat at the end", words: []string{"傻逼"}, text: "傻逼逼逼", want: []vm{{"傻逼逼逼", "", "repeat"}}, fallback: [][]vm{{{"傻逼", "", ""}}}},
	{name: "cjk repeat in the middle with separators", words: []string{"法轮功"}, text: "法轮 轮 轮功", want: []vm{{"法轮 轮 轮功", "", "repeat"}}},
	{name: "cjk repeat in the middle across clause", words: []string{"法轮功"}, text: "法轮，轮功"},
	{name: "clause exception not combined with repeat", words: []string{"法轮功"}, text: "法.轮.轮.功"},
	{name: "clause exception exact with readings on", words: []string{"法轮功"}, text: "法.轮.功", want: []vm{{"法.轮.功", "", ""}}},

	// leet
	{name: "leet digit", words: []string{"shit"}, text: "sh1t", want: []vm{{"sh1t", "", "leet"}}},
	{name: "leet dollar", words: []string{"shit"}, text: "$hit", want: []vm{{"$hit", "", "leet"}}},
	{name: "leet five", words: []string{"shit"}, text: "5hit", want: []vm{{"5hit", "", "leet"}}},
	{name: "leet bang", words: []string{"bitch"}, text: "b!tch", want: []vm{{"b!tch", "", "leet"}}},
	{name: "leet then a bang", words: []string{"bitch"}, text: "b1tch!", want: []vm{{"b1tch", "", "leet"}}},
	{name: "leet bar", words: []string{"shit"}, text: "sh|t", want: []vm{{"sh|t", "", "leet"}}},
	{name: "leet with dots", words: []string{"shit"}, text: "$.h.i.t", want: []vm{{"$.h.i.t", "", "leet"}}},
	{name: "leet doubled", words: []string{"asshole"}, text: "a$$hole", want: []vm{{"a$$hole", "", "leet"}}},
	{name: "leet three symbols", words: []string{"asshole"}, text: "a$$$hole", want: []vm{{"a$$$hole", "", "leet"}}},
	{name: "leet symbol before is a separator", words: []string{"shit"}, text: "$$hit", want: []vm{{"$$hit", "", "leet"}}},
	// A leet character that ends a word, with more than 3 separators
	// before the next letter.
	{name: "leet at the end, the next letter out of reach", words: []string{"sis"}, text: "si-$ ... x", want: []vm{{"si-$", "", "leet"}}},
	{name: "leet at the end of a double letter, the next letter out of reach", words: []string{"ass"}, text: "a.s! 5-**.h", want: []vm{{"a.s! 5", "", "leet"}}},
	{name: "leet glued digit", words: []string{"shit"}, text: "sh1t2"},
	{name: "leet glued letter", words: []string{"shit"}, text: "x$hit"},
	{name: "leet number 1337", words: []string{"leet"}, text: "1337"},
	{name: "leet number 5008", words: []string{"sob"}, text: "5008"},
	{name: "leet number 404", words: []string{"aoa"}, text: "404"},
	{name: "leet number 101", words: []string{"lol"}, text: "101"},
	{name: "leet symbols alone", words: []string{"ass"}, text: "@$$"},
	{name: "leet symbols alone, symbol word", words: []string{"ass", "@$$"}, text: "@$$", want: []vm{{"@$$", "@$$", ""}}},
	{name: "v is no leet", words: []string{"fuck"}, text: "fvck"},
	{name: "ph is not f", words: []string{"fuck"}, text: "phuck"},
	{name: "leet in a digit word needs a latin letter", words: []string{"s1"}, text: "$1"},
	{name: "leet and a digit word", words: []string{"s1"}, text: "s1", want: []vm{{"s1", "", ""}}},
	// "Latin letters" are the letters of the Latin script, ñ included.
	{name: "leet in a word with a decorated letter", words: []string{"coño"}, text: "c0ño", want: []vm{{"c0ño", "", "leet"}}},
	{name: "leet not in a mixed-script word", words: []string{"ab片"}, text: "a8片"},
	{name: "leet with a separator written in the word", words: []string{"free money"}, text: "fr33 m0ney", want: []vm{{"fr33 m0ney", "", "leet"}}},
	{name: "leet and a separator written in the word, glued", words: []string{"free money"}, text: "fr33m0ney"},
	{name: "hell and a bang", words: []string{"hell"}, text: "hell!", want: []vm{{"hell", "", ""}}},
	{name: "leet in hell", words: []string{"hell"}, text: "he11!", want: []vm{{"he11", "", "leet"}}},
	{name: "e-mail address", words: []string{"shit"}, text: "shit@example.com", want: []vm{{"shit", "", ""}}},
	{name: "e-mail address glued", words: []string{"ass"}, text: "mail b@ss.org"},
	{name: "leet and repeat", words: []string{"shit"}, text: "sh11t", want: []vm{{"sh11t", "", "repeat,leet"}}},
	// as$$ is a s $(s) $(absorbed), via repeat,leet, or a s $(separator)
	// $(s), via leet: the smaller via (filter.Readings value) wins.
	// The second $ (behind an invisible character) is glued to n: the
	// match ends at the first $, not after the invisible character, and
	// absorbs no repeat.
	{name: "leet symbol, an invisible character and a glued repeat", words: []string{"as"}, text: "a，$\u200b$n", want: []vm{{"a，$", "", "leet"}}},
	// A match may start at the third copy of a leet symbol where the match
	// before ends at the second.
	{name: "leet from the third copy of a symbol", words: []string{"@$$", "sis"}, text: "@$$$Is", want: []vm{{"@$$", "@$$", ""}, {"$Is", "sis", "leet"}},
		fallback: [][]vm{{{"@$$", "@$$", ""}}}},
	// A repeat inside a character that folds to several (ß is ss).
	{name: "a repeat inside an expansion", words: []string{"ass"}, text: "a$sß", want: []vm{{"a$sß", "", "repeat"}}},
	// The same where the symbol is a plain leet character, which the
	// ASCII loop of the dense engine judges itself.
	{name: "leet from the third copy, in the ASCII loop", words: []string{"ass", "sis"}, text: "a$$$is", want: []vm{{"a$$", "ass", "leet"}, {"$is", "sis", "leet"}}},
	{name: "leet and repeat from a later copy of a symbol", words: []string{"@$$$", "ss"}, text: "@$$$$SS", want: []vm{{"@$$$", "@$$$", ""}, {"$SS", "ss", "repeat,leet"}},
		fallback: [][]vm{{{"@$$$", "@$$$", ""}, {"SS", "ss", ""}}}},
	{name: "smaller via on a tie", words: []string{"ass"}, text: "as$$", want: []vm{{"as$$", "", "leet"}}},
	// A long run of a leet symbol: one letter and its repeats, the walk
	// taking most copies at once (limits_test.go has 1 MiB of them).
	{name: "a long run of a leet symbol", words: []string{"shit"}, text: strings.Repeat("$", 40) + "h1t",
		want: []vm{{strings.Repeat("$", 40) + "h1t", "", "repeat,leet"}}, fallback: [][]vm{{{"$$$$h1t", "", "leet"}}}}, // three $ as separators
	{name: "a long run of a leet symbol, two letters and a separator", words: []string{"ass", "s a"},
		text: "a" + strings.Repeat("$", 40) + " s" + strings.Repeat("$", 20) + "a",
		// ass takes the plain s as its second s; s is glued to the first
		// $ after it, where "s a" cannot start.
		want:     []vm{{"a" + strings.Repeat("$", 40) + " s", "ass", "repeat,leet"}, {strings.Repeat("$", 19) + "a", "s a", "repeat,leet"}},
		fallback: [][]vm{{{"a$$$$$$$$", "ass", "leet"}, {"$$$$a", "s a", "leet"}}}},
	{name: "exact beats a stronger leet match", words: []string{"block:shit", "sh1t"}, text: "sh1t", want: []vm{{"sh1t", "sh1t", ""}}, dec: filter.Mask},
	{name: "symbol word and leet", words: []string{"$", "shit"}, text: "$hit", want: []vm{{"$hit", "shit", "leet"}}, fallback: [][]vm{{{"$", "$", ""}}}},
	{name: "symbol words take no reading", words: []string{"@$$"}, text: "@@$$", want: []vm{{"@$$", "", ""}}},

	// lookalike
	{name: "cyrillic c", words: []string{"fuck"}, text: "fu" + cyrC + "k", want: []vm{{"fu" + cyrC + "k", "", "lookalike"}}},
	{name: "cyrillic dze", words: []string{"shit"}, text: cyrDz + "hit", want: []vm{{cyrDz + "hit", "", "lookalike"}}},
	{name: "cyrillic upper case", words: []string{"fuck"}, text: "FU" + cyrCu + "K", want: []vm{{"FU" + cyrCu + "K", "", "lookalike"}}},
	{name: "foreign needs a latin letter", words: []string{"cop"}, text: cyrC + cyrO + cyrP},
	{name: "foreign beside a latin letter", words: []string{"cop"}, text: "c" + cyrO + cyrP, want: []vm{{"c" + cyrO + cyrP, "", "lookalike"}}},
	{name: "cyrillic word stays cyrillic", words: []string{cyrSuka}, text: cyrC + cyrU + "\u043a" + "a"},
	{name: "cyrillic word exact", words: []string{cyrSuka}, text: cyrSuka, want: []vm{{cyrSuka, "", ""}}},
	{name: "cyrillic text is not a latin word", words: []string{"cyka"}, text: cyrSuka},
	{name: "cyrillic letters beside latin ones", words: []string{"cyka"}, text: "c" + cyrU + "k" + cyrA, want: []vm{{"c" + cyrU + "k" + cyrA, "", "lookalike"}}},
	{name: "greek", words: []string{"love"}, text: "l" + grO + grNu + "e", want: []vm{{"l" + grO + grNu + "e", "", "lookalike"}}},
	{name: "decorated", words: []string{"fuck"}, text: "ƒüçķ", want: []vm{{"ƒüçķ", "", "lookalike"}}},
	{name: "decorated upper case", words: []string{"fuck"}, text: "FÜÇĶ", want: []vm{{"FÜÇĶ", "", "lookalike"}}},
	{name: "decorated and foreign only", words: []string{"fuck"}, text: "ƒü" + cyrC + "ķ"},
	{name: "decorated glued", words: []string{"fuck"}, text: "éfuck"},
	{name: "spanish año", words: []string{"coño", "ano"}, text: "año"},
	{name: "spanish ano", words: []string{"coño", "ano"}, text: "ano", want: []vm{{"ano", "ano", ""}}},
	{name: "spanish coño", words: []string{"coño", "ano"}, text: "coño", want: []vm{{"coño", "coño", ""}}},
	{name: "spanish decomposed", words: []string{"coño", "ano"}, text: "con\u0303o", want: []vm{{"con\u0303o", "coño", "lookalike"}}},
	{name: "spanish decomposed upper case", words: []string{"coño", "ano"}, text: "CON\u0303O", want: []vm{{"CON\u0303O", "coño", "lookalike"}}},
	// A reading adds a way to read the text and takes none away: the mark
	// after n is still invisible to the exact rules (reference_variants_test.go).
	{name: "spanish decomposed repeats", words: []string{"coño", "ano"}, text: "con\u0303n\u0303\u200bn\u0303o", want: []vm{{"con\u0303n\u0303\u200bn\u0303o", "coño", "repeat,lookalike"}}},
	// A letter and its marks read plainly before the copy read composed:
	// the second copy's marks start the search.
	{name: "spanish decomposed, plain copy then composed", words: []string{"conño"}, text: "con\u0303n\u0303o", want: []vm{{"con\u0303n\u0303o", "conño", "lookalike"}}},
	{name: "spanish decomposed, the mark still invisible", words: []string{"coño", "ano"}, text: "an\u0303o", want: []vm{{"an\u0303o", "ano", ""}}},
	{name: "año without ñ written", words: []string{"ano"}, text: "año", want: []vm{{"año", "", "lookalike"}}},
	{name: "decomposed año without ñ written", words: []string{"ano"}, text: "an\u0303o", want: []vm{{"an\u0303o", "", ""}}},
	{name: "decorated letter written by another word", words: []string{"fuck", "über"}, text: "fück"},
	{name: "decorated letter written by an allow phrase", words: []string{"fuck"}, allow: []string{"müll"}, text: "fück"},
	{name: "foreign letter written by another word", words: []string{"fuck", cyrSuka}, text: "fu" + cyrC + "k", want: []vm{{"fu" + cyrC + "k", "fuck", "lookalike"}}},
	{name: "combining mark stays invisible", words: []string{"fuck"}, text: "fu\u0308ck", want: []vm{{"fu\u0308ck", "", ""}}},
	{name: "lookalike and repeat", words: []string{"fuck"}, text: "fuu" + cyrC + "k", want: []vm{{"fuu" + cyrC + "k", "", "repeat,lookalike"}}},
	{name: "lookalike repeat is the same letter", words: []string{"fuck"}, text: "fu" + cyrC + "ck"},

	// variants
	{name: "variant radical", words: []string{"法轮功"}, variants: []string{"法 氵去 灋"}, text: "练氵去轮功", want: []vm{{"氵去轮功", "", "variants"}}},
	{name: "variant ancient", words: []string{"法轮功"}, variants: []string{"法 氵去 灋"}, text: "灋轮功", want: []vm{{"灋轮功", "", "variants"}}},
	{name: "variant traditional", words: []string{"法轮功"}, variants: []string{"法 氵去 灋"}, text: "灋輪功", want: []vm{{"灋輪功", "", "variants"}}},
	{name: "variant with a separator", words: []string{"法轮功"}, variants: []string{"法 氵去 灋"}, text: "氵 去 轮功", want: []vm{{"氵 去 轮功", "", "variants"}}},
	{name: "variant with clause punctuation", words: []string{"法轮功"}, variants: []string{"法 氵去 灋"}, text: "氵，去轮功"},
	{name: "variant, clause after the form", words: []string{"法轮功"}, variants: []string{"法 氵去 灋"}, text: "灋，轮功"},
	{name: "variant and the clause exception", words: []string{"法轮功"}, variants: []string{"法 氵去 灋"}, text: "灋.轮.功"},
	{name: "variant exact", words: []string{"法轮功"}, variants: []string{"法 氵去 灋"}, text: "法轮功", want: []vm{{"法轮功", "", ""}}},
	{name: "variant jian", words: []string{"奸"}, variants: []string{"奸 女干"}, text: "是个女干商", want: []vm{{"女干", "", "variants"}}},
	{name: "variant one step only", words: []string{"奸"}, variants: []string{"奸 女干", "干 千"}, text: "女千"},
	{name: "variant and repeat", words: []string{"奸"}, variants: []string{"奸 女干"}, text: "女干干", want: []vm{{"女干干", "", "repeat,variants"}}, fallback: [][]vm{{{"女干", "", "variants"}}}},
	{name: "variant latin form", words: []string{"fuck"}, variants: []string{"fuck fck"}, text: "fck you", want: []vm{{"fck", "", "variants"}}},
	{name: "variant latin form glued", words: []string{"fuck"}, variants: []string{"fuck fck"}, text: "fcking"},
	{name: "variant latin form of a cjk letter", words: []string{"法轮功"}, variants: []string{"轮功 lg"}, text: "法lg", want: []vm{{"法lg", "", "variants"}}},
	{name: "variant latin form of a cjk letter glued", words: []string{"法轮功"}, variants: []string{"轮功 lg"}, text: "法lgx"},
	{name: "variant latin form at the start of a cjk word", words: []string{"法轮功"}, variants: []string{"法 fa"}, text: "我fa轮功", want: []vm{{"fa轮功", "", "variants"}}},
	{name: "variant latin form at the start of a cjk word, glued", words: []string{"法轮功"}, variants: []string{"法 fa"}, text: "xfa轮功"},
	// A form of Latin letters takes the boundary rule at its own ends, also
	// inside a word.
	{name: "variant latin form in a latin word, glued", words: []string{"fuck"}, variants: []string{"f ph"}, text: "phuck"},
	{name: "variant latin form in a latin word", words: []string{"fuck"}, variants: []string{"f ph"}, text: "ph uck", want: []vm{{"ph uck", "", "variants"}}},

	// A run of a symbol read as a letter, its repeats, then separators:
	// without repeat, the last copies alone.
	{name: "repeats then separators of one symbol run", words: []string{"s a"}, text: "$$$$$a",
		want: []vm{{"$$$$$a", "", "repeat,leet"}}, fallback: [][]vm{{{"$$$$a", "", "leet"}}}},
	{name: "repeats then separators after an invalid byte", words: []string{"s a"}, text: "@t\xff$$$$$a",
		want: []vm{{"$$$$$a", "", "repeat,leet"}}, fallback: [][]vm{{{"$$$$a", "", "leet"}}}},

	// allow phrases
	{name: "allow read with leet", words: []string{"shit"}, allow: []string{"shit happens"}, text: "sh1t happens"},
	{name: "allow read with leet, word elsewhere", words: []string{"shit"}, allow: []string{"shit happens"}, text: "sh1t", want: []vm{{"sh1t", "", "leet"}}},
	{name: "allow read with variants", words: []string{"奸"}, allow: []string{"汉奸"}, variants: []string{"奸 女干"}, text: "汉女干"},
	{name: "allow read with variants, word elsewhere", words: []string{"奸"}, allow: []string{"汉奸"}, variants: []string{"奸 女干"}, text: "女干", want: []vm{{"女干", "", "variants"}}},
	{name: "allow read with repeat", words: []string{"傻逼"}, allow: []string{"傻逼"}, text: "傻傻逼"},
	{name: "allow read with the folder's readings only", words: []string{"x/shit"}, allow: []string{"shit happens"},
		fixed: &filter.Policy{}, cats: map[string]filter.Policy{"x": {Readings: filter.ReadLeet}},
		text: "sh1t happens", want: []vm{{"sh1t", "", "leet"}}},
	{name: "allow with lookalike", words: []string{"fuck"}, allow: []string{"fuck off"}, text: "fu" + cyrC + "k " + cyrO + "ff"},
	// docs/matching.md: a list word inside an everyday word that doubles
	// one of its letters, and the allow phrase that stops it.
	{name: "everyday word read with repeat", words: []string{"god"}, text: "good job", want: []vm{{"good", "", "repeat"}}},
	{name: "everyday word allowed", words: []string{"god"}, allow: []string{"good"}, text: "good job, goood job"},
	{name: "everyday word allowed, word elsewhere", words: []string{"god"}, allow: []string{"good"}, text: "good god", want: []vm{{"god", "", ""}}},

	// categories and actions
	{name: "category without readings", words: []string{"ads/fuck"}, cats: map[string]filter.Policy{"ads": {}}, text: "fuuuck"},
	{name: "category without readings, exact", words: []string{"ads/fuck"}, cats: map[string]filter.Policy{"ads": {}}, text: "fuck", want: []vm{{"fuck", "", ""}}},
	{name: "category with its own readings", words: []string{"ads/fuck", "shit"}, cats: map[string]filter.Policy{"ads": {Readings: filter.ReadRepeat}},
		text: "fuuuck sh1t", want: []vm{{"fuuuck", "fuck", "repeat"}, {"sh1t", "shit", "leet"}},
		fallback: [][]vm{{{"fuuuck", "fuck", "repeat"}}, {{"sh1t", "shit", "leet"}}}},
	{name: "leet in a category without leet", words: []string{"a/shit"}, cats: map[string]filter.Policy{"a": {Readings: filter.ReadRepeat | filter.ReadLookalike | filter.ReadVariants}}, text: "sh1t"},
	{name: "variant-action review", review: true, words: []string{"fuck"}, text: "fuuuck", want: []vm{{"fuuuck", "", "repeat"}}, masked: "fuuuck", dec: filter.Review},
	{name: "variant-action review and an exact match", review: true, words: []string{"fuck"}, text: "fuck fuuuck",
		want: []vm{{"fuck", "", ""}, {"fuuuck", "", "repeat"}}, fallback: [][]vm{{{"fuck", "", ""}}}, masked: "**** fuuuck", dec: filter.Mask},
	{name: "variant-action review of a block word", review: true, words: []string{"block:fuck"}, text: "fuuuck", want: []vm{{"fuuuck", "", "repeat"}}, masked: "fuuuck", dec: filter.Review},
	{name: "category variant-action review", words: []string{"r/block:fuck", "shit"}, cats: map[string]filter.Policy{"r": {Readings: refReadable, VariantReview: true}},
		text: "fuuuck shiiit", want: []vm{{"fuuuck", "fuck", "repeat"}, {"shiiit", "shit", "repeat"}}, masked: "fuuuck ******", dec: filter.Mask},
	{name: "stronger action on a tie", words: []string{"shit", "block:shiit"}, text: "shiiit", want: []vm{{"shiiit", "shiit", "repeat"}}, dec: filter.Block},
	{name: "tie under variant-action review", review: true, words: []string{"shit", "block:shiit"}, text: "shiiit", want: []vm{{"shiiit", "shit", "repeat"}}, dec: filter.Review},
	{name: "tie under a category's review", words: []string{"a/shit", "b/block:shiit"}, cats: map[string]filter.Policy{"b": {Readings: refReadable, VariantReview: true}},
		text: "shiiit", want: []vm{{"shiiit", "shit", "repeat"}}, dec: filter.Mask},
	{name: "a variant match displaces an exact one", words: []string{"傻逼", "逼你"}, text: "傻逼逼你", want: []vm{{"傻逼逼", "傻逼", "repeat"}},
		fallback: [][]vm{{{"傻逼", "傻逼", ""}, {"逼你", "逼你", ""}}}},
}

// settings are the folder readings a case runs under.
func (c varCase) settings() []filter.Readings {
	if c.fixed != nil {
		return []filter.Readings{c.fixed.Readings}
	}
	var out []filter.Readings
	for s := filter.Readings(0); s <= refReadable; s++ {
		if s&^refReadable == 0 {
			out = append(out, s)
		}
	}
	return out
}

// parseVarWord parses "[category/][action:]text".
func parseVarWord(s string) filter.Word {
	w := filter.Word{Text: s, Category: "test", Action: filter.Mask}
	if cat, rest, ok := strings.Cut(w.Text, "/"); ok && cat != "" && strings.Trim(cat, "abcdefghijklmnopqrstuvwxyz") == "" {
		w.Category, w.Text = cat, rest
	}
	if act, rest, ok := strings.Cut(w.Text, ":"); ok {
		if a, err := filter.ParseAction(act); err == nil {
			w.Action, w.Text = a, rest
		}
	}
	return w
}

// parseVariants parses lines of a variants file.
func parseVariants(lines []string) []filter.Variant {
	var out []filter.Variant
	for _, l := range lines {
		f := strings.Fields(l)
		out = append(out, filter.Variant{Canonical: f[0], Forms: f[1:]})
	}
	return out
}

// compileArgs returns the words, allow phrases and options of c under the
// folder readings set.
func (c varCase) compileArgs(set filter.Readings) ([]filter.Word, []string, refOpts) {
	var words []filter.Word
	for _, w := range c.words {
		words = append(words, parseVarWord(w))
	}
	opts := refOpts{Policy: filter.Policy{Readings: set, VariantReview: c.review}, Variants: parseVariants(c.variants)}
	if c.fixed != nil {
		opts.Policy = *c.fixed
	}
	if c.cats != nil {
		opts.Categories = maps.Clone(c.cats)
		if c.fixed == nil {
			for k, p := range opts.Categories {
				p.Readings &= set
				opts.Categories[k] = p
			}
		}
	}
	return words, slices.Clip(c.allow), opts
}

// parseVia parses reading names joined by commas.
func parseVia(s string) filter.Readings {
	var r filter.Readings
	for _, n := range strings.Split(s, ",") {
		if n == "" {
			continue
		}
		i := slices.Index(refReadable.Names(), n)
		if i < 0 {
			panic("unknown reading " + n)
		}
		r |= 1 << i
	}
	return r
}

// needs returns the readings that the matches ms need.
func needs(ms []vm) filter.Readings {
	var r filter.Readings
	for _, m := range ms {
		r |= parseVia(m.via)
	}
	return r
}

// expected returns the matches c expects under the folder readings set.
func (c varCase) expected(set filter.Readings) []vm {
	if c.fixed != nil || set.Has(needs(c.want)) {
		return c.want
	}
	for _, fb := range c.fallback {
		if set.Has(needs(fb)) {
			return fb
		}
	}
	return nil
}

// check compares res, the result of filtering c.text under the folder
// readings set (word describing a match's word), with what c expects.
func (c varCase) check(set filter.Readings, res filter.Result, word func(id int) filter.Word) error {
	words, _, opts := c.compileArgs(set)
	policy := func(cat string) filter.Policy {
		if p, ok := opts.Categories[cat]; ok {
			return p
		}
		return opts.Policy
	}
	var want []filter.Match
	var wantWords []filter.Word
	from := 0
	for _, e := range c.expected(set) {
		i := strings.Index(c.text[from:], e.piece)
		if i < 0 {
			return fmt.Errorf("case %q: %q not found in %q after byte %d", c.name, e.piece, c.text, from)
		}
		w := words[0]
		if e.word != "" {
			k := slices.IndexFunc(words, func(w filter.Word) bool { return w.Text == e.word })
			if k < 0 {
				return fmt.Errorf("case %q: no word %q", c.name, e.word)
			}
			w = words[k]
		} else if len(words) > 1 {
			return fmt.Errorf("case %q: match %q does not name its word", c.name, e.piece)
		}
		want = append(want, filter.Match{Start: from + i, End: from + i + len(e.piece), Via: parseVia(e.via)})
		wantWords = append(wantWords, w)
		from += i + len(e.piece)
	}
	describe := func(ms []filter.Match, ws func(i int) filter.Word) string {
		var b strings.Builder
		for i, m := range ms {
			fmt.Fprintf(&b, " %q=%q", c.text[m.Start:m.End], ws(i).Text)
			if m.Via != 0 {
				fmt.Fprintf(&b, " via %v", m.Via)
			}
		}
		if b.Len() == 0 {
			return " none"
		}
		return b.String()
	}
	gotDesc := describe(res.Matches, func(i int) filter.Word { return word(res.Matches[i].Word) })
	wantDesc := describe(want, func(i int) filter.Word { return wantWords[i] })
	fail := func(format string, args ...any) error {
		return fmt.Errorf("case %q, readings %v, text %q: %s\n got:%s\nwant:%s", c.name, set, c.text, fmt.Sprintf(format, args...), gotDesc, wantDesc)
	}
	if len(res.Matches) != len(want) {
		return fail("wrong matches")
	}
	masked := []byte{}
	last := 0
	dec := filter.Pass
	for i, m := range res.Matches {
		w := want[i]
		if m.Start != w.Start || m.End != w.End || m.Via != w.Via || word(m.Word).Text != wantWords[i].Text {
			return fail("wrong matches")
		}
		a := wantWords[i].Action
		if p := policy(wantWords[i].Category); w.Via != 0 && p.VariantReview {
			a = filter.Review
		}
		dec = max(dec, a)
		if a != filter.Review {
			masked = append(masked, c.text[last:w.Start]...)
			masked = append(masked, strings.Repeat("*", utf8.RuneCountInString(c.text[w.Start:w.End]))...)
			last = w.End
		}
	}
	masked = append(masked, c.text[last:]...)
	if res.Text != string(masked) {
		return fail("masked %q, want %q", res.Text, masked)
	}
	if res.Decision != dec {
		return fail("decision %v, want %v", res.Decision, dec)
	}
	if set == refReadable || c.fixed != nil {
		if c.masked != "" && res.Text != c.masked {
			return fail("masked %q, the case pins %q", res.Text, c.masked)
		}
		if c.dec != filter.Pass && res.Decision != c.dec {
			return fail("decision %v, the case pins %v", res.Decision, c.dec)
		}
	}
	return nil
}

// TestVariantCases runs the semantic table on the engine: the sparse and
// the dense automaton, and a scan settling after every candidate, under
// every combination of readings (with -short: all, none, and each one
// off; with -race: all and none).
func TestVariantCases(t *testing.T) {
	names := map[string]bool{}
	for _, c := range varCases {
		if names[c.name] {
			t.Errorf("duplicate case name %q", c.name)
		}
		names[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			for _, set := range c.settings() {
				kinds := []string{"sparse", "dense", "settle1"}
				switch off := refReadable &^ set; {
				case c.fixed != nil:
				case raceEnabled:
					// Compile is slow under the race detector: every
					// reading on with each engine, and none with one.
					if off == 0 {
						break
					}
					if set != 0 {
						continue
					}
					kinds = kinds[1:2]
				case testing.Short():
					// Every reading on, none, and each one off.
					if set != 0 && off&(off-1) != 0 {
						continue
					}
				}
				words, allow, ropts := c.compileArgs(set)
				for _, kind := range kinds {
					opts := ropts.options(allow)
					switch kind {
					case "sparse":
						opts = filter.WithEngine(opts, false)
					case "dense":
						opts = filter.WithEngine(opts, true)
					case "settle1":
						opts = filter.WithSettleAt(opts, 1)
					}
					m, err := filter.Compile(words, opts)
					if err != nil {
						t.Fatalf("Compile: %v", err)
					}
					res := m.Filter(nil, c.text)
					if err := c.check(set, res, m.Word); err != nil {
						t.Fatalf("%s engine: %v", kind, err)
					}
					if d := m.Decision(res.Matches); d != res.Decision {
						t.Fatalf("%s engine, readings %v: Decision %v, Filter's %v", kind, set, d, res.Decision)
					}
					if got := m.Contains(c.text); got != (len(res.Matches) > 0) {
						t.Fatalf("%s engine, readings %v: Contains = %v with matches %v", kind, set, got, res.Matches)
					}
				}
			}
		})
	}
}
