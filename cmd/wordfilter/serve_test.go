package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// env returns a getenv function over fixed variables.
func env(kv ...string) func(string) (string, bool) {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestServeFlagDefaults(t *testing.T) {
	cfg, err := parseServeFlags(nil, env(), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.listen != ":10006" || cfg.dict.Dir != "" || cfg.server.BlockCode != 5001 || cfg.dict.Options.Mask != 0 ||
		cfg.server.AdminToken != "" || cfg.server.CallbackPrefix != "" || cfg.dict.PollInterval != 2*time.Second ||
		!reflect.DeepEqual(cfg.server.ModifyContentTypes, []int32{101}) || cfg.server.MaxBodySize != 1<<20 ||
		cfg.dict.ReloadCPU != 0.5 || cfg.server.UnavailableCode != 5002 || cfg.server.FailOpen {
		t.Errorf("defaults = %+v", cfg)
	}
}

func TestServeFlagsFromEnvironmentAndFlagWins(t *testing.T) {
	getenv := env("WORDFILTER_LISTEN", "127.0.0.1:1", "WORDFILTER_DICT", "/d", "WORDFILTER_ADMIN_TOKEN", "tok",
		"WORDFILTER_BLOCK_CODE", "20001", "WORDFILTER_MASK", "＊", "WORDFILTER_CALLBACK_PREFIX", "secret",
		"WORDFILTER_MODIFY_TYPES", "101,105-107", "WORDFILTER_LOG_LEVEL", "debug", "WORDFILTER_MAX_BODY", "4096",
		"WORDFILTER_RELOAD_CPU", "0.25")
	cfg, err := parseServeFlags([]string{"-block-code", "30001", "-listen", ":2"}, getenv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.listen != ":2" || cfg.server.BlockCode != 30001 {
		t.Errorf("flag should win over env: listen %q block code %d", cfg.listen, cfg.server.BlockCode)
	}
	if cfg.dict.Dir != "/d" || cfg.server.AdminToken != "tok" || cfg.dict.Options.Mask != '＊' ||
		cfg.server.CallbackPrefix != "/secret" || cfg.logLevel.String() != "debug" || cfg.server.MaxBodySize != 4096 ||
		cfg.dict.ReloadCPU != 0.25 ||
		!reflect.DeepEqual(cfg.server.ModifyContentTypes, []int32{101, 105, 106, 107}) {
		t.Errorf("env not applied: %+v", cfg)
	}
}

func TestServeBadFlagValuesExit2(t *testing.T) {
	for _, args := range [][]string{
		{"-block-code", "99"},
		{"-block-code", "x"},
		{"-mask", "**"},
		{"-mask", ""},
		{"-modify-types", "10a"},
		{"-log-format", "xml"},
		{"-log-level", "loud"},
		{"-max-body", "0"},
		{"-callback-prefix", "/"},
		{"-reload-cpu", "0"},
		{"-reload-cpu", "-0.5"},
		{"-reload-cpu", "1.5"},
		{"-reload-cpu", "NaN"},
		{"-reload-cpu", "half"},
		{"-unavailable-code", "99"},
		{"-unavailable-code", "0"},
		{"-unavailable-code", "-5002"},
		{"-unavailable-code", "x"},
		{"-unavailable-code", "2147483648"},
		{"-block-code", "2147483648"},
		{"-fail-open=maybe"},
		{"stray"},
	} {
		var out, errb bytes.Buffer
		if code := run(append([]string{"serve"}, args...), nil, &out, &errb); code != 2 {
			t.Errorf("serve %v exited %d, want 2", args, code)
		}
		if errb.Len() == 0 {
			t.Errorf("serve %v printed no message", args)
		}
	}
	t.Setenv("WORDFILTER_BLOCK_CODE", "42")
	var errb bytes.Buffer
	if code := run([]string{"serve"}, nil, io.Discard, &errb); code != 2 || !strings.Contains(errb.String(), "WORDFILTER_BLOCK_CODE") {
		t.Errorf("bad WORDFILTER_BLOCK_CODE: exit %d, stderr %q; want 2 naming the variable", code, errb.String())
	}
}

func TestServeReloadCPU(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  []string
		want float64
		err  string // part of the error, "" for none
	}{
		{want: 0.5},
		{args: []string{"-reload-cpu", "1"}, want: 1},
		{args: []string{"-reload-cpu", "0.05"}, want: 0.05},
		{env: []string{"WORDFILTER_RELOAD_CPU", "0.3"}, want: 0.3},
		{args: []string{"-reload-cpu", "0.7"}, env: []string{"WORDFILTER_RELOAD_CPU", "0.3"}, want: 0.7},
		{args: []string{"-reload-cpu", "0"}, err: "-reload-cpu 0: must be above 0 and at most 1"},
		{args: []string{"-reload-cpu", "1.01"}, err: "-reload-cpu 1.01: must be above 0 and at most 1"},
		{env: []string{"WORDFILTER_RELOAD_CPU", "2"}, err: "WORDFILTER_RELOAD_CPU 2: must be above 0"},
		{env: []string{"WORDFILTER_RELOAD_CPU", "lots"}, err: `invalid value "lots" for WORDFILTER_RELOAD_CPU`},
	} {
		cfg, err := parseServeFlags(tc.args, env(tc.env...), io.Discard)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("serve %v with env %v: error %v, want one containing %q", tc.args, tc.env, err, tc.err)
		case tc.err == "" && err != nil:
			t.Errorf("serve %v with env %v: %v", tc.args, tc.env, err)
		case tc.err == "" && cfg.dict.ReloadCPU != tc.want:
			t.Errorf("serve %v with env %v: ReloadCPU %g, want %g", tc.args, tc.env, cfg.dict.ReloadCPU, tc.want)
		}
	}
}

func TestServeFailOpenAndUnavailableCode(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		env      []string
		failOpen bool
		code     int
		err      string // part of the error, "" for none
	}{
		{code: 5002},
		{args: []string{"-fail-open"}, failOpen: true, code: 5002},
		{args: []string{"-fail-open=false"}, env: []string{"WORDFILTER_FAIL_OPEN", "true"}, code: 5002},
		{env: []string{"WORDFILTER_FAIL_OPEN", "true"}, failOpen: true, code: 5002},
		{env: []string{"WORDFILTER_FAIL_OPEN", "1"}, failOpen: true, code: 5002},
		{env: []string{"WORDFILTER_FAIL_OPEN", "false"}, code: 5002},
		{args: []string{"-unavailable-code", "100"}, code: 100},
		{args: []string{"-unavailable-code", "20002"}, code: 20002},
		{env: []string{"WORDFILTER_UNAVAILABLE_CODE", "30002"}, code: 30002},
		{args: []string{"-unavailable-code", "40002"}, env: []string{"WORDFILTER_UNAVAILABLE_CODE", "30002"}, code: 40002},
		{args: []string{"-unavailable-code", "99"}, err: "-unavailable-code 99: must be >= 100"},
		{args: []string{"-unavailable-code", "0"}, err: "-unavailable-code 0: must be >= 100"},
		{args: []string{"-unavailable-code", "2147483648"}, err: "-unavailable-code 2147483648: must fit OpenIM's int32 errCode"},
		{env: []string{"WORDFILTER_UNAVAILABLE_CODE", "42"}, err: "WORDFILTER_UNAVAILABLE_CODE 42: must be >= 100"},
		{env: []string{"WORDFILTER_UNAVAILABLE_CODE", "many"}, err: `invalid value "many" for WORDFILTER_UNAVAILABLE_CODE`},
		{env: []string{"WORDFILTER_FAIL_OPEN", "yes please"}, err: `invalid value "yes please" for WORDFILTER_FAIL_OPEN`},
	} {
		cfg, err := parseServeFlags(tc.args, env(tc.env...), io.Discard)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("serve %v with env %v: error %v, want one containing %q", tc.args, tc.env, err, tc.err)
		case tc.err == "" && err != nil:
			t.Errorf("serve %v with env %v: %v", tc.args, tc.env, err)
		case tc.err == "" && (cfg.server.FailOpen != tc.failOpen || cfg.server.UnavailableCode != tc.code):
			t.Errorf("serve %v with env %v: FailOpen %v, UnavailableCode %d; want %v, %d",
				tc.args, tc.env, cfg.server.FailOpen, cfg.server.UnavailableCode, tc.failOpen, tc.code)
		}
	}
	for _, v := range []string{"42", "nope"} {
		t.Run("env "+v, func(t *testing.T) {
			t.Setenv("WORDFILTER_UNAVAILABLE_CODE", v)
			var errb bytes.Buffer
			if code := run([]string{"serve"}, nil, io.Discard, &errb); code != 2 || !strings.Contains(errb.String(), "WORDFILTER_UNAVAILABLE_CODE") {
				t.Errorf("bad WORDFILTER_UNAVAILABLE_CODE %q: exit %d, stderr %q; want 2 naming the variable", v, code, errb.String())
			}
		})
	}
}

func TestServeHelpExplainsFailOpen(t *testing.T) {
	var errb bytes.Buffer
	if code := run([]string{"serve", "-h"}, nil, io.Discard, &errb); code != 0 {
		t.Fatalf("serve -h exited %d", code)
	}
	for _, want := range []string{"cannot judge a callback", "a refusal with errCode -unavailable-code, or with -fail-open an allow", "outside -callback-prefix", "over -max-body"} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("serve -h does not say %q", want)
		}
	}
}

func TestServeHelpDocumentsEveryFlag(t *testing.T) {
	var errb bytes.Buffer
	if code := run([]string{"serve", "-h"}, nil, io.Discard, &errb); code != 0 {
		t.Fatalf("serve -h exited %d", code)
	}
	var cfg serveConfig
	newServeFlags(&cfg).VisitAll(func(f *flag.Flag) {
		if !strings.Contains(errb.String(), "-"+f.Name) || !strings.Contains(errb.String(), envName(f.Name)) {
			t.Errorf("serve -h does not document -%s and %s", f.Name, envName(f.Name))
		}
	})
}

// syncBuffer is a bytes.Buffer safe for a writer goroutine and a reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, deadline time.Duration, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(deadline); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func TestServeProcessPrefixReloadAndGracefulShutdown(t *testing.T) {
	bin := buildBinary(t)
	addr := freeAddr(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "profanity.txt"), []byte("fuck\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd, stderr, exited := startServe(t, bin, []string{"WORDFILTER_CALLBACK_PREFIX=/s3cret", "WORDFILTER_UNAVAILABLE_CODE=7002"},
		"serve", "-listen", addr, "-dict", dir, "-drain-delay", "1s")
	waitHealthy(t, addr, 30*time.Second)
	client := &http.Client{Timeout: 5 * time.Second}
	get := func(path string) int {
		resp, err := client.Get("http://" + addr + path)
		if err != nil {
			return -1
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	waitFor(t, "/readyz 200", 10*time.Second, func() bool { return get("/readyz") == 200 })

	body := `{"callbackCommand":"callbackBeforeMsgModifyCommand","contentType":101,"content":"{\"content\":\"oh fuck\"}"}`
	post := func(path string) (int, string) {
		resp, err := client.Post("http://"+addr+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatalf("POST %s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, got := post("/s3cret/callbackBeforeMsgModifyCommand"); code != 200 || !strings.Contains(got, `oh ****`) {
		t.Errorf("callback under the prefix = %d %s", code, got)
	}
	// Outside the prefix: never an answer OpenIM reads as allow, but the
	// refusal with the -unavailable-code set through the environment.
	if code, got := post("/callbackExample/callbackBeforeMsgModifyCommand"); code != 200 ||
		!strings.Contains(got, `"nextCode":1`) || !strings.Contains(got, `"errCode":7002`) {
		t.Errorf("callback outside the prefix = %d %s, want 200 with nextCode 1 and errCode 7002", code, got)
	}

	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a reload log line with trigger signal", 10*time.Second, func() bool {
		return strings.Contains(stderr.String(), `"trigger":"signal"`)
	})

	// A request in flight when SIGTERM arrives: headers and half the body.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /s3cret/callbackBeforeMsgModifyCommand HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
		len(body), body[:len(body)/2])
	time.Sleep(100 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "/readyz 503 while draining", 5*time.Second, func() bool { return get("/readyz") == 503 })
	if _, err := io.WriteString(conn, body[len(body)/2:]); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("in-flight request got no answer: %v\n%s", err, stderr.String())
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(b), "oh ****") {
		t.Errorf("in-flight request = %d %s", resp.StatusCode, b)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v, want 0; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("no exit within 20s of SIGTERM")
	}
	if get("/healthz") != -1 {
		t.Errorf("the listener is still open after exit")
	}
}

// listening reports whether something accepts connections on addr.
func listening(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err == nil {
		c.Close()
	}
	return err == nil
}

func TestServeRefusedDictionaryExits1WithoutListening(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	badUTF8 := writeDictFolder(t, map[string]string{"good.txt": "fine\n", "bad.block.txt": "ok\n\xff\xfe\n"})
	typo := writeDictFolder(t, map[string]string{"good.txt": "fine\n", "politics.blok.txt": "法轮功\n"})
	empty := t.TempDir()
	const may = ": a dictionary file is NAME.txt or NAME.<mask|block|review|allow|variants>.txt"
	for _, tc := range []struct {
		name, dir string
		want      []string // lines stderr must hold
	}{
		{"missing folder", missing, []string{missing + ": cannot read folder"}},
		{"invalid UTF-8", badUTF8, []string{filepath.Join(badUTF8, "bad.block.txt") + `:2: word "\xff\xfe": invalid UTF-8`}},
		{"misspelled suffix", typo, []string{filepath.Join(typo, "politics.blok.txt") + `: unknown suffix ".blok"` + may}},
		{"empty folder", empty, []string{empty + ": no dictionary files (*.txt) in the folder"}},
	} {
		addr := freeAddr(t)
		var out, errb bytes.Buffer
		code := run([]string{"serve", "-listen", addr, "-dict", tc.dir, "-log-level", "error"}, nil, &out, &errb)
		if code != 1 {
			t.Errorf("%s: serve exited %d, want 1; stderr:\n%s", tc.name, code, errb.String())
		}
		lines := strings.Split(errb.String(), "\n")
		for _, w := range tc.want {
			found := false
			for _, l := range lines {
				found = found || strings.HasPrefix(l, w)
			}
			if !found {
				t.Errorf("%s: stderr lacks a line starting %q:\n%s", tc.name, w, errb.String())
			}
		}
		if listening(addr) {
			t.Errorf("%s: something listens on %s after serve refused its dictionary", tc.name, addr)
		}
	}
}

func TestServeProcessRefusedDictionaryNeverListens(t *testing.T) {
	bin := buildBinary(t)
	addr := freeAddr(t)
	dir := writeDictFolder(t, map[string]string{"porn.txt": "fuck\n", "violence.Blok.txt": "kill you\n"})
	_, stderr, exited := startServe(t, bin, []string{"WORDFILTER_DICT=" + dir}, "serve", "-listen", addr)
	select {
	case err := <-exited:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 1 {
			t.Fatalf("serve on a refused folder exited with %v, want status 1; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("serve on a refused folder still runs after 30s; stderr:\n%s", stderr.String())
	}
	want := "\n" + filepath.Join(dir, "violence.Blok.txt") + `: unknown suffix ".Blok": a dictionary file is NAME.txt or NAME.<mask|block|review|allow|variants>.txt` + "\n"
	if !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr lacks the line %q:\n%s", strings.TrimSpace(want), stderr.String())
	}
	if strings.Contains(stderr.String(), `"msg":"serving"`) || listening(addr) {
		t.Errorf("serve listened although its dictionary was refused; stderr:\n%s", stderr.String())
	}
}

// TestServeProcessSIGTERMWhileLoading stops the process while a large
// dictionary loads: it must exit 0 promptly, not hang in the load.
func TestServeProcessSIGTERMWhileLoading(t *testing.T) {
	bin := buildBinary(t)
	addr := freeAddr(t)
	dir := t.TempDir()
	var words bytes.Buffer
	r := uint32(1)
	for i := 0; i < 300000; i++ {
		for j := 0; j < 4; j++ {
			r = r*1664525 + 1013904223
			words.WriteRune(rune(0x4e00 + r>>16%20000))
		}
		words.WriteByte('\n')
	}
	if err := os.WriteFile(filepath.Join(dir, "big.block.txt"), words.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd, stderr, exited := startServe(t, bin, nil, "serve", "-listen", addr, "-dict", dir)
	// The signal handlers are in place before this line is logged.
	waitFor(t, "the loading log line", 30*time.Second, func() bool {
		return strings.Contains(stderr.String(), `"msg":"loading the dictionary"`)
	})
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit after SIGTERM while loading: %v, want 0; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("no exit within 15s of SIGTERM while loading; stderr:\n%s", stderr.String())
	}
	if strings.Contains(stderr.String(), "stopped before the dictionary was loaded") {
		if strings.Contains(stderr.String(), `"msg":"serving"`) {
			t.Errorf("serve listened after a SIGTERM during the load; stderr:\n%s", stderr.String())
		}
	} else {
		t.Logf("the load finished before SIGTERM arrived; the drain path was taken instead")
	}
}

func TestServeProcessFailOpen(t *testing.T) {
	bin := buildBinary(t)
	addr := freeAddr(t)
	startServe(t, bin, []string{"WORDFILTER_FAIL_OPEN=true"}, "serve", "-listen", addr, "-callback-prefix", "/s3cret")
	waitHealthy(t, addr, 30*time.Second)
	body := `{"callbackCommand":"callbackBeforeSendSingleMsgCommand","contentType":101,"content":"{\"content\":\"法轮功\"}"}`
	post := func(path string) string {
		resp, err := http.Post("http://"+addr+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatalf("POST %s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Errorf("POST %s = %d %s, want 200", path, resp.StatusCode, b)
		}
		return string(b)
	}
	// Outside the prefix the service cannot judge: -fail-open allows.
	if got := post("/elsewhere/callbackBeforeSendSingleMsgCommand"); !strings.Contains(got, `"nextCode":0`) ||
		!strings.Contains(got, `"errCode":0`) || !strings.Contains(got, "word filter unavailable") {
		t.Errorf("outside the prefix with -fail-open = %s, want an allow saying the filter is unavailable", got)
	}
	// Judged callbacks are unaffected: a blocked word is still refused.
	if got := post("/s3cret/callbackBeforeSendSingleMsgCommand"); !strings.Contains(got, `"nextCode":1`) || !strings.Contains(got, `"errCode":5001`) {
		t.Errorf("a blocked word under the prefix with -fail-open = %s, want the 5001 refusal", got)
	}
}

func TestServeNamesTheSettingServerValidateRefuses(t *testing.T) {
	for _, tc := range []struct {
		args, env []string
		err       string
	}{
		{args: []string{"-block-code", "99"}, err: "-block-code 99: must be >= 100"},
		{env: []string{"WORDFILTER_BLOCK_CODE", "-1"}, err: "WORDFILTER_BLOCK_CODE -1: must be >= 100"},
		{args: []string{"-block-code", "2147483648"}, err: "-block-code 2147483648: must fit OpenIM's int32 errCode"},
		{args: []string{"-callback-prefix", "//"}, err: `-callback-prefix "//": names no path`},
		{env: []string{"WORDFILTER_CALLBACK_PREFIX", "/a?b"}, err: `WORDFILTER_CALLBACK_PREFIX "/a?b": must be a plain path`},
		{args: []string{"-max-conns-per-ip", "-1"}, err: "-max-conns-per-ip -1: must not be negative"},
	} {
		_, err := parseServeFlags(tc.args, env(tc.env...), io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("serve %v with env %v: error %v, want one containing %q", tc.args, tc.env, err, tc.err)
		}
	}
	for prefix, want := range map[string]string{"secret": "/secret", "/a/b/": "/a/b", "//x": "/x"} {
		cfg, err := parseServeFlags([]string{"-callback-prefix", prefix}, env(), io.Discard)
		if err != nil || cfg.server.CallbackPrefix != want {
			t.Errorf("-callback-prefix %q = %q, %v; want %q as the server reads it", prefix, cfg.server.CallbackPrefix, err, want)
		}
	}
}

func TestServeAndCheckParseTheMaskAlike(t *testing.T) {
	for mask, ok := range map[string]bool{"#": true, "＊": true, "\x01": false, "\t": false, "\x7f": false, "": false, "**": false, "\xff": false} {
		_, err := parseServeFlags([]string{"-mask", mask}, env(), io.Discard)
		if (err == nil) != ok {
			t.Errorf("serve -mask %q: error %v, want ok %v", mask, err, ok)
		}
		code, _, errOut := runCmd(t, "x\n", "check", "-mask", mask)
		if (code == 0) != ok {
			t.Errorf("check -mask %q = %d, %q; want ok %v like serve", mask, code, errOut, ok)
		}
	}
}
