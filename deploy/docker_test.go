package deploy

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// instruction is one Dockerfile instruction with its continuation lines
// joined.
type instruction struct {
	Cmd  string // upper case: FROM, RUN, ...
	Args string
	Line int
}

// parseDockerfile splits a Dockerfile into instructions. Comments (including
// parser directives) and blank lines are dropped; a trailing backslash
// continues the instruction on the next line.
func parseDockerfile(src string) ([]instruction, error) {
	var out []instruction
	var cur strings.Builder
	start := 0
	sc := bufio.NewScanner(strings.NewReader(src))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if cur.Len() == 0 && (trimmed == "" || strings.HasPrefix(trimmed, "#")) {
			continue
		}
		if cur.Len() > 0 && strings.HasPrefix(trimmed, "#") {
			continue // comment inside a continued instruction
		}
		if cur.Len() == 0 {
			start = n
		}
		if body, ok := strings.CutSuffix(trimmed, "\\"); ok {
			cur.WriteString(body)
			cur.WriteByte(' ')
			continue
		}
		cur.WriteString(trimmed)
		cmd, args, _ := strings.Cut(cur.String(), " ")
		out = append(out, instruction{Cmd: strings.ToUpper(cmd), Args: strings.TrimSpace(args), Line: start})
		cur.Reset()
	}
	if cur.Len() > 0 {
		return nil, fmt.Errorf("line %d: instruction continues past the end of the file", start)
	}
	return out, sc.Err()
}

// execForm parses an exec-form argument list (a JSON array of strings).
func execForm(args string) ([]string, error) {
	var v []string
	if err := json.Unmarshal([]byte(args), &v); err != nil {
		return nil, fmt.Errorf("not exec form %q: %v", args, err)
	}
	return v, nil
}

// dockerStage is the instructions of one build stage.
type dockerStage struct {
	From  string
	Name  string
	Instr []instruction
}

func loadDockerStages(t *testing.T) []dockerStage {
	t.Helper()
	ins, err := parseDockerfile(string(readFile(t, "Dockerfile")))
	if err != nil {
		t.Fatalf("Dockerfile: %v", err)
	}
	args := map[string]string{}
	var stages []dockerStage
	for _, in := range ins {
		switch {
		case in.Cmd == "ARG" && len(stages) == 0:
			k, v, _ := strings.Cut(in.Args, "=")
			args[k] = v
		case in.Cmd == "FROM":
			f := strings.Fields(in.Args)
			var img, name string
			for i := 0; i < len(f); i++ {
				switch {
				case strings.HasPrefix(f[i], "--"):
				case strings.EqualFold(f[i], "AS") && i+1 < len(f):
					name = f[i+1]
					i++
				default:
					img = f[i]
				}
			}
			img = os.Expand(img, func(k string) string { return args[k] })
			stages = append(stages, dockerStage{From: img, Name: name})
		case len(stages) > 0:
			stages[len(stages)-1].Instr = append(stages[len(stages)-1].Instr, in)
		}
	}
	if len(stages) < 2 {
		t.Fatalf("Dockerfile has %d stages, want a build stage and a runtime stage", len(stages))
	}
	return stages
}

// only returns the single instruction cmd of a stage.
func (s dockerStage) only(t *testing.T, cmd string) instruction {
	t.Helper()
	var found []instruction
	for _, in := range s.Instr {
		if in.Cmd == cmd {
			found = append(found, in)
		}
	}
	if len(found) != 1 {
		t.Fatalf("runtime stage has %d %s instructions, want 1", len(found), cmd)
	}
	return found[0]
}

func TestParseDockerfile(t *testing.T) {
	ins, err := parseDockerfile("# syntax=docker/dockerfile:1\nFROM a AS b\n\nRUN x \\\n  # note\n  y\nexpose 1\n")
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(ins)
	want := "[{FROM a AS b 2} {RUN x  y 4} {EXPOSE 1 7}]"
	if got != want {
		t.Errorf("parseDockerfile = %s, want %s", got, want)
	}
	if _, err := parseDockerfile("RUN a \\\n"); err == nil {
		t.Errorf("parseDockerfile accepted a dangling continuation")
	}
}

func TestDockerfile(t *testing.T) {
	stages := loadDockerStages(t)
	rt := stages[len(stages)-1]

	if !strings.HasPrefix(rt.From, "gcr.io/distroless/static") && rt.From != "scratch" {
		t.Errorf("runtime base %q, want distroless/static or scratch (the binary is static)", rt.From)
	}

	// The build: static, reproducible, version stamped, the real command.
	var build string
	for _, s := range stages[:len(stages)-1] {
		for _, in := range s.Instr {
			if in.Cmd == "RUN" && strings.Contains(in.Args, "go build") {
				build = in.Args
			}
		}
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "-X main.version=", "./cmd/wordfilter"} {
		if !strings.Contains(build, want) {
			t.Errorf("go build step %q lacks %q", build, want)
		}
	}
	if _, err := os.Stat(repoPath("cmd", "wordfilter")); err != nil {
		t.Errorf("the Dockerfile builds ./cmd/wordfilter: %v", err)
	}

	// Port, user, signal.
	if got := rt.only(t, "EXPOSE").Args; got != strconv.Itoa(servicePort) && got != fmt.Sprintf("%d/tcp", servicePort) {
		t.Errorf("EXPOSE %s, want %d", got, servicePort)
	}
	if got := rt.only(t, "USER").Args; got != fmt.Sprintf("%d:%d", runtimeUID, runtimeUID) {
		t.Errorf("USER %s, want the numeric non-root %d:%d (Kubernetes runAsNonRoot needs a number)", got, runtimeUID, runtimeUID)
	}
	if got := rt.only(t, "STOPSIGNAL").Args; got != "SIGTERM" {
		t.Errorf("STOPSIGNAL %s, want SIGTERM (the service drains on it)", got)
	}

	// Files copied into the runtime image.
	copied := map[string]bool{}
	for _, in := range rt.Instr {
		if in.Cmd == "COPY" {
			f := strings.Fields(in.Args)
			copied[f[len(f)-1]] = true
		}
	}

	// ENTRYPOINT runs the copied binary; CMD is the serve command.
	ep, err := execForm(rt.only(t, "ENTRYPOINT").Args)
	if err != nil || len(ep) != 1 || !copied[ep[0]] || path.Base(ep[0]) != "wordfilter" {
		t.Errorf("ENTRYPOINT %v (%v), want the copied wordfilter binary in exec form", ep, err)
	}
	if cmd, err := execForm(rt.only(t, "CMD").Args); err != nil || len(cmd) != 1 || cmd[0] != "serve" {
		t.Errorf("CMD %v (%v), want [serve]", cmd, err)
	}

	// HEALTHCHECK: exec form (no shell in the image), a copied binary, the
	// liveness endpoint on the service port.
	hc := rt.only(t, "HEALTHCHECK").Args
	_, hcCmd, ok := strings.Cut(hc, " CMD ")
	if !ok {
		t.Fatalf("HEALTHCHECK %q has no CMD", hc)
	}
	argv, err := execForm(strings.TrimSpace(hcCmd))
	if err != nil {
		t.Fatalf("HEALTHCHECK: %v (distroless has no shell: use exec form)", err)
	}
	if !copied[argv[0]] {
		t.Errorf("HEALTHCHECK runs %q, which is not copied into the runtime image", argv[0])
	}
	wantURL := fmt.Sprintf("http://127.0.0.1:%d%s", servicePort, healthzPath)
	if argv[len(argv)-1] != wantURL {
		t.Errorf("HEALTHCHECK probes %q, want %q", argv[len(argv)-1], wantURL)
	}
	if !strings.Contains(hc, "--timeout=") || !strings.Contains(hc, "--interval=") {
		t.Errorf("HEALTHCHECK %q: set --interval and --timeout explicitly", hc)
	}
}

// dockerignore is a parsed .dockerignore: patterns matched against the
// slash-separated path from the build context root; a pattern that matches
// a folder excludes what is under it; "!" re-includes; the last match wins.
type dockerignore []string

func (d dockerignore) ignored(rel string) bool {
	ignored := false
	for _, p := range d {
		neg := strings.HasPrefix(p, "!")
		p = strings.TrimPrefix(strings.TrimPrefix(p, "!"), "/")
		if matchesPathOrParent(p, rel) {
			ignored = !neg
		}
	}
	return ignored
}

func matchesPathOrParent(pattern, rel string) bool {
	for q := rel; q != "." && q != "/" && q != ""; q = path.Dir(q) {
		if ok, _ := path.Match(pattern, q); ok {
			return true
		}
	}
	return false
}

func loadDockerignore(t *testing.T) dockerignore {
	t.Helper()
	var d dockerignore
	for _, l := range strings.Split(string(readFile(t, ".dockerignore")), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if strings.Contains(l, "**") {
			t.Fatalf(".dockerignore pattern %q uses **, which this test's matcher does not implement", l)
		}
		d = append(d, l)
	}
	return d
}

func TestDockerignoreMatcher(t *testing.T) {
	d := dockerignore{".git", "bench", "*.md", "!KEEP.md"}
	f := func(rel string, want bool) {
		t.Helper()
		if got := d.ignored(rel); got != want {
			t.Errorf("ignored(%q) = %v, want %v", rel, got, want)
		}
	}
	f(".git/config", true)
	f("bench/main.go", true)
	f("README.md", true)
	f("KEEP.md", false)
	f("docs/x.md", false) // patterns are anchored at the root
	f("cmd/wordfilter/main.go", false)
}

// TestDockerignoreKeepsBuildInputs lists every file the image build needs
// (go.mod, go.sum, the Go and embedded files of every package of this module
// that cmd/wordfilter imports) and checks that none is excluded.
func TestDockerignoreKeepsBuildInputs(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not on PATH")
	}
	cmd := exec.Command(goBin, "list", "-deps", "-json=Dir,Module,GoFiles,CgoFiles,EmbedFiles", "./cmd/wordfilter")
	cmd.Dir = repoPath()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	root, err := filepath.Abs(repoPath())
	if err != nil {
		t.Fatal(err)
	}
	need := []string{"go.mod", "go.sum"}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p struct {
			Dir                           string
			Module                        *struct{ Path string }
			GoFiles, CgoFiles, EmbedFiles []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		if p.Module == nil || p.Module.Path != "github.com/wordfilter/wordfilter" {
			continue
		}
		rel, err := filepath.Rel(root, p.Dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range append(append(p.GoFiles, p.CgoFiles...), p.EmbedFiles...) {
			need = append(need, filepath.ToSlash(filepath.Join(rel, f)))
		}
	}
	if len(need) < 3 {
		t.Fatalf("go list found no package of the module: %s", out)
	}
	d := loadDockerignore(t)
	for _, f := range need {
		if d.ignored(f) {
			t.Errorf(".dockerignore excludes %s, which the image build needs", f)
		}
	}
	for _, f := range []string{".git/HEAD", "bin/wordfilter", "deploy/kubernetes/deployment.yaml"} {
		if !d.ignored(f) {
			t.Errorf(".dockerignore keeps %s in the build context; it is not needed", f)
		}
	}
}

// TestImageShipsNotice checks that the NOTICE of the embedded dictionary's
// sources reaches the runtime image (its licences require attribution).
func TestImageShipsNotice(t *testing.T) {
	if _, err := os.Stat(repoPath("NOTICE")); err != nil {
		t.Fatalf("the image must ship the dictionary sources' NOTICE: %v", err)
	}
	if loadDockerignore(t).ignored("NOTICE") {
		t.Errorf(".dockerignore excludes NOTICE")
	}
	stages := loadDockerStages(t)
	shipped := false
	for _, in := range stages[len(stages)-1].Instr {
		if f := strings.Fields(in.Args); in.Cmd == "COPY" && len(f) >= 2 && path.Base(f[len(f)-2]) == "NOTICE" {
			shipped = true
		}
	}
	if !shipped {
		t.Errorf("the runtime stage does not COPY NOTICE")
	}
}
