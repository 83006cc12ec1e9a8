package main

import (
	"bytes"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestHelpListsCommands(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"-h"}, nil, &out, &errb); code != 0 {
		t.Fatalf("run(-h) = %d, want 0; stderr %q", code, errb.String())
	}
	for _, cmd := range []string{"serve", "check", "validate", "diff"} {
		if !strings.Contains(out.String(), "wordfilter "+cmd) {
			t.Errorf("wordfilter -h does not list %q:\n%s", cmd, out.String())
		}
	}
}

func TestUnknownCommandExits2(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"frobnicate"}, nil, &out, &errb); code != 2 {
		t.Fatalf("run(frobnicate) = %d, want 2", code)
	}
	if !strings.Contains(errb.String(), "unknown command") {
		t.Errorf("stderr = %q, want it to say unknown command", errb.String())
	}
}

// buildBinary compiles the command into a temporary folder.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the real binary; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "wordfilter")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go build: %v", err)
	}
	return bin
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// waitHealthy polls GET /healthz until it answers 200 or the deadline passes.
func waitHealthy(t *testing.T, addr string, deadline time.Duration) {
	t.Helper()
	client := &http.Client{Timeout: time.Second}
	end := time.Now().Add(deadline)
	for time.Now().Before(end) {
		resp, err := client.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("GET /healthz on %s did not answer 200 within %v", addr, deadline)
}

// startServe starts the built binary with args (and extra environment
// variables) and returns it with its stderr and a channel that receives
// its exit. The process is killed at the end of the test if still running.
func startServe(t *testing.T, bin string, env []string, args ...string) (*exec.Cmd, *syncBuffer, <-chan error) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	stderr := new(syncBuffer)
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-exited
		}
	})
	return cmd, stderr, exited
}

func TestServeAnswersHealthzAndStopsOnSIGTERM(t *testing.T) {
	bin := buildBinary(t)
	addr := freeAddr(t)
	cmd, stderr, exited := startServe(t, bin, nil, "serve", "-listen", addr)
	waitHealthy(t, addr, 30*time.Second)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("wordfilter serve exited with %v after SIGTERM, want 0; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("wordfilter serve did not exit within 15s of SIGTERM")
	}
}
