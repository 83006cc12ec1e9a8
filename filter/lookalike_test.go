package filter

import (
	"testing"
	"time"
)

func TestLookalikeTable(t *testing.T) {
	start := time.Now()
	l := buildLookalikes()
	t.Logf("lookalike table: %d foreign, %d decorated letters, built in %v", len(l.foreign), len(l.decorated), time.Since(start))
	for r, want := range map[rune]byte{
		'а': 'a', 'с': 'c', 'е': 'e', 'о': 'o', 'р': 'p', 'х': 'x', 'у': 'y', 'і': 'i', 'ј': 'j', 'ѕ': 's', // Cyrillic
		'ο': 'o', 'α': 'a', 'ν': 'v', 'ι': 'i', // Greek
	} {
		if got, ok := l.foreign[r]; !ok || got != want {
			t.Errorf("foreign %q = %q, %v; want %q", r, got, ok, want)
		}
	}
	for r, want := range map[rune]byte{'ü': 'u', 'é': 'e', 'ƒ': 'f', 'ɑ': 'a', 'ı': 'i', 'ñ': 'n', 'ç': 'c', 'ķ': 'k'} {
		if got, ok := l.decorated[r]; !ok || got != want {
			t.Errorf("decorated %q = %q, %v; want %q", r, got, ok, want)
		}
	}
	for _, r := range []rune{'б', 'д', 'ж', 'л', 'я', 'ш', 'λ', 'π', '中'} {
		if c, ok := l.foreign[r]; ok {
			t.Errorf("%q read as %q: it looks like no Latin letter", r, c)
		}
	}
}
