package baseline_test

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wordfilter/wordfilter/bench/baseline"
	"github.com/wordfilter/wordfilter/bench/loadgen"
	"github.com/wordfilter/wordfilter/internal/shareddata"
)

// answer is an OpenIM callback answer.
type answer struct {
	ActionCode *int    `json:"actionCode"`
	ErrCode    *int    `json:"errCode"`
	ErrMsg     string  `json:"errMsg"`
	NextCode   int     `json:"nextCode"`
	Content    *string `json:"content"`
}

// post sends body to addr+path and decodes the answer.
func post(t *testing.T, addr, path, body string) (int, answer, string) {
	t.Helper()
	resp, err := http.Post("http://"+addr+path, "application/json; charset=utf-8", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("POST %s: Content-Type %q", path, ct)
	}
	var a answer
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatalf("POST %s: answer %q is not JSON: %v", path, raw, err)
	}
	return resp.StatusCode, a, string(raw)
}

// bodies builds one request of every kind carrying text.
func bodies(t *testing.T, text string) []loadgen.Request {
	t.Helper()
	mix, _ := loadgen.ParseMix(strings.Join(loadgen.KindNames(), ","))
	reqs, err := loadgen.Build([]string{text}, mix, loadgen.BuildConfig{Count: 200, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	var one []loadgen.Request
	seen := map[string]bool{}
	for _, r := range reqs {
		if !seen[r.Kind] {
			seen[r.Kind] = true
			one = append(one, r)
		}
	}
	if len(one) != len(loadgen.KindNames()) {
		t.Fatalf("built %d kinds, want %d", len(one), len(loadgen.KindNames()))
	}
	return one
}

func startCeiling(t *testing.T) string {
	t.Helper()
	s, err := baseline.StartCeiling("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s.Addr
}

func startNaive(t *testing.T, words ...string) string {
	t.Helper()
	s, err := baseline.StartNaiveTrie("127.0.0.1:0", baseline.NewTrie(words))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s.Addr
}

func TestCeilingAnswersAllow(t *testing.T) {
	t.Parallel()
	addr := startCeiling(t)
	for _, r := range bodies(t, "法轮功 fuck") {
		code, _, raw := post(t, addr, r.Path, string(r.Body))
		if code != 200 || raw != baseline.AllowJSON {
			t.Errorf("%s: %d %s, want 200 %s", r.Kind, code, raw, baseline.AllowJSON)
		}
	}
	code, a, _ := post(t, addr, "/callbackExample/callbackBeforeMsgModifyCommand", "{not json")
	if code != 400 || a.ErrCode == nil || *a.ErrCode != 400 || a.ErrMsg == "" {
		t.Errorf("bad JSON: %d %+v, want 400 with errCode 400", code, a)
	}
	code, _, _ = post(t, addr, "/x/callbackBeforeMsgModifyCommand", `{"contentType":101,"content":"plain"}`)
	if code != 400 {
		t.Errorf("content that is not element JSON: %d, want 400", code)
	}
	for _, p := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get("http://" + addr + p)
		if err != nil || resp.StatusCode != 200 {
			t.Errorf("GET %s: %v %v", p, resp, err)
		} else {
			resp.Body.Close()
		}
	}
}

func TestNaiveMasksAndRefuses(t *testing.T) {
	t.Parallel()
	addr := startNaive(t, "法轮功", "Bad")
	for _, r := range bodies(t, "say BAD 法轮功 ok") {
		code, a, raw := post(t, addr, r.Path, string(r.Body))
		if code != 200 || a.ActionCode == nil || *a.ActionCode != 0 || a.ErrCode == nil {
			t.Fatalf("%s: %d %s", r.Kind, code, raw)
		}
		switch {
		case strings.Contains(r.Path, "MsgModify"):
			if a.Content == nil || a.NextCode != 0 {
				t.Fatalf("%s: %s, want a rewritten content", r.Kind, raw)
			}
			var elem map[string]any
			if err := json.Unmarshal([]byte(*a.Content), &elem); err != nil {
				t.Fatalf("%s: content %q is not element JSON", r.Kind, *a.Content)
			}
			if elem["content"] != "say *** *** ok" {
				t.Errorf("%s: masked %q, want %q", r.Kind, elem["content"], "say *** *** ok")
			}
		default:
			if a.NextCode != 1 || *a.ErrCode != 5001 || a.Content != nil {
				t.Errorf("%s: %s, want a refusal with errCode 5001", r.Kind, raw)
			}
		}
	}
	for _, r := range bodies(t, "nothing here") {
		code, _, raw := post(t, addr, r.Path, string(r.Body))
		if code != 200 || !strings.HasPrefix(raw, `{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0}`) {
			t.Errorf("%s clean text: %d %s, want allow", r.Kind, code, raw)
		}
	}
	code, a, _ := post(t, addr, "/cb/callbackBeforeMsgModifyCommand", "[1,")
	if code != 400 || a.ErrCode == nil || *a.ErrCode != 400 {
		t.Errorf("bad JSON: %d %+v, want 400", code, a)
	}
}

func TestTrieMask(t *testing.T) {
	tr := baseline.NewTrie([]string{"ab", "abcd", "法轮", "", "  "})
	if tr.Len() != 3 {
		t.Errorf("Len() = %d, want 3", tr.Len())
	}
	f := func(in, want string, changed bool) {
		t.Helper()
		got, ok := tr.Mask(in)
		if got != want || ok != changed {
			t.Errorf("Mask(%q) = %q, %v; want %q, %v", in, got, ok, want, changed)
		}
	}
	f("xx ABCD yy", "xx **** yy", true)
	f("abc", "**c", true)
	f("ab法轮功", "****功", true)
	f("a b", "a b", false)
	f("", "", false)
}

func TestLoadWords(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, s string) {
		p := filepath.Join(dir, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.txt", "\ufeffone\r\n# comment\n\n  two  \n")
	write("sub/b.block.txt", "three\n")
	write("..data/c.txt", "hidden\n")
	write(".d.txt", "hidden\n")
	write("notes.md", "ignored\n")
	words, err := baseline.LoadWords(dir)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(words)
	if strings.Join(words, ",") != "one,three,two" {
		t.Errorf("LoadWords = %q, want one, three, two", words)
	}
	words, err = baseline.LoadWords(filepath.Join(dir, "sub", "b.block.txt"))
	if err != nil || len(words) != 1 {
		t.Errorf("LoadWords(file) = %q, %v", words, err)
	}
	if _, err := baseline.LoadWords(filepath.Join(dir, "absent")); err == nil {
		t.Error("LoadWords(absent): no error")
	}
	if s, err := baseline.StartNaive("127.0.0.1:0", t.TempDir()); err == nil {
		s.Close()
		t.Error("StartNaive with an empty dictionary folder started")
	}
}

func TestRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "10.1.1.1:0", "nonsense"} {
		if s, err := baseline.StartCeiling(addr); err == nil {
			s.Close()
			t.Errorf("StartCeiling(%q) listened", addr)
		}
		if s, err := baseline.StartNaiveTrie(addr, baseline.NewTrie([]string{"x"})); err == nil {
			s.Close()
			t.Errorf("StartNaiveTrie(%q) listened", addr)
		}
	}
}

func TestNaiveWithSharedDictionary(t *testing.T) {
	words, err := baseline.LoadWords(shareddata.Path(t, "dicts/zh-small.txt"))
	if err != nil {
		t.Fatal(err)
	}
	tr := baseline.NewTrie(words)
	if tr.Len() < 900 {
		t.Errorf("zh-small: %d words in the trie, want about 980", tr.Len())
	}
	if _, changed := tr.Mask("今天天气很好" + words[0]); !changed {
		t.Errorf("a dictionary word %q was not masked", words[0])
	}
}
