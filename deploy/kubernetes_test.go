package deploy

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"sigs.k8s.io/yaml"

	"github.com/wordfilter/wordfilter/dict"
)

// k8sObject is the part every Kubernetes manifest has.
type k8sObject struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name   string            `json:"name"`
		Labels map[string]string `json:"labels"`
	} `json:"metadata"`
}

type labelSelector struct {
	MatchLabels map[string]string `json:"matchLabels"`
}

type probe struct {
	HTTPGet *struct {
		Path string          `json:"path"`
		Port json.RawMessage `json:"port"`
	} `json:"httpGet"`
	PeriodSeconds    int `json:"periodSeconds"`
	TimeoutSeconds   int `json:"timeoutSeconds"`
	FailureThreshold int `json:"failureThreshold"`
}

type container struct {
	Name  string   `json:"name"`
	Image string   `json:"image"`
	Args  []string `json:"args"`
	Env   []struct {
		Name      string          `json:"name"`
		Value     string          `json:"value"`
		ValueFrom json.RawMessage `json:"valueFrom"`
	} `json:"env"`
	Ports []struct {
		Name          string `json:"name"`
		ContainerPort int    `json:"containerPort"`
	} `json:"ports"`
	ReadinessProbe *probe `json:"readinessProbe"`
	LivenessProbe  *probe `json:"livenessProbe"`
	Lifecycle      struct {
		PreStop *struct {
			Sleep *struct {
				Seconds int `json:"seconds"`
			} `json:"sleep"`
			Exec json.RawMessage `json:"exec"`
		} `json:"preStop"`
	} `json:"lifecycle"`
	Resources struct {
		Requests map[string]string `json:"requests"`
		Limits   map[string]string `json:"limits"`
	} `json:"resources"`
	SecurityContext struct {
		AllowPrivilegeEscalation *bool `json:"allowPrivilegeEscalation"`
		ReadOnlyRootFilesystem   *bool `json:"readOnlyRootFilesystem"`
		Capabilities             struct {
			Drop []string `json:"drop"`
		} `json:"capabilities"`
	} `json:"securityContext"`
	VolumeMounts []struct {
		Name      string `json:"name"`
		MountPath string `json:"mountPath"`
		SubPath   string `json:"subPath"`
		ReadOnly  bool   `json:"readOnly"`
	} `json:"volumeMounts"`
}

type deployment struct {
	k8sObject
	Spec struct {
		Replicas *int          `json:"replicas"`
		Selector labelSelector `json:"selector"`
		Template struct {
			Metadata struct {
				Labels map[string]string `json:"labels"`
			} `json:"metadata"`
			Spec struct {
				TerminationGracePeriodSeconds *int `json:"terminationGracePeriodSeconds"`
				SecurityContext               struct {
					RunAsNonRoot *bool `json:"runAsNonRoot"`
					RunAsUser    *int  `json:"runAsUser"`
				} `json:"securityContext"`
				Containers []container `json:"containers"`
				Volumes    []struct {
					Name      string `json:"name"`
					ConfigMap *struct {
						Name string `json:"name"`
					} `json:"configMap"`
				} `json:"volumes"`
			} `json:"spec"`
		} `json:"template"`
	} `json:"spec"`
}

type service struct {
	k8sObject
	Spec struct {
		Selector map[string]string `json:"selector"`
		Ports    []struct {
			Name       string          `json:"name"`
			Port       int             `json:"port"`
			TargetPort json.RawMessage `json:"targetPort"`
		} `json:"ports"`
	} `json:"spec"`
}

type kustomization struct {
	Resources          []string `json:"resources"`
	ConfigMapGenerator []struct {
		Name  string   `json:"name"`
		Files []string `json:"files"`
	} `json:"configMapGenerator"`
	Images []struct {
		Name    string `json:"name"`
		NewName string `json:"newName"`
		NewTag  string `json:"newTag"`
	} `json:"images"`
}

// optionalManifests are kept beside the kustomization but not applied by
// it, because they need CRDs or add-ons that not every cluster has.
var optionalManifests = []string{"servicemonitor.yaml", "prometheusrule.yaml", "hpa.yaml", "networkpolicy.yaml"}

const k8sDir = "deploy/kubernetes"

func loadDeployment(t *testing.T) deployment {
	t.Helper()
	var d deployment
	loadYAML(t, &d, false, k8sDir, "deployment.yaml")
	if d.Kind != "Deployment" || len(d.Spec.Template.Spec.Containers) != 1 {
		t.Fatalf("deployment.yaml: kind %q with %d containers, want one Deployment with one container",
			d.Kind, len(d.Spec.Template.Spec.Containers))
	}
	return d
}

func loadService(t *testing.T) service {
	t.Helper()
	var s service
	loadYAML(t, &s, false, k8sDir, "service.yaml")
	return s
}

func loadKustomization(t *testing.T) kustomization {
	t.Helper()
	var k kustomization
	loadYAML(t, &k, false, k8sDir, "kustomization.yaml")
	return k
}

// containerEnv returns the plain value of an environment variable.
func containerEnv(c container, name string) (string, bool) {
	for _, e := range c.Env {
		if e.Name == name {
			return e.Value, len(e.ValueFrom) == 0
		}
	}
	return "", false
}

// resolvePort turns a probe or target port (a number or a port name) into a
// container port number.
func resolvePort(t *testing.T, c container, raw json.RawMessage) int {
	t.Helper()
	var n int
	if err := json.Unmarshal(raw, &n); err == nil {
		return n
	}
	var name string
	if err := json.Unmarshal(raw, &name); err != nil {
		t.Fatalf("port %s is neither a number nor a name", raw)
	}
	for _, p := range c.Ports {
		if p.Name == name {
			return p.ContainerPort
		}
	}
	t.Fatalf("port name %q is not a port of container %q", name, c.Name)
	return 0
}

// selects reports whether selector matches every label it names in labels.
func selects(selector, labels map[string]string) bool {
	if len(selector) == 0 {
		return false
	}
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return true
}

func TestKubernetesManifestsParse(t *testing.T) {
	paths, err := filepath.Glob(repoPath(k8sDir, "*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no manifests in %s (%v)", k8sDir, err)
	}
	for _, p := range paths {
		base := filepath.Base(p)
		for i, j := range yamlDocsJSON(t, k8sDir, base) {
			var o k8sObject
			if err := decodeJSON(j, &o, false); err != nil {
				t.Fatalf("%s document %d: %v", base, i+1, err)
			}
			if o.APIVersion == "" || o.Kind == "" {
				t.Errorf("%s document %d: apiVersion %q kind %q, want both", base, i+1, o.APIVersion, o.Kind)
			}
			if o.Kind != "Kustomization" && o.Metadata.Name != serviceName {
				t.Errorf("%s: %s is named %q, want %q", base, o.Kind, o.Metadata.Name, serviceName)
			}
		}
	}
}

func TestKustomizationListsEveryManifest(t *testing.T) {
	k := loadKustomization(t)
	paths, _ := filepath.Glob(repoPath(k8sDir, "*.yaml"))
	for _, p := range paths {
		base := filepath.Base(p)
		if base == "kustomization.yaml" || slices.Contains(optionalManifests, base) {
			continue
		}
		if !slices.Contains(k.Resources, base) {
			t.Errorf("%s is neither in kustomization.yaml resources nor an optional manifest", base)
		}
	}
	for _, r := range k.Resources {
		if _, err := os.Stat(repoPath(k8sDir, r)); err != nil {
			t.Errorf("kustomization.yaml resource %q: %v", r, err)
		}
	}
	for _, opt := range optionalManifests {
		if _, err := os.Stat(repoPath(k8sDir, opt)); err != nil {
			t.Errorf("optional manifest: %v", err)
		}
	}
}

func TestDeploymentAgreesWithCode(t *testing.T) {
	d := loadDeployment(t)
	pod := d.Spec.Template.Spec
	c := pod.Containers[0]

	if d.Spec.Replicas == nil || *d.Spec.Replicas < 2 {
		t.Errorf("replicas = %v, want at least 2 so that OpenIM keeps an answer while one restarts", d.Spec.Replicas)
	}
	if !selects(d.Spec.Selector.MatchLabels, d.Spec.Template.Metadata.Labels) {
		t.Errorf("selector %v does not select the pod labels %v", d.Spec.Selector.MatchLabels, d.Spec.Template.Metadata.Labels)
	}

	// Port: the container port, the listen address and the code default agree.
	if len(c.Ports) != 1 || c.Ports[0].ContainerPort != servicePort || c.Ports[0].Name != "http" {
		t.Errorf("container ports = %+v, want one named http on %d", c.Ports, servicePort)
	}
	if v, ok := containerEnv(c, envListen); !ok || portOfListen(t, v) != servicePort {
		t.Errorf("%s = %q, want a plain value on port %d", envListen, v, servicePort)
	}

	// Probes.
	for _, p := range []struct {
		name string
		pr   *probe
		path string
	}{{"readinessProbe", c.ReadinessProbe, readyzPath}, {"livenessProbe", c.LivenessProbe, healthzPath}} {
		if p.pr == nil || p.pr.HTTPGet == nil {
			t.Errorf("%s: want an httpGet probe on %s", p.name, p.path)
			continue
		}
		if p.pr.HTTPGet.Path != p.path {
			t.Errorf("%s path = %q, want %q", p.name, p.pr.HTTPGet.Path, p.path)
		}
		if port := resolvePort(t, c, p.pr.HTTPGet.Port); port != servicePort {
			t.Errorf("%s port = %d, want %d", p.name, port, servicePort)
		}
		if p.pr.TimeoutSeconds < 1 || p.pr.PeriodSeconds < 1 {
			t.Errorf("%s: timeoutSeconds %d periodSeconds %d, want both set", p.name, p.pr.TimeoutSeconds, p.pr.PeriodSeconds)
		}
	}

	// Dictionary: the folder the service reads is the ConfigMap mount, mounted
	// whole (a subPath mount never sees ConfigMap updates).
	dictDir, ok := containerEnv(c, envDict)
	for i, a := range c.Args {
		if a == "-dict" && i+1 < len(c.Args) {
			dictDir, ok = c.Args[i+1], true
		} else if v, found := strings.CutPrefix(a, "-dict="); found {
			dictDir, ok = v, true
		}
	}
	if !ok || dictDir != dictMountPath {
		t.Errorf("dictionary folder (-dict or %s) = %q, want %q", envDict, dictDir, dictMountPath)
	}
	var mountVolume string
	for _, m := range c.VolumeMounts {
		if m.MountPath == dictMountPath {
			mountVolume = m.Name
			if m.SubPath != "" {
				t.Errorf("dictionary mount uses subPath %q: ConfigMap updates would never reach the pod", m.SubPath)
			}
			if !m.ReadOnly {
				t.Errorf("dictionary mount is not readOnly")
			}
		}
	}
	if mountVolume == "" {
		t.Fatalf("nothing is mounted at %s", dictMountPath)
	}
	k := loadKustomization(t)
	if len(k.ConfigMapGenerator) != 1 {
		t.Fatalf("kustomization.yaml has %d configMapGenerators, want 1", len(k.ConfigMapGenerator))
	}
	var cmName string
	for _, v := range pod.Volumes {
		if v.Name == mountVolume && v.ConfigMap != nil {
			cmName = v.ConfigMap.Name
		}
	}
	if cmName != k.ConfigMapGenerator[0].Name {
		t.Errorf("volume %q mounts ConfigMap %q, want the generated %q", mountVolume, cmName, k.ConfigMapGenerator[0].Name)
	}

	// Image: the Deployment names it, the kustomization says which image
	// that is (newName:newTag, the one make docker builds: image_test.go).
	if c.Image != imageName {
		t.Errorf("image = %q, want %q (rewritten by the kustomization's images: entry)", c.Image, imageName)
	}
	if len(k.Images) != 1 || k.Images[0].Name != imageName || k.Images[0].NewName == "" || k.Images[0].NewTag == "" {
		t.Errorf("kustomization images = %+v, want one entry naming %q with a newName and a newTag", k.Images, imageName)
	}

	// Shutdown: the drain delay (and a preStop sleep, if any) lets the
	// endpoint leave the Service while the pod still serves; then in-flight
	// requests get up to the shutdown timeout. The grace period covers both.
	var drain time.Duration
	if v, ok := containerEnv(c, envDrainDelay); ok {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("%s = %q: %v", envDrainDelay, v, err)
		}
		drain = d
	}
	if pre := c.Lifecycle.PreStop; pre != nil {
		if len(pre.Exec) != 0 {
			t.Errorf("preStop has an exec action; the distroless image has no shell or sleep binary")
		}
		if pre.Sleep != nil {
			drain += time.Duration(pre.Sleep.Seconds) * time.Second
		}
	}
	if drain < time.Second {
		t.Errorf("drain delay + preStop sleep = %v: callbacks would reach a closed port while the endpoint is removed", drain)
	}
	shutdown := shutdownTimeoutDefault
	if v, ok := containerEnv(c, envShutdownTimeout); ok {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("%s = %q: %v", envShutdownTimeout, v, err)
		}
		shutdown = d
	}
	grace := pod.TerminationGracePeriodSeconds
	if grace == nil || time.Duration(*grace)*time.Second < drain+shutdown {
		t.Errorf("terminationGracePeriodSeconds = %v, want at least drain %v + shutdown timeout %v", grace, drain, shutdown)
	}

	// Security: the image's numeric non-root user, read-only root.
	sc := pod.SecurityContext
	if sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || sc.RunAsUser == nil || *sc.RunAsUser != runtimeUID {
		t.Errorf("pod securityContext runAsNonRoot %v runAsUser %v, want true and %d", sc.RunAsNonRoot, sc.RunAsUser, runtimeUID)
	}
	csc := c.SecurityContext
	if csc.ReadOnlyRootFilesystem == nil || !*csc.ReadOnlyRootFilesystem {
		t.Errorf("container readOnlyRootFilesystem is not true")
	}
	if csc.AllowPrivilegeEscalation == nil || *csc.AllowPrivilegeEscalation {
		t.Errorf("container allowPrivilegeEscalation is not false")
	}
	if !slices.Contains(csc.Capabilities.Drop, "ALL") {
		t.Errorf("container capabilities.drop = %v, want ALL", csc.Capabilities.Drop)
	}

	// Memory: request <= GOMEMLIMIT < limit, leaving the runtime room below
	// the limit while a reload keeps two dictionaries alive.
	req, err1 := parseQuantity(c.Resources.Requests["memory"])
	lim, err2 := parseQuantity(c.Resources.Limits["memory"])
	if err1 != nil || err2 != nil {
		t.Fatalf("memory request/limit: %v %v", err1, err2)
	}
	if req >= lim || lim < 2*req {
		t.Errorf("memory request %d, limit %d: want the limit at least twice the request (reload headroom)", req, lim)
	}
	gml, ok := containerEnv(c, "GOMEMLIMIT")
	if !ok {
		t.Fatalf("GOMEMLIMIT is not set")
	}
	if v, err := parseGoMemLimit(gml); err != nil || v < req || v >= lim {
		t.Errorf("GOMEMLIMIT = %q (%d, %v), want between the request %d and the limit %d", gml, v, err, req, lim)
	}
	if _, hasCPULimit := c.Resources.Limits["cpu"]; hasCPULimit {
		t.Errorf("cpu limit set: CFS throttling adds latency to every callback; scale out instead")
	}
	if _, ok := c.Resources.Requests["cpu"]; !ok {
		t.Errorf("no cpu request: the HPA's utilisation target needs one")
	}
}

func TestServiceAgreesWithDeployment(t *testing.T) {
	d := loadDeployment(t)
	c := d.Spec.Template.Spec.Containers[0]
	s := loadService(t)
	if s.Metadata.Name != serviceName {
		t.Errorf("service name = %q, want %q", s.Metadata.Name, serviceName)
	}
	if !selects(s.Spec.Selector, d.Spec.Template.Metadata.Labels) {
		t.Errorf("service selector %v does not select the pod labels %v", s.Spec.Selector, d.Spec.Template.Metadata.Labels)
	}
	if len(s.Spec.Ports) != 1 {
		t.Fatalf("service has %d ports, want 1", len(s.Spec.Ports))
	}
	p := s.Spec.Ports[0]
	if p.Port != servicePort || p.Name != "http" {
		t.Errorf("service port = %d named %q, want %d named http", p.Port, p.Name, servicePort)
	}
	if got := resolvePort(t, c, p.TargetPort); got != servicePort {
		t.Errorf("service targetPort resolves to %d, want %d", got, servicePort)
	}
}

func TestOptionalManifestsAgree(t *testing.T) {
	d := loadDeployment(t)
	s := loadService(t)

	var sm struct {
		k8sObject
		Spec struct {
			Selector  labelSelector `json:"selector"`
			Endpoints []struct {
				Port string `json:"port"`
				Path string `json:"path"`
			} `json:"endpoints"`
		} `json:"spec"`
	}
	loadYAML(t, &sm, false, k8sDir, "servicemonitor.yaml")
	if !selects(sm.Spec.Selector.MatchLabels, s.Metadata.Labels) {
		t.Errorf("ServiceMonitor selector %v does not select the Service labels %v", sm.Spec.Selector.MatchLabels, s.Metadata.Labels)
	}
	if len(sm.Spec.Endpoints) != 1 || sm.Spec.Endpoints[0].Port != s.Spec.Ports[0].Name || sm.Spec.Endpoints[0].Path != metricsPath {
		t.Errorf("ServiceMonitor endpoints = %+v, want port %q path %s", sm.Spec.Endpoints, s.Spec.Ports[0].Name, metricsPath)
	}

	var hpa struct {
		k8sObject
		Spec struct {
			ScaleTargetRef struct {
				Kind string `json:"kind"`
				Name string `json:"name"`
			} `json:"scaleTargetRef"`
			MinReplicas int `json:"minReplicas"`
			MaxReplicas int `json:"maxReplicas"`
		} `json:"spec"`
	}
	loadYAML(t, &hpa, false, k8sDir, "hpa.yaml")
	if hpa.Spec.ScaleTargetRef.Kind != "Deployment" || hpa.Spec.ScaleTargetRef.Name != d.Metadata.Name {
		t.Errorf("HPA targets %s %q, want Deployment %q", hpa.Spec.ScaleTargetRef.Kind, hpa.Spec.ScaleTargetRef.Name, d.Metadata.Name)
	}
	if hpa.Spec.MinReplicas < *d.Spec.Replicas || hpa.Spec.MaxReplicas <= hpa.Spec.MinReplicas {
		t.Errorf("HPA min %d max %d, want min >= the Deployment's %d replicas and max above min",
			hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas, *d.Spec.Replicas)
	}

	var np struct {
		k8sObject
		Spec struct {
			PodSelector labelSelector `json:"podSelector"`
			Ingress     []struct {
				Ports []struct {
					Port json.RawMessage `json:"port"`
				} `json:"ports"`
			} `json:"ingress"`
		} `json:"spec"`
	}
	loadYAML(t, &np, false, k8sDir, "networkpolicy.yaml")
	if !selects(np.Spec.PodSelector.MatchLabels, d.Spec.Template.Metadata.Labels) {
		t.Errorf("NetworkPolicy podSelector %v does not select the pods", np.Spec.PodSelector.MatchLabels)
	}
	c := d.Spec.Template.Spec.Containers[0]
	for _, in := range np.Spec.Ingress {
		if len(in.Ports) != 1 || resolvePort(t, c, in.Ports[0].Port) != servicePort {
			t.Errorf("NetworkPolicy ingress ports %s, want only the service port %d", in.Ports, servicePort)
		}
	}
	if len(np.Spec.Ingress) == 0 {
		t.Errorf("NetworkPolicy has no ingress rule: it would cut OpenIM off")
	}

	var pdb struct {
		k8sObject
		Spec struct {
			MinAvailable int           `json:"minAvailable"`
			Selector     labelSelector `json:"selector"`
		} `json:"spec"`
	}
	loadYAML(t, &pdb, false, k8sDir, "pdb.yaml")
	if !selects(pdb.Spec.Selector.MatchLabels, d.Spec.Template.Metadata.Labels) {
		t.Errorf("PDB selector %v does not select the pods", pdb.Spec.Selector.MatchLabels)
	}
	if pdb.Spec.MinAvailable < 1 || pdb.Spec.MinAvailable >= *d.Spec.Replicas {
		t.Errorf("PDB minAvailable = %d, want 1..replicas-1 (%d replicas) so that drains can proceed", pdb.Spec.MinAvailable, *d.Spec.Replicas)
	}
}

// actionOf returns the action a dictionary file name gives, by the
// loader's own rule (dict.ParseFileName): "allow" and "variants" for those
// files, "" for a name that is no dictionary file or is refused.
func actionOf(name string) string {
	k, ok, err := dict.ParseFileName(name)
	switch {
	case !ok || err != nil:
		return ""
	case k.Allow:
		return "allow"
	case k.Variants:
		return "variants"
	}
	return k.Action.String()
}

func TestActionOf(t *testing.T) {
	f := func(name, want string) {
		t.Helper()
		if got := actionOf(name); got != want {
			t.Errorf("actionOf(%q) = %q, want %q", name, got, want)
		}
	}
	f("politics.block.txt", "block")
	f("ads.review.txt", "review")
	f("profanity.txt", "mask")
	f("profanity.mask.txt", "mask")
	f("allow.txt", "allow")
	f("en.allow.txt", "allow")
	f(".hidden.txt", "")
	f("words.csv", "")
	f("zh.variants.txt", "variants")
	f("politics.Block.txt", "block")
	f("politics.blok.txt", "") // refused: a typo never turns a block list into a mask list
}

func TestExampleDictionary(t *testing.T) {
	k := loadKustomization(t)
	listed := map[string]bool{}
	for _, f := range k.ConfigMapGenerator[0].Files {
		listed[f] = true
	}
	entries, err := os.ReadDir(repoPath(k8sDir, "dict"))
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, e := range entries {
		name := e.Name()
		rel := "dict/" + name
		if !listed[rel] {
			t.Errorf("%s is not in the configMapGenerator files: it would not reach the pods", rel)
		}
		delete(listed, rel)
		action := actionOf(name)
		if action == "" {
			t.Errorf("%s: not a dictionary file name (NAME[.mask|.block|.review|.allow|.variants].txt)", rel)
			continue
		}
		data := readFile(t, k8sDir, rel)
		if !utf8.Valid(data) {
			t.Errorf("%s: not UTF-8", rel)
		}
		words := 0
		for i, line := range strings.Split(string(data), "\n") {
			l := strings.TrimSpace(line)
			if l == "" || strings.HasPrefix(l, "#") {
				continue
			}
			if utf8.RuneCountInString(l) > 64 {
				t.Errorf("%s:%d: word of %d characters is suspiciously long", rel, i+1, utf8.RuneCountInString(l))
			}
			words++
		}
		if words == 0 {
			t.Errorf("%s: no word", rel)
		}
		actions[action] += words
	}
	for f := range listed {
		t.Errorf("configMapGenerator file %s does not exist", f)
	}
	for _, a := range []string{"block", "mask", "review", "allow"} {
		if actions[a] == 0 {
			t.Errorf("the example dictionary has no %s word; it should show every action", a)
		}
	}
}

// TestKustomizeBuild renders the kustomization with kubectl (offline) when
// kubectl is installed and checks what a cluster would receive.
func TestKustomizeBuild(t *testing.T) {
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl not installed; the manifests are still checked file by file")
	}
	out, err := exec.Command(kubectl, "kustomize", repoPath(k8sDir)).Output()
	if err != nil {
		t.Fatalf("kubectl kustomize %s: %v", k8sDir, err)
	}
	kinds := map[string]int{}
	k := loadKustomization(t)
	for i, doc := range splitYAMLDocs(out) {
		var o struct {
			k8sObject
			Data map[string]string `json:"data"`
			Spec struct {
				Template struct {
					Spec struct {
						Containers []container `json:"containers"`
					} `json:"spec"`
				} `json:"template"`
			} `json:"spec"`
		}
		j, err := yaml.YAMLToJSONStrict(doc)
		if err != nil {
			t.Fatalf("rendered document %d: %v", i+1, err)
		}
		if err := json.Unmarshal(j, &o); err != nil {
			t.Fatalf("rendered document %d: %v", i+1, err)
		}
		kinds[o.Kind]++
		switch o.Kind {
		case "ConfigMap":
			if o.Metadata.Name != k.ConfigMapGenerator[0].Name {
				t.Errorf("rendered ConfigMap %q, want %q (no hash suffix, so edits reload in place)", o.Metadata.Name, k.ConfigMapGenerator[0].Name)
			}
			var keys, want []string
			for key := range o.Data {
				keys = append(keys, key)
			}
			for _, f := range k.ConfigMapGenerator[0].Files {
				want = append(want, filepath.Base(f))
			}
			sort.Strings(keys)
			sort.Strings(want)
			if !slices.Equal(keys, want) {
				t.Errorf("rendered ConfigMap keys %v, want %v", keys, want)
			}
		case "Deployment":
			img := o.Spec.Template.Spec.Containers[0].Image
			if want := k.Images[0].NewName + ":" + k.Images[0].NewTag; img != want {
				t.Errorf("rendered image %q, want %q", img, want)
			}
		}
	}
	want := map[string]int{"ConfigMap": 1, "Service": 1, "Deployment": 1, "PodDisruptionBudget": 1}
	for kind, n := range want {
		if kinds[kind] != n {
			t.Errorf("rendered %d %s, want %d (all kinds: %v)", kinds[kind], kind, n, kinds)
		}
	}
	if len(kinds) != len(want) {
		t.Errorf("rendered kinds %v, want exactly %v", kinds, want)
	}
}
