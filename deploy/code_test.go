package deploy

import (
	"fmt"
	"go/ast"
	"go/token"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// serverImplemented reports whether server/ is past its skeleton (it routes
// the REST API). Checks of endpoints and metrics that the skeleton does not
// have yet run only then, and fail from then on if a name disagrees.
func serverImplemented(serverLits []string) bool {
	return containsLiteral(serverLits, "/v1/filter")
}

// TestDefaultsMatchCode checks the constants these tests hold the deployment
// files to against the literals of the Go code, without importing it.
func TestDefaultsMatchCode(t *testing.T) {
	cmdLits := goStringLiterals(t, "cmd/wordfilter")
	serverLits := goStringLiterals(t, "server")
	for _, s := range []string{listenDefault, envListen, envDict} {
		if !slices.Contains(cmdLits, s) {
			t.Errorf("cmd/wordfilter has no literal %q: the deployment files assume it", s)
		}
	}
	if !slices.Contains(serverLits, healthzPath) {
		t.Errorf("server has no literal %q: the liveness probe and HEALTHCHECK assume it", healthzPath)
	}
	if containsLiteral(cmdLits, "callback-prefix") && !slices.Contains(cmdLits, envPrefix) {
		t.Errorf("cmd/wordfilter has a callback-prefix flag but no literal %q: the compose file documents that name", envPrefix)
	}
	t.Run("endpoints", func(t *testing.T) {
		if !serverImplemented(serverLits) {
			t.Skip("server/ is still the skeleton (no /v1/filter route): /readyz and /metrics are checked once it routes them")
		}
		for _, p := range []string{readyzPath, metricsPath} {
			if !slices.Contains(serverLits, p) {
				t.Errorf("server has no literal %q: the readiness probe / ServiceMonitor assume it", p)
			}
		}
	})
}

var metricName = regexp.MustCompile(`\bwordfilter_[a-z0-9_]+`)

// alertMetrics returns the wordfilter_ metric names the PrometheusRule uses,
// histogram series reduced to the histogram's name.
func alertMetrics(t *testing.T) []string {
	t.Helper()
	seen := map[string]bool{}
	for _, m := range metricName.FindAllString(string(readFile(t, k8sDir, "prometheusrule.yaml")), -1) {
		for _, suf := range []string{"_bucket", "_count", "_sum"} {
			m = strings.TrimSuffix(m, suf)
		}
		seen[m] = true
	}
	var names []string
	for m := range seen {
		names = append(names, m)
	}
	sort.Strings(names)
	if len(names) == 0 {
		t.Fatal("prometheusrule.yaml uses no wordfilter_ metric")
	}
	return names
}

// TestAlertMetricsExist checks that each metric the alerts use is documented
// in docs/operations.md and, once the server exports metrics, exported.
func TestAlertMetricsExist(t *testing.T) {
	names := alertMetrics(t)
	doc := string(readFile(t, "docs", "operations.md"))
	for _, m := range names {
		if !strings.Contains(doc, m) {
			t.Errorf("docs/operations.md does not document %s, which prometheusrule.yaml uses", m)
		}
	}
	lits := append(goStringLiterals(t, "server"), goStringLiterals(t, "cmd/wordfilter")...)
	if !serverImplemented(lits) || !containsLiteral(lits, "wordfilter_") {
		t.Skip("server/ exports no wordfilter_ metric yet: names are checked against it once it does")
	}
	for _, m := range names {
		if !containsLiteral(lits, m) {
			t.Errorf("prometheusrule.yaml uses %s, which server/ and cmd/ never name", m)
		}
	}
}

// TestOperationsDocCoversDeployFiles checks that docs/operations.md names
// every deployment file and the defaults the files rely on, so that a file
// or a default added later is documented too.
func TestOperationsDocCoversDeployFiles(t *testing.T) {
	doc := string(readFile(t, "docs", "operations.md"))
	want := []string{
		listenDefault, dictMountPath, healthzPath, readyzPath, metricsPath,
		envListen, envDict, envPrefix, "WORDFILTER_ADMIN_TOKEN", "GOMEMLIMIT",
		"SIGTERM", "SIGHUP", "subPath", "failedContinue", "nextCode", "actionCode",
		"callbackBeforeMsgModifyCommand", "callbackMsgModifyCommand",
	}
	for _, dir := range []string{k8sDir, openimDir} {
		entries, err := os.ReadDir(repoPath(dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if !e.IsDir() {
				want = append(want, e.Name())
			}
		}
	}
	for _, w := range want {
		if !strings.Contains(doc, w) {
			t.Errorf("docs/operations.md does not mention %q", w)
		}
	}
}

// TestVersionVariable checks that the -X main.version= of the Dockerfile
// and the Makefile names a real string variable of the command.
func TestVersionVariable(t *testing.T) {
	found := false
	for _, f := range parseGoFiles(t, "cmd/wordfilter") {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, s := range gd.Specs {
				vs := s.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if n.Name != "version" {
						continue
					}
					// -X needs an uninitialised or constant-string var.
					isString := vs.Type != nil && fmt.Sprint(vs.Type) == "string"
					if i < len(vs.Values) {
						if bl, ok := vs.Values[i].(*ast.BasicLit); ok && bl.Kind == token.STRING {
							isString = true
						}
					}
					found = isString
				}
			}
		}
	}
	if !found {
		t.Errorf("cmd/wordfilter has no package-level string var version for -ldflags -X main.version")
	}
}
