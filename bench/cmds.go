package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/wordfilter/wordfilter/bench/baseline"
	"github.com/wordfilter/wordfilter/bench/loadgen"
	"github.com/wordfilter/wordfilter/bench/report"
	"github.com/wordfilter/wordfilter/internal/shareddata"
)

// loadFlags are the flags that shape the load, shared by run and load.
type loadFlags struct {
	corpus      string
	mix         string
	bodies      int
	prefix      string
	conns       int
	duration    time.Duration
	maxRequests int64
	timeout     time.Duration
	seed        uint64
}

func addLoadFlags(fs *flag.FlagSet, lf *loadFlags) {
	fs.StringVar(&lf.corpus, "corpus", "", "comma-separated files of messages, one a line (default: ../shared/data corpus/zh-chat.txt,corpus/en-chat.txt)")
	fs.StringVar(&lf.mix, "mix", "modify=1", "request kinds and weights, from "+strings.Join(loadgen.KindNames(), ", ")+` (e.g. "modify=6,group-101=2,single-106=1,group-114=1")`)
	fs.IntVar(&lf.bodies, "bodies", 20000, "distinct requests prepared and sent round robin (1 to 1000000)")
	fs.StringVar(&lf.prefix, "prefix", "/callbackExample", "path before the command, as in OpenIM's webhooks.yml url")
	fs.IntVar(&lf.conns, "conns", 32, fmt.Sprintf("connections, each with one request in flight (1 to %d)", loadgen.MaxConns))
	fs.DurationVar(&lf.duration, "duration", 5*time.Second, fmt.Sprintf("length of each measured run (at most %s)", loadgen.MaxDuration))
	fs.Int64Var(&lf.maxRequests, "max-requests", 5_000_000, "most requests sent by one run (at least 1)")
	fs.DurationVar(&lf.timeout, "timeout", 2*time.Second, "timeout of one request")
	fs.Uint64Var(&lf.seed, "seed", 1, "seed of the choice of messages and request kinds")
}

// check validates the flags that need no I/O.
func (lf *loadFlags) check() (loadgen.Mix, error) {
	mix, err := loadgen.ParseMix(lf.mix)
	if err != nil {
		return nil, usageErr("-mix: %v", err)
	}
	switch {
	case lf.bodies < 1 || lf.bodies > 1_000_000:
		return nil, usageErr("-bodies must be from 1 to 1000000, not %d", lf.bodies)
	case lf.conns < 1 || lf.conns > loadgen.MaxConns:
		return nil, usageErr("-conns must be from 1 to %d, not %d", loadgen.MaxConns, lf.conns)
	case lf.duration <= 0 || lf.duration > loadgen.MaxDuration:
		return nil, usageErr("-duration must be above 0 and at most %s, not %s", loadgen.MaxDuration, lf.duration)
	case lf.maxRequests < 1:
		return nil, usageErr("-max-requests must be at least 1, not %d", lf.maxRequests)
	case lf.timeout <= 0 || lf.timeout > time.Minute:
		return nil, usageErr("-timeout must be above 0 and at most 1m, not %s", lf.timeout)
	}
	return mix, nil
}

// requests reads the corpus and builds the requests.
func (lf *loadFlags) requests(mix loadgen.Mix) ([]loadgen.Request, []string, error) {
	var paths []string
	if lf.corpus == "" {
		dir := shareddata.Find()
		if dir == "" {
			return nil, nil, usageErr("no -corpus given and no ../shared/data found (or $%s): name a file of messages with -corpus", shareddata.EnvVar)
		}
		paths = []string{filepath.Join(dir, "corpus", "zh-chat.txt"), filepath.Join(dir, "corpus", "en-chat.txt")}
	} else {
		for _, p := range strings.Split(lf.corpus, ",") {
			if p = strings.TrimSpace(p); p != "" {
				paths = append(paths, p)
			}
		}
	}
	for _, p := range paths {
		if st, err := os.Stat(p); err != nil || st.IsDir() {
			return nil, nil, usageErr("-corpus: %q is not a readable file of messages", p)
		}
	}
	msgs, err := loadgen.LoadMessages(paths, 0)
	if err != nil {
		return nil, nil, err
	}
	reqs, err := loadgen.Build(msgs, mix, loadgen.BuildConfig{Prefix: lf.prefix, Count: lf.bodies, Seed: lf.seed})
	return reqs, paths, err
}

// progressTo returns w when it is a terminal (so a live line makes sense),
// else nil.
func progressTo(w io.Writer) io.Writer {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return w
	}
	return nil
}

// loadCmd runs one load against a server already running.
func loadCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	setUsage(fs, "bench load -target ADDR [flags]", "Sends OpenIM callbacks to a server already running on a loopback address, closed loop or at\n"+
		"-rate requests/s, and prints the latency percentiles, answers and errors.")
	var lf loadFlags
	addLoadFlags(fs, &lf)
	target := fs.String("target", "", "loopback host:port or http:// URL of the server (required)")
	rate := fs.Float64("rate", 0, "open-loop rate in requests/s; 0 means closed loop (as fast as the connections go)")
	svg := fs.String("svg", "", "also write the latency-percentile chart to this SVG file")
	timeline := fs.Bool("timeline", false, "also print the count, errors, p50, p99 and max latency of every second")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	mix, err := lf.check()
	if err != nil {
		return err
	}
	if *target == "" {
		return usageErr("-target is required")
	}
	if _, err := loadgen.CheckLoopback(*target); err != nil {
		return usageErr("%v", err)
	}
	if *rate < 0 || *rate > loadgen.MaxRate {
		return usageErr("-rate must be from 0 to %d, not %g", loadgen.MaxRate, *rate)
	}
	reqs, _, err := lf.requests(mix)
	if err != nil {
		return err
	}
	res, err := loadgen.Run(ctx, loadgen.Config{
		Name: "load", Target: *target, Requests: reqs, Conns: lf.conns, Duration: lf.duration,
		MaxRequests: lf.maxRequests, Rate: *rate, Timeout: lf.timeout, Progress: progressTo(stdout),
	})
	if res != nil {
		fmt.Fprint(stdout, resultTable([]*loadgen.Result{res}))
		if *timeline {
			fmt.Fprint(stdout, timelineTable(res))
		}
		if *svg != "" {
			title := "closed loop"
			if *rate > 0 {
				title = fmt.Sprintf("open loop at %.0f req/s", *rate)
			}
			dir, name := filepath.Split(*svg)
			if _, werr := report.WriteFile(dir, name, report.SVG("latency, "+title, []report.Series{{Name: *target, Hist: res.Hist}})); werr != nil {
				return werr
			}
		}
	}
	return err
}

// baselineCmd serves one baseline until ctx is done. It prints
// "listening on ADDR" on stdout once it accepts connections.
func baselineCmd(ctx context.Context, which string, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet(which, flag.ContinueOnError)
	fs.SetOutput(stderr)
	if which == "naive" {
		setUsage(fs, "bench naive -dict PATH [-listen ADDR]", "Serves the typical-user baseline (net/http, encoding/json, map-of-runes trie) until SIGINT/SIGTERM.\n"+
			"Prints \"listening on ADDR\" once it accepts connections.")
	} else {
		setUsage(fs, "bench ceiling [-listen ADDR]", "Serves the ceiling baseline (fasthttp, sonic, answers allow without filtering) until SIGINT/SIGTERM.\n"+
			"Prints \"listening on ADDR\" once it accepts connections.")
	}
	listen := fs.String("listen", "127.0.0.1:0", "loopback address to listen on (port 0 picks a free port)")
	dict := new(string)
	if which == "naive" {
		fs.StringVar(dict, "dict", "", "dictionary folder (every *.txt) or file, one word a line (required)")
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if which == "naive" && *dict == "" {
		return usageErr("-dict is required")
	}
	var srv *baseline.Server
	var err error
	if which == "naive" {
		srv, err = baseline.StartNaive(*listen, *dict)
	} else {
		srv, err = baseline.StartCeiling(*listen)
	}
	if err != nil {
		if strings.Contains(err.Error(), "not loopback") || strings.Contains(err.Error(), "not host:port") {
			return usageErr("%v", err)
		}
		return err
	}
	fmt.Fprintf(stdout, "listening on %s\n", srv.Addr)
	<-ctx.Done()
	return srv.Close()
}
