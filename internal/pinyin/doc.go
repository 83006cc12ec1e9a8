// Package pinyin holds the pronunciation data of the pinyin reading: the
// toneless pinyin syllables of every Chinese character that
// github.com/mozillazg/go-pinyin's table gives, and a trie of the syllables'
// Latin spellings for splitting a run of letters into whole syllables.
//
// # Syllables
//
// A Syllable is a small integer naming one toneless syllable ("fa", "lun",
// "zhuang", "lü"); there are NumSyllables of them, numbered from 1 in
// bytewise order of their names, 0 meaning none. Tones are removed (ā, á, ǎ,
// à are a), and readings that differ only in tone are one syllable. The
// letters ü and ê are kept: lü (绿) is not lu (路), and ê (欸) is not e (饿).
// Besides the usual syllables the data has the interjections m, n, ng, hm,
// hng and ê, so single letters a, e, o, m and n are syllables too.
//
// # Characters
//
// Readings gives the syllables of a character, simplified and traditional
// alike, every reading (heteronym) in go-pinyin's order, the most common
// first: Readings('行') is [xing hang heng]. Of the 41,923 characters,
// 34,937 have one reading, 5,666 two, 1,062 three and 258 four to
// MaxReadings (8, 擖). The table covers the characters go-pinyin has
// readings for: 20,924 of the 20,992 CJK Unified Ideographs, 5,779 of
// extension A, 14,529 of extension B, 618 of extensions C to H, two
// compatibility ideographs, 〇, and 70 code points of the Private Use Area
// that GB 18030 once gave to CJK components. The other compatibility
// ideographs (郎 U+F92C) have none, but NFKC, which the matcher applies
// first, folds them to unified ideographs, and 455 of the 460 in
// U+F900–U+FAFF to ones with readings.
//
// # Spelling
//
// In Latin text a syllable is spelled as its name, ü also as v or u (lü is
// "lü", "lv" or "lu"; nüe is "nüe", "nve" or "nue") and ê also as e. The
// spellings form a trie over bytes: Start is its root, State.Next steps one
// byte, and State.Ends lists the syllables whose spelling ends there. A
// scanner that wants every way of reading a run of letters as syllables
// keeps a set of live states: after each letter it steps them all, and
// wherever some state ends a syllable it adds Start again for the next
// syllable. The live states then differ in depth (the letters read since
// their syllable began), so there are never more than MaxSpellingLen of
// them besides Start. Segmentations does the same for a whole string, for
// tests and tools.
//
// Spellings overlap: "xian" is xian or xi+an, "fangan" fang+an or fan+gan,
// "lu" is both lu and lü, and because a, e, o, m and n are syllables,
// "caonima" is also ca+o+ni+ma and ca+o+ni+m+a. Syllable.Interjection
// tells m, n, ng, hm, hng and ê apart for a scanner that would rather not
// read them in Latin text. Only a whole segmentation counts: "falungongs"
// has none.
//
// # Concurrency and resource usage
//
// Everything here is read-only and safe for concurrent use. The tables are
// generated (tables.go, by the gen command through go generate) as
// package-level arrays of constants, which the linker places in read-only
// data: they cost no heap and no init time. They take 240,189 bytes: 41,923
// characters mapped through a two-level table (blocks of 32 code points,
// identical blocks stored once; 170 KB) to 5,200 distinct reading sets
// (34 KB), 426 syllables, and a trie of 518 states over 30 byte classes
// (33 KB). Readings and State.Next are a few array loads and never
// allocate: about 4 ns a character of Chinese chat text for Readings, 5 ns
// a letter for a scan with live states (the benchmarks in
// pinyin_timing_test.go). Chars builds its reverse index on first use:
// about 1 ms and 216 KB of heap.
//
// Using go-pinyin itself at run time would cost more. Its PinyinDict is a
// map[int]string built by its package init: 1.9 to 2.9 ms and 1.77 MB
// allocated (GODEBUG=inittrace=1), 1.77 MB still held after a GC, and 1.4 MB
// more binary (this package adds 0.22 MB). A lookup in the map alone takes
// about 10 ns, and its values are toned, comma-separated strings: splitting
// them and removing the tones makes it about 300 ns and 5 allocations a
// character. Building a toneless table from it at start-up instead (a
// map[rune][]uint16) takes about 45 ms and 3.3 MB more heap. Figures from
// Go 1.26 on a shared 2-core AMD EPYC.
//
// # Data source
//
// The readings are go-pinyin's PinyinDict (MIT licence,
// https://github.com/mozillazg/go-pinyin), itself generated from
// pinyin-data (MIT licence, https://github.com/mozillazg/pinyin-data); the
// version is named in tables.go and go.mod. Regenerate with go generate
// after changing that version.
package pinyin

//go:generate go run ./gen -o tables.go
