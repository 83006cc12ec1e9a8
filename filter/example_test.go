package filter_test

import (
	"errors"
	"fmt"

	"github.com/wordfilter/wordfilter/filter"
)

func ExampleCompile() {
	m, err := filter.Compile([]filter.Word{
		{Text: "法轮功", Category: "politics", Action: filter.Block},
		{Text: "fuck", Category: "profanity", Action: filter.Mask},
	}, filter.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	res := m.Filter(nil, "F.U.C.K 法 輪 功")
	fmt.Println(res.Decision, res.Text)
	for _, mt := range res.Matches {
		w := m.Word(mt.Word)
		fmt.Printf("%s (%s, %v) at [%d,%d)\n", w.Text, w.Category, w.Action, mt.Start, mt.End)
	}
	// Output:
	// block ******* *****
	// fuck (profanity, mask) at [0,7)
	// 法轮功 (politics, block) at [8,19)
}

func ExampleCompile_error() {
	_, err := filter.Compile([]filter.Word{
		{Text: "ok", Action: filter.Mask},
		{Text: "\u200b", Action: filter.Mask},
		{Text: "fine", Action: filter.Pass},
	}, filter.Options{Allow: []string{"a\xffb"}})
	fmt.Println(err)
	var ce *filter.CompileError
	if errors.As(err, &ce) {
		for _, we := range ce.Words {
			fmt.Printf("allow %v, index %d, %q: %s\n", we.Allow, we.Index, we.Text, we.Code)
		}
	}
	// Output:
	// filter: 3 words refused: word "\u200b": nothing matchable left after normalisation; word "fine": invalid action (want review, mask or block); allow phrase "a\xffb": invalid UTF-8
	// allow false, index 1, "\u200b": nothing matchable left after normalisation
	// allow false, index 2, "fine": invalid action (want review, mask or block)
	// allow true, index 0, "a\xffb": invalid UTF-8
}

func ExampleMatcher_Replace() {
	m := filter.MustCompile([]filter.Word{{Text: "ass", Action: filter.Mask}, {Text: "sb", Action: filter.Mask}}, filter.Options{Mask: '#'})
	fmt.Println(m.Replace("a class act"))
	fmt.Println(m.Replace("you ass, 你是sb吗"))
	// Output:
	// a class act
	// you ###, 你是##吗
}

func ExampleMatcher_Contains() {
	m := filter.MustCompile([]filter.Word{{Text: "中共", Action: filter.Review}}, filter.Options{})
	fmt.Println(m.Contains("其中，共有三个"))
	fmt.Println(m.Contains("中 共"))
	// Output:
	// false
	// true
}

// Leftmost-longest: among matches starting first, the longest wins, and
// matches never overlap.
func ExampleMatcher_AppendMatches() {
	m := filter.MustCompile([]filter.Word{
		{Text: "法轮", Action: filter.Mask},
		{Text: "轮功", Action: filter.Mask},
		{Text: "中共", Action: filter.Mask},
		{Text: "中共党员", Action: filter.Mask},
	}, filter.Options{})
	text := "法轮功 中共党员"
	for _, mt := range m.AppendMatches(nil, text) {
		fmt.Println(text[mt.Start:mt.End])
	}
	// Output:
	// 法轮
	// 中共党员
}

// Allow phrases remove the matches they cover before the leftmost-longest
// choice, so another word overlapping them is still found.
func ExampleOptions_allow() {
	m := filter.MustCompile([]filter.Word{
		{Text: "penis", Action: filter.Mask},
		{Text: "法轮", Action: filter.Mask},
		{Text: "轮功", Action: filter.Mask},
	}, filter.Options{Allow: []string{"pen is", "法轮"}})
	fmt.Println(m.Replace("the pen is mightier; penis"))
	fmt.Println(m.Replace("法轮功"))
	// Output:
	// the pen is mightier; *****
	// 法**
}

func ExampleFold() {
	fmt.Println(filter.Fold("ＦＵＣＫ 𝐟𝐮𝐜𝐤 法輪功 ①\u200b"))
	// Output:
	// fuck fuck 法轮功 1
}

// A caller working on byte buffers (a fasthttp handler) can filter
// without allocating by reusing its slices.
func ExampleMatcher_AppendMasked() {
	m := filter.MustCompile([]filter.Word{
		{Text: "fuck", Action: filter.Mask},
		{Text: "中共", Action: filter.Review},
	}, filter.Options{})
	var ms []filter.Match
	var buf []byte
	for _, text := range []string{"hello", "中共 f*u*c*k"} {
		ms = m.AppendMatches(ms[:0], text)
		d := m.Decision(ms)
		out := text
		if d > filter.Review {
			buf = m.AppendMasked(buf[:0], text, ms)
			out = string(buf)
		}
		fmt.Println(d, out)
	}
	// Output:
	// pass hello
	// mask 中共 *******
}
