package server_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wordfilter/wordfilter/server"
)

// TestUnjudgedCallbacksAreRefusedAndCounted: a callback the service cannot
// judge gets an answer OpenIM reads as a refusal (errCode
// Config.UnavailableCode), or an allow with FailOpen, over a real
// connection, and each is counted by reason.
func TestUnjudgedCallbacksAreRefusedAndCounted(t *testing.T) {
	for _, failOpen := range []bool{false, true} {
		ts := newTCPTestServer(t, server.Config{CallbackPrefix: "/hook", UnavailableCode: 7001, FailOpen: failOpen})
		body := msgBody(t, cmdModify, 101, `{"content":"hello"}`)

		r := ts.do("POST", "/callbackExample/"+cmdModify, body)
		wantUnavailable(t, "outside the prefix", r.status, r.body, 200, 7001, failOpen)

		loaded := ts.src.cur.Swap(nil)
		r = ts.do("POST", "/hook/"+cmdModify, body)
		wantUnavailable(t, "no dictionary", r.status, r.body, 200, 7001, failOpen)
		ts.src.cur.Store(loaded)

		ts.src.panicNow.Store(true)
		r = ts.do("POST", "/hook/"+cmdSingle, msgBody(t, cmdSingle, 101, `{"content":"hello"}`))
		wantUnavailable(t, "a panic", r.status, r.body, 200, 7001, failOpen)
		ts.src.panicNow.Store(false)
		if n := len(ts.logs.TakeAll()); n == 0 { // taken, so that the cleanup does not fail on it
			t.Errorf("the panic was not logged")
		}

		r = ts.do("POST", "/hook/"+cmdModify, append(body[:len(body)-1:len(body)-1], strings.Repeat(" ", ts.maxBody)...))
		wantUnavailable(t, "a body over the limit", r.status, r.body, 413, 7001, failOpen)

		// Judged callbacks are not counted as unavailable.
		if resp, _ := ts.callback("/hook/"+cmdModify, msgBody(t, cmdModify, 101, `{"content":"fuck"}`)); resp.Content == nil {
			t.Errorf("a callback under the prefix was not masked")
		}
		metrics := string(ts.do("GET", "/metrics", nil).body)
		for reason, want := range map[string]float64{"outside_prefix": 1, "no_dictionary": 1, "internal_error": 1,
			"body_too_large": 1, "too_many_connections": 0} {
			name := `wordfilter_unavailable_total{reason="` + reason + `"}`
			if got := metricValue(t, metrics, name); got != want {
				t.Errorf("failOpen=%v: %s = %v, want %v", failOpen, name, got, want)
			}
		}
	}
}

// TestRefusalLogIsRateLimited: a flood of refusals writes at most
// RefusalLogRate lines a second and counts the lines left out.
func TestRefusalLogIsRateLimited(t *testing.T) {
	ts := newTestServer(t, server.Config{RefusalLogRate: 3})
	const n = 20
	body := msgBody(t, cmdGroup, 101, `{"content":"法轮功"}`)
	for i := 0; i < n; i++ {
		if resp, _ := ts.callback("/cb/"+cmdGroup, body); !resp.refused(t) {
			t.Fatalf("not refused: %+v", resp)
		}
	}
	logged := ts.logs.FilterMessage("refused").Len()
	if logged < 3 || logged > 6 { // the requests may straddle two seconds
		t.Errorf("%d refusal lines for %d refusals at 3 a second", logged, n)
	}
	dropped := metricValue(t, string(ts.do("GET", "/metrics", nil).body), "wordfilter_log_lines_dropped_total")
	if int(dropped) != n-logged {
		t.Errorf("wordfilter_log_lines_dropped_total = %v, want %d", dropped, n-logged)
	}
}

// TestOverloadIsARefusalOverTCP: a connection over Config.MaxConns, on a
// real port, gets an answer OpenIM reads as a refusal, counted by reason.
func TestOverloadIsARefusalOverTCP(t *testing.T) {
	ts := newTCPTestServer(t, server.Config{MaxConns: 1})
	held, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	// The held connection takes the only slot once the server accepted it.
	fmt.Fprintf(held, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	if _, err := http.ReadResponse(bufio.NewReader(held), nil); err != nil {
		t.Fatal(err)
	}
	c, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	body := msgBody(t, cmdModify, 101, `{"content":"hello"}`)
	fmt.Fprintf(c, "POST /callbackExample/%s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", cmdModify, len(body), body)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	wantUnavailable(t, "a connection over -max-conns", resp.StatusCode, got, 503, server.DefaultUnavailableCode, false)
	held.Close()
	var m response
	for i := 0; i < 200 && m.status != 200; i++ { // the slot is given back when the server sees the close
		time.Sleep(10 * time.Millisecond)
		m = ts.do("GET", "/metrics", nil)
	}
	metrics := string(m.body)
	if v := metricValue(t, metrics, `wordfilter_unavailable_total{reason="too_many_connections"}`); v < 1 {
		t.Errorf(`wordfilter_unavailable_total{reason="too_many_connections"} = %v, want >= 1`, v)
	}
}
