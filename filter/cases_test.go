package filter_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/wordfilter/wordfilter/filter"
)

// semCase is one case of the shared semantic corpus. Words are written
// "action:text" (block:, review:) or just "text" for mask. Want lists the
// matched pieces of text in order; masked is the text after masking with
// '*' (required when want is not empty; without matches the text must
// come back unchanged).
type semCase struct {
	name   string
	words  []string
	allow  []string
	text   string
	want   []string
	masked string
	dec    filter.Action // checked when not Pass, or when no matches are wanted
}

// semGroups mirrors docs/matching.md, rule by rule.
var semGroups = map[string][]semCase{
	"normalisation": {
		{name: "case", words: []string{"fuck"}, text: "FuCk you", want: []string{"FuCk"}, masked: "**** you"},
		{name: "case word upper", words: []string{"FUCK"}, text: "fuck", want: []string{"fuck"}, masked: "****"},
		{name: "full-width", words: []string{"fuck"}, text: "ｆｕｃｋ!", want: []string{"ｆｕｃｋ"}, masked: "****!"},
		{name: "full-width word", words: []string{"ｆｕｃｋ"}, text: "fuck", want: []string{"fuck"}, masked: "****"},
		{name: "circled digit", words: []string{"abc1"}, text: "abc①", want: []string{"abc①"}, masked: "****"},
		{name: "styled math", words: []string{"fuck"}, text: "𝐟𝐮𝐜𝐤", want: []string{"𝐟𝐮𝐜𝐤"}, masked: "****"},
		{name: "ligature expands", words: []string{"fine"}, text: "ﬁne", want: []string{"ﬁne"}, masked: "***"},
		{name: "ligature inside word", words: []string{"ish"}, text: "ﬁsh", want: nil},
		{name: "parenthesised ideograph", words: []string{"株"}, text: "㈱", want: []string{"㈱"}, masked: "*"},
		{name: "traditional text", words: []string{"法轮功"}, text: "法輪功", want: []string{"法輪功"}, masked: "***"},
		{name: "traditional word", words: []string{"法輪功"}, text: "法轮功", want: []string{"法轮功"}, masked: "***"},
		{name: "zero width space", words: []string{"fuck"}, text: "fu\u200bck", want: []string{"fu\u200bck"}, masked: "*****"},
		{name: "soft hyphen", words: []string{"fuck"}, text: "fu\u00adck", want: []string{"fu\u00adck"}, masked: "*****"},
		{name: "zwj", words: []string{"法轮功"}, text: "法\u200d轮功", want: []string{"法\u200d轮功"}, masked: "****"},
		{name: "bidi control", words: []string{"fuck"}, text: "f\u202euck", want: []string{"f\u202euck"}, masked: "*****"},
		{name: "variation selector", words: []string{"法轮功"}, text: "法\ufe0f轮功", want: []string{"法\ufe0f轮功"}, masked: "****"},
		{name: "combining mark", words: []string{"fuck"}, text: "fu\u0301ck", want: []string{"fu\u0301ck"}, masked: "*****"},
		{name: "tag character", words: []string{"fuck"}, text: "fu\U000E0041ck", want: []string{"fu\U000E0041ck"}, masked: "*****"},
		{name: "many invisibles", words: []string{"fuck"}, text: "f\u200b\u200b\u200b\u200b\u200buck", want: []string{"f\u200b\u200b\u200b\u200b\u200buck"}, masked: "*********"},
		{name: "near miss accented letter", words: []string{"fuck"}, text: "fück", want: nil},
		{name: "invisible in word", words: []string{"fu\u200bck"}, text: "fuck", want: []string{"fuck"}, masked: "****"},
	},
	"separators": {
		{name: "spaces", words: []string{"法轮功"}, text: "法 轮 功", want: []string{"法 轮 功"}, masked: "*****"},
		{name: "stars", words: []string{"法轮功"}, text: "法*轮*功", want: []string{"法*轮*功"}, masked: "*****"},
		{name: "dots latin", words: []string{"fuck"}, text: "f.u.c.k", want: []string{"f.u.c.k"}, masked: "*******"},
		{name: "three separators", words: []string{"fuck"}, text: "f - uck", want: []string{"f - uck"}, masked: "*******"},
		{name: "four separators", words: []string{"fuck"}, text: "f -- uck", want: nil},
		{name: "four separators cjk", words: []string{"法轮功"}, text: "法    轮功", want: nil},
		{name: "emoji separators", words: []string{"fuck"}, text: "f😀u😀c😀k", want: []string{"f😀u😀c😀k"}, masked: "*******"},
		{name: "invisibles do not count", words: []string{"fuck"}, text: "f\u200b\u200b - uck", want: []string{"f\u200b\u200b - uck"}, masked: "*********"},
		{name: "clause comma between cjk", words: []string{"中共"}, text: "其中，共有", want: nil},
		{name: "ascii comma between cjk", words: []string{"中共"}, text: "中,共", want: nil},
		{name: "full stop between cjk", words: []string{"中共"}, text: "中。共", want: nil},
		{name: "clause inside a run", words: []string{"中共"}, text: "中 ！共", want: nil},
		{name: "space between cjk", words: []string{"中共"}, text: "中 共", want: []string{"中 共"}, masked: "***"},
		{name: "clause between latin", words: []string{"fuck"}, text: "f,u;c!k", want: []string{"f,u;c!k"}, masked: "*******"},
		{name: "clause between latin and cjk", words: []string{"a片"}, text: "a，片", want: []string{"a，片"}, masked: "***"},
		{name: "clause in every gap", words: []string{"法轮功"}, text: "我学法.轮.功了", want: []string{"法.轮.功"}, masked: "我学*****了"},
		{name: "full-width clause in every gap", words: []string{"法轮功"}, text: "法，轮，功", want: []string{"法，轮，功"}, masked: "*****"},
		{name: "clause and spaces in every gap", words: []string{"法轮功"}, text: "法 . 轮 ! 功", want: []string{"法 . 轮 ! 功"}, masked: "*********"},
		{name: "clause in one gap of three", words: []string{"法轮功"}, text: "法.轮功", want: nil},
		{name: "clause in the other gap", words: []string{"法轮功"}, text: "法轮.功", want: nil},
		{name: "clause in every gap of two", words: []string{"中共"}, text: "中.共", want: nil},
		{name: "clause gap too wide", words: []string{"法轮功"}, text: "法...!轮.功", want: nil},
		{name: "clause run longer than the word", words: []string{"轮功"}, text: "法.轮.功", want: nil},
		{name: "clause run, word inside", words: []string{"轮功学"}, text: "法.轮.功.学", want: []string{"轮.功.学"}, masked: "法.*****"},
		{name: "clause run, two words", words: []string{"法轮功", "学员们"}, text: "法.轮.功.学.员.们", want: []string{"法.轮.功", "学.员.们"}, masked: "*****.*****"},
		{name: "clause run broken by a plain gap", words: []string{"法轮功"}, text: "法.轮 功", want: nil},
		{name: "clause run after latin", words: []string{"法轮功"}, text: "a法.轮.功", want: []string{"法.轮.功"}, masked: "a*****"},
		{name: "clause mixed word", words: []string{"a法轮"}, text: "a法.轮", want: nil},
		{name: "leading and trailing separators kept", words: []string{"fuck"}, text: "..fuck..", want: []string{"fuck"}, masked: "..****.."},
	},
	"symbol words": {
		{name: "emoji word", words: []string{"🖕"}, text: "hey 🖕 you", want: []string{"🖕"}, masked: "hey * you"},
		{name: "ascii symbols", words: []string{"@$$"}, text: "you @$$!", want: []string{"@$$"}, masked: "you ***!"},
		{name: "full-width symbols fold", words: []string{"@$$"}, text: "ｕ＠＄＄", want: []string{"＠＄＄"}, masked: "ｕ***"},
		{name: "nothing skipped inside", words: []string{"@$$"}, text: "@ $$ @.$$", want: nil},
		{name: "variation selector looked through", words: []string{"☭☭"}, text: "☭️☭", want: []string{"☭️☭"}, masked: "***"},
		{name: "symbol anywhere", words: []string{"☭"}, text: "a☭b 中☭国", want: []string{"☭", "☭"}, masked: "a*b 中*国"},
		{name: "symbol leftmost", words: []string{"@$$"}, text: "@$$$", want: []string{"@$$"}, masked: "***$"},
		{name: "symbol longest", words: []string{"┻", "┻┼"}, text: "x┻┼┻", want: []string{"┻┼", "┻"}, masked: "x***"},
		{name: "symbol overlapping suffix", words: []string{"$$@", "@$"}, text: "$$@$", want: []string{"$$@"}, masked: "***$"},
		{name: "symbol with space", words: []string{"☭ ☭"}, text: "x☭ ☭y ☭  ☭", want: []string{"☭ ☭"}, masked: "x***y ☭  ☭"},
		{name: "symbol and word", words: []string{"fuck", "@$$"}, text: "fuck @$$", want: []string{"fuck", "@$$"}, masked: "**** ***"},
		{name: "symbol allowed", words: []string{"@$$"}, allow: []string{"@$$!"}, text: "@$$! @$$", want: []string{"@$$"}, masked: "@$$! ***"},
		{name: "symbol broken by invalid byte", words: []string{"@$$"}, text: "@\xff$$", want: nil},
		{name: "symbol broken by a letter", words: []string{"@$$"}, text: "@a$$", want: nil},
		{name: "symbol in a word's gap", words: []string{"fuck", "$"}, text: "fu$ck", want: []string{"fu$ck"}, masked: "*****"},
		{name: "clause symbols", words: []string{"?!"}, text: "what?!", want: []string{"?!"}, masked: "what**"},
		{name: "letter inside an expansion breaks", words: []string{"()"}, text: "⑴ ()", want: []string{"()"}, masked: "⑴ **"},
		{name: "symbol inside an expansion", words: []string{"("}, text: "a⑴", want: []string{"⑴"}, masked: "a*"},
	},
	"separator in word": {
		{name: "free money spaces", words: []string{"free money"}, text: "free  money", want: []string{"free  money"}, masked: "***********"},
		{name: "free money dash", words: []string{"free money"}, text: "free-money", want: []string{"free-money"}, masked: "**********"},
		{name: "free money glued", words: []string{"free money"}, text: "freemoney", want: nil},
		{name: "free money four", words: []string{"free money"}, text: "free -- money", want: nil},
		{name: "free money skips elsewhere", words: []string{"free money"}, text: "f.ree money", want: []string{"f.ree money"}, masked: "***********"},
		{name: "allow pen is", words: []string{"penis"}, allow: []string{"pen is"}, text: "the pen is", want: nil, dec: filter.Pass},
		{name: "allow pen is not penis", words: []string{"penis"}, allow: []string{"pen is"}, text: "penis", want: []string{"penis"}, masked: "*****"},
		{name: "separator word and glued word", words: []string{"ab cd", "block:abcd"}, text: "ab cd abcd", want: []string{"ab cd", "abcd"}, masked: "***** ****", dec: filter.Block},
	},
	"latin boundary": {
		{name: "ass in class", words: []string{"ass"}, text: "class", want: nil},
		{name: "ass in assassin", words: []string{"ass"}, text: "assassin", want: nil},
		{name: "ass alone", words: []string{"ass"}, text: "an ass.", want: []string{"ass"}, masked: "an ***."},
		{name: "sb between cjk", words: []string{"sb"}, text: "你是sb吗", want: []string{"sb"}, masked: "你是**吗"},
		{name: "sb full-width", words: []string{"sb"}, text: "你是ｓｂ吗", want: []string{"ｓｂ"}, masked: "你是**吗"},
		{name: "digit glued", words: []string{"sb"}, text: "sb2", want: nil},
		{name: "digit word", words: []string{"8964"}, text: "189645 8964", want: []string{"8964"}, masked: "189645 ****"},
		{name: "invisible does not unglue", words: []string{"ass"}, text: "cl\u200bass", want: nil},
		{name: "underscore is a separator", words: []string{"ass"}, text: "my_ass_", want: []string{"ass"}, masked: "my_***_"},
		{name: "mixed latin end glued", words: []string{"a片"}, text: "ba片", want: nil},
		{name: "mixed cjk end free", words: []string{"a片"}, text: "a片b", want: []string{"a片"}, masked: "**b"},
		{name: "cjk anywhere", words: []string{"中共"}, text: "打倒中共党", want: []string{"中共"}, masked: "打倒**党"},
		{name: "cyrillic glued", words: []string{"хуй"}, text: "страхуй", want: nil},
		{name: "cyrillic inside", words: []string{"хуй"}, text: "нахуйя", want: nil},
		{name: "cyrillic alone", words: []string{"хуй"}, text: "иди на хуй!", want: []string{"хуй"}, masked: "иди на ***!"},
		{name: "cyrillic glued to latin", words: []string{"хуй"}, text: "xхуй", want: nil},
		{name: "latin glued to cyrillic", words: []string{"fuck"}, text: "fuckя", want: nil},
		{name: "cyrillic between cjk", words: []string{"хуй"}, text: "你хуй吗", want: []string{"хуй"}, masked: "你***吗"},
		{name: "greek glued", words: []string{"μαλακα"}, text: "μαλακας", want: nil},
		{name: "greek alone", words: []string{"μαλακα"}, text: "ρε μαλακα", want: []string{"μαλακα"}, masked: "ρε ******"},
		{name: "arabic glued", words: []string{"كلب"}, text: "كلبة", want: nil},
		{name: "hebrew alone", words: []string{"זונה"}, text: "את זונה", want: []string{"זונה"}, masked: "את ****"},
		{name: "devanagari glued", words: []string{"चूत"}, text: "चूतिया", want: nil},
		{name: "armenian glued", words: []string{"շուն"}, text: "շունը", want: nil},
		{name: "georgian glued", words: []string{"ძაღლი"}, text: "ძაღლის", want: nil},
		{name: "thai anywhere", words: []string{"ควย"}, text: "ไอ้ควยนี่", want: []string{"ควย"}, masked: "ไอ้***นี่"},
		{name: "lao anywhere", words: []string{"ຄວຍ"}, text: "ອີຄວຍໂງ", want: []string{"ຄວຍ"}, masked: "ອີ***ໂງ"},
		{name: "khmer anywhere", words: []string{"ចុយ"}, text: "អាចុយម្រាយ", want: []string{"ចុយ"}, masked: "អា***ម្រាយ"},
		{name: "kana prolonged sound mark", words: []string{"バカヤロー"}, text: "バカヤローwww", want: []string{"バカヤロー"}, masked: "*****www"},
		{name: "kana prolonged sound mark half-width", words: []string{"バカヤロー"}, text: "バカヤロｰ1", want: []string{"バカヤロｰ"}, masked: "*****1"},
		{name: "boundary across separator skip", words: []string{"fuck"}, text: "xf.uck", want: nil},
	},
	"leftmost-longest": {
		{name: "longest wins", words: []string{"中共", "中共党员"}, text: "中共党员", want: []string{"中共党员"}, masked: "****"},
		{name: "leftmost wins", words: []string{"法轮", "轮功"}, text: "法轮功", want: []string{"法轮"}, masked: "**功"},
		{name: "nested", words: []string{"功", "法轮功"}, text: "法轮功", want: []string{"法轮功"}, masked: "***"},
		{name: "two matches", words: []string{"法轮功", "中共"}, text: "法轮功和中共", want: []string{"法轮功", "中共"}, masked: "***和**"},
		{name: "adjacent", words: []string{"中共"}, text: "中共中共", want: []string{"中共", "中共"}, masked: "****"},
		{name: "mask covers skipped separators", words: []string{"法轮功"}, text: "x法 * 轮功x", want: []string{"法 * 轮功"}, masked: "x******x"},
	},
	"allow": {
		{name: "allow covers", words: []string{"操"}, allow: []string{"曹操"}, text: "曹操", want: nil, dec: filter.Pass},
		{name: "allow elsewhere", words: []string{"操"}, allow: []string{"曹操"}, text: "曹操说操", want: []string{"操"}, masked: "曹操说*"},
		{name: "allow before leftmost-longest", words: []string{"法轮", "轮功"}, allow: []string{"法轮"}, text: "法轮功", want: []string{"轮功"}, masked: "法**"},
		{name: "allow any category", words: []string{"block:操"}, allow: []string{"曹操"}, text: "曹操", want: nil, dec: filter.Pass},
		{name: "allow folded", words: []string{"操"}, allow: []string{"曹操"}, text: "曹 操", want: nil},
		{name: "allow partial overlap does not cover", words: []string{"法轮功"}, allow: []string{"功夫"}, text: "法轮功夫", want: []string{"法轮功"}, masked: "***夫"},
	},
	"actions": {
		{name: "duplicate strongest", words: []string{"fuck", "block:FUCK", "review:ｆｕｃｋ"}, text: "fuck", want: []string{"fuck"}, masked: "****", dec: filter.Block},
		{name: "review not masked", words: []string{"review:中共"}, text: "中共", want: []string{"中共"}, masked: "中共", dec: filter.Review},
		{name: "mask beats review", words: []string{"review:中共", "法轮功"}, text: "中共法轮功", want: []string{"中共", "法轮功"}, masked: "中共***", dec: filter.Mask},
		{name: "block masked", words: []string{"block:法轮功", "中共"}, text: "中共法轮功", want: []string{"中共", "法轮功"}, masked: "*****", dec: filter.Block},
		{name: "pass", words: []string{"中共"}, text: "你好", want: nil, dec: filter.Pass},
	},
	"invalid utf-8": {
		{name: "bad byte breaks word", words: []string{"fuck"}, text: "fu\xffck", want: nil},
		{name: "bad bytes around", words: []string{"fuck"}, text: "\xfffuck\xff", want: []string{"fuck"}, masked: "\xff****\xff"},
		{name: "bad byte in cjk", words: []string{"法轮功"}, text: "法\xff轮功", want: nil},
		{name: "truncated sequence", words: []string{"ab"}, text: "ab\xe6\xb3", want: []string{"ab"}, masked: "**\xe6\xb3"},
	},
}

func parseWords(ws []string) []filter.Word {
	var out []filter.Word
	for _, w := range ws {
		a := filter.Mask
		if act, text, ok := strings.Cut(w, ":"); ok {
			if p, err := filter.ParseAction(act); err == nil {
				a, w = p, text
			}
		}
		out = append(out, filter.Word{Text: w, Category: "test", Action: a})
	}
	return out
}

type combo struct {
	dense      bool
	mask       rune
	extraAllow bool
	pad        bool
}

func (c combo) String() string {
	return fmt.Sprintf("dense=%v,mask=%q,extraAllow=%v,pad=%v", c.dense, c.mask, c.extraAllow, c.pad)
}

func allCombos() []combo {
	var cs []combo
	for _, d := range []bool{false, true} {
		for _, mk := range []rune{0, '█'} {
			for _, ea := range []bool{false, true} {
				for _, p := range []bool{false, true} {
					cs = append(cs, combo{d, mk, ea, p})
				}
			}
		}
	}
	return cs
}

func TestSemantics(t *testing.T) {
	names := map[string]bool{}
	for group, cases := range semGroups {
		for _, c := range cases {
			if names[c.name] {
				t.Errorf("duplicate case name %q", c.name)
			}
			names[c.name] = true
			t.Run(group+"/"+c.name, func(t *testing.T) {
				for _, co := range allCombos() {
					runCase(t, c, co)
				}
			})
		}
	}
}

func runCase(t *testing.T, c semCase, co combo) {
	t.Helper()
	allow := c.allow
	if co.extraAllow {
		allow = append(slices.Clip(allow), "zzqqzz")
	}
	words := parseWords(c.words)
	m, err := filter.Compile(words, filter.WithEngine(filter.Options{Allow: allow, Mask: co.mask}, co.dense))
	if err != nil {
		t.Fatalf("%v: Compile: %v", co, err)
	}
	prefix, suffix := "", ""
	if co.pad {
		prefix, suffix = "~~~~ ", " ~~~~"
	}
	text := prefix + c.text + suffix
	res := m.Filter(nil, text)
	var got []string
	for _, mt := range res.Matches {
		got = append(got, text[mt.Start:mt.End])
	}
	if !slices.Equal(got, c.want) {
		t.Fatalf("%v: Filter(%q) matches %q, want %q", co, text, got, c.want)
	}
	mask := co.mask
	if mask == 0 {
		mask = '*'
	}
	masked := c.text // nothing matched: nothing changes
	if c.masked != "" {
		// Every '*' of a case's text lies inside a match, so each '*' of
		// the pinned text is a mask character.
		masked = strings.ReplaceAll(c.masked, "*", string(mask))
	} else if len(c.want) > 0 {
		t.Fatalf("case %q has matches but pins no masked text", c.name)
	}
	if want := prefix + masked + suffix; res.Text != want {
		t.Fatalf("%v: Filter(%q).Text = %q, want %q", co, text, res.Text, want)
	}
	if c.dec != filter.Pass || len(c.want) == 0 {
		if res.Decision != c.dec {
			t.Fatalf("%v: Filter(%q).Decision = %v, want %v", co, text, res.Decision, c.dec)
		}
	}
	if got := m.Contains(text); got != (len(c.want) > 0) {
		t.Fatalf("%v: Contains(%q) = %v, want %v", co, text, got, !got)
	}
	if got := m.Replace(text); got != res.Text {
		t.Fatalf("%v: Replace(%q) = %q, want %q", co, text, got, res.Text)
	}
	ref := newRef(words, allow).filter(text, mask)
	if !slices.Equal(ref.Matches, res.Matches) {
		t.Fatalf("%v: reference matches %v, engine %v", co, ref.Matches, res.Matches)
	}
}
