package baseline

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"
)

// Trie is the typical user's dictionary: a map-of-runes trie of lower-cased
// words. It is immutable once built and safe for concurrent use.
type Trie struct {
	root  *trieNode
	words int
}

type trieNode struct {
	next map[rune]*trieNode
	end  bool
}

// NewTrie builds a Trie of words, lower-casing each rune; blank words are
// skipped.
func NewTrie(words []string) *Trie {
	t := &Trie{root: &trieNode{next: map[rune]*trieNode{}}}
	for _, w := range words {
		if strings.TrimSpace(w) == "" {
			continue
		}
		n := t.root
		for _, r := range w {
			r = unicode.ToLower(r)
			c := n.next[r]
			if c == nil {
				c = &trieNode{next: map[rune]*trieNode{}}
				n.next[r] = c
			}
			n = c
		}
		if !n.end {
			n.end = true
			t.words++
		}
	}
	return t
}

// Len returns the number of distinct words in t.
func (t *Trie) Len() int { return t.words }

// Mask replaces every rune of each longest match, scanning from every
// position of text, with '*'. It returns the masked text and whether
// anything matched.
func (t *Trie) Mask(text string) (string, bool) {
	runes := []rune(text)
	found := false
	for i := 0; i < len(runes); i++ {
		n, end := t.root, -1
		for j := i; j < len(runes); j++ {
			n = n.next[unicode.ToLower(runes[j])]
			if n == nil {
				break
			}
			if n.end {
				end = j
			}
		}
		if end >= 0 {
			for k := i; k <= end; k++ {
				runes[k] = '*'
			}
			found = true
			i = end
		}
	}
	if !found {
		return text, false
	}
	return string(runes), true
}

// LoadWords reads every *.txt file under dir (files and folders starting
// with "." skipped), one word a line, skipping blank lines and "#" comments.
// dir may also name a single file.
func LoadWords(dir string) ([]string, error) {
	var words []string
	readFile := func(path string) error {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("baseline: cannot open dictionary %q: %w", path, err)
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		for sc.Scan() {
			w := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
			if w == "" || strings.HasPrefix(w, "#") {
				continue
			}
			words = append(words, w)
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("baseline: cannot read dictionary %q: %w", path, err)
		}
		return nil
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("baseline: cannot read dictionary %q: %w", dir, err)
	}
	if !st.IsDir() {
		return words, readFile(dir)
	}
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !strings.HasSuffix(d.Name(), ".txt") {
			return nil
		}
		return readFile(path)
	})
	if err != nil {
		return nil, err
	}
	return words, nil
}

// naiveAnswer is the typical user's answer struct.
type naiveAnswer struct {
	ActionCode int     `json:"actionCode"`
	ErrCode    int     `json:"errCode"`
	ErrMsg     string  `json:"errMsg"`
	ErrDlt     string  `json:"errDlt"`
	NextCode   int     `json:"nextCode"`
	Content    *string `json:"content,omitempty"`
}

// NaiveHandler returns the typical user's callback handler over t: the
// modify callback gets its text masked, the before-send callbacks are
// refused with blockCode when the text matches, anything else is allowed.
func NaiveHandler(t *Trie, blockCode int) http.Handler {
	mux := http.NewServeMux()
	ok := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"ok"}`))
	}
	mux.HandleFunc("GET /healthz", ok)
	mux.HandleFunc("GET /readyz", ok)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		var req callbackReq
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			w.Write(badJSON(err))
			return
		}
		var resp naiveAnswer
		command := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
		var elem map[string]any
		if req.ContentType < 1000 && json.Unmarshal([]byte(req.Content), &elem) == nil {
			key := "text"
			if req.ContentType == 101 {
				key = "content"
			}
			if s, isStr := elem[key].(string); isStr {
				if masked, changed := t.Mask(s); changed {
					switch command {
					case "callbackBeforeMsgModifyCommand", "callbackMsgModifyCommand":
						elem[key] = masked
						b, err := json.Marshal(elem)
						if err == nil {
							content := string(b)
							resp.Content = &content
						}
					case "callbackBeforeSendSingleMsgCommand", "callbackBeforeSendGroupMsgCommand":
						resp = naiveAnswer{NextCode: 1, ErrCode: blockCode, ErrMsg: "message refused", ErrDlt: "sensitive word"}
					}
				}
			}
		}
		json.NewEncoder(w).Encode(resp)
	})
	return mux
}

// StartNaive starts the typical user's server on addr (loopback only) with
// the words of the dictionary folder or file dict.
func StartNaive(addr, dict string) (*Server, error) {
	words, err := LoadWords(dict)
	if err != nil {
		return nil, err
	}
	if len(words) == 0 {
		return nil, errors.New("baseline: the dictionary holds no word")
	}
	return StartNaiveTrie(addr, NewTrie(words))
}

// StartNaiveTrie starts the typical user's server on addr with t.
func StartNaiveTrie(addr string, t *Trie) (*Server, error) {
	ln, err := listenLoopback(addr)
	if err != nil {
		return nil, err
	}
	srv := &http.Server{
		Handler:      NaiveHandler(t, 5001),
		ReadTimeout:  5 * time.Second,
		WriteTimeout: 5 * time.Second,
		IdleTimeout:  time.Minute,
	}
	return serve(ln, srv.Serve, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(ctx)
	}), nil
}
