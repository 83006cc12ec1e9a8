// Package report renders load-test results for people: self-contained SVG
// charts of latency against percentile (the HdrHistogram "percentile
// spectrum", tails stretched on a log axis) and of latency over time, and a
// self-contained HTML page
// that holds the summary tables and the charts, with no script and no
// external resource. Functions here are pure and safe for concurrent use.
package report

import (
	"fmt"
	"html"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// Series is one curve of a chart: a name and a latency histogram in
// microseconds (as loadgen.Result.Hist).
type Series struct {
	Name string
	Hist *hdrhistogram.Histogram
}

// palette colours the series in order.
var palette = []string{"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"}

// chart geometry.
const (
	width, height            = 760, 420
	left, right, top, bottom = 70, 170, 40, 50
	maxNines                 = 5.0 // x axis runs to 99.999%
)

// Point is one point of a percentile curve.
type Point struct {
	// Percentile is from 0 to 100.
	Percentile float64
	// Latency is the latency at Percentile.
	Latency time.Duration
}

// Curve returns the percentile spectrum of h: points at 0%, then evenly
// spaced in "nines" (90%, 99%, 99.9%, ...) up to 99.999% and the maximum.
func Curve(h *hdrhistogram.Histogram) []Point {
	if h == nil || h.TotalCount() == 0 {
		return nil
	}
	var pts []Point
	for k := 0.0; k <= maxNines+1e-9; k += 0.05 {
		p := 100 * (1 - math.Pow(10, -k))
		pts = append(pts, Point{p, time.Duration(h.ValueAtPercentile(p)) * time.Microsecond})
	}
	pts = append(pts, Point{100, time.Duration(h.Max()) * time.Microsecond})
	return pts
}

// nines maps a percentile to the x axis unit: 90% → 1, 99% → 2, ...
func nines(p float64) float64 {
	if p >= 100 {
		return maxNines
	}
	return math.Min(maxNines, -math.Log10(1-p/100))
}

// SVG returns a self-contained SVG chart of the series' percentile curves,
// latency on a log axis in milliseconds.
func SVG(title string, series []Series) []byte {
	c := chart{title: title, xLabel: "percentile"}
	for k, label := range []string{"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"} {
		c.xTicks = append(c.xTicks, tick{float64(k) / maxNines, label})
	}
	for _, s := range series {
		l := line{name: s.Name}
		for _, p := range Curve(s.Hist) {
			l.pts = append(l.pts, xy{nines(p.Percentile) / maxNines, p.Latency})
		}
		c.lines = append(c.lines, l)
	}
	return c.render()
}

// TimePoint is the latency summary of one slice of a run's timeline.
type TimePoint struct {
	// At is the start of the slice.
	At time.Duration
	// P50, P99 and Max are the slice's latencies.
	P50, P99, Max time.Duration
}

// TimelineSVG returns a self-contained SVG chart of p50, p99 and max
// latency over the run's time slices (log axis in milliseconds), with a
// dashed vertical line at each of marks (such as dictionary swaps).
func TimelineSVG(title string, pts []TimePoint, slice time.Duration, marks []time.Duration) []byte {
	c := chart{title: title, xLabel: "seconds into the run"}
	total := slice * time.Duration(len(pts))
	if total <= 0 {
		total = time.Second
	}
	pos := func(d time.Duration) float64 { return float64(d) / float64(total) }
	step := max(1, len(pts)/10)
	for i := 0; i <= len(pts); i += step {
		at := slice * time.Duration(i)
		c.xTicks = append(c.xTicks, tick{pos(at), trimFloat(at.Seconds())})
	}
	for _, m := range marks {
		if m >= 0 && m <= total {
			c.marks = append(c.marks, pos(m))
		}
	}
	p50, p99, mx := line{name: "p50"}, line{name: "p99"}, line{name: "max"}
	for _, p := range pts {
		mid := pos(p.At + slice/2)
		p50.pts = append(p50.pts, xy{mid, p.P50})
		p99.pts = append(p99.pts, xy{mid, p.P99})
		mx.pts = append(mx.pts, xy{mid, p.Max})
	}
	c.lines = []line{p50, p99, mx}
	return c.render()
}

// chart is a line chart with x from 0 to 1 and latency on a log y axis.
type chart struct {
	title, xLabel string
	xTicks        []tick
	lines         []line
	marks         []float64
}

type tick struct {
	pos   float64
	label string
}

type line struct {
	name string
	pts  []xy
}

type xy struct {
	x float64
	y time.Duration
}

// msOf returns d in milliseconds, at least 0.001 (for the log axis).
func msOf(d time.Duration) float64 { return math.Max(float64(d)/float64(time.Millisecond), 0.001) }

func (c chart) render() []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", width, height)
	fmt.Fprintf(&b, `<text x="%d" y="22" font-size="15" font-weight="bold">%s</text>`+"\n", left, html.EscapeString(c.title))
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, l := range c.lines {
		for _, p := range l.pts {
			lo, hi = math.Min(lo, msOf(p.y)), math.Max(hi, msOf(p.y))
		}
	}
	if math.IsInf(lo, 1) {
		lo, hi = 0.01, 1
	}
	logLo, logHi := math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
	if logHi <= logLo {
		logHi = logLo + 1
	}
	pw, ph := float64(width-left-right), float64(height-top-bottom)
	x := func(pos float64) float64 { return float64(left) + pos*pw }
	y := func(ms float64) float64 { return float64(top) + ph - (math.Log10(ms)-logLo)/(logHi-logLo)*ph }
	for e := logLo; e <= logHi; e++ {
		yy := y(math.Pow(10, e))
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>`+"\n", left, yy, width-right, yy)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end">%s ms</text>`+"\n", left-6, yy+4, trimFloat(math.Pow(10, e)))
	}
	for _, t := range c.xTicks {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>`+"\n", x(t.pos), top, x(t.pos), height-bottom)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", x(t.pos), height-bottom+16, html.EscapeString(t.label))
	}
	for _, m := range c.marks {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#999" stroke-dasharray="4 3"/>`+"\n", x(m), top, x(m), height-bottom)
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", float64(left)+pw/2, height-12, html.EscapeString(c.xLabel))
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.0f" height="%.0f" fill="none" stroke="#888"/>`+"\n", left, top, pw, ph)
	for i, l := range c.lines {
		col := palette[i%len(palette)]
		if len(l.pts) > 0 {
			pts := make([]string, len(l.pts))
			for k, p := range l.pts {
				pts[k] = fmt.Sprintf("%.1f,%.1f", x(p.x), y(msOf(p.y)))
			}
			fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`+"\n", col, strings.Join(pts, " "))
		}
		ly := top + 10 + 20*i
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="3"/>`+"\n", width-right+12, ly, width-right+32, ly, col)
		fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text>`+"\n", width-right+38, ly+4, html.EscapeString(l.name))
	}
	b.WriteString("</svg>\n")
	return []byte(b.String())
}

func trimFloat(f float64) string {
	s := fmt.Sprintf("%.3f", f)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

// Chart is one titled SVG for an HTML page.
type Chart struct {
	Title string
	SVG   []byte
}

// HTML returns a self-contained page: the markdown summary (headings,
// tables and paragraphs are rendered, anything else kept as text) followed
// by the charts inlined.
func HTML(title, markdown string, charts []Chart) []byte {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
	b.WriteString(html.EscapeString(title))
	b.WriteString("</title>\n<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;padding:0 1em}" +
		"table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}" +
		"th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}code{background:#f4f4f4}</style></head><body>\n")
	for _, c := range charts {
		fmt.Fprintf(&b, "<h2>%s</h2>\n", html.EscapeString(c.Title))
		b.Write(c.SVG)
	}
	b.WriteString(markdownHTML(markdown))
	b.WriteString("</body></html>\n")
	return []byte(b.String())
}

// markdownHTML renders the small markdown subset the summary uses.
func markdownHTML(md string) string {
	var b strings.Builder
	lines := strings.Split(md, "\n")
	inTable := false
	for _, line := range lines {
		t := strings.TrimSpace(line)
		if inTable && !strings.HasPrefix(t, "|") {
			b.WriteString("</table>\n")
			inTable = false
		}
		switch {
		case strings.HasPrefix(t, "|"):
			cells := strings.Split(strings.Trim(t, "|"), "|")
			if isRule(cells) {
				continue
			}
			tag := "td"
			if !inTable {
				b.WriteString("<table>\n")
				inTable, tag = true, "th"
			}
			b.WriteString("<tr>")
			for _, c := range cells {
				fmt.Fprintf(&b, "<%s>%s</%s>", tag, inline(strings.TrimSpace(c)), tag)
			}
			b.WriteString("</tr>\n")
		case strings.HasPrefix(t, "#"):
			level := len(t) - len(strings.TrimLeft(t, "#"))
			level = min(max(level, 1), 6)
			fmt.Fprintf(&b, "<h%d>%s</h%d>\n", level, inline(strings.TrimSpace(t[level:])), level)
		case t == "":
		default:
			fmt.Fprintf(&b, "<p>%s</p>\n", inline(t))
		}
	}
	if inTable {
		b.WriteString("</table>\n")
	}
	return b.String()
}

func isRule(cells []string) bool {
	for _, c := range cells {
		if strings.Trim(strings.TrimSpace(c), "-:") != "" {
			return false
		}
	}
	return true
}

// inline escapes s and renders `code` spans.
func inline(s string) string {
	parts := strings.Split(s, "`")
	for i := range parts {
		parts[i] = html.EscapeString(parts[i])
		if i%2 == 1 && i < len(parts)-1 {
			parts[i] = "<code>" + parts[i] + "</code>"
		}
	}
	return strings.Join(parts, "")
}

// WriteFile writes data to dir/name, creating dir, and returns the path.
func WriteFile(dir, name string, data []byte) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("report: cannot create %q: %w", dir, err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		return "", fmt.Errorf("report: cannot write %q: %w", p, err)
	}
	return p, nil
}
