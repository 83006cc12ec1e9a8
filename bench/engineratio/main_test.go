package main

import (
	"errors"
	"io"
	"strings"
	"testing"
)

const roundOut = `goos: linux
goarch: amd64
pkg: github.com/wordfilter/wordfilter/filter
BenchmarkMessages/zh-large/wordfilter-2         	      43	  26594642 ns/op	 100.00 MB/s	       688.0 hits	   47699 B/op	     657 allocs/op
BenchmarkMessages/zh-large/cloudflare-2         	      10	  96594642 ns/op	  25.00 MB/s	       688.0 hits
BenchmarkMessages/en/wordfilter                 	      43	  26594642 ns/op	 150.00 MB/s
BenchmarkMessages/en/petar-8                    	      43	  26594642 ns/op	 100.00 MB/s
BenchmarkCompile/en-2                           	       1	   4295438 ns/op	 1.951 MB
PASS
`

func TestParse(t *testing.T) {
	rs := parse(roundOut, 3)
	want := []result{
		{"zh-large", "wordfilter", 3, 100},
		{"zh-large", "cloudflare", 3, 25},
		{"en", "wordfilter", 3, 150},
		{"en", "petar", 3, 100},
	}
	if len(rs) != len(want) {
		t.Fatalf("parse found %d results %v, want %v", len(rs), rs, want)
	}
	for i := range want {
		if rs[i] != want[i] {
			t.Errorf("result %d = %+v, want %+v", i, rs[i], want[i])
		}
	}
}

func TestReportRatiosPerRound(t *testing.T) {
	rs := []result{
		{"en", "wordfilter", 0, 100}, {"en", "cloudflare", 0, 50}, // 2.0
		{"en", "wordfilter", 1, 90}, {"en", "cloudflare", 1, 60}, // 1.5
		{"en", "wordfilter", 2, 200}, {"en", "cloudflare", 2, 80}, // 2.5
	}
	reportHas(t, rs,
		"| en | wordfilter | 100.0 |  |  |",
		"| en | cloudflare | 60.0 | 2.00× | 2.00, 1.50, 2.50 |")
}

// reportHas checks that the report of rs holds every line of want, and
// returns it.
func reportHas(t *testing.T, rs []result, want ...string) string {
	t.Helper()
	var b strings.Builder
	report(&b, rs)
	out := b.String()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("report lacks %q:\n%s", w, out)
		}
	}
	return out
}

// TestReportVariants: the other wordfilter engines get their own ratio
// to each baseline, round by round; wordfilter's table is unchanged.
func TestReportVariants(t *testing.T) {
	rs := []result{
		{"zh", "wordfilter", 0, 100}, {"zh", "wordfilter-nopinyin", 0, 150}, {"zh", "cloudflare", 0, 50},
		{"zh", "wordfilter", 1, 90}, {"zh", "wordfilter-nopinyin", 1, 120}, {"zh", "cloudflare", 1, 40},
	}
	out := reportHas(t, rs,
		"| zh | cloudflare | 45.0 | 2.12× | 2.00, 2.25 |",
		"| zh | wordfilter-nopinyin | cloudflare | 3.00× | 3.00, 3.00 |")
	if strings.Contains(out, "| zh | wordfilter-nopinyin | wordfilter |") {
		t.Errorf("report compares a wordfilter engine with another as a baseline:\n%s", out)
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{{[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := median(c.in); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-rounds", "0"}, {"-nope"}, {"extra"}} {
		err := run(args, io.Discard, io.Discard)
		var ue usageError
		if !errors.As(err, &ue) {
			t.Errorf("run(%q) = %v, want a usage error (exit 2)", args, err)
		}
	}
}
