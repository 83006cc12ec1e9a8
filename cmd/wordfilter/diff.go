package main

import (
	"bufio"
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/filter"
	"github.com/wordfilter/wordfilter/internal/report"
)

// Exit codes of diff: a dictionary repository gates its changes on them.
const (
	diffSame    = 0 // no message changed
	diffChanged = 1 // some message changed
	diffTrouble = 2 // bad flags, a refused dictionary, an unreadable FILE
)

// stdinName is how diff names standard input in its output.
const stdinName = "stdin"

// diffCmd implements "wordfilter diff [-old DIR] -new DIR [-json]
// [FILE...]": it filters each line of the FILEs (or stdin) with both
// dictionaries and prints every message whose decision or filtered text
// changes, then a summary. It exits 0 when nothing changed, 1 when
// something did, 2 on bad flags, a refused dictionary or an unreadable
// FILE.
func diffCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var oldDir, newDir string
	var asJSON bool
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage: wordfilter diff [-old DIR] -new DIR [-json] [FILE...]

Shows what a dictionary change would do to real traffic. Filters each line
of the FILEs (or of stdin when there is none, or for "-") as one message
with the old dictionary (-old; the embedded default when it is omitted)
and with the new one (-new), and prints every message whose decision or
filtered text changes:

  FILE:LINE: OLD → NEW
    old: <text filtered with the old dictionary>
    new: <text filtered with the new dictionary>
    + word (category, action)    matched with the new dictionary only
    - word (category, action)    matched with the old dictionary only

(standard input is named "stdin"), then, after a blank line, a summary:

  summary: N messages, N changed (old DIR version V, new DIR version V)
  moves:
    pass → mask: N               messages per pair of decisions, most first
  words (messages, top 20):
    + word (category, action): N the words that changed most messages

With -json: one JSON object a changed message, {"file":...,"line":N,
"text":...,"old":<result>,"new":<result>,"added":[...],"removed":[...]}
(results shaped like /v1/filter's, words as {"word","category","action"}),
then {"summary":{"messages":N,"changed":N,"oldVersion":...,"newVersion":...,
"moves":{"pass→mask":N,...},"words":[{"word":...,"category":...,"action":...,
"change":"added|removed","messages":N},...]}}.

Results stream; progress goes to stderr when it is a terminal.
Exit 0 when no message changed, 1 when one did, 2 on bad flags, a refused
dictionary (its path:line errors on stderr) or a FILE that cannot be read
(the other FILEs are still compared).

Flags:
`)
		fs.PrintDefaults()
	}
	fs.StringVar(&oldDir, "old", "", "the dictionary folder in use; empty means the embedded default")
	fs.StringVar(&newDir, "new", "", "the changed dictionary folder (required)")
	fs.BoolVar(&asJSON, "json", false, "print one JSON object a changed message and a final summary object")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return diffTrouble
	}
	if newDir == "" {
		fmt.Fprintln(stderr, "wordfilter diff: -new DIR is required (the changed dictionary folder)")
		return diffTrouble
	}
	oldD, newD, ok := loadBoth(oldDir, newDir, stderr)
	if !ok {
		return diffTrouble
	}

	d := &differ{
		old: oldD, new: newD, json: asJSON,
		out:      bufio.NewWriterSize(stdout, 64<<10),
		progress: newProgress(stderr, "compared"),
		moves:    map[string]int{},
		words:    map[wordKey]int{},
	}
	files := fs.Args()
	if len(files) == 0 {
		files = []string{"-"}
	}
	code := diffSame
	for _, name := range files {
		if err := d.diffFile(name, stdin); err != nil {
			d.out.Flush()
			d.progress.clear()
			fmt.Fprintf(stderr, "wordfilter diff: %v\n", err)
			code = diffTrouble
		}
	}
	d.progress.clear()
	if err := d.writeSummary(); err != nil {
		fmt.Fprintf(stderr, "wordfilter diff: cannot write the results: %v\n", err)
		return diffTrouble
	}
	if code == diffSame && d.changed > 0 {
		code = diffChanged
	}
	return code
}

// loadBoth compiles the two dictionaries concurrently. When either is
// refused it prints its errors on stderr and returns ok false.
func loadBoth(oldDir, newDir string, stderr io.Writer) (oldD, newD *dict.Dictionary, ok bool) {
	var oldErr, newErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		oldD, oldErr = loadDict(oldDir, filter.Options{})
	}()
	newD, newErr = loadDict(newDir, filter.Options{})
	wg.Wait()
	for _, l := range []struct {
		which, dir string
		err        error
	}{{"old", oldDir, oldErr}, {"new", newDir, newErr}} {
		if l.err != nil {
			if l.dir == "" {
				l.dir = dict.EmbeddedSource
			}
			fmt.Fprintf(stderr, "wordfilter diff: cannot load the %s dictionary %s:\n", l.which, l.dir)
			printLoadErrors(stderr, l.err)
		}
	}
	return oldD, newD, oldErr == nil && newErr == nil
}

// differ compares the results of two dictionaries line by line.
type differ struct {
	old, new *dict.Dictionary
	json     bool
	out      *bufio.Writer
	progress *progress

	file     string // the FILE being read, as diff names it
	line     int    // its current line number
	messages int
	changed  int
	moves    map[string]int  // "pass → mask" → messages
	words    map[wordKey]int // added or removed word → messages
}

// diffFile compares every line of the file name ("-" is stdin).
func (d *differ) diffFile(name string, stdin io.Reader) error {
	r, closeInput, err := openInput(name, stdin)
	if err != nil {
		return err
	}
	defer closeInput()
	d.file, d.line = name, 0
	if name == "-" {
		d.file = stdinName
	}
	if err := eachLine(r, d.out.Flush, d.diffLine); err != nil {
		return fmt.Errorf("cannot read %q: %w", name, unwrapPath(err))
	}
	return nil
}

// changedMessage is one line of diff -json.
type changedMessage struct {
	File    string        `json:"file"`
	Line    int           `json:"line"`
	Text    string        `json:"text"`
	Old     report.Report `json:"old"`
	New     report.Report `json:"new"`
	Added   []wordKey     `json:"added"`
	Removed []wordKey     `json:"removed"`
}

// diffLine filters one message (size bytes as read) with both
// dictionaries and writes it when its decision or filtered text changes.
func (d *differ) diffLine(msg string, size int) error {
	d.line++
	d.messages++
	d.progress.add(size)
	o, n := report.New(d.old, msg), report.New(d.new, msg)
	if o.Decision == n.Decision && o.Text == n.Text {
		return nil
	}
	d.changed++
	move := o.Decision + " → " + n.Decision
	d.moves[move]++
	added, removed := matchDiff(o.Matches, n.Matches)
	for _, k := range added {
		k.Change = "added"
		d.words[k]++
	}
	for _, k := range removed {
		k.Change = "removed"
		d.words[k]++
	}
	if d.json {
		b, err := report.MarshalValue(changedMessage{
			File: d.file, Line: d.line, Text: msg, Old: o, New: n, Added: added, Removed: removed,
		})
		if err != nil {
			return err
		}
		d.out.Write(b)
		d.out.WriteByte('\n')
		return nil
	}
	fmt.Fprintf(d.out, "%s:%d: %s\n  old: %s\n  new: %s\n", d.file, d.line, move, o.Text, n.Text)
	for _, k := range added {
		fmt.Fprintf(d.out, "  + %s\n", k)
	}
	for _, k := range removed {
		fmt.Fprintf(d.out, "  - %s\n", k)
	}
	return nil
}

// matchDiff returns the words matched more often in next than in prev
// (added) and the other way round (removed), each once, in the order of
// their first match. Both are non-nil, so that they encode as [].
func matchDiff(prev, next []report.Match) (added, removed []wordKey) {
	net := map[wordKey]int{}
	for _, m := range prev {
		net[keyOf(m)]--
	}
	for _, m := range next {
		net[keyOf(m)]++
	}
	pick := func(ms []report.Match, sign int) []wordKey {
		out := []wordKey{}
		for _, m := range ms {
			if k := keyOf(m); net[k]*sign > 0 {
				out = append(out, k)
				net[k] = 0 // once
			}
		}
		return out
	}
	return pick(next, 1), pick(prev, -1)
}

// diffSummary is the final object of diff -json.
type diffSummary struct {
	Messages   int            `json:"messages"`
	Changed    int            `json:"changed"`
	OldVersion string         `json:"oldVersion"`
	NewVersion string         `json:"newVersion"`
	Moves      map[string]int `json:"moves"`
	Words      []wordCount    `json:"words"`
}

// writeSummary writes the summary after the changed messages and flushes
// the output.
func (d *differ) writeSummary() error {
	words := topWords(d.words, topN)
	if d.json {
		b, err := report.MarshalValue(struct {
			Summary diffSummary `json:"summary"`
		}{diffSummary{
			Messages: d.messages, Changed: d.changed, OldVersion: d.old.Version, NewVersion: d.new.Version,
			Moves: jsonMoves(d.moves), Words: words,
		}})
		if err != nil {
			return err
		}
		d.out.Write(b)
		d.out.WriteByte('\n')
		return d.out.Flush()
	}
	if d.changed > 0 {
		d.out.WriteByte('\n')
	}
	fmt.Fprintf(d.out, "summary: %d messages, %d changed (old %s version %s, new %s version %s)\n",
		d.messages, d.changed, d.old.Source, d.old.Version, d.new.Source, d.new.Version)
	if d.changed > 0 {
		fmt.Fprintln(d.out, "moves:")
		for _, mv := range sortedMoves(d.moves) {
			fmt.Fprintf(d.out, "  %s: %d\n", mv, d.moves[mv])
		}
		writeWords(d.out, words)
	}
	return d.out.Flush()
}

// sortedMoves returns the decision pairs of moves, most messages first,
// then by name.
func sortedMoves(moves map[string]int) []string {
	names := make([]string, 0, len(moves))
	for mv := range moves {
		names = append(names, mv)
	}
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(moves[b], moves[a]), cmp.Compare(a, b))
	})
	return names
}

// jsonMoves keys moves as the JSON summary does: "pass→mask", without
// the spaces of the text summary.
func jsonMoves(moves map[string]int) map[string]int {
	out := make(map[string]int, len(moves))
	for mv, n := range moves {
		out[strings.ReplaceAll(mv, " ", "")] = n
	}
	return out
}
