package deploy

import (
	"fmt"
	"go/ast"
	"go/token"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// TestServerRoutesMatch checks the paths the probes, HEALTHCHECK and
// ServiceMonitor use against the server's routes, without importing it.
func TestServerRoutesMatch(t *testing.T) {
	serverLits := goStringLiterals(t, "server")
	if !slices.Contains(serverLits, healthzPath) {
		t.Errorf("server has no literal %q: the liveness probe and HEALTHCHECK assume it", healthzPath)
	}
	for _, p := range []string{readyzPath, metricsPath} {
		if !slices.Contains(serverLits, p) {
			t.Errorf("server has no literal %q: the readiness probe / ServiceMonitor assume it", p)
		}
	}
}

// serveFlag is one flag of "wordfilter serve -h".
type serveFlag struct {
	name, env, def string
}

var (
	helpFlagLine = regexp.MustCompile(`^\s+-([a-z][a-z0-9.-]*)\b`)
	helpEnv      = regexp.MustCompile(`\(env (WORDFILTER_[A-Z0-9_]+)\)`)
	helpDefault  = regexp.MustCompile(`\(default "?([^")]*)"?\)\s*$`)
)

// parseServeHelp reads the flags, their environment variables and defaults
// from the flag package's usage text, keyed by environment variable.
func parseServeHelp(help string) map[string]serveFlag {
	flags := map[string]serveFlag{}
	var cur *serveFlag
	flush := func() {
		if cur != nil && cur.env != "" {
			flags[cur.env] = *cur
		}
	}
	for _, line := range strings.Split(help, "\n") {
		if m := helpFlagLine.FindStringSubmatch(line); m != nil && !strings.HasPrefix(line, "    \t") {
			flush()
			cur = &serveFlag{name: m[1]}
			continue
		}
		if cur == nil {
			continue
		}
		if m := helpEnv.FindStringSubmatch(line); m != nil {
			cur.env = m[1]
		}
		if m := helpDefault.FindStringSubmatch(line); m != nil {
			cur.def = m[1]
		}
	}
	flush()
	return flags
}

func TestParseServeHelp(t *testing.T) {
	help := "Usage of serve:\n  -listen string\n    \taddress to serve on (env WORDFILTER_LISTEN) (default \":10006\")\n" +
		"  -dict string\n    \tfolder; -x is not a flag (env WORDFILTER_DICT)\n  -shutdown-timeout duration\n    \tdrain (env WORDFILTER_SHUTDOWN_TIMEOUT) (default 15s)\n"
	got := parseServeHelp(help)
	want := map[string]serveFlag{
		envListen:          {"listen", envListen, ":10006"},
		envDict:            {"dict", envDict, ""},
		envShutdownTimeout: {"shutdown-timeout", envShutdownTimeout, "15s"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("parseServeHelp = %v, want %v", got, want)
	}
}

// TestServeHelpAgreesWithDeployment checks every WORDFILTER_ variable the
// Deployment and the compose file set, and the defaults they rely on,
// against what "wordfilter serve -h" documents.
func TestServeHelpAgreesWithDeployment(t *testing.T) {
	bin := buildWordfilter(t)
	out, err := exec.Command(bin, "serve", "-h").CombinedOutput()
	if err != nil {
		t.Fatalf("wordfilter serve -h: %v\n%s", err, out)
	}
	flags := parseServeHelp(string(out))
	if f, ok := flags[envListen]; !ok || f.name != "listen" || f.def != listenDefault {
		t.Errorf("serve -h: %s is %+v, want flag -listen with default %q", envListen, f, listenDefault)
	}
	if f, ok := flags[envDict]; !ok || f.name != "dict" {
		t.Errorf("serve -h: %s is %+v, want flag -dict", envDict, f)
	}
	if f, ok := flags[envShutdownTimeout]; ok && f.def != shutdownTimeoutDefault.String() {
		t.Errorf("serve -h: shutdown timeout default %q, want %v (the grace periods assume it)", f.def, shutdownTimeoutDefault)
	}
	used := []string{envPrefix} // documented in the compose file and docs
	d := loadDeployment(t)
	for _, e := range d.Spec.Template.Spec.Containers[0].Env {
		used = append(used, e.Name)
	}
	var cf struct {
		Services map[string]composeService `json:"services"`
	}
	loadYAML(t, &cf, false, openimDir, "docker-compose.wordfilter.yml")
	for k := range cf.Services[serviceName].Environment {
		used = append(used, k)
	}
	for _, env := range used {
		if _, ok := flags[env]; strings.HasPrefix(env, "WORDFILTER_") && !ok {
			t.Errorf("the deployment sets %s, which wordfilter serve -h does not list", env)
		}
	}
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
// in docs/operations.md and exported by server/ or cmd/.
func TestAlertMetricsExist(t *testing.T) {
	names := alertMetrics(t)
	doc := string(readFile(t, "docs", "operations.md"))
	for _, m := range names {
		if !strings.Contains(doc, m) {
			t.Errorf("docs/operations.md does not document %s, which prometheusrule.yaml uses", m)
		}
	}
	lits := append(goStringLiterals(t, "server"), goStringLiterals(t, "cmd/wordfilter")...)
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
