package pinyin_test

import (
	"fmt"

	"github.com/wordfilter/wordfilter/internal/pinyin"
)

func ExampleReadings() {
	for _, r := range "法轮功行绿a" {
		fmt.Printf("%c %v\n", r, pinyin.Readings(r))
	}
	// Output:
	// 法 [fa]
	// 轮 [lun]
	// 功 [gong]
	// 行 [xing hang heng]
	// 绿 [lü lu]
	// a []
}

func ExampleSegmentations() {
	for _, s := range []string{"xian", "lvse", "falungongs"} {
		fmt.Println(s, pinyin.Segmentations(s))
	}
	// Output:
	// xian [[xi a n] [xi an] [xia n] [xian]]
	// lvse [[lü se]]
	// falungongs []
}

// A scanner reads a run of letters as pinyin with a set of live states:
// each letter steps them all, and where a syllable ends Start joins the set
// for the next one. This one skips the interjections (m, n, ...) and
// reports each syllable where it ends; the text is whole pinyin when Start
// is live after the last letter.
func ExampleState() {
	text := "caonima"
	live := []pinyin.State{pinyin.Start()}
	for i := range len(text) {
		var next []pinyin.State
		ended := false
		for _, st := range live {
			n, ok := st.Next(text[i])
			if !ok {
				continue
			}
			next = append(next, n)
			for _, s := range n.Ends() {
				if !s.Interjection() {
					fmt.Printf("%s ends at %d\n", s, i+1)
					ended = true
				}
			}
		}
		if ended {
			next = append(next, pinyin.Start())
		}
		live = next
	}
	fmt.Println("whole:", len(live) > 0 && live[len(live)-1] == pinyin.Start())
	// Output:
	// ca ends at 2
	// cao ends at 3
	// o ends at 3
	// ni ends at 5
	// ma ends at 7
	// whole: true
}
