// Command mine runs a dictionary folder over chat corpora and lists what
// it flags, so that a dictionary change is reviewed against real messages
// before it ships (false positives are mined, not guessed).
//
// Usage:
//
//	go run ./dict/mine [-dict DIR] [-corpus FILE]... [-examples N] [-top N] [-all]
//
// Without -dict it mines the embedded default dictionary (dict/default);
// without -corpus it reads every *.txt file of corpus/ in the team's shared
// data folder (../shared/data beside the checkout, or
// $WORDFILTER_SHARED_DATA; see internal/shareddata). Each non-blank line of
// a corpus is one message.
//
// The output is two tab-separated tables. The first gives, per corpus, the
// messages by decision and the share flagged (any decision but pass,
// review included). The second lists each dictionary word that matched,
// most hits first (ties by word): the number of messages it matched in
// (a message counts once per word; matches removed by the allow-list or
// lost to a longer overlapping word do not count), its category and
// action, the hits per corpus, then up to -examples example messages
// (the first ones, in corpus order) as "\tcorpus:line: text". With -all
// the words that matched nothing follow, with 0 hits.
package main

import (
	"bufio"
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/filter"
	"github.com/wordfilter/wordfilter/internal/shareddata"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// maxExampleRunes is how many characters of an example message are shown
// before it is cut with "…".
const maxExampleRunes = 120

// maxLine is the longest corpus line read (longer lines are an error).
const maxLine = 1 << 20

// options are the parsed command line.
type options struct {
	dir      string
	corpora  []string
	examples int
	top      int
	all      bool
}

// corpusStats counts the messages of one corpus by decision.
type corpusStats struct {
	name       string
	messages   int
	byDecision [filter.Block + 1]int
}

// wordStats is what one dictionary word matched.
type wordStats struct {
	id       int
	hits     int
	byCorpus []int // hits per corpus, in corpus order
	examples []string
}

// repeated is a flag that may be given several times.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(s string) error { *r = append(*r, s); return nil }

// run is the command with its arguments and streams; it returns the exit
// code: 0 on success, 2 on bad flags or an unreadable dictionary or
// corpus.
func run(args []string, stdout, stderr io.Writer) int {
	var o options
	var corpora repeated
	fs := flag.NewFlagSet("mine", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.dir, "dict", "", "dictionary folder (empty: the embedded default)")
	fs.Var(&corpora, "corpus", "corpus file, one message per line (repeatable; default: corpus/*.txt of the shared data)")
	fs.IntVar(&o.examples, "examples", 3, "example messages shown per word")
	fs.IntVar(&o.top, "top", 0, "list at most this many words (0: all)")
	fs.BoolVar(&o.all, "all", false, "also list the words that matched nothing")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "mine: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	o.corpora = corpora
	if len(o.corpora) == 0 {
		var err error
		if o.corpora, err = defaultCorpora(); err != nil {
			fmt.Fprintf(stderr, "mine: %v\n", err)
			return 2
		}
	}
	d, err := load(o.dir)
	if err != nil {
		fmt.Fprintf(stderr, "mine: %s\n", strings.Join(dict.ErrorLines(err), "\n"))
		return 2
	}
	cs, ws, err := mine(d.Matcher, o)
	if err != nil {
		fmt.Fprintf(stderr, "mine: %v\n", err)
		return 2
	}
	if err := write(stdout, d.Matcher, o, cs, ws); err != nil {
		fmt.Fprintf(stderr, "mine: %v\n", err)
		return 2
	}
	return 0
}

// defaultCorpora lists corpus/*.txt of the shared data folder.
func defaultCorpora() ([]string, error) {
	dir := shareddata.Find()
	if dir == "" {
		return nil, fmt.Errorf("no -corpus given and no shared data folder found (../shared/data, or $%s)", shareddata.EnvVar)
	}
	files, err := filepath.Glob(filepath.Join(dir, "corpus", "*.txt"))
	if err == nil && len(files) == 0 {
		err = fmt.Errorf("no corpus/*.txt in %s", dir)
	}
	return files, err
}

// load compiles the folder dir, or the embedded default when dir is "".
func load(dir string) (*dict.Dictionary, error) {
	if dir == "" {
		return dict.Default(filter.Options{})
	}
	return dict.Load(dir, filter.Options{})
}

// mine filters every message of the corpora with m and counts the
// decisions per corpus and the messages each word matched in.
func mine(m *filter.Matcher, o options) ([]corpusStats, []*wordStats, error) {
	words := make([]*wordStats, m.Len())
	for i := range words {
		words[i] = &wordStats{id: i, byCorpus: make([]int, len(o.corpora))}
	}
	stats := make([]corpusStats, len(o.corpora))
	var ms []filter.Match
	seen := make(map[int]bool)
	for ci, path := range o.corpora {
		stats[ci].name = filepath.Base(path)
		err := eachLine(path, func(n int, text string) {
			res := m.Filter(ms[:0], text)
			ms = res.Matches
			stats[ci].messages++
			stats[ci].byDecision[res.Decision]++
			clear(seen)
			for _, mt := range res.Matches {
				if seen[mt.Word] {
					continue
				}
				seen[mt.Word] = true
				w := words[mt.Word]
				w.hits++
				w.byCorpus[ci]++
				if len(w.examples) < o.examples {
					w.examples = append(w.examples, fmt.Sprintf("%s:%d: %s", stats[ci].name, n, shorten(text)))
				}
			}
		})
		if err != nil {
			return nil, nil, err
		}
	}
	slices.SortStableFunc(words, func(a, b *wordStats) int {
		if c := cmp.Compare(b.hits, a.hits); c != 0 {
			return c
		}
		return strings.Compare(m.Word(a.id).Text, m.Word(b.id).Text)
	})
	return stats, words, nil
}

// eachLine calls fn with the number and text of every non-blank line of
// the file at path.
func eachLine(path string, fn func(n int, text string)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	n := 0
	for sc.Scan() {
		n++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" {
			continue
		}
		fn(n, text)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fmt.Errorf("%s:%d: line longer than %d bytes", path, n+1, maxLine)
		}
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// shorten cuts text to maxExampleRunes characters and makes tabs spaces,
// so that an example stays on one readable line.
func shorten(text string) string {
	text = strings.ReplaceAll(text, "\t", " ")
	n := 0
	for i := range text {
		if n == maxExampleRunes {
			return text[:i] + "…"
		}
		n++
	}
	return text
}

// write prints the corpus table and the word table.
func write(out io.Writer, m *filter.Matcher, o options, cs []corpusStats, ws []*wordStats) error {
	bw := bufio.NewWriter(out)
	fmt.Fprintln(bw, "corpus\tmessages\tpass\treview\tmask\tblock\tflagged")
	for _, c := range cs {
		flagged := c.messages - c.byDecision[filter.Pass]
		fmt.Fprintf(bw, "%s\t%d\t%d\t%d\t%d\t%d\t%s\n", c.name, c.messages,
			c.byDecision[filter.Pass], c.byDecision[filter.Review], c.byDecision[filter.Mask], c.byDecision[filter.Block],
			percent(flagged, c.messages))
	}
	fmt.Fprintln(bw)
	fmt.Fprintln(bw, "hits\tword\tcategory\taction\tper corpus")
	listed := 0
	for _, w := range ws {
		if (w.hits == 0 && !o.all) || (o.top > 0 && listed == o.top) {
			break
		}
		listed++
		word := m.Word(w.id)
		per := make([]string, 0, len(cs))
		for ci, h := range w.byCorpus {
			if h > 0 {
				per = append(per, fmt.Sprintf("%s:%d", cs[ci].name, h))
			}
		}
		fmt.Fprintf(bw, "%d\t%s\t%s\t%s\t%s\n", w.hits, word.Text, word.Category, word.Action, strings.Join(per, " "))
		for _, ex := range w.examples {
			fmt.Fprintf(bw, "\t%s\n", ex)
		}
	}
	return bw.Flush()
}

// percent formats part/whole as a percentage with two decimals.
func percent(part, whole int) string {
	if whole == 0 {
		return "0.00%"
	}
	return fmt.Sprintf("%.2f%%", 100*float64(part)/float64(whole))
}
