package deploy

import (
	"os"
	"path"
	"strings"
	"testing"
)

// TestImageShipsLicense checks that the repository holds the licence of
// its own code and that the runtime image carries it, beside the NOTICE of
// the dictionaries' sources: Apache-2.0 asks that every copy of the work
// comes with the licence.
func TestImageShipsLicense(t *testing.T) {
	b, err := os.ReadFile(repoPath("LICENSE"))
	if err != nil {
		t.Fatalf("the repository has no LICENSE: %v", err)
	}
	if !strings.Contains(string(b), "Apache License") || !strings.Contains(string(b), "Version 2.0, January 2004") {
		t.Errorf("LICENSE is not the Apache License 2.0 text")
	}
	if loadDockerignore(t).ignored("LICENSE") {
		t.Errorf(".dockerignore excludes LICENSE")
	}
	stages := loadDockerStages(t)
	shipped := false
	for _, in := range stages[len(stages)-1].Instr {
		if f := strings.Fields(in.Args); in.Cmd == "COPY" && len(f) >= 2 && path.Base(f[len(f)-2]) == "LICENSE" {
			shipped = true
		}
	}
	if !shipped {
		t.Errorf("the runtime stage does not COPY LICENSE")
	}
}
