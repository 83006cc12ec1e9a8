package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestValidateWarnings(t *testing.T) {
	dir := writeDictFolder(t, map[string]string{
		"zh.block.txt": "幹\n㈠\n法轮功\n",
		"en.txt":       "a\nab\n☭\n🖕\n",
	})
	en, zh := filepath.Join(dir, "en.txt"), filepath.Join(dir, "zh.block.txt")
	wantErr := en + `:1: warning: word "a" folds to one character (a) and will match inside many texts` + "\n" +
		zh + `:1: warning: word "幹" folds to one character (干) and will match inside many texts` + "\n" +
		zh + `:2: warning: word "㈠" folds to one character (一) and will match inside many texts` + "\n"
	code, out, errOut := runCmd(t, "", "validate", "-dict", dir)
	if code != 0 || !strings.HasPrefix(out, "ok: "+dir+": 7 words,") || errOut != wantErr {
		t.Fatalf("validate = %d, stdout %q, stderr %q; want 0, the summary and\n%s", code, out, errOut, wantErr)
	}
	code, out, errOut = runCmd(t, "", "validate", "-strict", "-dict", dir)
	if want := strings.ReplaceAll(wantErr, ": warning: ", ": "); code != 1 || out != "" || errOut != want {
		t.Fatalf("validate -strict = %d, stdout %q, stderr %q; want 1, nothing and\n%s", code, out, errOut, want)
	}
	// Nothing to warn about: -strict changes nothing.
	clean := writeDictFolder(t, map[string]string{"en.txt": "ab\n☭\n🖕\n"})
	code, out, errOut = runCmd(t, "", "validate", "-strict", "-dict", clean)
	if code != 0 || !strings.HasPrefix(out, "ok: ") || errOut != "" {
		t.Fatalf("validate -strict of a clean folder = %d, %q, %q; want 0, the summary, nothing", code, out, errOut)
	}
}
