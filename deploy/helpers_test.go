package deploy

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/yaml"
)

// The code's defaults, written once. Every deployment file is checked
// against these, and these are checked against the Go sources where the code
// spells them (see code_test.go).
const (
	servicePort   = 10006
	listenDefault = ":10006"
	healthzPath   = "/healthz"
	readyzPath    = "/readyz"
	metricsPath   = "/metrics"
	envListen     = "WORDFILTER_LISTEN"
	envDict       = "WORDFILTER_DICT"
	envPrefix     = "WORDFILTER_CALLBACK_PREFIX"

	envDrainDelay      = "WORDFILTER_DRAIN_DELAY"
	envShutdownTimeout = "WORDFILTER_SHUTDOWN_TIMEOUT"
	// shutdownTimeoutDefault is how long in-flight requests may run after
	// the listener closes unless WORDFILTER_SHUTDOWN_TIMEOUT says otherwise.
	shutdownTimeoutDefault = 15 * time.Second

	// Deployment choices shared by the Dockerfile, Kubernetes and compose.
	dictMountPath = "/etc/wordfilter/dict"
	imageName     = "wordfilter" // the image deployment.yaml names; kustomization.yaml's images: entry says which it is
	serviceName   = "wordfilter"
	runtimeUID    = 65532

	// OpenIM never waits longer than this for one callback (its HTTP
	// client's hard timeout), so no request is in flight longer.
	openIMMaxCallbackSeconds = 15
)

// repoPath returns a path inside the repository; tests run in deploy/.
func repoPath(parts ...string) string {
	return filepath.Join(append([]string{".."}, parts...)...)
}

// readFile returns the content of a repository file or fails the test.
func readFile(t *testing.T, parts ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(repoPath(parts...))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var docSeparator = regexp.MustCompile(`(?m)^---[ \t]*(#.*)?$`)

// splitYAMLDocs splits a multi-document YAML stream on "---" lines and drops
// documents that hold only comments or whitespace.
func splitYAMLDocs(data []byte) [][]byte {
	var docs [][]byte
	for _, d := range docSeparator.Split(string(data), -1) {
		if hasContent(d) {
			docs = append(docs, []byte(d))
		}
	}
	return docs
}

// hasContent reports whether a YAML document has a line that is neither
// blank nor a comment.
func hasContent(doc string) bool {
	sc := bufio.NewScanner(strings.NewReader(doc))
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l != "" && !strings.HasPrefix(l, "#") {
			return true
		}
	}
	return false
}

// yamlDocsJSON parses every document of a YAML file, refusing duplicate
// keys, and returns each as JSON.
func yamlDocsJSON(t *testing.T, parts ...string) [][]byte {
	t.Helper()
	path := repoPath(parts...)
	var out [][]byte
	for i, d := range splitYAMLDocs(readFile(t, parts...)) {
		j, err := yaml.YAMLToJSONStrict(d)
		if err != nil {
			t.Fatalf("%s: document %d: %v", path, i+1, err)
		}
		out = append(out, j)
	}
	if len(out) == 0 {
		t.Fatalf("%s: no YAML document", path)
	}
	return out
}

// decodeJSON decodes j into v, refusing unknown fields when strict.
func decodeJSON(j []byte, v any, strict bool) error {
	dec := json.NewDecoder(bytes.NewReader(j))
	if strict {
		dec.DisallowUnknownFields()
	}
	return dec.Decode(v)
}

// loadYAML decodes a single-document YAML file into v.
func loadYAML(t *testing.T, v any, strict bool, parts ...string) {
	t.Helper()
	docs := yamlDocsJSON(t, parts...)
	if len(docs) != 1 {
		t.Fatalf("%s: %d documents, want 1", repoPath(parts...), len(docs))
	}
	if err := decodeJSON(docs[0], v, strict); err != nil {
		t.Fatalf("%s: %v", repoPath(parts...), err)
	}
}

// sizeUnit is one suffix of a memory size and what it multiplies by.
type sizeUnit struct {
	suffix string
	mult   int64
}

// quantityUnits are Kubernetes' memory quantity suffixes (64Mi, 1G).
var quantityUnits = []sizeUnit{
	{"Ki", 1 << 10}, {"Mi", 1 << 20}, {"Gi", 1 << 30}, {"Ti", 1 << 40},
	{"k", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12},
}

// goMemLimitUnits are the suffixes GOMEMLIMIT takes, as the Go runtime
// reads them (B last, so that KiB is not read as Ki + B).
var goMemLimitUnits = []sizeUnit{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40}, {"B", 1}}

// parseQuantity parses a Kubernetes memory quantity such as 64Mi or 1G.
func parseQuantity(s string) (int64, error) { return parseSize(s, quantityUnits, "quantity") }

// parseGoMemLimit parses a GOMEMLIMIT value (bytes with an optional B, KiB,
// MiB, GiB or TiB suffix) as the Go runtime does.
func parseGoMemLimit(s string) (int64, error) { return parseSize(s, goMemLimitUnits, "GOMEMLIMIT") }

// parseSize parses a whole number with at most one of units' suffixes;
// what names the kind of value in the error.
func parseSize(s string, units []sizeUnit, what string) (int64, error) {
	n, mult := s, int64(1)
	for _, u := range units {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			n, mult = rest, u.mult
			break
		}
	}
	v, err := strconv.ParseInt(n, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("bad %s %q", what, s)
	}
	return v * mult, nil
}

// portOfListen returns the port of a listen address such as ":10006".
func portOfListen(t *testing.T, addr string) int {
	t.Helper()
	i := strings.LastIndexByte(addr, ':')
	if i < 0 {
		t.Fatalf("listen address %q has no port", addr)
	}
	p, err := strconv.Atoi(addr[i+1:])
	if err != nil {
		t.Fatalf("listen address %q: %v", addr, err)
	}
	return p
}

// parseGoFiles parses the non-test Go files of the repository folder dir
// (not recursive).
func parseGoFiles(t *testing.T, dir string) []*ast.File {
	t.Helper()
	fset := token.NewFileSet()
	matches, err := filepath.Glob(repoPath(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, path := range matches {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("cannot parse %s: %v", path, err)
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		t.Fatalf("no Go file in %s", dir)
	}
	return files
}

// goStringLiterals returns every string literal of the non-test Go files in
// the repository folder dir (not recursive).
func goStringLiterals(t *testing.T, dir string) []string {
	t.Helper()
	var lits []string
	for _, f := range parseGoFiles(t, dir) {
		ast.Inspect(f, func(n ast.Node) bool {
			if bl, ok := n.(*ast.BasicLit); ok && bl.Kind == token.STRING {
				if s, err := strconv.Unquote(bl.Value); err == nil {
					lits = append(lits, s)
				}
			}
			return true
		})
	}
	return lits
}

// containsLiteral reports whether one of lits contains s.
func containsLiteral(lits []string, s string) bool {
	for _, l := range lits {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

func TestSplitYAMLDocs(t *testing.T) {
	f := func(in string, want int) {
		t.Helper()
		if got := len(splitYAMLDocs([]byte(in))); got != want {
			t.Errorf("len(splitYAMLDocs(%q)) = %d, want %d", in, got, want)
		}
	}
	f("a: 1\n", 1)
	f("---\na: 1\n---\nb: 2\n", 2)
	f("# only a comment\n---\na: 1\n--- # next\nb: 2\n---\n", 2)
	f("a: |\n  text --- not a separator\n", 1)
	f("", 0)
}

func TestParseQuantity(t *testing.T) {
	f := func(in string, want int64, wantErr bool) {
		t.Helper()
		got, err := parseQuantity(in)
		if (err != nil) != wantErr || got != want {
			t.Errorf("parseQuantity(%q) = %d, %v; want %d, error %v", in, got, err, want, wantErr)
		}
	}
	f("64Mi", 64<<20, false)
	f("1Gi", 1<<30, false)
	f("500M", 500e6, false)
	f("1024", 1024, false)
	f("lots", 0, true)
	f("1.5Gi", 0, true)
}

func TestParseGoMemLimit(t *testing.T) {
	f := func(in string, want int64, wantErr bool) {
		t.Helper()
		got, err := parseGoMemLimit(in)
		if (err != nil) != wantErr || got != want {
			t.Errorf("parseGoMemLimit(%q) = %d, %v; want %d, error %v", in, got, err, want, wantErr)
		}
	}
	f("192MiB", 192<<20, false)
	f("1GiB", 1<<30, false)
	f("1000B", 1000, false)
	f("123456", 123456, false)
	f("192Mi", 0, true)
}
