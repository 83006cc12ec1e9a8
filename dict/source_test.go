package dict_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/filter"
)

func TestWordSourceNamesFileAndLine(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"a.txt":           "# profanity\nfuck\nshit\n",
		"b.block.txt":     "x\ny\nFUCK\n",
		"zh/politics.txt": "\n法轮功\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d, err := dict.Load(dir, filter.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"fuck": "b.block.txt:3", // the same word twice: the block one wins, and is the one named
		"shit": "a.txt:3",
		"法轮功":  "zh/politics.txt:2",
		"x":    "b.block.txt:1",
	}
	for text, src := range want {
		ms := d.Matcher.AppendMatches(nil, text)
		if len(ms) != 1 {
			t.Fatalf("%q: %d matches", text, len(ms))
		}
		if got := d.WordSource(ms[0].Word); got != src {
			t.Errorf("WordSource of %q = %q, want %q", text, got, src)
		}
	}
	if got := d.WordSource(-1) + d.WordSource(d.Matcher.Len()); got != "" {
		t.Errorf("WordSource out of range = %q, want empty", got)
	}
}

func TestWordSourceOfTheEmbeddedDictionary(t *testing.T) {
	d, err := dict.Default(filter.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for id := 0; id < d.Matcher.Len(); id++ {
		src := d.WordSource(id)
		file, line, ok := cutLast(src, ':')
		if !ok || filepath.Ext(file) != ".txt" || !strings.HasPrefix(file, "default/") {
			t.Fatalf("WordSource(%d) = %q, want default/NAME.txt:LINE", id, src)
		}
		// The files live in this package's default/ folder: the line named
		// must hold the word.
		data, err := os.ReadFile(filepath.FromSlash(file))
		if err != nil {
			t.Fatal(err)
		}
		n, _ := strconv.Atoi(line)
		lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
		if n < 1 || n > len(lines) || filter.Fold(strings.TrimSpace(lines[n-1])) != filter.Fold(d.Matcher.Word(id).Text) {
			t.Fatalf("WordSource(%d) = %q, but that line does not hold %q", id, src, d.Matcher.Word(id).Text)
		}
	}
}

func cutLast(s string, sep byte) (string, string, bool) {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}
