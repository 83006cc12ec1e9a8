package deploy

import (
	"encoding/json"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const openimDir = "deploy/openim"

// openIMBeforeCallbacks maps the webhooks.yml keys of the OpenIM v3.7+
// callbacks that carry user-typed text to the command OpenIM appends to the
// url (docs/openim.md sections 2, 5 and 6); wordfilter answers all.
var openIMBeforeCallbacks = map[string]string{
	"beforeSendSingleMsg":      "callbackBeforeSendSingleMsgCommand",
	"beforeSendGroupMsg":       "callbackBeforeSendGroupMsgCommand",
	"beforeMsgModify":          "callbackBeforeMsgModifyCommand",
	"beforeUpdateUserInfo":     "callbackBeforeUpdateUserInfoCommand",
	"beforeUpdateUserInfoEx":   "callbackBeforeUpdateUserInfoExCommand",
	"beforeUserRegister":       "callbackBeforeUserRegisterCommand",
	"beforeCreateGroup":        "callbackBeforeCreateGroupCommand",
	"beforeSetGroupInfo":       "callbackBeforeSetGroupInfoCommand",
	"beforeSetGroupInfoEx":     "callbackBeforeSetGroupInfoExCommand",
	"beforeSetGroupMemberInfo": "callbackBeforeSetGroupMemberInfoCommand",
	"beforeApplyJoinGroup":     "callbackBeforeJoinGroupCommand",
	"beforeInviteUserToGroup":  "callbackBeforeInviteJoinGroupCommand",
	"beforeAddFriend":          "callbackBeforeAddFriendCommand",
	"beforeAddFriendAgree":     "callbackBeforeAddFriendAgreeCommand",
	"beforeSetFriendRemark":    "callbackBeforeSetFriendRemarkCommand",
}

// TestEnabledCallbacksAreHandled checks that every command webhooks.yml
// makes OpenIM send is one the server handles: an unknown command is
// allowed unfiltered. The server routes on the command names of
// internal/openim, so those are read with its own literals.
func TestEnabledCallbacksAreHandled(t *testing.T) {
	lits := append(goStringLiterals(t, "server"), goStringLiterals(t, "internal/openim")...)
	_, cbs := loadWebhooks(t)
	for key := range cbs {
		cmd, ok := openIMBeforeCallbacks[key]
		if ok && !slices.Contains(lits, cmd) {
			t.Errorf("webhooks.yml enables %s, but neither server/ nor internal/openim names its command %s", key, cmd)
		}
	}
}

// webhookConfig is OpenIM's BeforeConfig (S-rel field names); decoding is
// strict so that a misspelt key (say "enabled") fails the test instead of
// being silently ignored by OpenIM.
type webhookConfig struct {
	Enable         bool     `json:"enable"`
	Timeout        int      `json:"timeout"`
	FailedContinue *bool    `json:"failedContinue"`
	AllowedTypes   []string `json:"allowedTypes"`
	DeniedTypes    []string `json:"deniedTypes"`
}

// loadWebhooks returns the url and the callbacks of webhooks.yml.
func loadWebhooks(t *testing.T) (string, map[string]webhookConfig) {
	t.Helper()
	var raw map[string]json.RawMessage
	loadYAML(t, &raw, false, openimDir, "webhooks.yml")
	var base string
	if err := json.Unmarshal(raw["url"], &base); err != nil {
		t.Fatalf("webhooks.yml url: %v", err)
	}
	cbs := map[string]webhookConfig{}
	for k, v := range raw {
		if k == "url" {
			continue
		}
		var c webhookConfig
		if err := decodeJSON(v, &c, true); err != nil {
			t.Errorf("webhooks.yml %s: %v (content types must be quoted strings)", k, err)
		}
		cbs[k] = c
	}
	return base, cbs
}

// callbackURLProblems checks an OpenIM webhook url: plain http to
// wordfilter's port, no trailing slash (OpenIM appends "/<command>"), a base
// path that is not itself a command, no query, and under the callback prefix
// if one is configured. It returns what is wrong.
func callbackURLProblems(raw, prefix string) []string {
	u, err := url.Parse(raw)
	if err != nil {
		return []string{err.Error()}
	}
	var p []string
	if u.Scheme != "http" || u.RawQuery != "" || u.Fragment != "" {
		p = append(p, "want plain http without query or fragment")
	}
	if u.Hostname() != serviceName || u.Port() != strconv.Itoa(servicePort) {
		p = append(p, fmt.Sprintf("want host %s (the compose service and Kubernetes Service) on port %d", serviceName, servicePort))
	}
	if strings.HasSuffix(raw, "/") {
		p = append(p, `ends with a slash: OpenIM would call "//<command>"`)
	}
	if u.Path == "" || u.Path == "/" {
		p = append(p, "has no base path")
	}
	if last := path.Base(u.Path); strings.HasPrefix(last, "callback") && strings.HasSuffix(last, "Command") {
		p = append(p, "ends in a command; OpenIM appends the command itself")
	}
	if prefix != "" && u.Path != prefix && !strings.HasPrefix(u.Path, strings.TrimSuffix(prefix, "/")+"/") {
		p = append(p, fmt.Sprintf("is not under the callback prefix %q", prefix))
	}
	return p
}

// checkCallbackURL reports the problems of an OpenIM webhook url.
func checkCallbackURL(t *testing.T, where, raw, prefix string) {
	t.Helper()
	for _, p := range callbackURLProblems(raw, prefix) {
		t.Errorf("%s url %q: %s", where, raw, p)
	}
}

func TestCallbackURLProblems(t *testing.T) {
	f := func(raw, prefix string, wantOK bool) {
		t.Helper()
		if p := callbackURLProblems(raw, prefix); (len(p) == 0) != wantOK {
			t.Errorf("callbackURLProblems(%q, %q) = %q, want ok=%v", raw, prefix, p, wantOK)
		}
	}
	f("http://wordfilter:10006/callbackExample", "", true)
	f("http://wordfilter:10006/s3cret/callbackExample", "/s3cret", true)
	f("http://wordfilter:10006/s3cret", "/s3cret", true)
	f("http://wordfilter:10006/callbackExample/", "", false)
	f("http://wordfilter:10006", "", false)
	f("http://wordfilter:10006/callbackExample/callbackBeforeMsgModifyCommand", "", false)
	f("http://wordfilter:10008/callbackExample", "", false)
	f("http://wordfilter:10006/callbackExample?x=1", "", false)
	f("http://wordfilter:10006/callbackExample", "/s3cret", false)
	f("http://wordfilter:10006/s3cretX/callbackExample", "/s3cret", false)
}

var typeRange = regexp.MustCompile(`^([0-9]+)(-([0-9]+))?$`)

func TestOpenIMWebhooks(t *testing.T) {
	base, cbs := loadWebhooks(t)
	checkCallbackURL(t, "webhooks.yml", base, "")

	var keys []string
	for k := range cbs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var want []string
	for k := range openIMBeforeCallbacks {
		want = append(want, k)
	}
	sort.Strings(want)
	if !slices.Equal(keys, want) {
		t.Errorf("webhooks.yml callbacks = %v, want exactly %v", keys, want)
	}
	for k, c := range cbs {
		if !c.Enable {
			t.Errorf("webhooks.yml %s is not enabled", k)
		}
		if c.Timeout < 1 || c.Timeout > openIMMaxCallbackSeconds {
			t.Errorf("webhooks.yml %s timeout %d, want 1..%d s (OpenIM's hard cap)", k, c.Timeout, openIMMaxCallbackSeconds)
		}
		if len(c.AllowedTypes) > 0 {
			t.Errorf("webhooks.yml %s allowedTypes %v: user content types outside it would skip the filter", k, c.AllowedTypes)
		}
		for _, d := range c.DeniedTypes {
			m := typeRange.FindStringSubmatch(d)
			if m == nil {
				t.Errorf("webhooks.yml %s deniedTypes %q is not N or N-M", k, d)
				continue
			}
			lo, _ := strconv.Atoi(m[1])
			hi := lo
			if m[3] != "" {
				hi, _ = strconv.Atoi(m[3])
			}
			// Only notifications (1000-5000) may skip the filter.
			if lo < 1000 || hi > 5000 || hi < lo {
				t.Errorf("webhooks.yml %s deniedTypes %q lets user content (outside 1000-5000) skip the filter", k, d)
			}
		}
	}
}

// parseEnvFile reads KEY=VALUE lines, skipping blanks and comments.
func parseEnvFile(t *testing.T, parts ...string) map[string]string {
	t.Helper()
	env := map[string]string{}
	for i, l := range strings.Split(string(readFile(t, parts...)), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		k, v, ok := strings.Cut(l, "=")
		if !ok || k == "" {
			t.Fatalf("%s:%d: not KEY=VALUE", repoPath(parts...), i+1)
		}
		if _, dup := env[k]; dup {
			t.Errorf("%s:%d: %s set twice", repoPath(parts...), i+1, k)
		}
		env[k] = v
	}
	return env
}

// webhooksAsEnv is webhooks.yml in OpenIM's IMENV_WEBHOOKS_* form (content
// type lists excepted).
func webhooksAsEnv(t *testing.T) map[string]string {
	t.Helper()
	base, cbs := loadWebhooks(t)
	env := map[string]string{"IMENV_WEBHOOKS_URL": base}
	for k, c := range cbs {
		p := "IMENV_WEBHOOKS_" + strings.ToUpper(k) + "_"
		env[p+"ENABLE"] = strconv.FormatBool(c.Enable)
		env[p+"TIMEOUT"] = strconv.Itoa(c.Timeout)
	}
	return env
}

func TestOpenIMEnvMatchesWebhooks(t *testing.T) {
	got := parseEnvFile(t, openimDir, "webhooks.env")
	want := webhooksAsEnv(t)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("webhooks.env %s = %q, want %q as in webhooks.yml", k, got[k], v)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("webhooks.env sets %s, which webhooks.yml does not", k)
		}
	}
}

type composeService struct {
	Image           string            `json:"image"`
	Command         []string          `json:"command"`
	Environment     map[string]string `json:"environment"`
	Volumes         []string          `json:"volumes"`
	Expose          []string          `json:"expose"`
	Ports           []string          `json:"ports"`
	User            string            `json:"user"`
	ReadOnly        bool              `json:"read_only"`
	StopSignal      string            `json:"stop_signal"`
	StopGracePeriod string            `json:"stop_grace_period"`
	Healthcheck     struct {
		Test []string `json:"test"`
	} `json:"healthcheck"`
	Networks  []string `json:"networks"`
	DependsOn map[string]struct {
		Condition string `json:"condition"`
	} `json:"depends_on"`
}

func TestComposeAgreesWithImageAndOpenIM(t *testing.T) {
	var cf struct {
		Services map[string]composeService `json:"services"`
		Networks map[string]any            `json:"networks"`
	}
	loadYAML(t, &cf, false, openimDir, "docker-compose.wordfilter.yml")
	wf, ok := cf.Services[serviceName]
	if !ok {
		t.Fatalf("compose file has no %q service", serviceName)
	}

	// Image, command, user: those of the Dockerfile and the Deployment.
	if want := kustomizedImage(t); wf.Image != want {
		t.Errorf("compose image %q, want the Deployment's %q (kustomization newName:newTag)", wf.Image, want)
	}
	if !slices.Equal(wf.Command, []string{"serve"}) {
		t.Errorf("compose command %v, want [serve]", wf.Command)
	}
	if wf.User != strconv.Itoa(runtimeUID)+":"+strconv.Itoa(runtimeUID) || !wf.ReadOnly {
		t.Errorf("compose user %q read_only %v, want %d:%d and true", wf.User, wf.ReadOnly, runtimeUID, runtimeUID)
	}

	// Port: listen address, expose and healthcheck agree.
	if portOfListen(t, wf.Environment[envListen]) != servicePort {
		t.Errorf("compose %s = %q, want port %d", envListen, wf.Environment[envListen], servicePort)
	}
	if !slices.Contains(wf.Expose, strconv.Itoa(servicePort)) {
		t.Errorf("compose expose %v, want %d", wf.Expose, servicePort)
	}
	for _, p := range wf.Ports {
		if !strings.HasPrefix(p, "127.0.0.1:") {
			t.Errorf("compose publishes %q beyond loopback: OpenIM signs nothing, keep the filter internal", p)
		}
	}
	hc := wf.Healthcheck.Test
	wantURL := "http://127.0.0.1:" + strconv.Itoa(servicePort) + readyzPath
	if len(hc) < 2 || hc[0] != "CMD" || hc[len(hc)-1] != wantURL {
		t.Errorf("compose healthcheck %v, want exec form ending in %s", hc, wantURL)
	} else {
		copied := map[string]bool{}
		stages := loadDockerStages(t)
		for _, in := range stages[len(stages)-1].Instr {
			if in.Cmd == "COPY" {
				f := strings.Fields(in.Args)
				copied[f[len(f)-1]] = true
			}
		}
		if !copied[hc[1]] {
			t.Errorf("compose healthcheck runs %q, which the image does not contain", hc[1])
		}
	}

	// Dictionary: the mounted folder is the one the service reads.
	dict := wf.Environment[envDict]
	if dict != dictMountPath {
		t.Errorf("compose %s = %q, want %q", envDict, dict, dictMountPath)
	}
	mounted := false
	for _, v := range wf.Volumes {
		// SOURCE:TARGET[:MODE], where SOURCE may hold ${VAR:-default}.
		f := strings.Split(v, ":")
		mode := ""
		if last := f[len(f)-1]; last == "ro" || last == "rw" {
			mode, f = last, f[:len(f)-1]
		}
		if f[len(f)-1] == dict {
			mounted = true
			if mode != "ro" {
				t.Errorf("compose volume %q: mount the dictionary read-only", v)
			}
		}
	}
	if !mounted {
		t.Errorf("compose volumes %v do not mount %s", wf.Volumes, dict)
	}

	// Shutdown: the grace period covers OpenIM's longest callback.
	if wf.StopSignal != "SIGTERM" {
		t.Errorf("compose stop_signal %q, want SIGTERM", wf.StopSignal)
	}
	if g, ok := strings.CutSuffix(wf.StopGracePeriod, "s"); !ok {
		t.Errorf("compose stop_grace_period %q, want seconds", wf.StopGracePeriod)
	} else if n, err := strconv.Atoi(g); err != nil || n <= openIMMaxCallbackSeconds {
		t.Errorf("compose stop_grace_period %q, want more than %ds", wf.StopGracePeriod, openIMMaxCallbackSeconds)
	}

	// OpenIM: same network, pointed at this service with webhooks.yml's
	// settings, waiting for a loaded dictionary.
	im, ok := cf.Services["openim-server"]
	if !ok {
		t.Fatalf("compose file does not configure openim-server's webhooks")
	}
	if !slices.Equal(wf.Networks, []string{"openim"}) {
		t.Errorf("compose wordfilter networks %v, want [openim] (openim-docker's network)", wf.Networks)
	}
	want := webhooksAsEnv(t)
	for k, v := range want {
		if im.Environment[k] != v {
			t.Errorf("compose openim-server %s = %q, want %q as in webhooks.yml", k, im.Environment[k], v)
		}
	}
	for k := range im.Environment {
		if _, ok := want[k]; !ok {
			t.Errorf("compose openim-server sets %s, which webhooks.yml does not", k)
		}
	}
	checkCallbackURL(t, "compose", im.Environment["IMENV_WEBHOOKS_URL"], wf.Environment[envPrefix])
	if im.DependsOn[serviceName].Condition != "service_healthy" {
		t.Errorf("openim-server depends_on %v, want %s: service_healthy", im.DependsOn, serviceName)
	}
}
