package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/filter"
	"github.com/wordfilter/wordfilter/internal/report"
)

// dictConfig is what the dictionary flags of check and validate hold.
type dictConfig struct {
	dir     string
	json    bool
	mask    string
	summary bool
	strict  bool
}

// loadDict loads the folder dir, or the embedded default when dir is "".
func loadDict(dir string, opts filter.Options) (*dict.Dictionary, error) {
	if dir == "" {
		return dict.Default(opts)
	}
	return dict.Load(dir, opts)
}

// printLoadErrors writes every problem of a refused load to w, one
// "path:line: message" a line.
func printLoadErrors(w io.Writer, err error) {
	for _, line := range dict.ErrorLines(err) {
		fmt.Fprintln(w, line)
	}
}

// parseMask converts a -mask value (of serve and check) to the mask
// character: exactly one printable character.
func parseMask(s string) (rune, error) {
	r, size := utf8.DecodeRuneInString(s)
	if s == "" || size != len(s) || r == utf8.RuneError {
		return 0, fmt.Errorf("want exactly one character, got %q", s)
	}
	if r < 0x20 || r == 0x7f {
		return 0, fmt.Errorf("want a printable character, got %q", s)
	}
	return r, nil
}

// checkCmd implements "wordfilter check [-dict DIR] [-json] [-mask C]
// [-summary] [FILE...]": it filters each line of the FILEs (or stdin) as
// one message and prints one result a line, then with -summary the counts
// of the messages by decision, reading and word. It exits 0, or 1 when the dictionary cannot
// be loaded or a FILE cannot be read (the other FILEs are still checked), 2
// on bad flags.
func checkCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var cfg dictConfig
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage: wordfilter check [-dict DIR] [-json] [-mask C] [-summary] [FILE...]

Filters each line of the FILEs (or of stdin when there is none, or for "-")
as one message and prints one result a line: the decision, a tab and the
filtered text, or with -json one /v1/filter result object a line (its
matches say which variant readings each needed, "via"). Lines may be of
any length. Progress goes to stderr when it is a terminal.

With -summary, after the results: the messages by decision, by reading
(for each variant reading, the messages with a match that needed it;
"readings: none" when no match needed one) and the 20 words matched in
most messages, with counts. It goes to stderr, or
with -json to stdout as one final line {"summary":{"messages":N,
"decisions":{...},"via":{...},"words":[{"word":...,"messages":N},...]}}.
Exit 0, or 1 when the dictionary is refused or a FILE cannot be read (the
other FILEs are still checked), 2 on bad flags.

Flags:
`)
		fs.PrintDefaults()
	}
	fs.StringVar(&cfg.dir, "dict", os.Getenv("WORDFILTER_DICT"), "dictionary folder; empty means the embedded default (env WORDFILTER_DICT)")
	fs.BoolVar(&cfg.json, "json", false, "print one JSON object a line, shaped like a /v1/filter result")
	fs.StringVar(&cfg.mask, "mask", envDefault("WORDFILTER_MASK", "*"), "the character that replaces each masked character (env WORDFILTER_MASK)")
	fs.BoolVar(&cfg.summary, "summary", false, "after the results, print counts by decision, reading and word (stderr; with -json a final JSON line on stdout)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	mask, err := parseMask(cfg.mask)
	if err != nil {
		fmt.Fprintf(stderr, "wordfilter check: -mask: %v\n", err)
		return 2
	}
	d, err := loadDict(cfg.dir, filter.Options{Mask: mask})
	if err != nil {
		fmt.Fprintln(stderr, "wordfilter check: cannot load the dictionary:")
		printLoadErrors(stderr, err)
		return 1
	}

	c := &checker{dict: d, json: cfg.json, out: bufio.NewWriterSize(stdout, 64<<10), progress: newProgress(stderr, "checked")}
	if cfg.summary {
		c.summary = newCheckSummary()
	}
	files := fs.Args()
	if len(files) == 0 {
		files = []string{"-"}
	}
	code := 0
	for _, name := range files {
		if err := c.checkFile(name, stdin); err != nil {
			c.out.Flush()
			c.progress.clear()
			fmt.Fprintf(stderr, "wordfilter check: %v\n", err)
			code = 1
		}
	}
	if err := c.out.Flush(); err != nil {
		fmt.Fprintf(stderr, "wordfilter check: cannot write the results: %v\n", err)
		return 1
	}
	c.progress.clear()
	if c.summary != nil {
		c.summary.finish()
		var werr error
		if cfg.json {
			werr = c.summary.writeJSON(stdout)
		} else {
			c.summary.writeText(stderr)
		}
		if werr != nil {
			fmt.Fprintf(stderr, "wordfilter check: cannot write the summary: %v\n", werr)
			return 1
		}
	}
	return code
}

// envDefault returns the environment variable key, or def when it is unset.
func envDefault(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}

// checker filters lines and writes their results.
type checker struct {
	dict     *dict.Dictionary
	json     bool
	out      *bufio.Writer
	progress *progress
	summary  *checkSummary // nil without -summary
}

// checkFile checks every line of the file name ("-" is stdin).
func (c *checker) checkFile(name string, stdin io.Reader) error {
	r, closeInput, err := openInput(name, stdin)
	if err != nil {
		return err
	}
	defer closeInput()
	if err := eachLine(r, c.out.Flush, c.checkLine); err != nil {
		return fmt.Errorf("cannot read %q: %w", name, unwrapPath(err))
	}
	return nil
}

// checkLine filters one message (size bytes as read) and writes its result.
func (c *checker) checkLine(msg string, size int) error {
	if err := c.write(report.New(c.dict, msg)); err != nil {
		return err
	}
	c.progress.add(size)
	return nil
}

// write writes the result of one message and counts it in the summary:
// with -json the report, else its decision, a tab and the filtered text.
func (c *checker) write(rep report.Report) error {
	if c.json {
		b, err := report.Marshal(rep)
		if err != nil {
			return err
		}
		c.out.Write(b)
		c.out.WriteByte('\n')
	} else {
		c.out.WriteString(rep.Decision)
		c.out.WriteByte('\t')
		c.out.WriteString(rep.Text)
		c.out.WriteByte('\n')
	}
	if c.summary != nil {
		c.summary.add(rep)
	}
	return nil
}

// validateCmd implements "wordfilter validate [-strict] -dict DIR": it
// loads and compiles the folder and prints a one-line summary (exit 0),
// or every error as "path:line: message" on stderr (exit 1). Words that
// will over-block are warned about on stderr ("path:line: warning: ...",
// still exit 0), or with -strict reported as errors (exit 1). Without
// -dict (and WORDFILTER_DICT) it validates the embedded default. Bad
// flags exit 2.
func validateCmd(args []string, stdout, stderr io.Writer) int {
	var cfg dictConfig
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage: wordfilter validate [-strict] -dict DIR

Loads and compiles the dictionary folder DIR, its variants files and its
wordfilter.yaml. Prints a one-line summary (words, allow phrases, files,
categories, variant forms, the folder's readings and how many categories
override them, version) and exits 0, or prints every error as
"path:line: message" on stderr and exits 1.

A word that folds to a single letter or digit (幹 to 干, ㈠ to 一, a) will
match inside many texts: each is warned about on stderr as
"path:line: warning: word "幹" folds to one character (干) and will match
inside many texts", and validate still exits 0. With -strict they are
errors: the same lines without "warning: ", no summary, exit 1. A word of
one symbol or emoji (🖕) is not warned about.

Flags:
`)
		fs.PrintDefaults()
	}
	fs.StringVar(&cfg.dir, "dict", os.Getenv("WORDFILTER_DICT"), "dictionary folder; empty means the embedded default (env WORDFILTER_DICT)")
	fs.BoolVar(&cfg.strict, "strict", false, "treat warnings (words that will over-block) as errors: exit 1")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "wordfilter validate: unexpected argument %q (the folder goes after -dict)\n", fs.Arg(0))
		return 2
	}
	d, err := loadDict(cfg.dir, filter.Options{})
	if err != nil {
		printLoadErrors(stderr, err)
		return 1
	}
	for _, w := range d.Warnings {
		if cfg.strict {
			fmt.Fprintf(stderr, "%s:%d: %s\n", w.Path, w.Line, w.Message())
		} else {
			fmt.Fprintln(stderr, w)
		}
	}
	if cfg.strict && len(d.Warnings) > 0 {
		return 1
	}
	fmt.Fprintln(stdout, summary(d))
	return 0
}

// summary is validate's one-line description of a dictionary: the
// fields up to the categories, then the variant forms and the readings of
// wordfilter.yaml, and the version last. Scripts read these fields, so a
// new one goes before the version and the others keep their format.
func summary(d *dict.Dictionary) string {
	names := make([]string, 0, len(d.Categories))
	for name := range d.Categories {
		names = append(names, name)
	}
	sort.Strings(names)
	cats := make([]string, len(names))
	for i, name := range names {
		cats[i] = fmt.Sprintf("%s %d", name, d.Categories[name])
	}
	forms := 0
	for _, v := range d.Variants {
		forms += len(v.Forms)
	}
	return fmt.Sprintf("ok: %s: %d words, %d allow phrases, %d files, %d categories (%s), %d variant forms, readings %s (%d category overrides), version %s",
		d.Source, d.Matcher.Len(), d.Matcher.AllowLen(), d.Files, len(names), strings.Join(cats, ", "),
		forms, d.Settings.Readings, len(d.Settings.Categories), d.Version)
}
