package dict

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/wordfilter/wordfilter/filter"
)

// Variant is one line of a variants file (variants.txt, NAME.variants.txt):
// written forms that stand for a canonical form, read by the variants
// reading (ReadingVariants). Every variants file serves every category.
type Variant struct {
	// Canonical is the form the written forms stand for, as written
	// (法 in "法 氵去 灋").
	Canonical string
	// Forms are the written forms, as written, in line order (氵去, 灋).
	Forms []string
	// Path names the file as the operator wrote it ("" from ParseVariants).
	Path string
	// Line is the 1-based line number in the file.
	Line int
}

// ErrBadVariant is a variants line that is not a canonical form followed
// by written forms: fewer than two fields, a written form that folds to its
// canonical form, or a written form listed for two different canonical
// forms. (A form with nothing matchable left is ErrBadWord, as a word.)
var ErrBadVariant = errors.New("dict: bad variants line")

// ParseVariants reads a variants file: one line per canonical form, the
// form first, then the written forms that stand for it, separated by
// whitespace ("法 氵去 灋"). UTF-8, a byte-order mark, CRLF line ends,
// blank lines and lines starting with '#' are handled as by Parse.
//
// Every form must be acceptable as a word (filter.CheckWord), a written
// form must not fold (filter.Fold) to its own canonical form, and one
// written form must not stand for two canonical forms that fold
// differently (listing it twice for the same one is harmless). On any
// problem ParseVariants returns the good lines together with a *LoadError
// listing every bad one, without a path; Load fills the path in and also
// finds a written form listed in two files. Only a read error of r is
// returned as is.
func ParseVariants(r io.Reader) ([]Variant, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var (
		out  []Variant
		errs LoadError
		idx  = variantIndex{}
	)
	parseVariantsBytes(data, func(v Variant) {
		if le := idx.add(v); le != nil {
			errs.add(le)
		}
		out = append(out, v)
	}, &errs)
	return out, errs.err()
}

// parseVariantsBytes parses a whole variants file, calling emit for each
// good line and adding each bad one to errs. It does not look for a
// written form shared between lines: that is variantIndex's job.
func parseVariantsBytes(data []byte, emit func(Variant), errs *LoadError) {
	eachLine(data, errs, func(line []byte, n int) {
		if v, ok := parseVariantLine(string(line), n, errs); ok {
			emit(v)
		}
	})
}

// parseVariantLine checks one non-blank line of a variants file.
func parseVariantLine(line string, n int, errs *LoadError) (Variant, bool) {
	fields := strings.Fields(line)
	if len(fields) < 2 {
		errs.add(&LineError{Line: n, Err: ErrBadVariant, Msg: fmt.Sprintf(
			"variants line %q: want the canonical form, then one or more written forms, separated by whitespace (法 氵去 灋)",
			snippet(line))})
		return Variant{}, false
	}
	ok := true
	canon := fields[0]
	if reason := filter.CheckWord(canon); reason != "" {
		errs.add(&LineError{Line: n, Err: ErrBadWord, Msg: fmt.Sprintf("canonical form %q: %s", snippet(canon), reason)})
		ok = false
	}
	folded := filter.Fold(canon)
	for _, f := range fields[1:] {
		if reason := filter.CheckWord(f); reason != "" {
			errs.add(&LineError{Line: n, Err: ErrBadWord, Msg: fmt.Sprintf("variant form %q: %s", snippet(f), reason)})
			ok = false
			continue
		}
		if filter.Fold(f) == folded {
			errs.add(&LineError{Line: n, Err: ErrBadVariant, Msg: fmt.Sprintf(
				"variant form %q stands for itself: it already reads as its canonical form %q", snippet(f), snippet(canon))})
			ok = false
		}
	}
	if !ok {
		return Variant{}, false
	}
	return Variant{Canonical: canon, Forms: fields[1:], Line: n}, true
}

// variantRef is where a written form was first listed.
type variantRef struct {
	canonical string // as written
	folded    string // filter.Fold(canonical)
	path      string
	line      int
}

// variantIndex maps each folded written form to its first listing, to
// find a form listed for two different canonical forms.
type variantIndex map[string]variantRef

// add records the forms of v and returns an error for the first form
// already listed for another canonical form (nil when there is none).
func (idx variantIndex) add(v Variant) *LineError {
	folded := filter.Fold(v.Canonical)
	var le *LineError
	for _, f := range v.Forms {
		key := filter.Fold(f)
		first, seen := idx[key]
		if !seen {
			idx[key] = variantRef{canonical: v.Canonical, folded: folded, path: v.Path, line: v.Line}
			continue
		}
		if first.folded == folded || le != nil {
			continue
		}
		at := fmt.Sprintf("line %d", first.line)
		if first.path != "" {
			at = fmt.Sprintf("%s:%d", first.path, first.line)
		}
		le = &LineError{Path: v.Path, Line: v.Line, Err: ErrBadVariant, Msg: fmt.Sprintf(
			"variant form %q stands for %q here and for %q at %s: a written form stands for one canonical form",
			snippet(f), snippet(v.Canonical), snippet(first.canonical), at)}
	}
	return le
}
