package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Values of pinnedEnv in a re-executed load generator.
const (
	pinnedByFlags = "1"    // -server-cpus / -client-cpus were given
	pinnedByAuto  = "auto" // the default split of the CPUs (-pin)
)

// parseCPUList parses a Linux CPU list ("0-3,8,10-11", as taskset -c and
// /proc/PID/status Cpus_allowed_list write it) into CPU numbers.
func parseCPUList(s string) ([]int, error) {
	var cpus []int
	for _, part := range strings.Split(strings.TrimSpace(s), ",") {
		if part == "" {
			continue
		}
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil || a < 0 {
			return nil, fmt.Errorf("bad CPU %q in list %q", part, s)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil || b < a || b-a > 4096 {
				return nil, fmt.Errorf("bad CPU range %q in list %q", part, s)
			}
		}
		for c := a; c <= b; c++ {
			cpus = append(cpus, c)
		}
	}
	if len(cpus) == 0 {
		return nil, fmt.Errorf("empty CPU list %q", s)
	}
	return cpus, nil
}

// formatCPUList writes cpus as a comma list for taskset -c.
func formatCPUList(cpus []int) string {
	parts := make([]string, len(cpus))
	for i, c := range cpus {
		parts[i] = strconv.Itoa(c)
	}
	return strings.Join(parts, ",")
}

// splitCPUs gives the load generator the lower half of cpus (rounded
// down) and the servers the rest; ok is false below 2 CPUs.
func splitCPUs(cpus []int) (client, server string, ok bool) {
	if len(cpus) < 2 {
		return "", "", false
	}
	half := len(cpus) / 2
	return formatCPUList(cpus[:half]), formatCPUList(cpus[half:]), true
}

// allowedCPUs returns the CPU list process pid may run on
// (Cpus_allowed_list of /proc/PID/status; "self" for this process).
func allowedCPUs(pid string) (string, error) {
	f, err := os.Open("/proc/" + pid + "/status")
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "Cpus_allowed_list:"); ok {
			return strings.TrimSpace(rest), nil
		}
	}
	return "", fmt.Errorf("no Cpus_allowed_list in /proc/%s/status", pid)
}

// defaultPinning fills rc.clientCPUs and rc.serverCPUs with the default
// split of the CPUs this process may use, when -pin is on and neither
// list was given. It returns why it did not pin ("" when it did).
func defaultPinning(rc *runConfig) string {
	if !rc.pin || rc.serverCPUs != "" || rc.clientCPUs != "" {
		return ""
	}
	list, err := allowedCPUs("self")
	if err != nil {
		return "cannot read this process's CPU set: " + err.Error()
	}
	cpus, err := parseCPUList(list)
	if err != nil {
		return err.Error()
	}
	client, server, ok := splitCPUs(cpus)
	if !ok {
		return fmt.Sprintf("this process may use only CPUs %s", list)
	}
	if _, err := exec.LookPath("taskset"); err != nil {
		return "taskset not found"
	}
	rc.clientCPUs, rc.serverCPUs, rc.autoPinned = client, server, true
	return ""
}

// pinnedArgs returns args with the CPU lists appended, so that the
// re-executed load generator (which sees only its own CPUs) pins the
// servers the same way.
func pinnedArgs(args []string, rc *runConfig) []string {
	out := append([]string{"run"}, args...)
	if rc.serverCPUs != "" {
		out = append(out, "-server-cpus", rc.serverCPUs)
	}
	return append(out, "-client-cpus", rc.clientCPUs)
}

// envWithoutGOMAXPROCS is the environment of a pinned child: without
// GOMAXPROCS, so that the Go runtime sizes it from the CPU set it starts
// with (it reads the affinity mask once, at start).
func envWithoutGOMAXPROCS() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GOMAXPROCS=") {
			env = append(env, kv)
		}
	}
	return env
}

// procInfo is what the summary says of a server process's CPUs.
type procInfo struct {
	cpus       string // Cpus_allowed_list, "" when unknown
	gomaxprocs int    // from go_gomaxprocs on /metrics, 0 when unknown
}

// describeProc reads the CPU set of t's process and, when it serves
// Prometheus metrics (wordfilter), its GOMAXPROCS.
func describeProc(t *target) procInfo {
	var pi procInfo
	pi.cpus, _ = allowedCPUs(strconv.Itoa(t.cmd.Process.Pid))
	client := &http.Client{Timeout: 2 * time.Second}
	resp, err := client.Get("http://" + t.addr + "/metrics")
	if err != nil {
		return pi
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, resp.Body)
		return pi
	}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "go_gomaxprocs "); ok {
			pi.gomaxprocs, _ = strconv.Atoi(strings.TrimSpace(rest))
		}
	}
	return pi
}
