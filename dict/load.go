package dict

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wordfilter/wordfilter/filter"
)

// MaxDepth is how deep folders may nest inside a dictionary folder
// (symlinked folders are followed; this stops a symlink loop).
const MaxDepth = 16

// versionLen is the number of hex digits of the content hash kept as the
// dictionary version (64 bits).
const versionLen = 16

// EmbeddedSource is the Dictionary.Source of the built-in default.
const EmbeddedSource = "embedded"

//go:embed default/*.txt
var defaultFS embed.FS

// rawFile is one dictionary file as read from the folder.
type rawFile struct {
	rel  string // slash-separated path inside the folder
	data []byte
}

// snapshot is the content of a dictionary folder read at one moment.
type snapshot struct {
	files []rawFile // sorted by rel
	// settings are the files named like the settings file: the one at
	// the top of the folder (rel SettingsFile) and any misplaced or
	// misnamed one, which build refuses. Sorted by rel.
	settings []rawFile
	// watch lists what a watcher must follow (slash paths): the folders
	// read, "." first, and the files reached through a symlink (whose
	// target may lie outside every watched folder).
	watch   []string
	version string
}

// folder reads a dictionary folder from a file system and names its files
// for error messages.
type folder struct {
	fsys    fs.FS
	display func(rel string) string
	// relPrefix starts the paths Dictionary.WordSource shows ("default/"
	// for the embedded dictionary, whose files live under dict/default).
	relPrefix string
	// yield, when set, is called every so often while a snapshot is
	// hashed, parsed and compiled (a paced background reload).
	yield func()
}

// osFolder is the folder dir on disk.
func osFolder(dir string) folder {
	return folder{fsys: os.DirFS(dir), display: func(rel string) string {
		return filepath.Join(dir, filepath.FromSlash(rel))
	}}
}

// defaultFolder is the folder of the embedded default dictionary.
func defaultFolder() folder {
	sub, err := fs.Sub(defaultFS, "default")
	if err != nil {
		panic("BUG: dict: embedded default folder missing: " + err.Error())
	}
	return folder{fsys: sub, display: func(rel string) string { return EmbeddedSource + "/" + rel }, relPrefix: "default/"}
}

// read reads every dictionary file of the folder and hashes the content.
// On error the snapshot still lists the folders it could read. A
// dangling symlink or a file vanishing while it is read is skipped (it is
// the middle of an update, and the update's next event reloads again).
func (f folder) read() (*snapshot, error) {
	snap := &snapshot{}
	var errs LoadError
	f.walk(".", 0, snap, &errs)
	if err := errs.err(); err != nil {
		return snap, err
	}
	if len(snap.files) == 0 {
		errs.add(&LineError{Path: f.display("."), Err: ErrNoFiles, Msg: "no dictionary files (*.txt) in the folder"})
		return snap, errs.err()
	}
	sort.Slice(snap.files, func(i, j int) bool { return snap.files[i].rel < snap.files[j].rel })
	sort.Slice(snap.settings, func(i, j int) bool { return snap.settings[i].rel < snap.settings[j].rel })
	// The settings change matching, so they are part of the version; a
	// folder without them keeps the version of its *.txt files alone.
	hashed := snap.files
	if len(snap.settings) > 0 {
		hashed = append(append(make([]rawFile, 0, len(snap.files)+len(snap.settings)), snap.files...), snap.settings...)
	}
	snap.version = hashFiles(hashed, f.yield)
	return snap, nil
}

// walk reads the folder dir (slash path inside f) and its subfolders.
func (f folder) walk(dir string, depth int, snap *snapshot, errs *LoadError) {
	entries, err := fs.ReadDir(f.fsys, dir)
	if err != nil {
		errs.add(&LineError{Path: f.display(dir), Err: ErrUnreadable, Msg: "cannot read folder: " + pathErrText(err)})
		return
	}
	snap.watch = append(snap.watch, dir)
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		p := path.Join(dir, name)
		typ := e.Type()
		if typ&fs.ModeSymlink != 0 {
			info, err := fs.Stat(f.fsys, p)
			if errors.Is(err, fs.ErrNotExist) {
				continue // dangling: mid-update, or not ours
			}
			if err != nil {
				errs.add(&LineError{Path: f.display(p), Err: ErrUnreadable, Msg: "cannot follow symlink: " + pathErrText(err)})
				continue
			}
			typ = info.Mode().Type()
		}
		switch {
		case typ.IsDir():
			if depth+1 >= MaxDepth {
				errs.add(&LineError{Path: f.display(p), Err: ErrTooDeep, Msg: fmt.Sprintf("folders nested more than %d deep (a symlink loop?)", MaxDepth)})
				continue
			}
			f.walk(p, depth+1, snap, errs)
		case typ.IsRegular():
			settings := isSettingsName(name)
			if _, ok, _ := ParseFileName(name); !ok && !settings {
				continue // a bad name is build's error, in file order
			}
			data, err := fs.ReadFile(f.fsys, p)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				errs.add(&LineError{Path: f.display(p), Err: ErrUnreadable, Msg: "cannot read file: " + pathErrText(err)})
				continue
			}
			if settings {
				snap.settings = append(snap.settings, rawFile{rel: p, data: data})
			} else {
				snap.files = append(snap.files, rawFile{rel: p, data: data})
			}
			if e.Type()&fs.ModeSymlink != 0 {
				snap.watch = append(snap.watch, p)
			}
		}
	}
}

// isSettingsName tells whether a file name is, or looks meant to be, the
// settings file: wordfilter.yaml or wordfilter.yml in any case. Only
// SettingsFile at the top of the folder is read; build refuses the others
// rather than ignore settings the operator expects to apply.
func isSettingsName(name string) bool {
	return strings.EqualFold(name, SettingsFile) || strings.EqualFold(name, "wordfilter.yml")
}

// pathErrText returns the reason of a *fs.PathError without repeating the path.
func pathErrText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// hashChunk is how much hashFiles hashes between two calls of yield.
const hashChunk = 64 << 10

// hashFiles is the content version: sha256 over the sorted relative paths
// and contents, independent of read order and modification times. It
// calls yield (when set) after every hashChunk bytes.
func hashFiles(files []rawFile, yield func()) string {
	h := sha256.New()
	var num []byte
	for _, f := range files {
		h.Write([]byte(f.rel))
		num = strconv.AppendInt(append(num[:0], 0), int64(len(f.data)), 10)
		h.Write(append(num, 0))
		for data := f.data; len(data) > 0; {
			n := min(len(data), hashChunk)
			h.Write(data[:n])
			data = data[n:]
			if yield != nil {
				yield()
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:versionLen]
}

// position is where a word was read: an index into the list of file
// names, and a line (kept small, one per word).
type position struct {
	file, line int32
}

// build parses and compiles a snapshot, consuming it (its files are
// dropped). Every bad file name and every bad line of every file is
// reported (up to MaxErrors, in folder order); any error refuses the
// whole snapshot. Each word is folded and checked once, by
// filter.Compile, whose errors name the words by index: p maps them back
// to their lines.
func (f folder) build(snap *snapshot, opts filter.Options, source string) (*Dictionary, error) {
	p, errs := f.parse(snap, opts.Allow)
	if errs.err() != nil {
		// Refused whatever the words: find the refused ones too, without
		// compiling.
		errs.merge(p.lineErrors(p.checkWords(), source), p.folderOrder())
		return nil, errs
	}
	opts = compileOptions(opts, p.settings, p.variants)
	opts.Allow = p.allow
	if f.yield != nil {
		opts.Yield = f.yield
	}
	m, err := filter.Compile(p.words, opts)
	if err != nil {
		return nil, p.compileError(err, source)
	}
	where := make([]position, m.Len())
	for i := range where {
		p.cats[m.Word(i).Category]++
		where[i] = p.wordPos[m.Origin(i)]
	}
	return &Dictionary{
		Matcher:    m,
		Version:    snap.version,
		Categories: p.cats,
		LoadedAt:   time.Now(),
		Source:     source,
		Files:      len(p.paths) - 1, // the last is Options.Allow
		Settings:   p.settings,
		Variants:   p.variants,
		where:      where,
		files:      p.rels,
		Warnings:   p.warningList(),
	}, nil
}

// parsed is a snapshot's files parsed: the words and allow phrases with
// where each was read, ready to compile, the variants and the settings.
type parsed struct {
	words    []filter.Word
	wordPos  []position
	allow    []string
	allowPos []position
	paths    []string       // display path of each file, then "Options.Allow"
	rels     []string       // path of each file relative to the folder, as WordSource shows it
	cats     map[string]int // every category named, each with 0 words
	// variants are the lines of the variants files, in folder order;
	// vidx finds a written form listed for two canonical forms.
	variants []Variant
	vidx     variantIndex
	settings Settings
	warnings []wordWarning
}

// parse parses every file of snap, after the allow phrases given in
// extraAllow, and drops the files. It returns the words and the problems
// found (a bad file name, a line that is not UTF-8, a bad variants line
// or setting), in folder order; any problem refuses the snapshot. The
// words are not checked: filter.Compile does that.
func (f folder) parse(snap *snapshot, extraAllow []string) (*parsed, *LoadError) {
	errs := &LoadError{}
	lines := 0
	for _, rf := range snap.files {
		lines += bytes.Count(rf.data, []byte{'\n'}) + 1
	}
	p := &parsed{
		words:    make([]filter.Word, 0, lines), // one allocation: the largest transient of a load
		wordPos:  make([]position, 0, lines),
		allow:    append([]string(nil), extraAllow...),
		allowPos: make([]position, len(extraAllow)),
		paths:    make([]string, 0, len(snap.files)+1),
		rels:     make([]string, 0, len(snap.files)),
		cats:     map[string]int{},
		vidx:     variantIndex{},
	}
	for i := range p.allowPos {
		p.allowPos[i] = position{file: int32(len(snap.files)), line: int32(i + 1)}
	}
	for fi, rf := range snap.files {
		kind, _, nameErr := ParseFileName(path.Base(rf.rel))
		disp := f.display(rf.rel)
		p.paths = append(p.paths, disp)
		p.rels = append(p.rels, f.relPrefix+rf.rel)
		if nameErr != nil {
			// Never guess what a misspelled suffix meant.
			errs.add(&LineError{Path: disp, Err: ErrBadFileName, Msg: nameErr.Error()})
			continue
		}
		if _, seen := p.cats[kind.Category]; !seen && !kind.Allow && !kind.Variants {
			p.cats[kind.Category] = 0 // a file of comments still names its category
		}
		var fileErrs LoadError
		if kind.Variants {
			p.parseVariants(rf.data, disp, &fileErrs)
		} else {
			f.parseWords(p, kind, int32(fi), rf.data, &fileErrs)
		}
		for _, e := range fileErrs.Errs {
			e.Path = disp
			errs.add(e)
		}
		errs.Omitted += fileErrs.Omitted
	}
	p.paths = append(p.paths, "Options.Allow")
	p.settings = f.buildSettings(snap.settings, p.cats, errs)
	snap.files, snap.settings = nil, nil // the words hold copies: let the raw files go before compiling
	return p, errs
}

// parseWords adds the entries of one word or allow file (file index fi)
// to p.
func (f folder) parseWords(p *parsed, kind FileKind, fi int32, data []byte, errs *LoadError) {
	parseBytes(data, func(e Entry) {
		if e.Line&63 == 0 && f.yield != nil {
			f.yield()
		}
		pos := position{file: fi, line: int32(e.Line)}
		if kind.Allow {
			p.allow = append(p.allow, e.Text)
			p.allowPos = append(p.allowPos, pos)
			return
		}
		p.words = append(p.words, filter.Word{Text: e.Text, Category: kind.Category, Action: kind.Action})
		p.wordPos = append(p.wordPos, pos)
		if folded, one := foldsToOne(e.Text); one {
			p.warnings = append(p.warnings, wordWarning{pos: pos, word: e.Text, folded: folded})
		}
	}, errs)
}

// warningList names the files of p's warnings; nil when there is none.
func (p *parsed) warningList() []Warning {
	var ws []Warning
	for _, w := range p.warnings {
		ws = append(ws, Warning{Path: p.paths[w.pos.file], Line: int(w.pos.line), Word: w.word, Folded: w.folded})
	}
	return ws
}

// parseVariants adds the lines of the variants file disp to p.
func (p *parsed) parseVariants(data []byte, disp string, errs *LoadError) {
	parseVariantsBytes(data, func(v Variant) {
		v.Path = disp
		if le := p.vidx.add(v); le != nil {
			errs.add(le)
		}
		p.variants = append(p.variants, v)
	}, errs)
}

// compileError turns an error of filter.Compile into a *LoadError that
// names the file and line of every word or allow phrase it refused.
func (p *parsed) compileError(err error, source string) error {
	var ce *filter.CompileError
	if !errors.As(err, &ce) {
		return fmt.Errorf("dict: cannot compile %s: %w", source, err)
	}
	return p.lineErrors(ce.Words, source)
}

// checkWords checks every word and allow phrase of p as filter.Compile
// would, for a folder refused before it is compiled.
func (p *parsed) checkWords() []*filter.WordError {
	var bad []*filter.WordError
	for i, w := range p.words {
		if code := filter.CheckWord(w.Text); code != "" {
			bad = append(bad, &filter.WordError{Code: code, Index: i, Text: w.Text})
		}
	}
	for i, a := range p.allow {
		if code := filter.CheckWord(a); code != "" {
			bad = append(bad, &filter.WordError{Code: code, Index: i, Allow: true, Text: a})
		}
	}
	return bad
}

// lineErrors turns the refused words bad (by index into p's words or
// allow phrases) into problems naming their file and line, in folder
// order, up to MaxErrors. A word whose index p does not know is named by
// source alone.
func (p *parsed) lineErrors(bad []*filter.WordError, source string) *LoadError {
	pos := func(we *filter.WordError) (position, bool) {
		switch {
		case we.Allow && we.Index >= 0 && we.Index < len(p.allowPos):
			return p.allowPos[we.Index], true
		case !we.Allow && we.Index >= 0 && we.Index < len(p.wordPos):
			return p.wordPos[we.Index], true
		}
		return position{file: int32(len(p.paths))}, false
	}
	// Compile lists the words, then the allow phrases, the ones of
	// Options.Allow first: sort them into folder order.
	sort.SliceStable(bad, func(i, j int) bool {
		a, _ := pos(bad[i])
		b, _ := pos(bad[j])
		return a.file < b.file || a.file == b.file && a.line < b.line
	})
	errs := &LoadError{}
	for i, we := range bad {
		if i == MaxErrors {
			errs.Omitted = len(bad) - i
			break
		}
		le := badWord(we.Text, 0, we.Code)
		le.Path = source
		if at, ok := pos(we); ok {
			le.Path, le.Line = p.paths[at.file], int(at.line)
		}
		errs.add(le)
	}
	return errs
}

// folderOrder returns where a problem of p lies, for LoadError.merge: its
// file (by index; files not among p's, such as the settings file, after
// them) and its line.
func (p *parsed) folderOrder() func(*LineError) position {
	index := make(map[string]int32, len(p.paths))
	for i, path := range p.paths {
		index[path] = int32(i)
	}
	return func(le *LineError) position {
		fi, ok := index[le.Path]
		if !ok {
			fi = int32(len(p.paths))
		}
		return position{file: fi, line: int32(le.Line)}
	}
}

// buildSettings parses the settings file at the top of the folder (the
// defaults when there is none) against the folder's categories, and
// refuses every settings file elsewhere or misnamed: an operator who put
// it there expects it to apply.
func (f folder) buildSettings(files []rawFile, cats map[string]int, errs *LoadError) Settings {
	settings := DefaultSettings()
	for _, rf := range files {
		disp := f.display(rf.rel)
		if rf.rel != SettingsFile {
			errs.add(&LineError{Path: disp, Err: ErrBadSettings, Msg: "settings are read only from " + SettingsFile +
				" at the top of the dictionary folder: move or rename this file, or delete it"})
			continue
		}
		var fileErrs LoadError
		settings = parseSettings(rf.data, func(c string) bool { _, ok := cats[c]; return ok }, &fileErrs)
		settings.Path = disp
		for _, e := range fileErrs.Errs {
			e.Path = disp
			errs.add(e)
		}
		errs.Omitted += fileErrs.Omitted
	}
	return settings
}

// Load reads, checks and compiles the dictionary folder dir (see the
// package documentation for the format). A folder with any error is
// refused whole: the error is a *LoadError listing every problem as
// "path:line: message". opts.Allow is extended with the folder's
// allow-lists and opts.Variants with its variants files; opts.Policy and
// opts.Categories are replaced by the folder's wordfilter.yaml (its
// defaults, every reading on, when it has none: see Settings.Policy).
// Every other option (Mask, ...) is kept. LoadFS, Default and a Store
// compile the same way.
func Load(dir string, opts filter.Options) (*Dictionary, error) {
	f := osFolder(dir)
	snap, err := f.read()
	if err != nil {
		return nil, err
	}
	return f.build(snap, opts, dir)
}

// LoadFS is Load for a folder of any file system (the root of fsys);
// source names it in Dictionary.Source and in error messages.
func LoadFS(fsys fs.FS, source string, opts filter.Options) (*Dictionary, error) {
	f := folder{fsys: fsys, display: func(rel string) string { return path.Join(source, rel) }}
	snap, err := f.read()
	if err != nil {
		return nil, err
	}
	return f.build(snap, opts, source)
}

// Default compiles the embedded default dictionary, made for Chinese and
// English chat: abuse, profanity and porn masked; slurs, sexual services,
// drugs, gambling, violence, cults and politics refused; advertising and
// contact trading sent to review; with an allow-list of everyday phrases.
// Its Source is "embedded". See the package documentation for its
// categories and the NOTICE file for its sources and licences.
func Default(opts filter.Options) (*Dictionary, error) {
	f := defaultFolder()
	snap, err := f.read()
	if err != nil {
		return nil, err
	}
	return f.build(snap, opts, EmbeddedSource)
}
