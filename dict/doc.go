// Package dict reads sensitive-word dictionaries from a folder, compiles
// them with package filter, and keeps the compiled dictionary up to date
// while the folder changes.
//
// # Folder format
//
// Every regular file named *.txt in the folder and its subfolders is read;
// files and folders whose name starts with '.' are skipped, and symlinks
// are followed. This matches a Kubernetes ConfigMap mount, whose visible
// files are symlinks into the hidden "..data" folder: each word is read
// once, through the visible name. A dangling symlink is skipped (it is the
// middle of an update). Folders may nest MaxDepth deep.
//
// The file name gives the category and the action of its words (see
// ParseFileName):
//
//	NAME.txt           category NAME, action mask
//	NAME.mask.txt      category NAME, action mask
//	NAME.block.txt     category NAME, action block
//	NAME.review.txt    category NAME, action review
//	allow.txt          allow-list
//	NAME.allow.txt     allow-list (allow phrases apply to every category)
//	variants.txt       variant forms (see Variants files below)
//	NAME.variants.txt  variant forms, likewise (NAME only organises the folder)
//
// The suffix is read whatever its case (NAME.Block.txt blocks). Any other
// dot-suffix (politics.blok.txt, a.b.txt) is an error naming the file and
// the suffixes it may have: a typo never turns a block list into a mask
// list. Files not ending in ".txt" are ignored, except the settings file
// wordfilter.yaml (see Settings below).
//
// Files in subfolders name categories the same way (zh/porn.mask.txt is
// category "porn"). Each file holds one word or phrase per line, in UTF-8;
// a byte-order mark and CRLF line ends are accepted, surrounding whitespace
// is trimmed, and blank lines and lines starting with '#' are ignored (a
// word cannot start with '#'). See Parse.
//
// # Variants files
//
// A variants file (variants.txt, NAME.variants.txt) holds one line per
// canonical form: the form first, then the written forms that stand for
// it, separated by whitespace:
//
//	法 氵去 灋
//	奸 女干
//	强 弓虽
//
// Comments, blank lines, a BOM and CRLF are handled as in word files. Its
// lines are never words of a category, and every variants file serves
// every category. Each form must be acceptable as a word (something
// matchable left, at most filter.MaxWordRunes characters); a line with
// fewer than two forms, a written form that already folds to its canonical
// form (發 for 发, FUCK for fuck), and a written form listed for two
// canonical forms that fold differently (the error names both lines) are
// errors. Listing a form twice for the same canonical form is harmless.
// The lines are exposed, in folder order, as Dictionary.Variants (see
// ParseVariants) for the variants reading.
//
// # Settings
//
// wordfilter.yaml at the top of the folder (optional) says which variant
// readings are on and what a match found only through them does, for the
// whole folder and per category:
//
//	readings: [repeat, leet, lookalike, variants, pinyin]   # the default: all on
//	variant-action: same      # same (the word's own action, the default) or review
//	pinyin-action: review     # review (the default) or same
//	categories:
//	  politics: { pinyin-action: same }
//	  ads: { readings: [] }
//
// A category's readings list replaces the folder's for its words; its
// actions override the folder's one by one (Settings.For). An empty file,
// or one of only comments, means the defaults (DefaultSettings). Anchors
// and aliases may share settings between categories. These are errors
// naming path:line: invalid YAML, an unknown key, reading name or action,
// a value of the wrong type (a readings value that is not a list: write
// [] for none), a key given twice, a category that no word file of the
// folder defines (a typo must not silently do nothing; allow and variants
// are no categories), and more than one YAML document. A wordfilter.yaml
// in a subfolder, or a settings file named wordfilter.yml (in any case),
// is refused rather than ignored: whoever put it there expects it to
// apply. The settings are exposed as Dictionary.Settings (see
// ParseSettings).
//
// The readings are parsed and validated here and compiled into the
// Matcher: the folder's settings as filter.Options.Policy (which also
// reads the allow phrases), each category that wordfilter.yaml names as
// an entry of Options.Categories (Settings.Policy), and the variants
// files as Options.Variants. See docs/matching.md ("Variant readings")
// for what each reading finds; pinyin is read and checked here but not
// yet applied by the engine.
//
// # Errors
//
// Invalid UTF-8, a word with nothing matchable left after normalisation,
// and a word longer than filter.MaxWordRunes characters are errors, as are
// a *.txt file with an unknown suffix, a bad variants line, a bad
// wordfilter.yaml, an unreadable file or folder and a folder with no *.txt
// file at all (a wordfilter.yaml alone is no dictionary).
// Each problem is a *LineError whose message reads "path:line: message";
// a load collects all of them (up to MaxErrors) in a *LoadError and
// refuses the folder whole. ErrorLines lists the messages, and errors.Is
// tells the kinds apart (ErrInvalidUTF8, ErrBadWord, ErrBadFileName,
// ErrBadVariant, ErrBadSettings, ErrUnreadable, ErrNoFiles, ErrTooDeep).
// The problems of the settings file come after those of the *.txt files.
//
// A word that folds to a single letter or digit (幹 to 干, ㈠ to 一, a)
// is no error but will match inside many texts: Dictionary.Warnings lists
// each with its path and line. A word of one symbol or emoji (🖕) is
// not warned about.
//
// # Duplicates and versions
//
// Words that fold to the same text (see package filter) are one word and
// the strongest action wins (block > mask > review); between equal actions
// the first file in path order names the category. The version of a
// dictionary is the first 16 hex digits of a SHA-256 over the sorted
// relative paths and contents of its files, wordfilter.yaml included
// (it changes matching; a folder without one has the version of its
// *.txt files alone): the same content gives the same version on every
// machine, whatever the read order or modification times. A change to
// wordfilter.yaml reloads like a change to a *.txt file.
//
// # Reloading
//
// A Store holds the current *Dictionary behind an atomic pointer. Readers
// call Current once per request and use that snapshot throughout; a
// reload reads and compiles the folder off to the side and swaps the new
// dictionary in with one pointer store, so requests in flight are never
// disturbed. Reloads are serialised. A refused reload keeps the old
// dictionary and sets LastError until the next good load. Store.Watch
// follows the folder with fsnotify (debounced) and also polls it, comparing
// content versions so that an unchanged folder is not recompiled;
// Store.Reload forces a read. The package never logs: every reload attempt
// is reported to Config.OnReload, where the caller logs and counts.
//
// A reload made while a dictionary is in use (watch, poll, signal, API)
// is paced so that requests keep the CPU: hashing, parsing and compiling
// (through filter.Options.Yield) work in slices of about 200µs, and
// after each the reload sleeps so that it takes at most Config.ReloadCPU
// of one CPU (default half), or calls runtime.Gosched when an overlong
// sleep already paid for the slice. The sleeps matter most with
// GOMAXPROCS 1: only an idle processor polls the network for new
// requests. The share adapts to the load: every 5ms the reload reads the
// process's CPU time, and while requests (and the garbage collector)
// leave less than 15% of GOMAXPROCS idle it halves its share, down to a
// quarter of ReloadCPU, so that a busy server reloads more slowly instead
// of answering more slowly. Pacing lasts one second at most: then the
// reload finishes at full speed, so that a change still takes effect
// within the 2 seconds the service promises. The first load is not
// paced, nor are Load, LoadFS and Default. ReloadEvent.Paused says how
// long a reload slept.
//
// # Default dictionary
//
// With Config.Dir empty the Store serves the dictionary embedded in the
// binary (see Default), made for Chinese and English chat: a few thousand
// words in the categories abuse-zh, profanity-en and porn (mask),
// slurs-en, slurs-zh, sex-services, drugs, gambling, violence, cult and
// politics (block) and ads (review), with an allow-list of everyday
// phrases that hold such words. Its false positives were mined over chat
// corpora with the command in dict/mine (go run ./dict/mine), which
// serves any dictionary change the same way. The README's dictionary
// section gives the word counts and measured flag rates; the NOTICE file
// at the root of the repository names the sources and licences.
//
// # Resource use
//
// A reload holds the new folder's words and the compiler's working memory
// while the old dictionary still serves; the raw files are dropped before
// compiling, so the heap peaks at under 3 dictionaries (old, new and the
// build's working memory). Polling re-reads and hashes the folder every
// interval but compiles nothing when the content is unchanged. Load
// times and the measured reload peaks are in docs/benchmarks.md
// ("Dictionary load and reload", from BenchmarkLoad and
// BenchmarkReloadMemory).
//
// A file written in place can be read half-written if the writer pauses
// longer than the debounce; the next event reloads the whole file, but
// renaming a finished file into place avoids the moment.
package dict
