package filter_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/wordfilter/wordfilter/filter"
)

// pyCase is one case of the pinyin reading's semantic table. Words are
// written as in semCase ("block:法轮功"); the matcher reads them with every
// reading, the pinyin action review unless same is set. want lists the
// matched pieces of text in order, each followed by "~" when the match
// needed pinyin (its via is exactly pinyin); masked is the text after
// masking with '*' (the text itself when it is empty).
type pyCase struct {
	name   string
	words  []string
	allow  []string
	text   string
	want   []string
	masked string
	same   bool // pinyin-action same: a pinyin match takes its word's action
}

// pyCases mirror the pinyin bullet of docs/matching.md, example by
// example, with the near misses.
var pyCases = []pyCase{
	// Written in pinyin, in part or in full, or with characters of the
	// same sound.
	{name: "latin", words: []string{"法轮功"}, text: "falungong", want: []string{"falungong~"}},
	{name: "latin spaced", words: []string{"法轮功"}, text: "fa lun gong", want: []string{"fa lun gong~"}},
	{name: "latin in part", words: []string{"法轮功"}, text: "学法lun功", want: []string{"法lun功~"}},
	{name: "homophone character", words: []string{"法轮功"}, text: "我学发轮功", want: []string{"发轮功~"}},
	{name: "homophones only", words: []string{"操你妈"}, text: "草泥马!", want: []string{"草泥马~"}},
	{name: "latin caonima", words: []string{"操你妈"}, text: "caonima", want: []string{"caonima~"}},
	{name: "capitals", words: []string{"法轮功"}, text: "FaLunGong!", want: []string{"FaLunGong~"}},
	{name: "tone marks", words: []string{"法轮功"}, text: "fǎ lún gōng", want: []string{"fǎ lún gōng~"}},
	{name: "combining tone marks", words: []string{"法轮功"}, text: "fa\u030c lun gong", want: []string{"fa\u030c lun gong~"}},
	{name: "full-width letters", words: []string{"法轮功"}, text: "ｆａｌｕｎｇｏｎｇ", want: []string{"ｆａｌｕｎｇｏｎｇ~"}},
	{name: "separators between letters", words: []string{"法轮功"}, text: "f.a.l.u.n.g.o.n.g", want: []string{"f.a.l.u.n.g.o.n.g~"}},
	{name: "traditional homophone", words: []string{"法轮功"}, text: "發輪功", want: []string{"發輪功~"}},
	{name: "latin then characters", words: []string{"法轮功"}, text: "fa轮功", want: []string{"fa轮功~"}},
	{name: "characters then latin", words: []string{"法轮功"}, text: "发轮gong", want: []string{"发轮gong~"}},
	{name: "repeated", words: []string{"法轮功"}, text: "发轮功发轮功", want: []string{"发轮功~", "发轮功~"}},
	// Two characters: one written as itself, the other in Latin letters.
	{name: "two, first itself", words: []string{"傻逼"}, text: "你傻bi", want: []string{"傻bi~"}},
	{name: "two, second itself", words: []string{"傻逼"}, text: "sha逼", want: []string{"sha逼~"}},
	{name: "two, latin only", words: []string{"傻逼"}, text: "shabi", want: nil},
	{name: "two, homophones only", words: []string{"傻逼"}, text: "煞笔", want: nil},
	{name: "two, itself and a homophone", words: []string{"傻逼"}, text: "傻笔", want: nil},
	{name: "two, exact", words: []string{"傻逼"}, text: "傻逼", want: []string{"傻逼"}, masked: "**"},
	{name: "one character", words: []string{"操"}, text: "cao 草 艹", want: nil},
	// Whole syllables and the word-boundary rule.
	{name: "partial syllable", words: []string{"法轮功"}, text: "falungon", want: nil},
	{name: "glued before", words: []string{"法轮功"}, text: "xfalungong", want: nil},
	{name: "glued after", words: []string{"法轮功"}, text: "falungongs", want: nil},
	{name: "glued digit", words: []string{"法轮功"}, text: "falungong8", want: nil},
	// The scan's own reading of what stays pending (scan.go, pyScan):
	// runs of letters and digits the reading passes over, and the breaks.
	{name: "after a run of letters", words: []string{"法轮功"}, text: "abc falungong", want: []string{"falungong~"}},
	{name: "after a run of digits", words: []string{"法轮功"}, text: "123 fa lun gong", want: []string{"fa lun gong~"}},
	{name: "glued to a run of digits", words: []string{"法轮功"}, text: "123falungong", want: nil},
	{name: "runs then characters", words: []string{"法轮功"}, text: "ok 12 ab 发轮gong", want: []string{"发轮gong~"}},
	{name: "three separators between characters", words: []string{"法轮功"}, text: "发 轮   功", want: []string{"发 轮   功~"}},
	{name: "four separators before the third character", words: []string{"法轮功"}, text: "发 轮    功", want: nil},
	{name: "four separators between characters, then again", words: []string{"法轮功"}, text: "发    轮功发轮功", want: []string{"发轮功~"}},
	{name: "clause punctuation between characters", words: []string{"法轮功"}, text: "发轮，功", want: nil},
	{name: "kana between", words: []string{"法轮功"}, text: "发轮の功", want: nil},
	{name: "after a kana", words: []string{"法轮功"}, text: "の发轮功", want: []string{"发轮功~"}},
	{name: "tone digits are not read", words: []string{"法轮功"}, text: "fa3lun2gong1", want: nil},
	{name: "glued to a character", words: []string{"法轮功"}, text: "我falungong了", want: []string{"falungong~"}},
	{name: "four separators", words: []string{"法轮功"}, text: "fa    lungong", want: nil},
	{name: "four separators between characters", words: []string{"法轮功"}, text: "发    轮功", want: nil},
	{name: "clause between characters", words: []string{"法轮功"}, text: "发，轮，功", want: nil},
	{name: "clause between letters", words: []string{"法轮功"}, text: "fa,lun,gong", want: []string{"fa,lun,gong~"}},
	{name: "clause between character and letters", words: []string{"法轮功"}, text: "发，lun，功", want: []string{"发，lun，功~"}},
	{name: "another word between", words: []string{"法轮功"}, text: "发轮x功", want: nil},
	{name: "invalid byte", words: []string{"法轮功"}, text: "发轮\xff功", want: nil},
	{name: "invisible", words: []string{"法轮功"}, text: "发\u200b轮功", want: []string{"发\u200b轮功~"}},
	// Ambiguous spellings, ü, interjections.
	{name: "xian as xi an", words: []string{"西安"}, text: "西an", want: []string{"西an~"}},
	{name: "xian as xian", words: []string{"先生"}, text: "xian生", want: []string{"xian生~"}},
	{name: "xian both", words: []string{"西安", "先生"}, text: "xian生 xi安", want: []string{"xian生~", "xi安~"}},
	{name: "u umlaut as v", words: []string{"绿色"}, text: "lv色", want: []string{"lv色~"}},
	{name: "u umlaut as u", words: []string{"绿色"}, text: "lu色", want: []string{"lu色~"}},
	{name: "u umlaut as itself", words: []string{"绿色"}, text: "lü色", want: []string{"lü色~"}},
	{name: "u umlaut with a tone", words: []string{"绿色"}, text: "lǜ色", want: []string{"lǜ色~"}},
	{name: "interjection not in latin", words: []string{"嗯嗯嗯"}, text: "ng ng ng", want: nil},
	{name: "interjection character", words: []string{"嗯哼嗯"}, text: "嗯hng嗯", want: nil},
	// Heteronyms: every reading of the word's characters, the first of the text's.
	{name: "heteronym hang", words: []string{"银行"}, text: "银hang", want: []string{"银hang~"}},
	{name: "heteronym xing", words: []string{"银行"}, text: "银xing", want: []string{"银xing~"}},
	{name: "heteronym homophone", words: []string{"银行卡"}, text: "银航卡", want: []string{"银航卡~"}},
	{name: "heteronym itself", words: []string{"银行卡"}, text: "音行卡", want: []string{"音行卡~"}},
	{name: "text read by its first reading", words: []string{"聊什么"}, text: "了什么", want: nil},
	{name: "text first reading matches", words: []string{"聊什么"}, text: "辽什么", want: []string{"辽什么~"}},
	// Choosing, actions, allow phrases.
	{name: "review not masked", words: []string{"block:法轮功"}, text: "发轮功", want: []string{"发轮功~"}},
	{name: "pinyin-action same", words: []string{"block:法轮功"}, text: "发轮功", want: []string{"发轮功~"}, masked: "***", same: true},
	{name: "exact wins a tie", words: []string{"法轮功", "发轮功"}, text: "发轮功", want: []string{"发轮功"}, masked: "***"},
	{name: "longer pinyin wins", words: []string{"轮功", "法轮功"}, text: "发轮功", want: []string{"发轮功~"}},
	{name: "earlier pinyin wins", words: []string{"轮功学", "法轮功"}, text: "发轮功学", want: []string{"发轮功~"}},
	{name: "allow covers pinyin", words: []string{"法轮功"}, allow: []string{"发轮功"}, text: "发轮功", want: nil},
	{name: "allow read with pinyin", words: []string{"轮功"}, allow: []string{"法轮功"}, text: "发轮功", want: nil},
	{name: "category without pinyin", words: []string{"plain:法轮功"}, text: "发轮功 falungong", want: nil},
	{name: "category without pinyin, exact", words: []string{"plain:法轮功"}, text: "法轮功", want: []string{"法轮功"}, masked: "***"},
	{name: "mixed word not read", words: []string{"a片"}, text: "a骗", want: nil},
	{name: "latin word untouched", words: []string{"fa"}, text: "发 fa", want: []string{"fa"}, masked: "发 **"},
	{name: "separator in word", words: []string{"法轮 功"}, text: "发轮功 发轮 功", want: []string{"发轮 功~"}},
}

// pyCaseWords parses the words of a case: "plain:" puts a word in a
// category without readings, an action prefix sets its action.
func pyCaseWords(ws []string) []filter.Word {
	var out []filter.Word
	for _, w := range ws {
		cat := "test"
		if rest, ok := strings.CutPrefix(w, "plain:"); ok {
			cat, w = "plain", rest
		}
		word := parseWords([]string{w})[0]
		word.Category = cat
		out = append(out, word)
	}
	return out
}

func TestPinyinCases(t *testing.T) {
	names := map[string]bool{}
	for _, c := range pyCases {
		if names[c.name] {
			t.Errorf("duplicate case name %q", c.name)
		}
		names[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			for _, dense := range []bool{false, true} {
				for _, settle := range []int{0, 1} {
					for _, pad := range []string{"", "~~ "} {
						runPyCase(t, c, dense, settle, pad)
					}
				}
			}
		})
	}
}

func runPyCase(t *testing.T, c pyCase, dense bool, settle int, pad string) {
	t.Helper()
	words := pyCaseWords(c.words)
	pol := filter.Policy{Readings: filter.AllReadings, PinyinReview: !c.same}
	cats := map[string]filter.Policy{"plain": {}}
	opts := filter.WithEngine(filter.Options{Allow: c.allow, Policy: pol, Categories: cats}, dense)
	if settle > 0 {
		opts = filter.WithSettleAt(opts, settle)
	}
	m, err := filter.Compile(words, opts)
	if err != nil {
		t.Fatal(err)
	}
	where := fmt.Sprintf("dense=%v settle=%d pad=%q", dense, settle, pad)
	text := pad + c.text + pad
	res := m.Filter(nil, text)
	var got []string
	for _, mt := range res.Matches {
		s := text[mt.Start:mt.End]
		switch mt.Via {
		case 0:
		case filter.ReadPinyin:
			s += "~"
		default:
			s += "~" + mt.Via.String()
		}
		got = append(got, s)
	}
	if !slices.Equal(got, c.want) {
		t.Fatalf("%s: Filter(%q) matches %q, want %q", where, text, got, c.want)
	}
	masked := c.text
	if c.masked != "" {
		masked = c.masked
	}
	if want := pad + masked + pad; res.Text != want {
		t.Fatalf("%s: Filter(%q).Text = %q, want %q", where, text, res.Text, want)
	}
	for _, mt := range res.Matches {
		want := m.Word(mt.Word).Action
		if mt.Via != 0 && !c.same {
			want = filter.Review
		}
		if got := m.ActionOf(mt); got != want {
			t.Fatalf("%s: ActionOf(%v) = %v, want %v", where, mt, got, want)
		}
	}
	if got := m.Contains(text); got != (len(c.want) > 0) {
		t.Fatalf("%s: Contains(%q) = %v", where, text, got)
	}
	// The reference models the pinyin reading alone: compare when the
	// case needs no other reading (it has no repeats, leet or
	// look-alikes).
	mp := filter.MustCompile(words, filter.Options{Allow: c.allow, Policy: filter.Policy{Readings: filter.ReadPinyin, PinyinReview: !c.same}, Categories: cats})
	if ref, got := newPyRef(words, c.allow, filter.Policy{Readings: filter.ReadPinyin, PinyinReview: !c.same}, cats).matches(text), mp.AppendMatches(nil, text); !slices.Equal(ref, got) {
		t.Fatalf("%s: %q: reference %v, engine (pinyin only) %v", where, text, ref, got)
	}
}
