package dict

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/wordfilter/wordfilter/filter"
)

// SettingsFile is the name of the settings file of a dictionary folder. It
// is read only at the top of the folder; one in a subfolder is an error.
const SettingsFile = "wordfilter.yaml"

// Reading is one way of reading a text beyond the plain folding of package
// filter: the variant readings of the service contract (section 3a). The
// dictionary side parses and validates which are on; the engine applies
// them.
type Reading uint8

// The readings, in their fixed order (the order of ReadingSet.String and
// Readings).
const (
	// ReadingRepeat reads a run of one repeated character as one
	// occurrence (fuuuuck).
	ReadingRepeat Reading = iota
	// ReadingLeet reads digits and symbols as the letters they stand for
	// (sh1t, $hit).
	ReadingLeet
	// ReadingLookalike reads letters of other scripts that look like
	// Latin letters, and decorated Latin letters, as plain Latin letters.
	ReadingLookalike
	// ReadingVariants reads the written forms of the folder's variants
	// files as their canonical forms (女干 as 奸).
	ReadingVariants
	// ReadingPinyin reads Chinese characters and Latin letters as pinyin
	// syllables (falungong, 发轮功).
	ReadingPinyin

	// numReadings is the number of readings.
	numReadings
)

// A Reading is bit r of filter.Readings: the two packages number the
// readings alike, so that a ReadingSet converts to the engine's set as it
// is (ReadingSet.Filter), and the names are the engine's
// (filter.Readings.Names), the names of wordfilter.yaml and of "via".
// This fails to compile when the engine's set of readings differs.
var _ = [1]struct{}{}[filter.AllReadings^filter.Readings(AllReadings)]

// readingList names the readings for error messages.
var readingList = strings.Join(filter.AllReadings.Names(), ", ")

// String returns the reading's name as written in wordfilter.yaml
// ("repeat", "leet", "lookalike", "variants", "pinyin").
func (r Reading) String() string {
	if r < numReadings {
		return filter.Readings(1 << r).String()
	}
	return "Reading(" + strconv.Itoa(int(r)) + ")"
}

// ParseReading returns the reading named s (exactly as String writes it).
func ParseReading(s string) (Reading, error) {
	for r := Reading(0); r < numReadings; r++ {
		if s == r.String() {
			return r, nil
		}
	}
	return 0, fmt.Errorf("unknown reading %q (the readings are %s)", s, readingList)
}

// ReadingSet is a set of readings, one bit per Reading. The zero value is
// the empty set.
type ReadingSet uint8

// AllReadings is the set of every reading: the default of a folder.
const AllReadings ReadingSet = 1<<numReadings - 1

// NewReadingSet returns the set of the given readings.
func NewReadingSet(rs ...Reading) ReadingSet {
	var s ReadingSet
	for _, r := range rs {
		s = s.With(r)
	}
	return s
}

// Has tells whether r is in the set.
func (s ReadingSet) Has(r Reading) bool { return r < numReadings && s&(1<<r) != 0 }

// With returns the set with r added.
func (s ReadingSet) With(r Reading) ReadingSet {
	if r >= numReadings {
		return s
	}
	return s | 1<<r
}

// Readings returns the readings of the set in their fixed order.
func (s ReadingSet) Readings() []Reading {
	var out []Reading
	for r := Reading(0); r < numReadings; r++ {
		if s.Has(r) {
			out = append(out, r)
		}
	}
	return out
}

// String returns the names of the readings in their fixed order, separated
// by commas ("repeat,leet"), or "none" for the empty set.
func (s ReadingSet) String() string { return s.Filter().String() }

// Filter returns the set as the engine's filter.Readings (the same bits).
func (s ReadingSet) Filter() filter.Readings { return filter.Readings(s & AllReadings) }

// ReadingAction is what a match found only through variant readings does:
// variant-action and pinyin-action in wordfilter.yaml.
type ReadingAction uint8

// The reading actions.
const (
	// ActionInherit is the zero value: not set here, the folder's (or the
	// default) applies. It is never written in wordfilter.yaml.
	ActionInherit ReadingAction = iota
	// ActionSame gives the match the action of its word ("same"): the
	// default variant-action.
	ActionSame
	// ActionReview sends the match to review whatever its word's action
	// ("review"): the default pinyin-action.
	ActionReview
)

// String returns "same", "review", or "inherit" for ActionInherit.
func (a ReadingAction) String() string {
	switch a {
	case ActionInherit:
		return "inherit"
	case ActionSame:
		return "same"
	case ActionReview:
		return "review"
	}
	return "ReadingAction(" + strconv.Itoa(int(a)) + ")"
}

// ParseReadingAction returns the action named s: "same" or "review".
func ParseReadingAction(s string) (ReadingAction, error) {
	switch s {
	case "same":
		return ActionSame, nil
	case "review":
		return ActionReview, nil
	}
	return ActionInherit, fmt.Errorf("unknown action %q (want same or review)", s)
}

// CategorySettings overrides the folder's settings for one category.
type CategorySettings struct {
	// OverrideReadings tells that the category lists its own readings:
	// Readings then replaces the folder's (an empty Readings switches
	// every reading off for the category).
	OverrideReadings bool
	// Readings are the category's readings when OverrideReadings is set.
	Readings ReadingSet
	// VariantAction overrides the folder's variant-action unless it is
	// ActionInherit.
	VariantAction ReadingAction
	// PinyinAction overrides the folder's pinyin-action unless it is
	// ActionInherit.
	PinyinAction ReadingAction
	// Line is the line of the category's entry in the settings file.
	Line int
}

// Settings are the reading settings of a dictionary folder, read from its
// wordfilter.yaml (DefaultSettings when it has none). A Dictionary made by
// Load, LoadFS, Default or a Store always holds complete settings.
type Settings struct {
	// Readings are the readings on for the whole folder.
	Readings ReadingSet
	// VariantAction is what a match that needed readings other than
	// pinyin does (ActionSame by default).
	VariantAction ReadingAction
	// PinyinAction is what a match that needed pinyin does (ActionReview
	// by default).
	PinyinAction ReadingAction
	// Categories are the per-category overrides, by category name; nil
	// when there are none.
	Categories map[string]CategorySettings
	// Path names the settings file as the operator wrote it, or "" when
	// the folder has none (and the defaults apply).
	Path string
}

// DefaultSettings returns the settings of a folder without wordfilter.yaml:
// every reading on, variant-action same, pinyin-action review, no
// per-category override.
func DefaultSettings() Settings {
	return Settings{Readings: AllReadings, VariantAction: ActionSame, PinyinAction: ActionReview}
}

// For returns the settings that apply to the words of category: the
// category's readings when it lists its own (they replace the folder's),
// else the folder's; and each action the category's when it sets one,
// else the folder's. An action left unset everywhere (ActionInherit, in a
// Settings not made by this package) is its default: same for
// variantAction, review for pinyinAction.
func (s Settings) For(category string) (readings ReadingSet, variantAction, pinyinAction ReadingAction) {
	readings, variantAction, pinyinAction = s.Readings, s.VariantAction, s.PinyinAction
	if c, ok := s.Categories[category]; ok {
		if c.OverrideReadings {
			readings = c.Readings
		}
		if c.VariantAction != ActionInherit {
			variantAction = c.VariantAction
		}
		if c.PinyinAction != ActionInherit {
			pinyinAction = c.PinyinAction
		}
	}
	if variantAction == ActionInherit {
		variantAction = ActionSame
	}
	if pinyinAction == ActionInherit {
		pinyinAction = ActionReview
	}
	return readings, variantAction, pinyinAction
}

// Policy returns Settings.For(category) as the engine takes it: the
// category's readings, and whether its variant and pinyin matches go to
// review (variant-action and pinyin-action "review").
func (s Settings) Policy(category string) filter.Policy {
	r, va, pa := s.For(category)
	return filter.Policy{Readings: r.Filter(), VariantReview: va == ActionReview, PinyinReview: pa == ActionReview}
}

// compileOptions returns opts as a folder with settings s and variants vs
// compiles its words: the folder's Policy (Settings.Policy of no
// category, which also reads the allow phrases), a Policy for every
// category that wordfilter.yaml names (nil when it names none), and the
// variants after those of opts. A caller's Policy and Categories are
// replaced (the folder's wordfilter.yaml is the authority, its defaults
// when it has none); every other option is kept.
func compileOptions(opts filter.Options, s Settings, vs []Variant) filter.Options {
	opts.Policy = s.Policy("")
	opts.Categories = nil
	if len(s.Categories) > 0 {
		opts.Categories = make(map[string]filter.Policy, len(s.Categories))
		for c := range s.Categories {
			opts.Categories[c] = s.Policy(c)
		}
	}
	if len(vs) > 0 {
		fv := make([]filter.Variant, 0, len(opts.Variants)+len(vs))
		fv = append(fv, opts.Variants...)
		for _, v := range vs {
			fv = append(fv, filter.Variant{Canonical: v.Canonical, Forms: v.Forms})
		}
		opts.Variants = fv
	}
	return opts
}

// ErrBadSettings is a problem with a settings file: invalid YAML, an
// unknown key, reading, action or category, a value of the wrong type, a
// key given twice, or a wordfilter.yaml outside the top of the folder.
var ErrBadSettings = errors.New("dict: bad settings")

// ParseSettings reads a wordfilter.yaml (see the package documentation for
// its keys). An empty file, or one holding only comments or null, gives
// DefaultSettings. known tells which category names the folder defines;
// a category it does not know is an error (nil accepts every name).
//
// On any problem ParseSettings returns a *LoadError listing every one
// (each a *LineError of kind ErrBadSettings with its line, and no path;
// Load fills the path in). Invalid YAML is one error, at the line the YAML
// parser names. Only a read error of r is returned as is.
func ParseSettings(r io.Reader, known func(category string) bool) (Settings, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Settings{}, err
	}
	var errs LoadError
	s := parseSettings(data, known, &errs)
	if err := errs.err(); err != nil {
		return Settings{}, err
	}
	return s, nil
}

// yamlLine finds the line number in a message of the YAML parser.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// yamlParserProblems are the messages of the YAML library's parser (as
// opposed to its scanner). go.yaml.in/yaml/v3 (v3.0.6) numbers the lines
// of these from 0 (it adds 1 only to scanner errors); yamlError adds the
// 1. TestSettingsYAMLErrorLines pins this, so that a library upgrade that
// fixes it shows.
var yamlParserProblems = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"found undefined tag handle":             true,
	"did not find expected node content":     true,
	"did not find expected '-' indicator":    true,
	"did not find expected key":              true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found duplicate %TAG directive":         true,
}

// yamlControlChars is the YAML library's message for a character YAML
// does not allow; it names no line, so yamlError finds it.
const yamlControlChars = "control characters are not allowed"

// settingsParser collects the problems of one settings file.
type settingsParser struct {
	errs *LoadError
	data []byte // the file, to place the errors the YAML library does not
}

func (p settingsParser) fail(line int, format string, args ...any) {
	p.errs.add(&LineError{Line: line, Err: ErrBadSettings, Msg: fmt.Sprintf(format, args...)})
}

// parseSettings parses the bytes of a settings file, adding each problem
// to errs.
func parseSettings(data []byte, known func(string) bool, errs *LoadError) Settings {
	s := DefaultSettings()
	p := settingsParser{errs: errs, data: data}
	if !utf8.Valid(data) {
		// As in the word files: name every line that is not UTF-8.
		for n, line := range bytes.SplitAfter(data, []byte{'\n'}) {
			if !utf8.Valid(line) {
				errs.add(&LineError{Line: n + 1, Err: ErrInvalidUTF8, Msg: "invalid UTF-8"})
			}
		}
		return s
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return s // an empty file, or only comments
		}
		p.yamlError(err)
		return s
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		p.fail(next.Line, "more than one YAML document: a settings file holds one")
		return s
	case !errors.Is(err, io.EOF):
		p.yamlError(err)
		return s
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	root = resolve(root)
	if isNull(root) {
		return s
	}
	if root.Kind != yaml.MappingNode {
		p.fail(root.Line, "want a mapping of settings (readings, variant-action, pinyin-action, categories), not %s", describe(root))
		return s
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], resolve(root.Content[i+1])
		key, ok := p.key(k, seen)
		if !ok {
			continue
		}
		switch key {
		case "readings":
			if set, ok := p.readings(key, v); ok {
				s.Readings = set
			}
		case "variant-action":
			if a, ok := p.action(key, v); ok {
				s.VariantAction = a
			}
		case "pinyin-action":
			if a, ok := p.action(key, v); ok {
				s.PinyinAction = a
			}
		case "categories":
			s.Categories = p.categories(v, known)
		default:
			p.fail(k.Line, "unknown setting %q (the settings are readings, variant-action, pinyin-action, categories)", key)
		}
	}
	return s
}

// yamlError records an error of the YAML parser at the line it names.
func (p settingsParser) yamlError(err error) {
	msg := err.Error()
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
		if yamlParserProblems[msg] {
			line++
		}
		// A problem found at the end of the file is on its last line.
		lines := bytes.Count(bytes.TrimRight(p.data, "\n"), []byte{'\n'}) + 1
		line = min(line, lines)
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
		if msg == yamlControlChars {
			line = controlCharLine(p.data)
		}
	}
	p.fail(line, "invalid YAML: %s", msg)
}

// key reads a mapping key, refusing one that is not a plain string or that
// was seen before (seen maps each key to its line).
func (p settingsParser) key(k *yaml.Node, seen map[string]int) (string, bool) {
	k = resolve(k)
	if k.Kind != yaml.ScalarNode || k.ShortTag() != "!!str" {
		p.fail(k.Line, "want a name as key, not %s", describe(k))
		return "", false
	}
	if first, dup := seen[k.Value]; dup {
		p.fail(k.Line, "%q given twice (first at line %d)", k.Value, first)
		return "", false
	}
	seen[k.Value] = k.Line
	return k.Value, true
}

// readings reads a list of reading names.
func (p settingsParser) readings(key string, v *yaml.Node) (ReadingSet, bool) {
	if v.Kind != yaml.SequenceNode {
		p.fail(v.Line, "%s: want a list of readings such as [repeat, leet] ([] for none), not %s", key, describe(v))
		return 0, false
	}
	var set ReadingSet
	ok := true
	for _, item := range v.Content {
		item = resolve(item)
		if item.Kind != yaml.ScalarNode || item.ShortTag() != "!!str" {
			p.fail(item.Line, "%s: want a reading name (%s), not %s", key, readingList, describe(item))
			ok = false
			continue
		}
		r, err := ParseReading(item.Value)
		if err != nil {
			p.fail(item.Line, "%s: %v", key, err)
			ok = false
			continue
		}
		set = set.With(r)
	}
	return set, ok
}

// action reads "same" or "review".
func (p settingsParser) action(key string, v *yaml.Node) (ReadingAction, bool) {
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" {
		p.fail(v.Line, "%s: want same or review, not %s", key, describe(v))
		return ActionInherit, false
	}
	a, err := ParseReadingAction(v.Value)
	if err != nil {
		p.fail(v.Line, "%s: %v", key, err)
		return ActionInherit, false
	}
	return a, true
}

// categories reads the per-category overrides.
func (p settingsParser) categories(v *yaml.Node, known func(string) bool) map[string]CategorySettings {
	if isNull(v) {
		return nil // "categories:" with nothing under it overrides nothing
	}
	if v.Kind != yaml.MappingNode {
		p.fail(v.Line, "categories: want a mapping of category names to settings, not %s", describe(v))
		return nil
	}
	out := map[string]CategorySettings{}
	seen := map[string]int{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, cv := v.Content[i], resolve(v.Content[i+1])
		name, ok := p.key(k, seen)
		if !ok {
			continue
		}
		if known != nil && !known(name) {
			p.fail(k.Line, "categories: no file of the folder defines category %q", name)
			continue
		}
		c := CategorySettings{Line: k.Line}
		if !isNull(cv) && cv.Kind != yaml.MappingNode {
			p.fail(cv.Line, "categories: %s: want a mapping such as { pinyin-action: same }, not %s", name, describe(cv))
			continue
		}
		cseen := map[string]int{}
		for j := 0; j+1 < len(cv.Content); j += 2 {
			ck, vv := cv.Content[j], resolve(cv.Content[j+1])
			key, ok := p.key(ck, cseen)
			if !ok {
				continue
			}
			switch key {
			case "readings":
				if set, ok := p.readings(name+": readings", vv); ok {
					c.OverrideReadings, c.Readings = true, set
				}
			case "variant-action":
				if a, ok := p.action(name+": variant-action", vv); ok {
					c.VariantAction = a
				}
			case "pinyin-action":
				if a, ok := p.action(name+": pinyin-action", vv); ok {
					c.PinyinAction = a
				}
			default:
				p.fail(ck.Line, "categories: %s: unknown setting %q (a category may set readings, variant-action, pinyin-action)", name, key)
			}
		}
		out[name] = c
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// controlCharLine returns the 1-based line of the first character that
// YAML does not allow in a file (a control character other than tab, line
// feed, carriage return and next line), or 0.
func controlCharLine(data []byte) int {
	line := 1
	for _, r := range string(data) {
		switch {
		case r == '\n':
			line++
		case r == '\t' || r == '\r' || r == 0x85 || r == 0xFEFF:
		case r < 0x20 || r >= 0x7F && r < 0xA0 || r >= 0xD800 && r < 0xE000 || r == 0xFFFE || r == 0xFFFF:
			return line
		}
	}
	return 0
}

// resolve follows an alias to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// isNull tells whether n is an empty value (nothing written, ~ or null).
func isNull(n *yaml.Node) bool {
	return n.Kind == 0 || n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// describe names the kind of a node for an error message.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return "nothing"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "this"
}
