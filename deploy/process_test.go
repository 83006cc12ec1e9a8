package deploy

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
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

// This file runs the real binary the way the container runs it: configured
// by environment only, reading the example dictionary from a folder laid
// out as the kubelet lays out a ConfigMap mount, stopped by SIGTERM.

// buildWordfilter compiles cmd/wordfilter into a temporary folder.
func buildWordfilter(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not on PATH")
	}
	bin := filepath.Join(t.TempDir(), "wordfilter")
	cmd := exec.Command(goBin, "build", "-o", bin, "./cmd/wordfilter")
	cmd.Dir = repoPath()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/wordfilter: %v\n%s", err, out)
	}
	return bin
}

// configMapMount mimics a kubelet ConfigMap volume: the files live in a
// timestamped dot-folder, "..data" links to it, and each visible name links
// through "..data". update swaps in new content by a symlink flip.
type configMapMount struct {
	dir string
	gen int
}

func newConfigMapMount(t *testing.T, files map[string][]byte) *configMapMount {
	t.Helper()
	m := &configMapMount{dir: t.TempDir()}
	m.update(t, files)
	return m
}

func (m *configMapMount) update(t *testing.T, files map[string][]byte) {
	t.Helper()
	m.gen++
	ts := fmt.Sprintf("..2026_01_01_00_00_%02d.000000001", m.gen)
	if err := os.Mkdir(filepath.Join(m.dir, ts), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(m.dir, ts, name), data, 0o444); err != nil {
			t.Fatal(err)
		}
		link := filepath.Join(m.dir, name)
		if _, err := os.Lstat(link); os.IsNotExist(err) {
			if err := os.Symlink(filepath.Join("..data", name), link); err != nil {
				t.Fatal(err)
			}
		}
	}
	tmp := filepath.Join(m.dir, "..data_tmp")
	if err := os.Symlink(ts, tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(m.dir, "..data")); err != nil {
		t.Fatal(err)
	}
}

// exampleDictFiles returns the files of deploy/kubernetes/dict.
func exampleDictFiles(t *testing.T) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(repoPath(k8sDir, "dict"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, e := range entries {
		files[e.Name()] = readFile(t, k8sDir, "dict", e.Name())
	}
	return files
}

// runningServer is a started "wordfilter serve" process.
type runningServer struct {
	addr    string
	cmd     *exec.Cmd
	exited  chan struct{} // closed when the process has exited
	exitErr error         // valid once exited is closed
	stderr  *bytes.Buffer
}

// startServe starts the binary with the container's configuration style:
// the serve command and environment variables only.
func startServe(t *testing.T, bin, dictDir string) *runningServer {
	t.Helper()
	// A loopback port that was free a moment ago.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &runningServer{addr: ln.Addr().String(), exited: make(chan struct{}), stderr: &bytes.Buffer{}}
	ln.Close()
	s.cmd = exec.Command(bin, "serve")
	s.cmd.Env = append(os.Environ(), envListen+"="+s.addr, envDict+"="+dictDir)
	s.cmd.Stderr = s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		s.exitErr = s.cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-s.exited:
		default:
			s.cmd.Process.Kill()
			<-s.exited
		}
	})
	s.waitStatus(t, healthzPath, http.StatusOK)
	return s
}

// get returns the status and body of GET path.
func (s *runningServer) get(path string) (int, []byte, error) {
	c := &http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get("http://" + s.addr + path)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// waitFor polls cond every 50 ms until it holds, failing the test after
// 30 s (a functional deadline, generous for a loaded machine).
func (s *runningServer) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("%s: not seen within 30s; stderr:\n%s", what, s.stderr)
}

func (s *runningServer) waitStatus(t *testing.T, path string, want int) {
	t.Helper()
	s.waitFor(t, fmt.Sprintf("GET %s = %d", path, want), func() bool {
		code, _, err := s.get(path)
		return err == nil && code == want
	})
}

// dictVersion returns the version GET /v1/dict reports, or "" when the
// server does not answer it.
func (s *runningServer) dictVersion() string {
	code, body, err := s.get("/v1/dict")
	if err != nil || code != http.StatusOK {
		return ""
	}
	var d struct {
		Version string `json:"version"`
	}
	if json.Unmarshal(body, &d) != nil {
		return ""
	}
	return d.Version
}

// filterResult is the part of a /v1/filter answer the example checks.
type filterResult struct {
	Decision string `json:"decision"`
	Text     string `json:"text"`
}

func (s *runningServer) filter(t *testing.T, text string) filterResult {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"text": text})
	resp, err := http.Post("http://"+s.addr+"/v1/filter", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r filterResult
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /v1/filter %q: status %d, %v", text, resp.StatusCode, err)
	}
	return r
}

// TestServeFromConfigMapMount runs the binary on the example dictionary as
// Kubernetes mounts it: it becomes ready, the example words do what their
// files' comments say, and a ConfigMap update (symlink flip) is picked up
// without a restart.
func TestServeFromConfigMapMount(t *testing.T) {
	bin := buildWordfilter(t)
	files := exampleDictFiles(t)
	mount := newConfigMapMount(t, files)
	s := startServe(t, bin, mount.dir)
	s.waitStatus(t, readyzPath, http.StatusOK)

	for _, c := range []struct{ text, decision, out string }{
		{"我在学法轮功", "block", ""},
		{"you fuck", "mask", "you ****"},
		{"加微信聊", "review", "加微信聊"},
		{"the pen is red", "pass", "the pen is red"},
		{"hello penis", "mask", "hello *****"},
		{"hello", "pass", "hello"},
	} {
		r := s.filter(t, c.text)
		if r.Decision != c.decision || (c.out != "" && r.Text != c.out) {
			t.Errorf("example dictionary: filter(%q) = %s %q, want %s %q", c.text, r.Decision, r.Text, c.decision, c.out)
		}
	}

	before := s.dictVersion()
	if before == "" {
		t.Fatalf("GET /v1/dict gave no version")
	}
	files["politics.block.txt"] = append(append([]byte{}, files["politics.block.txt"]...), "新增禁词\n"...)
	mount.update(t, files)
	s.waitFor(t, "dictionary version change after the ConfigMap symlink flip", func() bool {
		v := s.dictVersion()
		return v != "" && v != before
	})
	if r := s.filter(t, "这是新增禁词"); r.Decision != "block" {
		t.Errorf("after the flip: filter(新增禁词) = %s, want block", r.Decision)
	}
}

// TestSIGTERMFinishesInFlightRequest checks what the Deployment's preStop
// and grace period and compose's stop_grace_period rely on: a request that
// is being received when SIGTERM arrives is still answered, and the process
// then exits 0.
func TestSIGTERMFinishesInFlightRequest(t *testing.T) {
	bin := buildWordfilter(t)
	s := startServe(t, bin, newConfigMapMount(t, exampleDictFiles(t)).dir)

	conn, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(60 * time.Second))
	br := bufio.NewReader(conn)

	// One complete request first, so that the connection is surely accepted.
	req := "GET " + healthzPath + " HTTP/1.1\r\nHost: wordfilter\r\n\r\n"
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatal(err)
	}
	if resp, err := http.ReadResponse(br, nil); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("first request: %v %v", resp, err)
	} else {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}

	// The second request is half sent (its header is not finished) when
	// SIGTERM arrives.
	half := len(req) - 2
	if _, err := io.WriteString(conn, req[:half]); err != nil {
		t.Fatal(err)
	}
	// Give the server time to see the first byte: from then on the
	// connection is active and shutdown waits for it (not a speed check).
	time.Sleep(500 * time.Millisecond)
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// The listener closes on SIGTERM: wait until new connections are refused.
	s.waitFor(t, "listener closed after SIGTERM", func() bool {
		c, err := net.DialTimeout("tcp", s.addr, time.Second)
		if err == nil {
			c.Close()
		}
		return err != nil
	})
	select {
	case <-s.exited:
		t.Fatalf("process exited (%v) with a request still in flight; stderr:\n%s", s.exitErr, s.stderr)
	default:
	}
	if _, err := io.WriteString(conn, req[half:]); err != nil {
		t.Fatalf("finishing the in-flight request: %v", err)
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("in-flight request got no answer after SIGTERM: %v; stderr:\n%s", err, s.stderr)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Errorf("in-flight request after SIGTERM: %d %q %s, want 200 JSON", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	conn.Close()

	select {
	case <-s.exited:
		if s.exitErr != nil {
			t.Errorf("exit after SIGTERM: %v, want status 0; stderr:\n%s", s.exitErr, s.stderr)
		}
	case <-time.After(time.Duration(openIMMaxCallbackSeconds) * time.Second):
		t.Errorf("still running %ds after SIGTERM with nothing in flight", openIMMaxCallbackSeconds)
	}
}

// TestValidateExampleDictionary runs "wordfilter validate" on the example
// folder, as docs/operations.md tells operators to before every apply.
func TestValidateExampleDictionary(t *testing.T) {
	bin := buildWordfilter(t)
	cmd := exec.Command(bin, "validate", "-dict", repoPath(k8sDir, "dict"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		t.Fatalf("wordfilter validate -dict %s: %v\n%s%s", k8sDir+"/dict", err, stdout.String(), stderr.String())
	}
	if stdout.Len() == 0 {
		t.Errorf("wordfilter validate printed no summary")
	}
}
