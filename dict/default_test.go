package dict_test

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/filter"
	"github.com/wordfilter/wordfilter/internal/shareddata"
)

// loadDefault compiles the embedded default dictionary or fails tb.
func loadDefault(tb testing.TB) *dict.Dictionary {
	tb.Helper()
	d, err := dict.Default(filter.Options{})
	if err != nil {
		tb.Fatalf("Default: %v", err)
	}
	return d
}

// TestDefaultCategories pins the categories of the default and their
// actions, as the README's dictionary section documents them.
func TestDefaultCategories(t *testing.T) {
	d := loadDefault(t)
	want := map[string]filter.Action{
		"abuse-zh": filter.Mask, "profanity-en": filter.Mask, "porn": filter.Mask,
		"slurs-en": filter.Block, "slurs-zh": filter.Block, "sex-services": filter.Block,
		"drugs": filter.Block, "gambling": filter.Block, "violence": filter.Block,
		"cult": filter.Block, "politics": filter.Block,
		"ads": filter.Review,
	}
	if len(d.Categories) != len(want) {
		t.Errorf("Default categories = %v, want those of %v", d.Categories, want)
	}
	actions := make(map[string]filter.Action)
	for i := range d.Matcher.Len() {
		w := d.Matcher.Word(i)
		if a, ok := actions[w.Category]; ok && a != w.Action {
			t.Fatalf("category %s has words with actions %s and %s", w.Category, a, w.Action)
		}
		actions[w.Category] = w.Action
	}
	for c, a := range want {
		if d.Categories[c] == 0 || actions[c] != a {
			t.Errorf("category %s: %d words, action %s; want some words, action %s", c, d.Categories[c], actions[c], a)
		}
	}
	if d.Matcher.Len() < 3000 || d.Matcher.AllowLen() < 90 {
		t.Errorf("Default holds %d words and %d allow phrases; want a few thousand words and the mined allow phrases", d.Matcher.Len(), d.Matcher.AllowLen())
	}
}

// TestDefaultCatchesChatAbuse checks that the default catches the common
// abuse of Chinese and English chat, each in the category and with the
// action documented, through Matcher.Filter.
func TestDefaultCatchesChatAbuse(t *testing.T) {
	m := loadDefault(t).Matcher
	for _, c := range []struct {
		text, category string
		decision       filter.Action
	}{
		{"你这个傻逼", "abuse-zh", filter.Mask},
		{"操你妈", "abuse-zh", filter.Mask},
		{"草泥马", "abuse-zh", filter.Mask},
		{"你妈死了", "abuse-zh", filter.Mask},
		{"nmsl", "abuse-zh", filter.Mask},
		{"NMSL!!", "abuse-zh", filter.Mask},
		{"王八蛋", "abuse-zh", filter.Mask},
		{"他妈的", "abuse-zh", filter.Mask},
		{"你是脑残吧", "abuse-zh", filter.Mask},
		{"死全家", "abuse-zh", filter.Mask},
		{"傻 逼", "abuse-zh", filter.Mask},
		{"傻*逼", "abuse-zh", filter.Mask},
		{"约炮吗", "sex-services", filter.Block},
		{"嫖娼", "sex-services", filter.Block},
		{"网络赌博", "gambling", filter.Block},
		{"百家乐", "gambling", filter.Block},
		{"出售冰毒", "drugs", filter.Block},
		{"支那", "slurs-zh", filter.Block},
		{"法轮功", "politics", filter.Block},
		{"观音法门", "cult", filter.Block},
		{"代开发票", "ads", filter.Review},
		{"fuck", "profanity-en", filter.Mask},
		{"what the FUCK", "profanity-en", filter.Mask},
		{"f.u.c.k", "profanity-en", filter.Mask},
		{"ｆｕｃｋ", "profanity-en", filter.Mask},
		{"shit happens", "profanity-en", filter.Mask},
		{"you bitch", "profanity-en", filter.Mask},
		{"asshole", "profanity-en", filter.Mask},
		{"motherfucker", "profanity-en", filter.Mask},
		{"stfu", "profanity-en", filter.Mask},
		{"faggot", "slurs-en", filter.Block},
		// The variant readings, on in the default.
		{"fuuuuck", "profanity-en", filter.Mask},
		{"sh1t", "profanity-en", filter.Mask},
		{"a$$hole", "profanity-en", filter.Mask},
		{"fu\u0441k", "profanity-en", filter.Mask},
		{"ƒüçķ", "profanity-en", filter.Mask},
		{"傻傻傻逼", "abuse-zh", filter.Mask},
		{"氵去轮功", "politics", filter.Block},
		{"弓虽女干", "porn", filter.Mask},
	} {
		r := m.Filter(nil, c.text)
		if r.Decision != c.decision || len(r.Matches) == 0 || m.Word(r.Matches[0].Word).Category != c.category {
			t.Errorf("Default.Filter(%q) = %s %+v, want %s in %s", c.text, r.Decision, r.Matches, c.decision, c.category)
		}
	}
}

// TestDefaultPassesEverydayText checks phrases that hold a word of the
// default (or looked like one in the mined corpora) and must pass.
func TestDefaultPassesEverydayText(t *testing.T) {
	m := loadDefault(t).Matcher
	for _, text := range []string{
		"大麻烦", "风流人物", "他问道", "你妈妈好吗", "我妈的意思是先别买", "婆婆妈妈的",
		"白色情人节快乐", "你们的具体位置在哪", "卖艺不卖身", "隔江犹唱后庭花", "我妈逼我相亲了",
		"我是闷骚女", "鸦片战争", "今晚去他妈家吃饭", "你全家都好吗", "下午十三点", "把卡插进去",
		"盘古开天地", "白色的粉墙", "索性交给你们", "我是来求包养的",
		"Scunthorpe", "assess the class", "a cocktail", "put a pen", "hard on your body",
		"T.T its different", "the Redskins won", "oh my god", "damn it", "Tall Blacks", "hello there",
		// Words whose doubled letters the repeat reading would read as a
		// listed word, and numbers.
		"a good cook", "what a noob", "swallow it", "sloppy", "rapping", "whoop", "1337", "404 not found",
		"女干部", "女马拉松比赛", "全身寸缕未着", "扌喿作",
	} {
		if r := m.Filter(nil, text); r.Decision != filter.Pass {
			ms := make([]string, len(r.Matches))
			for i, mt := range r.Matches {
				ms[i] = m.Word(mt.Word).Text
			}
			t.Errorf("Default.Filter(%q) = %s (%q), want pass", text, r.Decision, ms)
		}
	}
}

// TestDefaultFlagRate runs the default over the shared chat corpora and
// checks that the share of messages it flags (review, mask or block)
// stays under what was measured when it was built (go run ./dict/mine:
// en-chat 0.47%, zh-chat 0.09%, zh-long 0.83%, then 0.51% for en-chat
// with the variant readings) plus a margin. Messages flagged only through
// the pinyin reading, which reports them for review and never masks, have
// a ceiling of their own: 1% (the pinyin reading's target on chat);
// zh-long, a novel in an older Chinese, stands at 1.2%.
func TestDefaultFlagRate(t *testing.T) {
	dir := shareddata.Dir(t)
	m := loadDefault(t).Matcher
	for _, c := range []struct {
		file            string
		ceiling, pinyin float64 // percent
	}{
		{"en-chat.txt", 0.60, 1},
		{"zh-chat.txt", 0.20, 1},
		{"zh-long.txt", 1.00, 1.5},
	} {
		path := filepath.Join(dir, "corpus", c.file)
		f, err := os.Open(path)
		if err != nil {
			t.Skipf("corpus %s: %v", c.file, err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		var n, flagged, pinyinOnly int
		var ms []filter.Match
		for sc.Scan() {
			n++
			ms = m.AppendMatches(ms[:0], sc.Text())
			if !slices.ContainsFunc(ms, func(mt filter.Match) bool { return mt.Via&filter.ReadPinyin == 0 }) {
				if len(ms) > 0 {
					pinyinOnly++
				}
				continue
			}
			flagged++
		}
		f.Close()
		if err := sc.Err(); err != nil || n == 0 {
			t.Fatalf("reading %s: %d lines, %v", c.file, n, err)
		}
		rate, pyRate := 100*float64(flagged)/float64(n), 100*float64(pinyinOnly)/float64(n)
		t.Logf("%s: %d of %d messages flagged (%.2f%%), %d more only through pinyin (%.2f%%)", c.file, flagged, n, rate, pinyinOnly, pyRate)
		if rate > c.ceiling {
			t.Errorf("%s: the default flags %.2f%% of the messages, over the ceiling of %.2f%%: mine it (go run ./dict/mine) and fix the false positives", c.file, rate, c.ceiling)
		}
		if pyRate > c.pinyin {
			t.Errorf("%s: the default flags %.2f%% of the messages only through pinyin, over the ceiling of %.2f%%", c.file, pyRate, c.pinyin)
		}
	}
}
