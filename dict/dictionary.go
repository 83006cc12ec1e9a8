package dict

import (
	"strconv"
	"time"

	"github.com/wordfilter/wordfilter/filter"
)

// Dictionary is one compiled, immutable snapshot of a dictionary folder.
// It is safe for concurrent use; a reload makes a new Dictionary and never
// changes an old one.
type Dictionary struct {
	// Matcher is the compiled automaton. Matcher.Len and
	// Matcher.AllowLen count the distinct words and allow phrases.
	Matcher *filter.Matcher
	// Version is the content hash of the folder (hex); the same content
	// gives the same version on every machine.
	Version string
	// Categories counts the words of each category.
	Categories map[string]int
	// LoadedAt is when this snapshot was compiled.
	LoadedAt time.Time
	// Source is the folder it was read from, or "embedded".
	Source string
	// Files is the number of dictionary files read (*.txt: allow-lists
	// and variants files included, the settings file not).
	Files int
	// Settings are the reading settings of the folder's wordfilter.yaml
	// (DefaultSettings when it has none): which variant readings are on
	// and what their matches do, per category with Settings.For. The
	// Matcher was compiled with them (filter.Options.Policy and
	// Categories, from Settings.Policy).
	Settings Settings
	// Variants are the lines of the folder's variants files, in folder
	// order (files by path, then lines), for the variants reading; the
	// Matcher was compiled with them (filter.Options.Variants).
	Variants []Variant
	// Warnings are the words that will probably over-block (one letter or
	// digit after folding), in folder order; validate prints them. They do
	// not refuse the folder.
	Warnings []Warning

	// where[id] is the file and line the word id was read from (the one
	// whose action won, of words that fold to the same text); files are
	// the files' paths relative to the folder ("default/..." for the
	// embedded dictionary). Kept for WordSource: 8 bytes a word.
	where []position
	files []string
}

// WordSource returns where the word id (filter.Match.Word) was read, as
// "path:line" with the path relative to the folder ("default/..." for the
// embedded dictionary), or "" for a Dictionary not made by this package.
func (d *Dictionary) WordSource(id int) string {
	if id < 0 || id >= len(d.where) {
		return ""
	}
	p := d.where[id]
	return d.files[p.file] + ":" + strconv.Itoa(int(p.line))
}
