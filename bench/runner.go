package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wordfilter/wordfilter/bench/loadgen"
	"github.com/wordfilter/wordfilter/internal/shareddata"
)

// Target names.
const (
	tWordfilter = "wordfilter"
	tCeiling    = "ceiling"
	tNaive      = "naive"
)

// reloadWindow is the timeline slice of the reload run, short enough to
// show a swap's effect.
const reloadWindow = 250 * time.Millisecond

// pinnedEnv marks a process already re-executed under taskset.
const pinnedEnv = "WORDFILTER_BENCH_PINNED"

// runConfig is what the run flags hold.
type runConfig struct {
	load           loadFlags
	mix            loadgen.Mix
	out            string
	warmup         time.Duration
	repeat         int
	rate           float64
	targets        []string
	dict           string
	reloadDict     string
	reloadEvery    time.Duration
	reloadDuration time.Duration
	reloadRate     float64
	wordfilterBin  string
	serverCPUs     string
	clientCPUs     string
	// pin asks for the default split of the CPUs when neither list is
	// given; autoPinned tells that the lists come from it, noPin why it
	// was not possible.
	pin          bool
	autoPinned   bool
	noPin        string
	readyTimeout time.Duration
}

func parseRunFlags(args []string, stderr io.Writer) (*runConfig, error) {
	var rc runConfig
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	setUsage(fs, "bench [run] [flags]", "Measures wordfilter, the ceiling baseline and the naive baseline side by side: closed-loop peaks,\n"+
		"fixed-rate latency at half of wordfilter's peak, and wordfilter under load while its dictionary is\n"+
		"swapped. Writes summary.md, report.html, SVG charts and results.json into -out. Loopback only.")
	addLoadFlags(fs, &rc.load)
	fs.StringVar(&rc.out, "out", "bench/results", "folder for summary.md, report.html, the SVG charts and results.json")
	fs.DurationVar(&rc.warmup, "warmup", time.Second, "unmeasured closed-loop run before the first run of each server (0 for none)")
	fs.IntVar(&rc.repeat, "repeat", 5, "rounds of peak and fixed-rate runs (1 to 20); the summary gives medians")
	fs.Float64Var(&rc.rate, "rate", 0, "fixed rate in requests/s; 0 means half of wordfilter's median peak")
	targets := fs.String("targets", "wordfilter,ceiling,naive", "servers to measure, from wordfilter, ceiling, naive")
	fs.StringVar(&rc.dict, "dict", "", "dictionary file loaded by wordfilter and naive (default: ../shared/data dicts/zh-large.txt)")
	fs.StringVar(&rc.reloadDict, "reload-dict", "", "second dictionary file for the reload run (default: ../shared/data dicts/zh-xlarge.txt)")
	fs.DurationVar(&rc.reloadEvery, "reload-every", time.Second, "how often the reload run swaps the dictionary file")
	fs.DurationVar(&rc.reloadDuration, "reload-duration", 10*time.Second, "length of the reload-under-load run (0 skips it)")
	fs.Float64Var(&rc.reloadRate, "reload-rate", 0, "rate of the reload run in requests/s; 0 means the fixed rate of the other runs")
	fs.StringVar(&rc.wordfilterBin, "wordfilter-bin", "", "wordfilter binary to run (default: go build ./cmd/wordfilter into a temporary folder)")
	fs.StringVar(&rc.serverCPUs, "server-cpus", "", `CPU list for the servers, passed to "taskset -c" (e.g. "1"); empty: no pinning`)
	fs.StringVar(&rc.clientCPUs, "client-cpus", "", `CPU list for the load generator, passed to "taskset -c" (e.g. "0"); empty: no pinning`)
	fs.BoolVar(&rc.pin, "pin", true, "when neither -server-cpus nor -client-cpus is given and this process may use 2 CPUs or more, pin the load generator to the lower half of them and the servers to the upper half (taskset); -pin=false lets the OS schedule every process over every CPU")
	fs.DurationVar(&rc.readyTimeout, "ready-timeout", time.Minute, "how long a server may take to answer GET /readyz with 200")
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	mix, err := rc.load.check()
	if err != nil {
		return nil, err
	}
	rc.mix = mix
	for _, t := range strings.Split(*targets, ",") {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if t != tWordfilter && t != tCeiling && t != tNaive {
			return nil, usageErr("-targets: unknown server %q (known: wordfilter, ceiling, naive)", t)
		}
		if slices.Contains(rc.targets, t) {
			return nil, usageErr("-targets names %q twice", t)
		}
		rc.targets = append(rc.targets, t)
	}
	switch {
	case len(rc.targets) == 0:
		return nil, usageErr("-targets names no server")
	case rc.repeat < 1 || rc.repeat > 20:
		return nil, usageErr("-repeat must be from 1 to 20, not %d", rc.repeat)
	case rc.warmup < 0 || rc.warmup > time.Minute:
		return nil, usageErr("-warmup must be from 0 to 1m, not %s", rc.warmup)
	case rc.rate < 0 || rc.rate > loadgen.MaxRate:
		return nil, usageErr("-rate must be from 0 to %d, not %g", loadgen.MaxRate, rc.rate)
	case rc.reloadRate < 0 || rc.reloadRate > loadgen.MaxRate:
		return nil, usageErr("-reload-rate must be from 0 to %d, not %g", loadgen.MaxRate, rc.reloadRate)
	case rc.reloadDuration < 0 || rc.reloadDuration > loadgen.MaxDuration:
		return nil, usageErr("-reload-duration must be from 0 to %s, not %s", loadgen.MaxDuration, rc.reloadDuration)
	case rc.reloadEvery < 100*time.Millisecond:
		return nil, usageErr("-reload-every must be at least 100ms, not %s", rc.reloadEvery)
	case rc.readyTimeout <= 0:
		return nil, usageErr("-ready-timeout must be above 0, not %s", rc.readyTimeout)
	case rc.out == "":
		return nil, usageErr("-out must name a folder")
	}
	for _, c := range []struct{ flag, v string }{{"-server-cpus", rc.serverCPUs}, {"-client-cpus", rc.clientCPUs}} {
		if _, err := parseCPUList(c.v); c.v != "" && err != nil {
			return nil, usageErr("%s must be a CPU list such as 0 or 0-1 or 0,2, not %q", c.flag, c.v)
		}
	}
	rc.noPin = defaultPinning(&rc)
	if os.Getenv(pinnedEnv) == pinnedByAuto {
		rc.autoPinned = true // the parent chose the lists
	}
	if rc.dict == "" || (rc.reloadDict == "" && rc.reloadDuration > 0) {
		dir := shareddata.Find()
		if dir == "" {
			return nil, usageErr("no -dict / -reload-dict given and no ../shared/data found (or $%s)", shareddata.EnvVar)
		}
		if rc.dict == "" {
			rc.dict = filepath.Join(dir, "dicts", "zh-large.txt")
		}
		if rc.reloadDict == "" {
			rc.reloadDict = filepath.Join(dir, "dicts", "zh-xlarge.txt")
		}
	}
	for _, c := range []struct{ flag, path string }{{"-dict", rc.dict}, {"-reload-dict", rc.reloadDict}} {
		if c.path == "" {
			continue
		}
		if st, err := os.Stat(c.path); err != nil || !st.Mode().IsRegular() {
			return nil, usageErr("%s: %q is not a readable dictionary file", c.flag, c.path)
		}
	}
	return &rc, nil
}

// outcome is everything one invocation measured.
type outcome struct {
	cfg     *runConfig
	started time.Time
	corpus  []string
	kinds   map[string]int
	env     envInfo
	// failed holds, by target, why it could not be measured.
	failed map[string]string
	// peak and fixed hold each target's runs, one per round.
	peak, fixed map[string][]*loadgen.Result
	rate        float64
	rateFrom    string
	reloadRate  float64
	rss         map[string]int64
	// procs holds, by target, the CPU set and GOMAXPROCS of its process.
	procs  map[string]procInfo
	reload *reloadOutcome
	// cpu is the CPU time (user + system) each server process used during
	// each run.
	cpu map[*loadgen.Result]time.Duration
	// dropped lists, by dictionary file, the lines left out because
	// wordfilter validate refuses them.
	dropped map[string][]string
}

// reloadOutcome is what the reload-under-load run measured.
type reloadOutcome struct {
	res      *loadgen.Result
	swaps    int
	swapped  []time.Time // when each swap happened
	versions int         // distinct dictionary versions seen on GET /v1/dict
	changes  int         // times the version seen changed
	pollErrs int
	// lastError is the last non-empty lastError of GET /v1/dict.
	lastError string
	rss       int64
	err       string
}

// envInfo describes the machine for the summary.
type envInfo struct {
	GoVersion string
	// CPUs is the number of CPUs this process may use (after pinning).
	CPUs int
	// MachineCPUs is the number of CPUs of the machine.
	MachineCPUs int
	LoadAvg     string
	Kernel      string
	CPUModel    string
}

// runCmd is the whole comparison.
func runCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	rc, err := parseRunFlags(args, stderr)
	if err != nil {
		return err
	}
	if rc.clientCPUs != "" && os.Getenv(pinnedEnv) == "" {
		return reexecPinned(ctx, rc, args, stdout, stderr)
	}
	reqs, corpus, err := rc.load.requests(rc.mix)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "wordfilter-bench-")
	if err != nil {
		return fmt.Errorf("cannot create a temporary folder: %w", err)
	}
	defer os.RemoveAll(tmp)
	logf := func(format string, a ...any) { fmt.Fprintf(stderr, "bench: "+format+"\n", a...) }

	o := &outcome{cfg: rc, started: time.Now(), corpus: corpus, kinds: loadgen.KindCounts(reqs), env: machine(),
		failed: map[string]string{}, peak: map[string][]*loadgen.Result{}, fixed: map[string][]*loadgen.Result{}, rss: map[string]int64{},
		cpu: map[*loadgen.Result]time.Duration{}, procs: map[string]procInfo{}}

	// Dictionary folders: stage holds both files, live is what the servers read.
	stage, live := filepath.Join(tmp, "stage"), filepath.Join(tmp, "live")
	for _, d := range []string{stage, live} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("cannot find the bench binary to start the baselines: %w", err)
	}
	targets := rc.targets
	wfBin := rc.wordfilterBin
	if slices.Contains(targets, tWordfilter) && wfBin == "" {
		logf("building wordfilter")
		if wfBin, err = buildWordfilter(ctx, tmp); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			logf("%v", err)
			o.failed[tWordfilter] = err.Error()
			targets = slices.DeleteFunc(slices.Clone(targets), func(t string) bool { return t == tWordfilter })
		}
	}
	// With wordfilter measured, both dictionaries are first cleaned of the
	// lines its validate command refuses (so that every swap is a reload).
	validator := ""
	if slices.Contains(targets, tWordfilter) {
		validator = wfBin
	}
	o.dropped = map[string][]string{}
	stageOne := func(src, name string) error {
		dropped, err := stageDict(ctx, validator, src, filepath.Join(stage, name), filepath.Join(tmp, "validate-"+name))
		if err != nil {
			return fmt.Errorf("cannot stage dictionary %q: %w", src, err)
		}
		if len(dropped) > 0 {
			o.dropped[src] = dropped
			logf("%s: left out %d lines that wordfilter validate refuses", src, len(dropped))
		}
		return nil
	}
	err = stageOne(rc.dict, "a.txt")
	if err == nil && validator != "" && rc.reloadDuration > 0 {
		err = stageOne(rc.reloadDict, "b.txt")
	}
	if err != nil && validator != "" && ctx.Err() == nil {
		// wordfilter cannot take the dictionaries: measure the baselines.
		logf("wordfilter: %v", err)
		o.failed[tWordfilter] = err.Error()
		targets = slices.DeleteFunc(slices.Clone(targets), func(t string) bool { return t == tWordfilter })
		validator, o.dropped = "", map[string][]string{}
		err = stageOne(rc.dict, "a.txt")
	}
	if err != nil {
		return err
	}
	if err := linkOrCopy(filepath.Join(stage, "a.txt"), filepath.Join(live, "zh.txt")); err != nil {
		return fmt.Errorf("cannot stage dictionary: %w", err)
	}

	startOne := func(name string) (*target, error) {
		addr, err := freeLoopbackAddr()
		if err != nil {
			return nil, err
		}
		var argv []string
		switch name {
		case tWordfilter:
			argv = []string{wfBin, "serve", "-listen", addr, "-dict", live}
		case tCeiling:
			argv = []string{self, "ceiling", "-listen", addr}
		case tNaive:
			argv = []string{self, "naive", "-listen", addr, "-dict", live}
		}
		logf("starting %s on %s", name, addr)
		t, err := startTarget(ctx, name, addr, argv, rc.serverCPUs, tmp, rc.readyTimeout)
		if err == nil {
			o.procs[name] = describeProc(t)
		}
		return t, err
	}

	running := map[string]*target{}
	defer func() {
		for _, t := range running {
			t.stop()
		}
	}()
	var order []string
	for _, name := range targets {
		t, err := startOne(name)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			logf("%s: %v", name, err)
			o.failed[name] = err.Error()
			continue
		}
		running[name] = t
		order = append(order, name)
	}
	if len(order) == 0 {
		return fmt.Errorf("no server could be started")
	}
	base := loadgen.Config{Requests: reqs, Conns: rc.load.conns, MaxRequests: rc.load.maxRequests,
		Timeout: rc.load.timeout, Progress: progressTo(stdout)}
	one := func(name string, d time.Duration, rate float64) (*loadgen.Result, error) {
		cfg := base
		cfg.Name, cfg.Target, cfg.Duration, cfg.Rate = name, running[name].addr, d, rate
		cpu0, cpuErr := running[name].cpuTime()
		res, err := loadgen.Run(ctx, cfg)
		if err == nil && !running[name].alive() {
			err = fmt.Errorf("%s exited during the run: %v%s", name, running[name].err, tail(running[name].log))
		}
		if cpu1, err1 := running[name].cpuTime(); err == nil && cpuErr == nil && err1 == nil {
			o.cpu[res] = cpu1 - cpu0
		}
		return res, err
	}

	if rc.warmup > 0 {
		for _, name := range order {
			logf("warming up %s", name)
			if _, err := one(name, rc.warmup, 0); err != nil {
				return err
			}
		}
	}
	for r := 0; r < rc.repeat; r++ {
		for _, name := range order {
			logf("peak %s, round %d/%d", name, r+1, rc.repeat)
			res, err := one(name, rc.load.duration, 0)
			if err != nil {
				return err
			}
			o.peak[name] = append(o.peak[name], res)
		}
	}
	o.rate, o.rateFrom = rc.rate, "-rate flag"
	if o.rate == 0 {
		from := tWordfilter
		if len(o.peak[from]) == 0 {
			from = order[0]
		}
		o.rate = medianThroughput(o.peak[from]) / 2
		o.rateFrom = "half of " + from + "'s median peak"
	}
	if o.rate >= 1 {
		for r := 0; r < rc.repeat; r++ {
			for _, name := range order {
				logf("fixed rate %.0f req/s %s, round %d/%d", o.rate, name, r+1, rc.repeat)
				res, err := one(name, rc.load.duration, o.rate)
				if err != nil {
					return err
				}
				o.fixed[name] = append(o.fixed[name], res)
			}
		}
	}
	for _, name := range order {
		if rss, err := running[name].peakRSS(); err == nil {
			o.rss[name] = rss
		}
	}

	o.reloadRate = o.rate
	if rc.reloadRate > 0 {
		o.reloadRate = rc.reloadRate
	}
	if running[tWordfilter] != nil && rc.reloadDuration > 0 && o.reloadRate >= 1 {
		running[tWordfilter].stop()
		delete(running, tWordfilter)
		o.reload = reloadRun(ctx, rc, o.reloadRate, base, stage, live, o.cpu, func() (*target, error) {
			t, err := startOne(tWordfilter)
			if err == nil {
				running[tWordfilter] = t
			}
			return t, err
		}, logf)
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}

	return writeResults(o, stdout, logf)
}

// reloadRun restarts wordfilter and measures the fixed-rate load while the
// live dictionary file is swapped every rc.reloadEvery by rename between
// the two staged files. The server's CPU time during the run goes into cpu.
func reloadRun(ctx context.Context, rc *runConfig, rate float64, base loadgen.Config, stage, live string,
	cpu map[*loadgen.Result]time.Duration, start func() (*target, error), logf func(string, ...any)) *reloadOutcome {
	ro := &reloadOutcome{}
	t, err := start()
	if err != nil {
		ro.err = err.Error()
		return ro
	}
	logf("reload under load: %s at %.0f req/s, swapping the dictionary every %s", rc.reloadDuration, rate, rc.reloadEvery)
	cfg := base
	cfg.Name, cfg.Target, cfg.Duration = "wordfilter (reload)", t.addr, rc.warmup
	if rc.warmup > 0 {
		if _, err := loadgen.Run(ctx, cfg); err != nil {
			ro.err = err.Error()
			return ro
		}
	}
	cfg.Duration, cfg.Rate, cfg.Window = rc.reloadDuration, rate, reloadWindow

	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(2)
	var swapErr error
	go func() { // the swapper
		defer wg.Done()
		tick := time.NewTicker(rc.reloadEvery)
		defer tick.Stop()
		files := []string{"b.txt", "a.txt"}
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			tmp := filepath.Join(live, ".swap")
			os.Remove(tmp)
			if err := linkOrCopy(filepath.Join(stage, files[i%2]), tmp); err != nil {
				swapErr = err
				return
			}
			if err := os.Rename(tmp, filepath.Join(live, "zh.txt")); err != nil {
				swapErr = err
				return
			}
			ro.swaps++
			ro.swapped = append(ro.swapped, time.Now())
		}
	}()
	seen := map[string]bool{}
	go func() { // the observer: which dictionary version is served
		defer wg.Done()
		client := &http.Client{Timeout: time.Second}
		last := ""
		for {
			select {
			case <-stop:
				return
			case <-time.After(200 * time.Millisecond):
			}
			v, lastErr, err := dictVersion(client, t.addr)
			if err != nil {
				ro.pollErrs++
				continue
			}
			if lastErr != "" {
				ro.lastError = lastErr
			}
			if !seen[v] {
				seen[v] = true
			}
			if last != "" && v != last {
				ro.changes++
			}
			last = v
		}
	}()
	cpu0, cpuErr := t.cpuTime()
	res, err := loadgen.Run(ctx, cfg)
	if cpu1, err1 := t.cpuTime(); res != nil && cpuErr == nil && err1 == nil {
		cpu[res] = cpu1 - cpu0
	}
	close(stop)
	wg.Wait()
	ro.res, ro.versions = res, len(seen)
	if err != nil {
		ro.err = err.Error()
	} else if swapErr != nil {
		ro.err = "cannot swap the dictionary: " + swapErr.Error()
	} else if !t.alive() {
		ro.err = fmt.Sprintf("wordfilter exited during the reload run: %v%s", t.err, tail(t.log))
	}
	if rss, err := t.peakRSS(); err == nil {
		ro.rss = rss
	}
	return ro
}

// dictVersion asks GET /v1/dict for the served dictionary version and the
// last reload error.
func dictVersion(client *http.Client, addr string) (version, lastError string, err error) {
	resp, err := client.Get("http://" + addr + "/v1/dict")
	if err != nil {
		return "", "", err
	}
	defer resp.Body.Close()
	var d struct {
		Version   string `json:"version"`
		LastError string `json:"lastError"`
	}
	if resp.StatusCode != http.StatusOK {
		return "", "", fmt.Errorf("GET /v1/dict: HTTP %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(&d); err != nil || d.Version == "" {
		return "", "", fmt.Errorf("GET /v1/dict: no version in the answer")
	}
	return d.Version, d.LastError, nil
}

// reexecPinned runs this same command (the run flags args) again under
// taskset, so the whole load generator (every thread) runs on
// rc.clientCPUs, with GOMAXPROCS sized from that set.
func reexecPinned(ctx context.Context, rc *runConfig, args []string, stdout, stderr io.Writer) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "taskset", append([]string{"-c", rc.clientCPUs, self}, pinnedArgs(args, rc)...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, stdout, stderr
	how := pinnedByFlags
	if rc.autoPinned {
		how = pinnedByAuto
	}
	cmd.Env = append(envWithoutGOMAXPROCS(), pinnedEnv+"="+how)
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pinned run (taskset -c %s) failed: %w", rc.clientCPUs, err)
	}
	return nil
}

// machine describes the machine for the summary.
func machine() envInfo {
	e := envInfo{GoVersion: goVersion(), CPUs: numCPU()}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		f := strings.Fields(string(b))
		if len(f) >= 3 {
			e.LoadAvg = strings.Join(f[:3], " ")
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		e.Kernel = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			k, v, ok := strings.Cut(line, ":")
			switch k = strings.TrimSpace(k); {
			case !ok:
			case k == "processor":
				e.MachineCPUs++
			case k == "model name" && e.CPUModel == "":
				e.CPUModel = strings.TrimSpace(v)
			}
		}
	}
	return e
}
