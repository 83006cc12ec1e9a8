package loadgen_test

import (
	"testing"

	"github.com/wordfilter/wordfilter/bench/loadgen"
)

func TestCheckLoopback(t *testing.T) {
	f := func(target, want string) {
		t.Helper()
		got, err := loadgen.CheckLoopback(target)
		if want == "" {
			if err == nil {
				t.Errorf("CheckLoopback(%q) = %q, want an error", target, got)
			}
			return
		}
		if err != nil || got != want {
			t.Errorf("CheckLoopback(%q) = %q, %v; want %q", target, got, err, want)
		}
	}
	f("127.0.0.1:10006", "127.0.0.1:10006")
	f("127.1.2.3:80", "127.1.2.3:80")
	f("localhost:8080", "127.0.0.1:8080")
	f("[::1]:9000", "[::1]:9000")
	f("http://127.0.0.1:10006/callbackExample", "127.0.0.1:10006")
	f("http://localhost:1", "127.0.0.1:1")
	f("10.0.0.1:80", "")
	f("192.168.1.10:10006", "")
	f("0.0.0.0:10006", "")
	f("example.com:80", "")
	f("localhost.example.com:80", "")
	f("https://127.0.0.1:443", "")
	f("127.0.0.1", "")
	f("127.0.0.1:0", "")
	f(":10006", "")
	f("", "")
}
