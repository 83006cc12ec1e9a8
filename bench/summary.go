package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"

	"github.com/wordfilter/wordfilter/bench/loadgen"
	"github.com/wordfilter/wordfilter/bench/report"
)

func goVersion() string { return runtime.Version() }

func numCPU() int { return runtime.NumCPU() }

// median returns the median of xs (the mean of the middle two for an even
// count), or 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func medianThroughput(rs []*loadgen.Result) float64 {
	return median(collect(rs, func(r *loadgen.Result) float64 { return r.Throughput() }))
}

func medianLatency(rs []*loadgen.Result, p float64) time.Duration {
	return time.Duration(median(collect(rs, func(r *loadgen.Result) float64 { return float64(r.Percentile(p)) })))
}

func collect(rs []*loadgen.Result, f func(*loadgen.Result) float64) []float64 {
	out := make([]float64, len(rs))
	for i, r := range rs {
		out[i] = f(r)
	}
	return out
}

// cpuPerReq returns the server CPU time per answered request of r, or
// false when it was not measured.
func (o *outcome) cpuPerReq(r *loadgen.Result) (time.Duration, bool) {
	c, ok := o.cpu[r]
	n := r.OK + r.ErrorCount()
	if !ok || n == 0 {
		return 0, false
	}
	return c / time.Duration(n), true
}

// medianCPU returns the median server CPU time per request of rs.
func (o *outcome) medianCPU(rs []*loadgen.Result) (time.Duration, bool) {
	var xs []float64
	for _, r := range rs {
		if c, ok := o.cpuPerReq(r); ok {
			xs = append(xs, float64(c))
		}
	}
	return time.Duration(median(xs)), len(xs) > 0
}

// us formats a CPU time per request in microseconds.
func us(d time.Duration, ok bool) string {
	if !ok {
		return "—"
	}
	return fmt.Sprintf("%.1f", float64(d)/float64(time.Microsecond))
}

// ms formats d in milliseconds with three decimals.
func ms(d time.Duration) string { return fmt.Sprintf("%.3f", float64(d)/float64(time.Millisecond)) }

// errText lists the error counts of r by kind, or "0".
func errText(errs map[string]int64) string {
	if len(errs) == 0 {
		return "0"
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(errs)) {
		parts = append(parts, fmt.Sprintf("%s %d", k, errs[k]))
	}
	return strings.Join(parts, ", ")
}

// resultTable is a markdown table with one line per run.
func resultTable(rs []*loadgen.Result) string {
	var b strings.Builder
	b.WriteString("| run | mode | req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | sent | ok | allow/mask/block | errors | generator lag p99 ms |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|\n")
	for _, r := range rs {
		mode := fmt.Sprintf("closed, %d conns", r.Conns)
		if r.Rate > 0 {
			mode = fmt.Sprintf("open, %.0f req/s", r.Rate)
		}
		lag := "—"
		if r.Lag != nil && r.Lag.TotalCount() > 0 {
			lag = ms(time.Duration(r.Lag.ValueAtPercentile(99)) * time.Microsecond)
		}
		fmt.Fprintf(&b, "| %s | %s | %.0f | %s | %s | %s | %s | %s | %d | %d | %d/%d/%d | %s | %s |\n",
			r.Name, mode, r.Throughput(), ms(r.Percentile(50)), ms(r.Percentile(90)), ms(r.Percentile(99)),
			ms(r.Percentile(99.9)), ms(r.Max()), r.Sent, r.OK, r.Allowed, r.Modified, r.Blocked, errText(r.Errors), lag)
	}
	return b.String()
}

// timelineTable is a markdown table of r's timeline.
func timelineTable(r *loadgen.Result) string {
	var b strings.Builder
	b.WriteString("\n| from s | answers | errors | p50 ms | p99 ms | max ms |\n|---:|---:|---:|---:|---:|---:|\n")
	for _, w := range r.Timeline {
		fmt.Fprintf(&b, "| %g | %d | %d | %s | %s | %s |\n", w.Start.Seconds(), w.Count, w.Errors, ms(w.P50), ms(w.P99), ms(w.Max))
	}
	return b.String()
}

// merged returns one histogram holding every run's latencies.
func merged(rs []*loadgen.Result) *hdrhistogram.Histogram {
	if len(rs) == 0 {
		return nil
	}
	h := rs[0].Hist.Clone()
	for _, r := range rs[1:] {
		h.Merge(r.Hist)
	}
	return h
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

// summary renders the outcome as markdown.
func summary(o *outcome) string {
	rc := o.cfg
	var b strings.Builder
	fmt.Fprintf(&b, "# wordfilter HTTP load comparison\n\n")
	fmt.Fprintf(&b, "Run at %s for %s. Machine: %d CPUs (%s), kernel %s, %s, load average at start %s; "+
		"the load generator used %d CPUs (GOMAXPROCS %d). "+
		"Load generator and servers share this machine; every figure is loopback HTTP/1.1 with keep-alive.\n\n",
		o.started.UTC().Format(time.RFC3339), time.Since(o.started).Round(time.Second), o.env.MachineCPUs, o.env.CPUModel,
		o.env.Kernel, o.env.GoVersion, o.env.LoadAvg, o.env.CPUs, runtime.GOMAXPROCS(0))
	fmt.Fprintf(&b, "| setting | value |\n|---|---|\n")
	fmt.Fprintf(&b, "| requests | %d distinct bodies, mix `%s` (%s) |\n", sumKinds(o.kinds), rc.mix, kindsText(o.kinds))
	fmt.Fprintf(&b, "| messages from | %s |\n", strings.Join(o.corpus, ", "))
	fmt.Fprintf(&b, "| dictionary | `%s` (wordfilter and naive) |\n", rc.dict)
	fmt.Fprintf(&b, "| runs | %d rounds × (closed loop %s with %d connections, then fixed rate %s), warm-up %s |\n",
		rc.repeat, rc.load.duration, rc.load.conns, rc.load.duration, rc.warmup)
	fmt.Fprintf(&b, "| pinning | %s |\n\n", pinText(o))

	for _, src := range slices.Sorted(maps.Keys(o.dropped)) {
		d := o.dropped[src]
		fmt.Fprintf(&b, "`%s`: %d lines that `wordfilter validate` refuses were left out of the copy the servers load, so that wordfilter accepts it: %s\n\n",
			src, len(d), strings.Join(d[:min(len(d), 5)], "; "))
	}
	names := slices.Sorted(maps.Keys(o.peak))
	slices.SortFunc(names, func(a, c string) int { return targetRank(a) - targetRank(c) })
	for _, name := range slices.Sorted(maps.Keys(o.failed)) {
		fmt.Fprintf(&b, "**%s was not measured:** %s\n\n", name, strings.ReplaceAll(o.failed[name], "\n", " "))
	}

	b.WriteString("## Peak throughput (closed loop)\n\n")
	b.WriteString("| server | median req/s | runs req/s | median p50 ms | median p99 ms | errors | server CPU µs/req | peak RSS |\n|---|---:|---|---:|---:|---|---:|---:|\n")
	for _, n := range names {
		rs := o.peak[n]
		var runs []string
		errs := map[string]int64{}
		for _, r := range rs {
			runs = append(runs, fmt.Sprintf("%.0f", r.Throughput()))
			for k, v := range r.Errors {
				errs[k] += v
			}
		}
		rss := "—"
		if v, ok := o.rss[n]; ok {
			rss = mib(v)
		}
		fmt.Fprintf(&b, "| %s | %.0f | %s | %s | %s | %s | %s | %s |\n", n, medianThroughput(rs), strings.Join(runs, ", "),
			ms(medianLatency(rs, 50)), ms(medianLatency(rs, 99)), errText(errs), us(o.medianCPU(rs)), rss)
	}
	b.WriteString("\n")
	if wf := o.peak[tWordfilter]; len(wf) > 0 {
		b.WriteString("| ratio | of median throughputs | per round | of server CPU per request (theirs ÷ wordfilter's) |\n|---|---:|---|---:|\n")
		for _, other := range []string{tCeiling, tNaive} {
			ot := o.peak[other]
			if len(ot) == 0 {
				continue
			}
			var per []string
			for i := range min(len(wf), len(ot)) {
				per = append(per, fmt.Sprintf("%.2f", wf[i].Throughput()/ot[i].Throughput()))
			}
			byCPU := "—"
			cw, okW := o.medianCPU(wf)
			co, okO := o.medianCPU(ot)
			if okW && okO && cw > 0 {
				byCPU = fmt.Sprintf("%.2f×", float64(co)/float64(cw))
			}
			fmt.Fprintf(&b, "| wordfilter / %s | %.2f× | %s | %s |\n", other, medianThroughput(wf)/medianThroughput(ot), strings.Join(per, ", "), byCPU)
		}
		b.WriteString("\nServer CPU per request is the user + system CPU time of the server process during the run (from /proc/PID/stat, 10 ms ticks) divided by the requests answered: it is less disturbed by other tenants than throughput, since it counts only the server's own work (the load generator's share of the CPU does not enter it).\n\n")
	}

	if len(o.fixed) > 0 {
		fmt.Fprintf(&b, "## Latency at a fixed rate of %.0f req/s (%s), open loop\n\n", o.rate, o.rateFrom)
		b.WriteString("Each request has a scheduled send time. A request that had to wait for a free connection is timed from its scheduled time, so a server that falls behind is charged for the wait (no coordinated omission); a request the generator slept for is timed from when it woke, because Go timers wake up to ~1 ms late on a busy machine and that lateness is the generator's, not the server's (it is listed as generator lag under Every run). Medians over the rounds.\n\n")
		b.WriteString("| server | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | ok | errors | server CPU µs/req |\n|---|---:|---:|---:|---:|---:|---:|---|---:|\n")
		for _, n := range names {
			rs := o.fixed[n]
			var ok int64
			errs := map[string]int64{}
			var mx time.Duration
			for _, r := range rs {
				ok += r.OK
				mx = max(mx, r.Max())
				for k, v := range r.Errors {
					errs[k] += v
				}
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %d | %s | %s |\n", n, ms(medianLatency(rs, 50)), ms(medianLatency(rs, 90)),
				ms(medianLatency(rs, 99)), ms(medianLatency(rs, 99.9)), ms(mx), ok, errText(errs), us(o.medianCPU(rs)))
		}
		b.WriteString("\n")
	}

	if ro := o.reload; ro != nil {
		fmt.Fprintf(&b, "## Reload under load\n\n")
		fmt.Fprintf(&b, "wordfilter restarted, then %s at %.0f req/s while `zh.txt` in its dictionary folder was replaced by rename every %s, alternating `%s` and `%s`.\n\n",
			rc.reloadDuration, o.reloadRate, rc.reloadEvery, rc.dict, rc.reloadDict)
		if ro.err != "" {
			fmt.Fprintf(&b, "**Reload run failed:** %s\n\n", strings.ReplaceAll(ro.err, "\n", " "))
		}
		if r := ro.res; r != nil {
			fmt.Fprintf(&b, "| swaps | version changes seen | versions seen | errors | p50 ms | p99 ms | p99.9 ms | max ms | worst %s p99 ms | server CPU µs/req | peak RSS |\n|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|\n", reloadWindow)
			fmt.Fprintf(&b, "| %d | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s |\n\n", ro.swaps, ro.changes, ro.versions, errText(r.Errors),
				ms(r.Percentile(50)), ms(r.Percentile(99)), ms(r.Percentile(99.9)), ms(r.Max()), ms(r.WorstWindowP99()),
				us(o.cpuPerReq(r)), mib(ro.rss))
			if ro.lastError != "" {
				fmt.Fprintf(&b, "**wordfilter reported a reload error:** %s\n\n", strings.ReplaceAll(ro.lastError, "\n", " "))
			}
			if ro.pollErrs > 0 {
				fmt.Fprintf(&b, "GET /v1/dict failed %d times while polling the version.\n\n", ro.pollErrs)
			}
			fmt.Fprintf(&b, "Each %s of the reload run (a swap happens every %s):\n", reloadWindow, rc.reloadEvery)
			b.WriteString(timelineTable(r))
			b.WriteString("\n")
		}
	}

	b.WriteString("## Every run\n\n")
	var all []*loadgen.Result
	for _, n := range names {
		all = append(all, o.peak[n]...)
	}
	for _, n := range names {
		all = append(all, o.fixed[n]...)
	}
	if o.reload != nil && o.reload.res != nil {
		all = append(all, o.reload.res)
	}
	b.WriteString(resultTable(all))
	b.WriteString("\nPeak RSS is VmHWM of the server process from /proc/PID/status after its runs.\n")
	return b.String()
}

// pinText describes where the processes ran, and their GOMAXPROCS.
func pinText(o *outcome) string {
	rc := o.cfg
	if rc.serverCPUs == "" && rc.clientCPUs == "" {
		why := "-pin=false"
		if rc.pin {
			why = rc.noPin
		}
		return "none (" + why + "): the OS schedules all processes over every CPU"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "servers on CPUs `%s`, load generator on CPUs `%s` (taskset", orAll(rc.serverCPUs), orAll(rc.clientCPUs))
	if rc.autoPinned {
		b.WriteString("; the default: lower half of the CPUs to the load generator, upper half to the servers; -pin=false to share them")
	}
	fmt.Fprintf(&b, "). Go sizes GOMAXPROCS from the CPU set a process starts with (GOMAXPROCS is removed from the pinned processes' environment): load generator GOMAXPROCS %d", runtime.GOMAXPROCS(0))
	for _, name := range slices.Sorted(maps.Keys(o.procs)) {
		pi := o.procs[name]
		if pi.cpus == "" {
			continue
		}
		fmt.Fprintf(&b, "; %s on CPUs `%s`", name, pi.cpus)
		if pi.gomaxprocs > 0 {
			fmt.Fprintf(&b, " with GOMAXPROCS %d (its go_gomaxprocs)", pi.gomaxprocs)
		}
	}
	return b.String()
}

func orAll(s string) string {
	if s == "" {
		return "all"
	}
	return s
}

func targetRank(name string) int {
	switch name {
	case tWordfilter:
		return 0
	case tCeiling:
		return 1
	}
	return 2
}

func sumKinds(k map[string]int) int {
	n := 0
	for _, v := range k {
		n += v
	}
	return n
}

func kindsText(k map[string]int) string {
	var parts []string
	for _, name := range slices.Sorted(maps.Keys(k)) {
		parts = append(parts, fmt.Sprintf("%s %d", name, k[name]))
	}
	return strings.Join(parts, ", ")
}

// jsonRun is one run in results.json.
type jsonRun struct {
	Name       string           `json:"name"`
	Rate       float64          `json:"rate,omitempty"`
	Conns      int              `json:"conns"`
	Throughput float64          `json:"throughput"`
	Sent       int64            `json:"sent"`
	OK         int64            `json:"ok"`
	Allowed    int64            `json:"allowed"`
	Modified   int64            `json:"modified"`
	Blocked    int64            `json:"blocked"`
	Errors     map[string]int64 `json:"errors"`
	LatencyUs  map[string]int64 `json:"latencyUs"`
	CPUUsReq   float64          `json:"serverCpuUsPerRequest,omitempty"`
}

func (o *outcome) toJSONRun(r *loadgen.Result) jsonRun {
	lat := map[string]int64{}
	for _, p := range []float64{50, 90, 99, 99.9, 100} {
		lat[fmt.Sprintf("p%g", p)] = int64(r.Percentile(p) / time.Microsecond)
	}
	var cpu float64
	if c, ok := o.cpuPerReq(r); ok {
		cpu = float64(c) / float64(time.Microsecond)
	}
	return jsonRun{r.Name, r.Rate, r.Conns, r.Throughput(), r.Sent, r.OK, r.Allowed, r.Modified, r.Blocked, r.Errors, lat, cpu}
}

// writeResults writes summary.md, report.html, the SVG charts and
// results.json into the -out folder and prints the summary.
func writeResults(o *outcome, stdout io.Writer, logf func(string, ...any)) error {
	md := summary(o)
	names := slices.Sorted(maps.Keys(o.peak))
	slices.SortFunc(names, func(a, c string) int { return targetRank(a) - targetRank(c) })
	var peakS, fixedS []report.Series
	for _, n := range names {
		peakS = append(peakS, report.Series{Name: n, Hist: merged(o.peak[n])})
		if len(o.fixed[n]) > 0 {
			fixedS = append(fixedS, report.Series{Name: n, Hist: merged(o.fixed[n])})
		}
	}
	if o.reload != nil && o.reload.res != nil {
		name := "wordfilter, reloading"
		if o.reloadRate != o.rate {
			name = fmt.Sprintf("wordfilter, reloading, at %.0f req/s", o.reloadRate)
		}
		fixedS = append(fixedS, report.Series{Name: name, Hist: o.reload.res.Hist})
	}
	var charts []report.Chart
	if len(fixedS) > 0 {
		c := report.Chart{Title: fmt.Sprintf("Latency at %.0f req/s (open loop)", o.rate), SVG: report.SVG(fmt.Sprintf("latency at a fixed %.0f req/s", o.rate), fixedS)}
		charts = append(charts, c)
		if _, err := report.WriteFile(o.cfg.out, "latency-fixed.svg", c.SVG); err != nil {
			return err
		}
	}
	if ro := o.reload; ro != nil && ro.res != nil && len(ro.res.Timeline) > 0 {
		var pts []report.TimePoint
		for _, w := range ro.res.Timeline {
			pts = append(pts, report.TimePoint{At: w.Start, P50: w.P50, P99: w.P99, Max: w.Max})
		}
		var marks []time.Duration
		for _, at := range ro.swapped {
			marks = append(marks, at.Sub(ro.res.Start))
		}
		c := report.Chart{Title: "Latency during reloads (dashed: dictionary swaps)",
			SVG: report.TimelineSVG(fmt.Sprintf("wordfilter at %.0f req/s, dictionary swapped every %s", o.reloadRate, o.cfg.reloadEvery), pts, reloadWindow, marks)}
		charts = append(charts, c)
		if _, err := report.WriteFile(o.cfg.out, "latency-reload.svg", c.SVG); err != nil {
			return err
		}
	}
	c := report.Chart{Title: "Latency at peak (closed loop)", SVG: report.SVG(fmt.Sprintf("latency at peak, %d connections", o.cfg.load.conns), peakS)}
	charts = append(charts, c)
	if _, err := report.WriteFile(o.cfg.out, "latency-peak.svg", c.SVG); err != nil {
		return err
	}
	if _, err := report.WriteFile(o.cfg.out, "summary.md", []byte(md)); err != nil {
		return err
	}
	if _, err := report.WriteFile(o.cfg.out, "report.html", report.HTML("wordfilter HTTP load comparison", md, charts)); err != nil {
		return err
	}
	js := map[string]any{"started": o.started.UTC(), "rate": o.rate, "failed": o.failed, "peakRSS": o.rss}
	runs := map[string]map[string][]jsonRun{"peak": {}, "fixed": {}}
	for _, n := range names {
		for _, r := range o.peak[n] {
			runs["peak"][n] = append(runs["peak"][n], o.toJSONRun(r))
		}
		for _, r := range o.fixed[n] {
			runs["fixed"][n] = append(runs["fixed"][n], o.toJSONRun(r))
		}
	}
	js["runs"] = runs
	if ro := o.reload; ro != nil {
		rj := map[string]any{"rate": o.reloadRate, "swaps": ro.swaps, "versionChanges": ro.changes, "versions": ro.versions, "peakRSS": ro.rss,
			"error": ro.err, "reloadError": ro.lastError}
		if ro.res != nil {
			rj["run"] = o.toJSONRun(ro.res)
			rj["worstWindowP99Us"] = int64(ro.res.WorstWindowP99() / time.Microsecond)
		}
		js["reload"] = rj
	}
	jb, err := json.MarshalIndent(js, "", "  ")
	if err != nil {
		return fmt.Errorf("cannot encode results.json: %w", err)
	}
	if _, err := report.WriteFile(o.cfg.out, "results.json", jb); err != nil {
		return err
	}
	fmt.Fprint(stdout, md)
	logf("results in %s (summary.md, report.html, latency-*.svg, results.json)", o.cfg.out)
	return nil
}
