package main

import (
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestStartTargetServesAndStops(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	addr, err := freeLoopbackAddr()
	if err != nil {
		t.Fatal(err)
	}
	tg, err := startTarget(context.Background(), "ceiling", addr, []string{self, "ceiling", "-listen", addr}, "", t.TempDir(), 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.stop()
	if !tg.alive() {
		t.Fatal("started target is not alive")
	}
	rss, err := tg.peakRSS()
	if err != nil || rss < 1<<20 {
		t.Errorf("peakRSS() = %d, %v; want at least 1 MiB", rss, err)
	}
	tg.stop()
	if tg.alive() {
		t.Error("target still alive after stop")
	}
}

func TestStartTargetReportsAnEarlyExit(t *testing.T) {
	addr, _ := freeLoopbackAddr()
	logDir := t.TempDir()
	_, err := startTarget(context.Background(), "broken", addr, []string{"sh", "-c", "echo cannot load the dictionary >&2; exit 3"}, "", logDir, 30*time.Second)
	if err == nil || !strings.Contains(err.Error(), "process exited") || !strings.Contains(err.Error(), "cannot load the dictionary") {
		t.Errorf("startTarget of a process that exits: %v; want the exit and the log's last line", err)
	}
	if _, err := os.Stat(filepath.Join(logDir, "broken.log")); err != nil {
		t.Errorf("no log file: %v", err)
	}
}

func TestWaitReadyFailsFastWithoutReadyz(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			w.Write([]byte(`{"status":"ok"}`))
			return
		}
		http.NotFound(w, r)
	})}
	go srv.Serve(ln)
	defer srv.Close()
	tg := &target{name: "old", addr: ln.Addr().String(), done: make(chan struct{})}
	// Waiting out the timeout would give a "not 200 within" error instead.
	err = tg.waitReady(context.Background(), 20*time.Second)
	if err == nil || !strings.Contains(err.Error(), "answered 404") {
		t.Errorf("waitReady on a server without /readyz = %v, want the 404 error at once", err)
	}
}

func TestMedian(t *testing.T) {
	f := func(in []float64, want float64) {
		t.Helper()
		if got := median(in); got != want {
			t.Errorf("median(%v) = %g, want %g", in, got, want)
		}
	}
	f(nil, 0)
	f([]float64{3}, 3)
	f([]float64{5, 1, 3}, 3)
	f([]float64{4, 1, 3, 2}, 2.5)
}

func TestStageDictLeavesOutRefusedLines(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "src.txt")
	if err := os.WriteFile(src, []byte("one\n☭\ntwo\n☭\n☭\nthree\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "dst.txt")
	dropped, err := stageDict(context.Background(), fakeWordfilter(t, self), src, dst, filepath.Join(dir, "work"))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(dst); string(got) != "one\ntwo\nthree\n" {
		t.Errorf("staged %q, want the three good lines", got)
	}
	if len(dropped) != 3 || !strings.HasPrefix(dropped[0], "line 2: ") || !strings.HasPrefix(dropped[2], "line 5: ") {
		t.Errorf("dropped %q, want lines 2, 4 and 5", dropped)
	}
	// Without a validator the file is staged as it is.
	dropped, err = stageDict(context.Background(), "", src, filepath.Join(dir, "plain.txt"), "")
	if got, _ := os.ReadFile(filepath.Join(dir, "plain.txt")); err != nil || len(dropped) != 0 || strings.Count(string(got), "☭") != 3 {
		t.Errorf("plain staging: %q %v %q", got, err, dropped)
	}
}

func TestParseStatCPU(t *testing.T) {
	line := "4242 (a (weird) name) S 1 4242 4242 0 -1 4194560 1234 0 0 0 150 25 0 0 20 0 9 0 100 2000000 5000 18446744073709551615\n"
	d, err := parseStatCPU([]byte(line))
	if err != nil || d != 1750*time.Millisecond {
		t.Errorf("parseStatCPU = %s, %v; want 1.75s (150 + 25 ticks)", d, err)
	}
	for _, bad := range []string{"", "1 (x) S 1 2", "1 (x) S 1 2 3 4 5 6 7 8 9 10 x 9"} {
		if _, err := parseStatCPU([]byte(bad)); err == nil {
			t.Errorf("parseStatCPU(%q): no error", bad)
		}
	}
	if d, err := procCPUTime(os.Getpid()); err != nil || d < 0 {
		t.Errorf("procCPUTime(self) = %s, %v", d, err)
	}
}
