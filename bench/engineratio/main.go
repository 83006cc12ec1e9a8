// Command engineratio measures the engine against the other Go matchers in
// rounds: each round runs every BenchmarkMessages leaf once, one after the
// other, so that wordfilter and the baselines of a round share the same
// moment of a noisy machine. It reports, per dictionary, the median MB/s of
// each engine and wordfilter's ratio to each baseline within every round,
// with the median of those ratios: the figure the engine targets are
// stated in.
//
//	go run ./bench/engineratio -rounds 5 -out bench/results/engine.txt
//
// The raw output of every round is written to -out (go test -bench format,
// which benchstat reads).
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "engineratio:", err)
		var ue usageError
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError is a bad command line (exit 2).
type usageError struct{ error }

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("engineratio", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rounds := fs.Int("rounds", 5, "rounds to run (each runs every benchmark once)")
	bench := fs.String("bench", "^BenchmarkMessages$", "benchmarks to run (go test -bench)")
	benchtime := fs.String("benchtime", "1s", "go test -benchtime of each benchmark in a round")
	pkg := fs.String("pkg", "./filter/", "package holding the benchmarks")
	out := fs.String("out", "", "file for the raw output of every round (empty: none)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if *rounds < 1 || fs.NArg() > 0 {
		return usageError{fmt.Errorf("want -rounds ≥ 1 and no arguments, got -rounds %d and %q", *rounds, fs.Args())}
	}
	tmp, err := os.MkdirTemp("", "engineratio")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "bench.test")
	build := exec.Command("go", "test", "-c", "-o", bin, *pkg)
	build.Stdout, build.Stderr = stderr, stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("building the benchmarks of %s: %w", *pkg, err)
	}
	var raw strings.Builder
	var results []result
	for r := range *rounds {
		cmd := exec.Command(bin, "-test.run=NONE", "-test.bench="+*bench, "-test.benchtime="+*benchtime, "-test.count=1", "-test.benchmem")
		cmd.Dir = *pkg // go test runs a test binary in its package folder
		cmd.Stderr = stderr
		o, err := cmd.Output()
		raw.Write(o)
		if err != nil {
			return fmt.Errorf("round %d: %w\n%s", r+1, err, o)
		}
		rs := parse(string(o), r)
		fmt.Fprintf(stderr, "round %d/%d: %d results\n", r+1, *rounds, len(rs))
		results = append(results, rs...)
	}
	if *out != "" {
		if err := os.WriteFile(*out, []byte(raw.String()), 0o644); err != nil {
			return err
		}
	}
	if len(results) == 0 {
		return fmt.Errorf("no BenchmarkMessages/<dict>/<engine> result with MB/s in the output (is ../shared/data there?)")
	}
	report(stdout, results)
	return nil
}

// result is one benchmark line of one round.
type result struct {
	dict, engine string
	round        int
	mbs          float64
}

var lineRE = regexp.MustCompile(`^BenchmarkMessages/([^/\s]+)/([^/\s]+?)(?:-\d+)?\s`)

// parse reads the MB/s of every BenchmarkMessages/<dict>/<engine> line of
// one round's output.
func parse(out string, round int) []result {
	var rs []result
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		m := lineRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		f := strings.Fields(line)
		for i := 1; i < len(f); i++ {
			if f[i] == "MB/s" {
				if v, err := strconv.ParseFloat(f[i-1], 64); err == nil {
					rs = append(rs, result{dict: m[1], engine: m[2], round: round, mbs: v})
				}
			}
		}
	}
	return rs
}

// report prints, per dictionary, the median MB/s of each engine and
// wordfilter's per-round ratio to each other engine; then each other
// wordfilter engine's ratio to each baseline.
func report(w io.Writer, rs []result) {
	type key struct{ dict, engine string }
	byRound := map[key]map[int]float64{}
	var dicts, engines []string
	for _, r := range rs {
		k := key{r.dict, r.engine}
		if byRound[k] == nil {
			byRound[k] = map[int]float64{}
		}
		byRound[k][r.round] = r.mbs
		if !slices.Contains(dicts, r.dict) {
			dicts = append(dicts, r.dict)
		}
		if !slices.Contains(engines, r.engine) {
			engines = append(engines, r.engine)
		}
	}
	fmt.Fprintln(w, "| dict | engine | median MB/s | wordfilter ÷ engine, median of rounds | per round |")
	fmt.Fprintln(w, "|---|---|---:|---:|---|")
	for _, d := range dicts {
		wf := byRound[key{d, "wordfilter"}]
		for _, e := range engines {
			runs := byRound[key{d, e}]
			if len(runs) == 0 {
				continue
			}
			var mbs []float64
			for _, v := range runs {
				mbs = append(mbs, v)
			}
			ratio, per := "", ""
			if e != "wordfilter" && len(wf) > 0 {
				if rats, cells := perRound(wf, runs); len(rats) > 0 {
					ratio = fmt.Sprintf("%.2f×", median(rats))
					per = strings.Join(cells, ", ")
				}
			}
			fmt.Fprintf(w, "| %s | %s | %.1f | %s | %s |\n", d, e, median(mbs), ratio, per)
		}
	}
	// The other wordfilter engines (wordfilter-plain, ...) against each
	// baseline, the same way.
	header := false
	for _, d := range dicts {
		for _, v := range engines {
			if !strings.HasPrefix(v, "wordfilter-") {
				continue
			}
			for _, b := range engines {
				if strings.HasPrefix(b, "wordfilter") {
					continue
				}
				rats, cells := perRound(byRound[key{d, v}], byRound[key{d, b}])
				if len(rats) == 0 {
					continue
				}
				if !header {
					fmt.Fprintln(w)
					fmt.Fprintln(w, "| dict | engine | ÷ baseline | median of rounds | per round |")
					fmt.Fprintln(w, "|---|---|---|---:|---|")
					header = true
				}
				fmt.Fprintf(w, "| %s | %s | %s | %.2f× | %s |\n", d, v, b, median(rats), strings.Join(cells, ", "))
			}
		}
	}
}

// perRound returns the ratios a/b of the rounds both ran, and each
// formatted.
func perRound(a, b map[int]float64) ([]float64, []string) {
	var rats []float64
	var cells []string
	for round := range max(maxRound(a), maxRound(b)) + 1 {
		x, okA := a[round]
		y, okB := b[round]
		if okA && okB && y > 0 {
			rats = append(rats, x/y)
			cells = append(cells, fmt.Sprintf("%.2f", x/y))
		}
	}
	return rats, cells
}

func maxRound(m map[int]float64) int {
	n := 0
	for r := range m {
		n = max(n, r)
	}
	return n
}

// median returns the median of xs (the mean of the middle two for an even
// count); xs must not be empty.
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
