package filter

// Test hooks: the internals that the external tests need to reach.

// WithEngine returns o forcing the sparse (dense false) or the dense
// transition layout.
func WithEngine(o Options, dense bool) Options {
	o.engine = engineSparse
	if dense {
		o.engine = engineDense
	}
	return o
}

// IsDense reports whether m uses the full transition table.
func (m *Matcher) IsDense() bool { return m.auto.dense != nil }

// T2S returns the simplified form of a traditional character.
func T2S(r rune) (rune, bool) {
	s, ok := defaultNormaliser().t2s[r]
	return s, ok
}

// States returns the number of automaton states.
func (m *Matcher) States() int { return len(m.auto.states) - 1 }

// Slots returns the size of the double array.
func (m *Matcher) Slots() int { return len(m.auto.slots) }

// WithSameHash returns o making every folded key collide in Compile's
// duplicate detection, so that the collision path is taken.
func WithSameHash(o Options) Options {
	o.sameHash = true
	return o
}

// WithSettleAt returns o making a scan settle its candidates as soon as n
// wait (see scanner), instead of defaultSettleAt: with a small n, settling
// happens many times in short texts.
func WithSettleAt(o Options, n int) Options {
	o.settleAt = n
	return o
}

// Settles returns how many times a scan of text settled candidates before
// its end, and the most candidates and allow occurrences it held at once.
func (m *Matcher) Settles(text string) (settles, held int) {
	sc := acquireScanner(m)
	sc.scan(text)
	if sc.scr != nil {
		sc.finish()
		sc.release()
	}
	settles, held = sc.settles, sc.held
	scannerPool.Put(sc)
	return settles, held
}

// FoldClasses returns the visible runes that code point r folds to and the
// class of each, named "sep", "clause", "anywhere" (a letter or digit of a
// script written without spaces), "boundary" (one of a script written with
// spaces) or "cjk".
func FoldClasses(r rune) ([]rune, []string) {
	names := [...]string{clsSep: "sep", clsClause: "clause", clsWord: "anywhere", clsLatin: "boundary", clsCJK: "cjk", clsBreak: "break"}
	var rs []rune
	var cls []string
	for _, f := range defaultNormaliser().appendFold(nil, r) {
		rs = append(rs, f.r)
		cls = append(cls, names[f.cls])
	}
	return rs, cls
}

// WalkSteps filters text and returns the steps its variant walks took.
func (m *Matcher) WalkSteps(text string) int { return m.afterScan(text, (*scanner).walkSpent) }

// CheckSteps filters text and returns the steps the ASCII loop's checks of
// leet characters and repeats took.
func (m *Matcher) CheckSteps(text string) int {
	return m.afterScan(text, func(sc *scanner) int { return sc.checkSteps })
}

// afterScan filters text and returns what read tells of the scanner
// before it goes back to the pool.
func (m *Matcher) afterScan(text string, read func(*scanner) int) int {
	sc := acquireScanner(m)
	sc.scan(text)
	n := read(sc)
	if sc.scr != nil {
		sc.finish()
		sc.release()
	}
	sc.out = nil
	scannerPool.Put(sc)
	return n
}
