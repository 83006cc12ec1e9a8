package pinyin

import (
	"testing"
	"unsafe"
)

// TestTableBytes checks tableBytes, the size the package documentation
// gives, against the arrays themselves.
func TestTableBytes(t *testing.T) {
	got := len(syllableNames) + int(unsafe.Sizeof(syllableEnd)+unsafe.Sizeof(charIndex)+unsafe.Sizeof(charBlocks)+
		unsafe.Sizeof(setEnd)+unsafe.Sizeof(setSyllables)+unsafe.Sizeof(interjection)+unsafe.Sizeof(byteClass)+
		unsafe.Sizeof(trieNext)+unsafe.Sizeof(trieEndsEnd)+unsafe.Sizeof(trieEnds))
	if got != tableBytes {
		t.Errorf("the tables take %d bytes, tableBytes = %d", got, tableBytes)
	}
	t.Logf("tables: %d bytes (charIndex %d, charBlocks %d, sets %d, trie %d); %d characters, %d syllables, %d reading sets, %d trie states",
		got, unsafe.Sizeof(charIndex), unsafe.Sizeof(charBlocks), unsafe.Sizeof(setEnd)+unsafe.Sizeof(setSyllables),
		unsafe.Sizeof(trieNext)+unsafe.Sizeof(trieEndsEnd)+unsafe.Sizeof(trieEnds)+unsafe.Sizeof(byteClass),
		numChars, NumSyllables, len(setEnd)-1, len(trieEndsEnd)-1)
}
