package report_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"

	"github.com/wordfilter/wordfilter/bench/report"
)

func hist(from, to int64) *hdrhistogram.Histogram {
	h := hdrhistogram.New(1, 60_000_000, 3)
	for v := from; v <= to; v++ {
		h.RecordValue(v)
	}
	return h
}

// wellFormed fails t when b is not well-formed XML.
func wellFormed(t *testing.T, b []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, b)
		}
	}
}

func TestSVG(t *testing.T) {
	svg := report.SVG("latency <at> 1000 req/s", []report.Series{
		{Name: "wordfilter", Hist: hist(50, 400)},
		{Name: "naive & co", Hist: hist(500, 90000)},
		{Name: "empty", Hist: hdrhistogram.New(1, 1000, 2)},
	})
	wellFormed(t, svg)
	s := string(svg)
	if n := strings.Count(s, "<polyline"); n != 2 {
		t.Errorf("%d curves, want 2 (the empty series has none)", n)
	}
	for _, want := range []string{"wordfilter", "naive &amp; co", "empty", "latency &lt;at&gt;", "99.9%", "ms</text>"} {
		if !strings.Contains(s, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
}

func TestCurve(t *testing.T) {
	pts := report.Curve(hist(1, 1000))
	if len(pts) < 50 {
		t.Fatalf("%d points, want a smooth curve", len(pts))
	}
	if pts[0].Percentile != 0 || pts[len(pts)-1].Percentile != 100 || pts[len(pts)-1].Latency != time.Millisecond {
		t.Errorf("curve from %+v to %+v, want 0%% to 100%% = 1ms", pts[0], pts[len(pts)-1])
	}
	for i := 1; i < len(pts); i++ {
		if pts[i].Percentile < pts[i-1].Percentile || pts[i].Latency < pts[i-1].Latency {
			t.Fatalf("curve not monotonic at %d: %+v after %+v", i, pts[i], pts[i-1])
		}
	}
	if report.Curve(nil) != nil {
		t.Error("Curve(nil) is not empty")
	}
}

func TestHTMLAndWriteFile(t *testing.T) {
	md := "# Title\n\nSome `code` & text.\n\n| a | b |\n|---|---:|\n| x<y | 2 |\n\nafter\n"
	page := report.HTML("t", md, []report.Chart{{Title: "chart", SVG: report.SVG("c", []report.Series{{Name: "s", Hist: hist(1, 10)}})}})
	s := string(page)
	for _, want := range []string{"<h1>Title</h1>", "<code>code</code> &amp; text", "<th>a</th>", "<td>x&lt;y</td>", "<p>after</p>", "<svg", "<h2>chart</h2>"} {
		if !strings.Contains(s, want) {
			t.Errorf("HTML lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "<script") || strings.Contains(s, "http://") && !strings.Contains(s, `xmlns="http://www.w3.org/2000/svg"`) {
		t.Error("HTML is not self-contained")
	}
	dir := filepath.Join(t.TempDir(), "new", "folder")
	p, err := report.WriteFile(dir, "report.html", page)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(p)
	if err != nil || !bytes.Equal(got, page) {
		t.Errorf("WriteFile wrote %d bytes (%v), want %d", len(got), err, len(page))
	}
}

func TestTimelineSVG(t *testing.T) {
	pts := []report.TimePoint{
		{At: 0, P50: 200 * time.Microsecond, P99: time.Millisecond, Max: 3 * time.Millisecond},
		{At: time.Second, P50: 300 * time.Microsecond, P99: 40 * time.Millisecond, Max: 90 * time.Millisecond},
		{At: 2 * time.Second, P50: 250 * time.Microsecond, P99: 2 * time.Millisecond, Max: 5 * time.Millisecond},
	}
	svg := report.TimelineSVG("reloads", pts, time.Second, []time.Duration{time.Second, 2 * time.Second, time.Hour})
	wellFormed(t, svg)
	s := string(svg)
	if n := strings.Count(s, "<polyline"); n != 3 {
		t.Errorf("%d lines, want p50, p99 and max", n)
	}
	if n := strings.Count(s, "stroke-dasharray"); n != 2 {
		t.Errorf("%d swap marks, want 2 (the one past the end dropped)", n)
	}
	for _, want := range []string{">p99<", ">max<", "100 ms</text>", "0.1 ms</text>", "seconds into the run"} {
		if !strings.Contains(s, want) {
			t.Errorf("timeline SVG lacks %q", want)
		}
	}
}
