package dict_test

import (
	"fmt"
	"strings"
	"testing/fstest"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/filter"
)

func ExampleParse() {
	entries, err := dict.Parse(strings.NewReader("\uFEFF# porn words\r\n  fuck \r\n\r\n\u200b\r\nfree money\r\n"))
	for _, e := range entries {
		fmt.Printf("line %d: %q\n", e.Line, e.Text)
	}
	fmt.Println(err)
	// Output:
	// line 2: "fuck"
	// line 5: "free money"
	// line 4: word "\u200b": nothing matchable left after normalisation
}

func ExampleParseFileName() {
	for _, name := range []string{"porn.txt", "politics.block.txt", "ads.Review.txt", "allow.txt", "en.allow.txt", "zh.variants.txt", "notes.md", "politics.blok.txt"} {
		k, ok, err := dict.ParseFileName(name)
		if err != nil {
			fmt.Println(name, err)
			continue
		}
		fmt.Println(name, k.Category, k.Action, k.Allow, k.Variants, ok)
	}
	// Output:
	// porn.txt porn mask false false true
	// politics.block.txt politics block false false true
	// ads.Review.txt ads review false false true
	// allow.txt allow pass true false true
	// en.allow.txt en pass true false true
	// zh.variants.txt zh pass false true true
	// notes.md  pass false false false
	// politics.blok.txt unknown suffix ".blok": a dictionary file is NAME.txt or NAME.<mask|block|review|allow|variants>.txt
}

func ExampleLoadFS() {
	folder := fstest.MapFS{
		"profanity.mask.txt": {Data: []byte("fuck\n")},
		"politics.block.txt": {Data: []byte("法轮功\n")},
		"bad/ads.review.txt": {Data: []byte("ok\n\u200d\n")},
	}
	_, err := dict.LoadFS(folder, "conf", filter.Options{})
	fmt.Println(dict.ErrorLines(err))

	delete(folder, "bad/ads.review.txt")
	d, err := dict.LoadFS(folder, "conf", filter.Options{})
	if err != nil {
		panic(err)
	}
	r := d.Matcher.Filter(nil, "what the fuck")
	fmt.Println(d.Matcher.Len(), d.Categories, r.Decision, r.Text)
	// Output:
	// [conf/bad/ads.review.txt:2: word "\u200d": nothing matchable left after normalisation]
	// 2 map[politics:1 profanity:1] mask what the ****
}
