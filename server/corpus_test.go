package server_test

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/filter"
	"github.com/wordfilter/wordfilter/internal/shareddata"
	"github.com/wordfilter/wordfilter/server"
)

// readLines returns up to max non-blank lines of a shared data file that
// keep (when non-nil) accepts.
func readLines(tb testing.TB, rel string, max int, keep func(string) bool) []string {
	tb.Helper()
	f, err := os.Open(shareddata.Path(tb, rel))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() && len(out) < max {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") && (keep == nil || keep(line)) {
			out = append(out, line)
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// corpusServer returns a server on a real dictionary and real chat lines.
func corpusServer(tb testing.TB, dictFile, corpusFile string, lines int) (*server.Server, *dict.Dictionary, []string) {
	tb.Helper()
	var words []filter.Word
	for _, w := range readLines(tb, dictFile, 1<<20, func(s string) bool { return filter.CheckWord(s) == "" }) {
		words = append(words, filter.Word{Text: w, Category: "real", Action: filter.Mask})
	}
	d := newDict(tb, "real", words)
	src := &fakeSource{}
	src.cur.Store(d)
	srv, err := server.New(server.Config{}, src, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return srv, d, readLines(tb, corpusFile, lines, nil)
}

// TestModifyOnRealChat checks the modify callback against the matcher on
// real chat lines: content is answered exactly when the matcher masks
// something, and then holds the masked text.
func TestModifyOnRealChat(t *testing.T) {
	if testing.Short() {
		t.Skip("real dictionaries and corpora: skipped with -short")
	}
	for _, tc := range []struct{ dict, corpus string }{
		{"dicts/zh-small.txt", "corpus/zh-chat.txt"},
		{"dicts/en.txt", "corpus/en-chat.txt"},
	} {
		srv, d, lines := corpusServer(t, tc.dict, tc.corpus, 300)
		masked := 0
		for _, line := range lines {
			elem, _ := json.Marshal(map[string]string{"content": line})
			ctx := newCtx("POST", "/callbackExample/"+cmdModify, msgBody(t, cmdModify, 101, string(elem)))
			srv.Handler(ctx)
			var resp openIMResp
			if err := json.Unmarshal(ctx.Response.Body(), &resp); err != nil || ctx.Response.StatusCode() != 200 {
				t.Fatalf("%q: answer %d %s", line, ctx.Response.StatusCode(), ctx.Response.Body())
			}
			want := d.Matcher.Replace(line)
			if want == line {
				if resp.Content != nil {
					t.Errorf("%q: content %s answered for a clean line", line, *resp.Content)
				}
				continue
			}
			masked++
			var got struct{ Content string }
			if resp.Content == nil || json.Unmarshal([]byte(*resp.Content), &got) != nil || got.Content != want {
				t.Errorf("%q: content %s, want the text %q", line, ptrStr(resp.Content), want)
			}
		}
		t.Logf("%s on %d lines of %s: %d masked", tc.dict, len(lines), tc.corpus, masked)
	}
}

// BenchmarkModifyCallbackRealChat runs real chat lines through the modify
// callback with a real dictionary.
func BenchmarkModifyCallbackRealChat(b *testing.B) {
	srv, _, lines := corpusServer(b, "dicts/zh-small.txt", "corpus/zh-chat.txt", 1000)
	ctxs := make([]*fasthttp.RequestCtx, len(lines))
	size := 0
	for i, line := range lines {
		elem, _ := json.Marshal(map[string]string{"content": line})
		body := msgBody(b, cmdModify, 101, string(elem))
		size += len(body)
		ctxs[i] = newCtx("POST", "/callbackExample/"+cmdModify, body)
	}
	b.SetBytes(int64(size / len(ctxs)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		ctx := ctxs[i%len(ctxs)]
		ctx.Response.Reset()
		srv.Handler(ctx)
		i++
	}
}
