package server_test

import (
	"bufio"
	"encoding/json"
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/wordfilter/wordfilter/server"
)

// get sends GET /healthz on conn (unless send is false) and reads the
// answer.
func get(t *testing.T, conn net.Conn, send bool) (int, string) {
	t.Helper()
	if send {
		if _, err := conn.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
			return -1, err.Error()
		}
	}
	var resp fasthttp.Response
	if err := resp.Read(bufio.NewReader(conn)); err != nil {
		return -1, err.Error()
	}
	if ct := string(resp.Header.ContentType()); ct != "application/json" {
		t.Errorf("answer Content-Type %q, want application/json", ct)
	}
	return resp.StatusCode(), string(resp.Body())
}

func TestConnectionLimitsAnswerJSON(t *testing.T) {
	ts := newTestServer(t, server.Config{MaxConns: 3, MaxConnsPerIP: 2})
	a1 := &net.TCPAddr{IP: net.IPv4(10, 0, 0, 1), Port: 1}
	a2 := &net.TCPAddr{IP: net.IPv4(10, 0, 0, 2), Port: 1}
	a3 := &net.TCPAddr{IP: net.IPv4(10, 0, 0, 3), Port: 1}
	dial := func(from net.Addr) net.Conn {
		c, err := ts.ln.DialWithLocalAddr(from)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	open := []net.Conn{dial(a1), dial(a1)}
	for _, c := range open {
		if code, body := get(t, c, true); code != 200 {
			t.Fatalf("connection within the limits = %d %s", code, body)
		}
	}
	check503 := func(what string, c net.Conn) {
		t.Helper()
		code, body := get(t, c, false) // a refused connection is answered at once
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal([]byte(body), &e) != nil || !strings.Contains(e.Error, "too many") {
			t.Errorf("%s = %d %s, want a REST error too", what, code, body)
		}
		wantUnavailable(t, what, code, []byte(body), 503, server.DefaultUnavailableCode, false)
	}
	check503("third connection from one IP (limit 2)", dial(a1))
	b := dial(a2)
	if code, body := get(t, b, true); code != 200 {
		t.Fatalf("connection from another IP = %d %s", code, body)
	}
	check503("fourth connection (limit 3)", dial(a3))
	open[0].Close()
	b.Close()
	var code int
	for i := 0; i < 100 && code != 200; i++ { // a slot is given back when the server sees the close
		c := dial(a3)
		code, _ = get(t, c, true)
		c.Close()
	}
	if code != 200 {
		t.Fatalf("a freed slot was not given back")
	}
	open[1].Close()
	var body string
	for i := 0; i < 100 && !strings.Contains(body, "wordfilter_refused_connections_total"); i++ {
		c := dial(a3)
		c.Write([]byte("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"))
		var resp fasthttp.Response
		if resp.Read(bufio.NewReader(c)) == nil {
			body = string(resp.Body())
		}
		c.Close()
	}
	var refused int
	for _, line := range strings.Split(body, "\n") {
		if n, ok := strings.CutPrefix(line, "wordfilter_refused_connections_total "); ok {
			refused, _ = strconv.Atoi(n)
		}
	}
	if refused < 2 {
		t.Errorf("wordfilter_refused_connections_total = %d, want at least the 2 refused connections", refused)
	}
}
