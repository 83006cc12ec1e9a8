package server

import (
	"bytes"
	"strings"
	"testing"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/filter"
)

// noDict is a Source that never has a dictionary.
type noDict struct{}

func (noDict) Current() *dict.Dictionary         { return nil }
func (noDict) Reload() (*dict.Dictionary, error) { return nil, nil }
func (noDict) LastError() string                 { return "" }

// TestMatchCounterVia checks the via label of wordfilter_matches_total:
// "none" or the readings in their fixed order, one series per set, each
// match counted once; and that counting a seen (category, via) allocates
// nothing.
func TestMatchCounterVia(t *testing.T) {
	m := newServerMetrics(noDict{})
	m.match("profanity", 0)
	m.match("profanity", filter.ReadLeet|filter.ReadRepeat)
	m.match("profanity", filter.ReadLeet)
	m.match(`odd"cat`, filter.ReadVariants)
	allocs := testing.AllocsPerRun(1000, func() {
		m.match("profanity", 0)
		m.match("profanity", filter.ReadRepeat|filter.ReadLeet)
	})
	if allocs != 0 {
		t.Errorf("counting a match allocates %.1f times, want 0", allocs)
	}
	// AllocsPerRun calls the function once more than asked, to warm up.
	var b bytes.Buffer
	m.set.WritePrometheus(&b)
	for _, line := range []string{
		`wordfilter_matches_total{category="profanity",via="none"} 1002`,
		`wordfilter_matches_total{category="profanity",via="repeat,leet"} 1002`,
		`wordfilter_matches_total{category="profanity",via="leet"} 1`,
		`wordfilter_matches_total{category="odd\"cat",via="variants"} 1`,
	} {
		if !strings.Contains(b.String(), line+"\n") {
			t.Errorf("metrics lack %s:\n%s", line, b.String())
		}
	}
	if n := strings.Count(b.String(), "wordfilter_matches_total{"); n != 4 {
		t.Errorf("%d match series, want 4 (one per category and set of readings seen)", n)
	}
}
