package dict

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/wordfilter/wordfilter/filter"
)

// MaxErrors is the most errors one Parse or one folder load collects; the
// rest are counted in LoadError.Omitted.
const MaxErrors = 100

// snippetRunes is how much of a bad line an error message quotes.
const snippetRunes = 40

// Entry is one word or phrase of a dictionary file.
type Entry struct {
	// Text is the word as written, with surrounding whitespace trimmed.
	Text string
	// Line is its 1-based line number in the file.
	Line int
}

// The kinds of problem a LineError reports; errors.Is finds them in a
// *LineError and in a *LoadError holding one.
var (
	// ErrInvalidUTF8 is a line that is not valid UTF-8.
	ErrInvalidUTF8 = errors.New("dict: invalid UTF-8")
	// ErrBadWord is a word that filter refuses (filter.Compile, or
	// filter.CheckWord in Parse): nothing matchable left, or too long. Msg
	// says which (the filter.ErrorCode).
	ErrBadWord = errors.New("dict: word refused")
	// ErrUnreadable is a file, folder or symlink that cannot be read.
	ErrUnreadable = errors.New("dict: cannot read")
	// ErrNoFiles is a folder with no *.txt file at all.
	ErrNoFiles = errors.New("dict: no dictionary files")
	// ErrTooDeep is a folder nested more than MaxDepth deep.
	ErrTooDeep = errors.New("dict: folders nested too deep")
	// ErrBadFileName is a *.txt file whose name has a dot-suffix that is
	// no action (politics.blok.txt): see ParseFileName.
	ErrBadFileName = errors.New("dict: unknown file name suffix")
)

// LineError is one problem in a dictionary file. Its message has the form
// "path:line: message" (or "path: message" when Line is 0, e.g. an
// unreadable file). Find it in any error of this package with errors.As.
type LineError struct {
	// Path names the file as the operator wrote it (folder joined with the
	// file's path inside it); empty for Parse, which has no file name.
	Path string
	// Line is the 1-based line number, or 0 for a problem with the whole file.
	Line int
	// Text is a snippet of the offending line (truncated), or "".
	Text string
	// Msg says what is wrong, e.g. "invalid UTF-8".
	Msg string
	// Err is the kind of problem: ErrInvalidUTF8, ErrBadWord, ...
	Err error
}

// Unwrap returns the kind of problem, for errors.Is.
func (e *LineError) Unwrap() error { return e.Err }

// Error returns "path:line: message", quoting the line's snippet.
func (e *LineError) Error() string {
	var b strings.Builder
	switch {
	case e.Path != "" && e.Line > 0:
		fmt.Fprintf(&b, "%s:%d: ", e.Path, e.Line)
	case e.Path != "":
		b.WriteString(e.Path + ": ")
	case e.Line > 0:
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Text != "" {
		fmt.Fprintf(&b, "word %q: ", e.Text)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// LoadError is the error of a refused Parse or folder load: every problem
// found, in file and line order, up to MaxErrors.
type LoadError struct {
	// Errs are the problems, each naming its path and line.
	Errs []*LineError
	// Omitted counts the problems beyond MaxErrors that were not kept.
	Omitted int
}

// Error returns the problems one per line.
func (e *LoadError) Error() string {
	lines := e.Lines()
	if len(lines) == 1 {
		return lines[0]
	}
	return fmt.Sprintf("dict: %d errors:\n%s", len(e.Errs)+e.Omitted, strings.Join(lines, "\n"))
}

// Lines returns one "path:line: message" string per problem, plus a last
// line counting the omitted ones if any.
func (e *LoadError) Lines() []string {
	out := make([]string, 0, len(e.Errs)+1)
	for _, le := range e.Errs {
		out = append(out, le.Error())
	}
	if e.Omitted > 0 {
		out = append(out, fmt.Sprintf("... and %d more errors", e.Omitted))
	}
	return out
}

// Unwrap returns the problems, so that errors.As finds the first *LineError.
func (e *LoadError) Unwrap() []error {
	errs := make([]error, len(e.Errs))
	for i, le := range e.Errs {
		errs[i] = le
	}
	return errs
}

// add records a problem, keeping at most MaxErrors.
func (e *LoadError) add(le *LineError) {
	if len(e.Errs) >= MaxErrors {
		e.Omitted++
		return
	}
	e.Errs = append(e.Errs, le)
}

// merge adds the problems of o to e. Each must hold its problems in the
// order that at gives (by file, then line) and, when it omitted some, the
// first ones in that order: the result then holds the first MaxErrors
// problems of both in that order and counts the others.
func (e *LoadError) merge(o *LoadError, at func(*LineError) position) {
	all := append(e.Errs, o.Errs...)
	sort.SliceStable(all, func(i, j int) bool {
		a, b := at(all[i]), at(all[j])
		return a.file < b.file || a.file == b.file && a.line < b.line
	})
	e.Omitted += o.Omitted
	if len(all) > MaxErrors {
		e.Omitted += len(all) - MaxErrors
		all = all[:MaxErrors]
	}
	e.Errs = all
}

// err returns e as an error, or nil when it holds no problem.
func (e *LoadError) err() error {
	if len(e.Errs) == 0 && e.Omitted == 0 {
		return nil
	}
	return e
}

// ErrorLines returns the messages of a load error, one "path:line: message"
// per problem (the body of a 422 answer to a refused reload). It returns nil
// for a nil error and the error's text for an error of another kind.
func ErrorLines(err error) []string {
	if err == nil {
		return nil
	}
	var le *LoadError
	if errors.As(err, &le) {
		return le.Lines()
	}
	return []string{err.Error()}
}

// snippet returns s truncated to snippetRunes characters for an error message.
func snippet(s string) string {
	if utf8.RuneCountInString(s) <= snippetRunes {
		return s
	}
	n := 0
	for i := range s {
		if n == snippetRunes {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

var bom = []byte("\uFEFF")

// Parse reads a dictionary file: one word or phrase per line, UTF-8, an
// optional byte-order mark, LF or CRLF line ends, surrounding whitespace
// trimmed, blank lines and lines starting with '#' ignored. Lines may be
// of any length.
//
// Every word is checked with filter.CheckWord (something matchable must
// be left after normalisation, and at most filter.MaxWordRunes
// characters); invalid UTF-8 is refused. When any line is bad, Parse
// returns the good entries together with a *LoadError listing every bad
// line (up to MaxErrors) without a path; Load fills the path in. Only a
// read error of r is returned as is. Parse reads r whole before parsing.
func Parse(r io.Reader) ([]Entry, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var entries []Entry
	var errs LoadError
	parseBytes(data, func(e Entry) {
		if code := filter.CheckWord(e.Text); code != "" {
			errs.add(badWord(e.Text, e.Line, code))
			return
		}
		entries = append(entries, e)
	}, &errs)
	return entries, errs.err()
}

// parseBytes parses a whole file, calling emit for each word and adding
// each line that is not UTF-8 to errs. It does not check the words:
// filter.Compile does, when the folder is compiled (Parse checks them
// itself).
func parseBytes(data []byte, emit func(Entry), errs *LoadError) {
	eachLine(data, errs, func(line []byte, n int) {
		emit(Entry{Text: string(line), Line: n})
	})
}

// badWord is the problem of a word that filter refuses with code, at
// line n (0 when unknown) of a file whose path the caller fills in.
func badWord(text string, n int, code filter.ErrorCode) *LineError {
	return &LineError{Line: n, Text: snippet(text), Err: ErrBadWord, Msg: code.String()}
}

// eachLine calls fn with each line of a dictionary file that holds
// something (a byte-order mark dropped, surrounding whitespace trimmed,
// blank lines and comments skipped) and its 1-based number; a line that is
// not UTF-8 goes to errs instead.
func eachLine(data []byte, errs *LoadError, fn func(line []byte, n int)) {
	data = bytes.TrimPrefix(data, bom)
	for n := 1; len(data) > 0; n++ {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		line = bytes.TrimSpace(line)
		switch {
		case len(line) == 0 || line[0] == '#':
		case !utf8.Valid(line):
			errs.add(&LineError{Line: n, Text: snippet(string(line)), Err: ErrInvalidUTF8, Msg: "invalid UTF-8"})
		default:
			fn(line, n)
		}
	}
}

// FileKind is what a dictionary file holds, read from its name.
type FileKind struct {
	// Category is the file name without its action and ".txt" suffixes
	// ("allow" and "variants" for allow.txt and variants.txt).
	Category string
	// Action is the action of its words (Mask unless the name says
	// otherwise); unset for an allow-list or a variants file.
	Action filter.Action
	// Allow tells that the file is an allow-list (allow.txt or NAME.allow.txt).
	Allow bool
	// Variants tells that the file lists variant forms (variants.txt or
	// NAME.variants.txt): read by the variants reading (not yet applied),
	// never words of a category.
	Variants bool
}

// fileSuffixes names the action suffixes a dictionary file may have, for
// the error about any other.
const fileSuffixes = "a dictionary file is NAME.txt or NAME.<mask|block|review|allow|variants>.txt"

// ParseFileName reads the category and action from a dictionary file name
// (its base name):
//
//	NAME.txt                       category NAME, action mask
//	NAME.mask.txt                  category NAME, action mask
//	NAME.block.txt                 category NAME, action block
//	NAME.review.txt                category NAME, action review
//	allow.txt, NAME.allow.txt      allow-list
//	variants.txt, NAME.variants.txt variant forms (not yet applied)
//
// The action suffix, and the whole name allow or variants, is read
// whatever its case (NAME.Block.txt blocks, ALLOW.txt is an allow-list).
// Only the last dot-suffix before ".txt" is read: x.y.block.txt is
// category "x.y".
//
// ok is false for a name that is not a dictionary file at all (not ending
// in ".txt", starting with '.', or with nothing before ".txt"): it is
// ignored. A dictionary file with any other dot-suffix (politics.blok.txt,
// a.b.txt) is refused with an error naming the suffix and the ones it may
// have, so that a typo never turns a block list into a mask list.
func ParseFileName(name string) (kind FileKind, ok bool, err error) {
	if strings.HasPrefix(name, ".") {
		return FileKind{}, false, nil
	}
	base, ok := strings.CutSuffix(name, ".txt")
	if !ok || base == "" {
		return FileKind{}, false, nil
	}
	switch strings.ToLower(base) {
	case "allow":
		return FileKind{Category: "allow", Allow: true}, true, nil
	case "variants":
		return FileKind{Category: "variants", Variants: true}, true, nil
	}
	i := strings.LastIndexByte(base, '.')
	if i <= 0 {
		return FileKind{Category: base, Action: filter.Mask}, true, nil
	}
	cat, suffix := base[:i], strings.ToLower(base[i+1:])
	switch suffix {
	case "allow":
		return FileKind{Category: cat, Allow: true}, true, nil
	case "variants":
		return FileKind{Category: cat, Variants: true}, true, nil
	case "mask", "block", "review":
		a, _ := filter.ParseAction(suffix)
		return FileKind{Category: cat, Action: a}, true, nil
	}
	return FileKind{}, true, fmt.Errorf("unknown suffix %q: %s", base[i:], fileSuffixes)
}
