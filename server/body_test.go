package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
	"go.uber.org/zap"

	"github.com/wordfilter/wordfilter/server"
)

// tcpServer is a Server on a real 127.0.0.1 port, stopped at cleanup.
type tcpServer struct {
	srv  *server.Server
	addr string
}

func newTCPServer(t *testing.T, cfg server.Config) *tcpServer {
	t.Helper()
	src := &fakeSource{}
	src.cur.Store(newDict(t, "v1", testWords))
	srv, err := server.New(cfg, src, zap.NewNop())
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return &tcpServer{srv: srv, addr: ln.Addr().String()}
}

// dial opens a connection to the server that closes at cleanup and gives
// up after 10 seconds.
func (ts *tcpServer) dial(t *testing.T) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", ts.addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	t.Cleanup(func() { c.Close() })
	return c
}

// rawAnswer is an answer read off the wire.
type rawAnswer struct {
	status      int
	contentType string
	body        []byte
	err         error // reading it failed (a reset, a timeout, ...)
	end         error // what reading after the answer met (sendWhileReading)
}

func readAnswer(br *bufio.Reader) rawAnswer {
	var resp fasthttp.Response
	if err := resp.Read(br); err != nil {
		return rawAnswer{err: err}
	}
	return rawAnswer{status: resp.StatusCode(), contentType: string(resp.Header.ContentType()),
		body: append([]byte(nil), resp.Body()...)}
}

// sendWhileReading writes head and then body in pieces from another
// goroutine (as a client that does not wait for the answer does) and
// reads one answer meanwhile. The write may fail once the server has
// answered; only the answer counts.
func sendWhileReading(conn net.Conn, head string, body func(w io.Writer) error) rawAnswer {
	wrote := make(chan struct{})
	go func() {
		defer close(wrote)
		if _, err := io.WriteString(conn, head); err != nil {
			return
		}
		body(conn)
	}()
	br := bufio.NewReader(conn)
	a := readAnswer(br)
	if a.err == nil {
		_, a.end = io.Copy(io.Discard, br)
		if a.end == nil {
			a.end = io.EOF
		}
	}
	conn.Close()
	<-wrote
	return a
}

// checkTooLarge checks a 413 answer: the unavailable refusal on a callback
// path, {"error":"request body larger than N bytes"} on a REST path.
func checkTooLarge(t *testing.T, what, path string, a rawAnswer, max int) {
	t.Helper()
	if a.err != nil {
		t.Errorf("%s: no answer: %v", what, a.err)
		return
	}
	if a.contentType != "application/json" {
		t.Errorf("%s: Content-Type %q, want application/json", what, a.contentType)
	}
	if strings.HasPrefix(path, "/v1/") || path == "/healthz" {
		want := fmt.Sprintf(`{"error":"request body larger than %d bytes"}`, max)
		if a.status != 413 || string(a.body) != want {
			t.Errorf("%s = %d %s, want 413 %s", what, a.status, a.body, want)
		}
		return
	}
	wantUnavailable(t, what, a.status, a.body, 413, server.DefaultUnavailableCode, false)
	var e struct {
		ErrMsg string `json:"errMsg"`
	}
	json.Unmarshal(a.body, &e)
	if !strings.Contains(e.ErrMsg, fmt.Sprint(max)) {
		t.Errorf("%s: errMsg %q does not name the limit %d", what, e.ErrMsg, max)
	}
}

// bigBody is a body far over the limits of these tests.
var bigBody = []byte(`{"text":"` + strings.Repeat("a", 20<<20) + `"}`)

func writeAll(b []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		for len(b) > 0 {
			n := min(len(b), 64<<10)
			if _, err := w.Write(b[:n]); err != nil {
				return err
			}
			b = b[n:]
		}
		return nil
	}
}

// A 20 MB body sent without waiting for the answer gets the whole 413
// every time, not a reset that loses it.
func TestBodyTooLargeIsAnsweredNotReset(t *testing.T) {
	const max = 1 << 20
	ts := newTCPServer(t, server.Config{MaxBodySize: max})
	const attempts = 20
	for _, path := range []string{"/callbackExample/callbackBeforeSendSingleMsgCommand", "/v1/filter"} {
		lost, reset := 0, 0
		for i := 0; i < attempts; i++ {
			head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", path, len(bigBody))
			a := sendWhileReading(ts.dial(t), head, writeAll(bigBody))
			if a.err != nil {
				lost++
				continue
			}
			checkTooLarge(t, fmt.Sprintf("POST %s with %d bytes", path, len(bigBody)), path, a, max)
			// Linux keeps data it received before a reset readable, so
			// on loopback a reset rarely loses the answer; but another
			// kernel, or one answer segment lost on the way, does. So the
			// answer must be followed by the end of the stream, before any
			// reset.
			if a.end != io.EOF {
				reset++
			}
		}
		if lost > 0 || reset > 0 {
			t.Errorf("POST %s with %d bytes: %d of %d answers lost, %d followed by a reset, not the end of the stream",
				path, len(bigBody), lost, attempts, reset)
		}
	}
	// Only the callbacks count as unavailable.
	want := fmt.Sprintf(`wordfilter_unavailable_total{reason="body_too_large"} %d`, attempts)
	if m := ts.metrics(t); !strings.Contains(m, "\n"+want+"\n") {
		t.Errorf("/metrics lacks %q", want)
	}
}

// metrics returns the /metrics text.
func (ts *tcpServer) metrics(t *testing.T) string {
	t.Helper()
	conn := ts.dial(t)
	io.WriteString(conn, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
	a := readAnswer(bufio.NewReader(conn))
	if a.err != nil || a.status != 200 {
		t.Fatalf("GET /metrics = %d %v", a.status, a.err)
	}
	return string(a.body)
}

// A chunked body over the limit gets the 413 too.
func TestChunkedBodyTooLarge(t *testing.T) {
	const max = 64 << 10
	ts := newTCPServer(t, server.Config{MaxBodySize: max})
	chunks := func(w io.Writer) error {
		chunk := fmt.Sprintf("%x\r\n%s\r\n", 32<<10, strings.Repeat("a", 32<<10))
		for i := 0; i < 600; i++ { // about 20 MB
			if _, err := io.WriteString(w, chunk); err != nil {
				return err
			}
		}
		_, err := io.WriteString(w, "0\r\n\r\n")
		return err
	}
	for _, path := range []string{"/callbackExample/callbackBeforeMsgModifyCommand", "/v1/filter"} {
		for i := 0; i < 5; i++ {
			head := "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
			a := sendWhileReading(ts.dial(t), head, chunks)
			checkTooLarge(t, "chunked POST "+path, path, a, max)
		}
	}
}

// With Expect: 100-continue, a Content-Length over the limit is refused at
// once: no 100 Continue, and the client need not send the body.
func TestExpectContinueOverLimitIsRefusedFirst(t *testing.T) {
	const max = 1000
	ts := newTCPServer(t, server.Config{MaxBodySize: max})
	for _, path := range []string{"/callbackExample/callbackBeforeSendGroupMsgCommand", "/v1/filter", "/healthz"} {
		conn := ts.dial(t)
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n", path, 20<<20)
		br := bufio.NewReader(conn)
		// fasthttp's Response.Read skips a 100 Continue: look first.
		if first, err := br.Peek(len("HTTP/1.1 100")); err != nil || string(first) == "HTTP/1.1 100" {
			t.Errorf("POST %s with Expect and an over-limit Content-Length: answer starts %q, %v; want the refusal without 100 Continue", path, first, err)
			continue
		}
		a := readAnswer(br)
		checkTooLarge(t, "POST "+path+" with Expect: 100-continue", path, a, max)
	}

	// Within the limit, the body is asked for and judged.
	conn := ts.dial(t)
	body := `{"text":"casino"}`
	fmt.Fprintf(conn, "POST /v1/filter HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n", len(body))
	br := bufio.NewReader(conn)
	line, err := br.ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "HTTP/1.1 100 ") {
		t.Fatalf("Expect within the limit: first line %q, %v; want 100 Continue", line, err)
	}
	if _, err := br.ReadString('\n'); err != nil { // the blank line ending the 100 answer
		t.Fatal(err)
	}
	io.WriteString(conn, body)
	a := readAnswer(br)
	if a.err != nil || a.status != 200 || !strings.Contains(string(a.body), `"decision":"review"`) {
		t.Errorf("Expect within the limit = %d %s %v, want 200 with the review decision", a.status, a.body, a.err)
	}
}
