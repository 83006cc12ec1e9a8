package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// target is one server under load, running as a child process.
type target struct {
	name string
	addr string
	cmd  *exec.Cmd
	log  string // path of the child's combined output
	done chan struct{}
	err  error // the child's exit status once done is closed
}

// freeLoopbackAddr returns a 127.0.0.1 address with a port that was free a
// moment ago.
func freeLoopbackAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("cannot find a free port: %w", err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr, nil
}

// startTarget starts argv (wrapped in taskset when cpus is set) with its
// output in logDir/name.log and waits until GET /readyz answers 200.
func startTarget(ctx context.Context, name, addr string, argv []string, cpus, logDir string, readyTimeout time.Duration) (*target, error) {
	if cpus != "" {
		argv = append([]string{"taskset", "-c", cpus}, argv...)
	}
	logPath := filepath.Join(logDir, name+".log")
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("cannot create log %q: %w", logPath, err)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if cpus != "" {
		cmd.Env = envWithoutGOMAXPROCS() // sized from the CPU set instead
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("cannot start %s (%s): %w", name, strings.Join(argv, " "), err)
	}
	t := &target{name: name, addr: addr, cmd: cmd, log: logPath, done: make(chan struct{})}
	go func() {
		t.err = cmd.Wait()
		logf.Close()
		close(t.done)
	}()
	if err := t.waitReady(ctx, readyTimeout); err != nil {
		t.stop()
		return nil, fmt.Errorf("%s did not get ready: %w (log: %s%s)", name, err, logPath, tail(logPath))
	}
	return t, nil
}

// waitReady polls /readyz until it answers 200, the process exits, or the
// timeout passes. A server that answers /healthz but 404 on /readyz has no
// readiness endpoint: it fails at once.
func (t *target) waitReady(ctx context.Context, timeout time.Duration) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(timeout)
	for {
		resp, err := client.Get("http://" + t.addr + "/readyz")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			switch resp.StatusCode {
			case http.StatusOK:
				return nil
			case http.StatusNotFound:
				return errors.New("GET /readyz answered 404: this build has no readiness endpoint (is the server branch merged?)")
			}
		}
		select {
		case <-t.done:
			return fmt.Errorf("process exited: %v", t.err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("GET /readyz not 200 within %s", timeout)
		}
	}
}

// peakRSS returns the child's VmHWM (peak resident set) in bytes.
func (t *target) peakRSS() (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", t.cmd.Process.Pid))
	if err != nil {
		return 0, fmt.Errorf("cannot read the peak RSS of %s: %w", t.name, err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) == 2 && f[1] == "kB" {
				kb, err := strconv.ParseInt(f[0], 10, 64)
				if err == nil {
					return kb * 1024, nil
				}
			}
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", t.cmd.Process.Pid)
}

// clockTick is the unit of utime and stime in /proc/PID/stat (USER_HZ,
// 100 on every Linux build that matters).
const clockTick = 10 * time.Millisecond

// cpuTime returns the CPU time (user + system) the child has used so far.
func (t *target) cpuTime() (time.Duration, error) {
	return procCPUTime(t.cmd.Process.Pid)
}

// procCPUTime reads the user + system CPU time of process pid.
func procCPUTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("cannot read the CPU time of process %d: %w", pid, err)
	}
	d, err := parseStatCPU(b)
	if err != nil {
		return 0, fmt.Errorf("/proc/%d/stat: %w", pid, err)
	}
	return d, nil
}

// parseStatCPU returns utime + stime of a /proc/PID/stat line.
func parseStatCPU(b []byte) (time.Duration, error) {
	// The command name (field 2) is in parentheses and may hold spaces and
	// ")"; the fields after the last ")" start with the state (field 3), so
	// utime (field 14) and stime (field 15) are the 12th and 13th.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, errors.New("no command name in parentheses")
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("%d fields after the command name, want at least 13", len(f))
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("utime %q or stime %q is not a number", f[11], f[12])
	}
	return time.Duration(ut+st) * clockTick, nil
}

// stop sends SIGTERM, waits up to 5s, then kills the child.
func (t *target) stop() {
	select {
	case <-t.done:
		return
	default:
	}
	t.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-t.done:
	case <-time.After(5 * time.Second):
		t.cmd.Process.Kill()
		<-t.done
	}
}

// alive reports whether the child still runs.
func (t *target) alive() bool {
	select {
	case <-t.done:
		return false
	default:
		return true
	}
}

// tail returns the last lines of the file at path, for error messages.
func tail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil || len(b) == 0 {
		return ""
	}
	lines := bytes.Split(bytes.TrimSpace(b), []byte("\n"))
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	return "; last lines:\n  " + string(bytes.Join(lines, []byte("\n  ")))
}

// moduleRoot returns the folder of the wordfilter go.mod above the working
// directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.Contains(b, []byte("module github.com/wordfilter/wordfilter")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("cannot find the wordfilter module (go.mod) above the working directory: run from the checkout or give -wordfilter-bin")
		}
		dir = parent
	}
}

// buildWordfilter builds cmd/wordfilter into dir and returns the binary.
func buildWordfilter(ctx context.Context, dir string) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "wordfilter")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", bin, "./cmd/wordfilter")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("cannot build wordfilter: %v\n%s", err, out)
	}
	return bin, nil
}

// linkOrCopy makes dst hold src's content: a hard link when possible, a
// copy otherwise.
func linkOrCopy(src, dst string) error {
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// stageDict makes dst a copy of the dictionary file src. When validator
// (a wordfilter binary) is set, dst is checked with "validator validate
// -dict" in the folder work, and the lines it refuses ("path:line: message"
// on stderr, at most dict.MaxErrors a pass) are left out until it passes;
// the left-out lines are returned as "line N: message".
func stageDict(ctx context.Context, validator, src, dst, work string) ([]string, error) {
	if validator == "" {
		return nil, linkOrCopy(src, dst)
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		return nil, err
	}
	file := filepath.Join(work, "zh.txt")
	b, err := os.ReadFile(src)
	if err != nil {
		return nil, err
	}
	lines := strings.SplitAfter(string(b), "\n")
	orig := make([]int, len(lines)) // orig[i] is the source line number of lines[i]
	for i := range orig {
		orig[i] = i + 1
	}
	var dropped []string
	for pass := 0; pass < 50; pass++ {
		if err := os.WriteFile(file, []byte(strings.Join(lines, "")), 0o644); err != nil {
			return nil, err
		}
		var stderr bytes.Buffer
		cmd := exec.CommandContext(ctx, validator, "validate", "-dict", work)
		cmd.Stderr = &stderr
		err := cmd.Run()
		if err == nil {
			return dropped, linkOrCopy(file, dst)
		}
		bad := map[int]string{}
		for _, line := range strings.Split(stderr.String(), "\n") {
			rest, ok := strings.CutPrefix(line, file+":")
			if !ok {
				continue
			}
			num, msg, ok := strings.Cut(rest, ": ")
			n, convErr := strconv.Atoi(num)
			if ok && convErr == nil && n >= 1 && n <= len(lines) {
				bad[n] = msg
			}
		}
		if len(bad) == 0 {
			return nil, fmt.Errorf("wordfilter validate refuses it without naming a line of %s: %v: %s", file, err, strings.TrimSpace(stderr.String()))
		}
		kept, keptOrig := lines[:0:0], orig[:0:0]
		for i, l := range lines {
			if msg, isBad := bad[i+1]; isBad {
				dropped = append(dropped, fmt.Sprintf("line %d: %s", orig[i], msg))
				continue
			}
			kept, keptOrig = append(kept, l), append(keptOrig, orig[i])
		}
		lines, orig = kept, keptOrig
	}
	return nil, fmt.Errorf("wordfilter validate still refuses it after leaving out %d lines", len(dropped))
}
