package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wordfilter/wordfilter/bench/baseline"
)

// TestMain lets the runner start this test binary as a baseline server
// ("bench.test ceiling -listen ..." serves instead of testing) and
// re-execute it as the pinned load generator ("bench.test run ..." with
// WORDFILTER_BENCH_PINNED set).
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && (os.Args[1] == "ceiling" || os.Args[1] == "naive" ||
		(os.Args[1] == "run" && os.Getenv(pinnedEnv) != "")) {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// files writes a small corpus and dictionary and returns their paths.
func files(t *testing.T) (corpus, dict string) {
	t.Helper()
	dir := t.TempDir()
	corpus = filepath.Join(dir, "msgs.txt")
	dict = filepath.Join(dir, "dict.txt")
	if err := os.WriteFile(corpus, []byte("hello there\n你好，法轮功\nwhat a bad day\nnothing\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dict, []byte("法轮功\nbad\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return corpus, dict
}

func TestBadFlagsExit2(t *testing.T) {
	corpus, dict := files(t)
	cases := [][]string{
		{"nope"},
		{"load"},
		{"load", "-target", "10.0.0.1:80", "-corpus", corpus},
		{"load", "-target", "example.com:80", "-corpus", corpus},
		{"load", "-target", "127.0.0.1:1", "-corpus", corpus, "-conns", "0"},
		{"load", "-target", "127.0.0.1:1", "-corpus", corpus, "-duration", "0s"},
		{"load", "-target", "127.0.0.1:1", "-corpus", corpus, "-duration", "2h"},
		{"load", "-target", "127.0.0.1:1", "-corpus", corpus, "-max-requests", "0"},
		{"load", "-target", "127.0.0.1:1", "-corpus", corpus, "-rate", "-5"},
		{"load", "-target", "127.0.0.1:1", "-corpus", corpus, "-mix", "modify=x"},
		{"load", "-target", "127.0.0.1:1", "-corpus", corpus, "extra"},
		{"load", "-bogus"},
		{"load", "-target", "127.0.0.1:1", "-corpus", corpus + ".absent"},
		{"run", "-dict", dict + ".absent", "-reload-dict", dict, "-corpus", corpus},
		{"run", "-dict", dict, "-reload-dict", filepath.Dir(dict), "-corpus", corpus},
		{"run", "-dict", dict, "-reload-dict", dict, "-corpus", corpus, "-repeat", "0"},
		{"run", "-dict", dict, "-reload-dict", dict, "-corpus", corpus, "-targets", "wordfilter,other"},
		{"run", "-dict", dict, "-reload-dict", dict, "-corpus", corpus, "-targets", "naive,naive"},
		{"run", "-dict", dict, "-reload-dict", dict, "-corpus", corpus, "-server-cpus", "one"},
		{"run", "-dict", dict, "-reload-dict", dict, "-corpus", corpus, "-client-cpus", "1-"},
		{"run", "-dict", dict, "-reload-dict", dict, "-corpus", corpus, "-server-cpus", "3-1"},
		{"run", "-dict", dict, "-reload-dict", dict, "-corpus", corpus, "-reload-every", "1ms"},
		{"run", "-dict", dict, "-reload-dict", dict, "-corpus", corpus, "-reload-rate", "-1"},
		{"-duration", "-1s"},
		{"ceiling", "-listen", "0.0.0.0:0"},
		{"naive", "-listen", "127.0.0.1:0"},
	}
	for _, args := range cases {
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, &out, &errb); code != 2 {
			t.Errorf("bench %s: exit %d, want 2 (stderr %q)", strings.Join(args, " "), code, errb.String())
		}
		if errb.Len() == 0 {
			t.Errorf("bench %s: no message on stderr", strings.Join(args, " "))
		}
	}
	for _, args := range [][]string{{"help"}, {"load", "-h"}, {"run", "-h"}} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, &out, &errb); code != 0 || out.Len()+errb.Len() == 0 {
			t.Errorf("bench %s: exit %d with no help, want 0", strings.Join(args, " "), code)
		}
	}
}

func TestLoadCommand(t *testing.T) {
	corpus, _ := files(t)
	s, err := baseline.StartCeiling("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	svg := filepath.Join(t.TempDir(), "l.svg")
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"load", "-target", "http://" + s.Addr, "-corpus", corpus, "-conns", "2",
		"-duration", "5s", "-max-requests", "300", "-svg", svg, "-timeline", "-mix", "modify=1,group-106=1"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "| 300 | 300 | 300/0/0 | 0 |") {
		t.Errorf("summary does not show 300 sent, 300 allowed, 0 errors:\n%s", out.String())
	}
	if b, err := os.ReadFile(svg); err != nil || !bytes.Contains(b, []byte("<polyline")) {
		t.Errorf("SVG chart not written: %v", err)
	}
}

// fakeWordfilter writes a script that stands in for wordfilter: "serve
// -listen ADDR ..." runs this test binary as the ceiling baseline, and
// "validate -dict DIR" refuses every line "☭" of DIR/zh.txt the way
// wordfilter reports errors.
func fakeWordfilter(t *testing.T, self string) string {
	t.Helper()
	script := filepath.Join(t.TempDir(), "fake-wordfilter")
	body := `#!/bin/sh
if [ "$1" = validate ]; then
  f="$3/zh.txt"
  bad=$(grep -n '^☭$' "$f" | cut -d: -f1)
  [ -z "$bad" ] && exit 0
  for n in $bad; do echo "$f:$n: word \"☭\": nothing matchable left after normalisation" >&2; done
  exit 1
fi
exec "` + self + `" ceiling -listen "$3"
`
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	return script
}

// TestRunnerEndToEnd runs the whole comparison with tiny durations, this
// test binary standing in for every server (wordfilter through a script
// that starts the ceiling baseline in its place).
func TestRunnerEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("starts three servers")
	}
	corpus, dict := files(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	script := fakeWordfilter(t, self)
	reloadDict := filepath.Join(dir, "reload.txt")
	if err := os.WriteFile(reloadDict, []byte("法轮功\n☭\nbad\n☭\nworse\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "results")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"run", "-out", out, "-corpus", corpus, "-dict", dict, "-reload-dict", reloadDict,
		"-wordfilter-bin", script, "-duration", "300ms", "-repeat", "2", "-warmup", "100ms", "-conns", "4", "-bodies", "50",
		"-reload-duration", "1200ms", "-reload-every", "300ms", "-reload-rate", "700"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d\nstderr: %s\nstdout: %s", code, stderr.String(), stdout.String())
	}
	md := stdout.String()
	// The default pins when this process may use 2 CPUs or more.
	wantPin := "| pinning | servers on CPUs `"
	if list, err := allowedCPUs("self"); err != nil {
		t.Fatal(err)
	} else if cpus, _ := parseCPUList(list); len(cpus) < 2 {
		wantPin = "| pinning | none (this process may use only CPUs"
	} else if _, err := exec.LookPath("taskset"); err != nil {
		wantPin = "| pinning | none (taskset not found)"
	} else {
		client, server, _ := splitCPUs(cpus)
		wantPin += server + "`, load generator on CPUs `" + client + "` (taskset; the default"
		if !strings.Contains(md, fmt.Sprintf("load generator GOMAXPROCS %d;", len(strings.Split(client, ",")))) {
			t.Errorf("pinned load generator: GOMAXPROCS not sized from its CPU set %s:\n%s", client, md)
		}
		for _, name := range []string{"wordfilter", "ceiling", "naive"} {
			if !strings.Contains(md, "; "+name+" on CPUs `"+server+"`") {
				t.Errorf("summary does not show %s on CPUs %s:\n%s", name, server, md)
			}
		}
	}
	if !strings.Contains(md, wantPin) {
		t.Errorf("summary lacks %q:\n%s", wantPin, md)
	}
	for _, want := range []string{"## Peak throughput", "| wordfilter | ", "| ceiling | ", "| naive | ",
		"wordfilter / ceiling", "wordfilter / naive", "## Latency at a fixed rate", "## Reload under load", "then 1.2s at 700 req/s", "MiB", "server CPU µs/req", "of server CPU per request",
		"reload.txt`: 2 lines that `wordfilter validate` refuses were left out of the copy", "line 2: word \"☭\": nothing matchable left after normalisation; line 4: "} {
		if !strings.Contains(md, want) {
			t.Errorf("summary lacks %q:\n%s", want, md)
		}
	}
	for _, f := range []string{"summary.md", "report.html", "latency-peak.svg", "latency-fixed.svg", "latency-reload.svg", "results.json"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	var res struct {
		Rate float64 `json:"rate"`
		Runs map[string]map[string][]struct {
			OK     int64            `json:"ok"`
			Errors map[string]int64 `json:"errors"`
		} `json:"runs"`
		Reload struct {
			Swaps int `json:"swaps"`
		} `json:"reload"`
	}
	b, _ := os.ReadFile(filepath.Join(out, "results.json"))
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	if res.Rate <= 0 || len(res.Runs["peak"]["naive"]) != 2 || len(res.Runs["fixed"]["wordfilter"]) != 2 {
		t.Errorf("results.json: rate %g, runs %+v", res.Rate, res.Runs)
	}
	for mode, byTarget := range res.Runs {
		for name, runs := range byTarget {
			for _, r := range runs {
				if r.OK == 0 || len(r.Errors) != 0 {
					t.Errorf("%s %s: ok %d errors %v", mode, name, r.OK, r.Errors)
				}
			}
		}
	}
	if res.Reload.Swaps < 2 {
		t.Errorf("reload run swapped the dictionary %d times, want at least 2", res.Reload.Swaps)
	}
}

// TestRunnerGoesOnWithoutWordfilter checks that a wordfilter that cannot
// take the dictionary is reported and the baselines still measured.
func TestRunnerGoesOnWithoutWordfilter(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	corpus, dict := files(t)
	script := filepath.Join(t.TempDir(), "old-wordfilter")
	if err := os.WriteFile(script, []byte("#!/bin/sh\necho 'wordfilter validate: not implemented yet' >&2\nexit 2\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "results")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"run", "-out", out, "-corpus", corpus, "-dict", dict, "-reload-dict", dict,
		"-wordfilter-bin", script, "-targets", "wordfilter,ceiling", "-duration", "200ms", "-repeat", "1", "-warmup", "0s",
		"-conns", "2", "-bodies", "20", "-pin=false"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d\nstderr: %s", code, stderr.String())
	}
	md := stdout.String()
	for _, want := range []string{"**wordfilter was not measured:**", "not implemented yet", "| ceiling | ", "half of ceiling's median peak",
		"| pinning | none (-pin=false): the OS schedules all processes over every CPU |"} {
		if !strings.Contains(md, want) {
			t.Errorf("summary lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "| wordfilter | ") || strings.Contains(md, "## Reload under load") {
		t.Errorf("summary has wordfilter figures:\n%s", md)
	}
}
