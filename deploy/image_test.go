package deploy

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// kustomizedImage returns the image the Kubernetes manifests run: the
// newName:newTag of the kustomization's one images: entry.
func kustomizedImage(t *testing.T) string {
	t.Helper()
	k := loadKustomization(t)
	if len(k.Images) != 1 || k.Images[0].NewName == "" || k.Images[0].NewTag == "" {
		t.Fatalf("kustomization images = %+v, want one entry with a newName and a newTag", k.Images)
	}
	return k.Images[0].NewName + ":" + k.Images[0].NewTag
}

// dockerTag matches the -t argument of the docker build line make prints.
var dockerTag = regexp.MustCompile(`(?m)^docker build .*-t (\S+) \.$`)

// makeDryRun runs make -n with args in the repository and returns what it
// would run.
func makeDryRun(t *testing.T, args ...string) string {
	t.Helper()
	makeBin, err := exec.LookPath("make")
	if err != nil {
		t.Skip("make not installed")
	}
	cmd := exec.Command(makeBin, append([]string{"-n", "-C", repoPath()}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make -n %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// builtImage returns the image make docker would build with args.
func builtImage(t *testing.T, args ...string) string {
	t.Helper()
	out := makeDryRun(t, append([]string{"docker"}, args...)...)
	m := dockerTag.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("make -n docker prints no docker build -t line:\n%s", out)
	}
	return m[1]
}

// fromRepo returns the path of the file at abs relative to the repository,
// for the helpers that take repository paths.
func fromRepo(t *testing.T, abs string) string {
	t.Helper()
	root, err := filepath.Abs(repoPath())
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil {
		t.Fatal(err)
	}
	return rel
}

// TestMakeDockerBuildsTheManifestsImage checks that the image make docker
// builds and pushes is the one the Kubernetes manifests and the compose
// file run: one name, so that an operator who builds and pushes it runs
// what was built.
func TestMakeDockerBuildsTheManifestsImage(t *testing.T) {
	want := kustomizedImage(t)
	if got := builtImage(t); got != want {
		t.Errorf("make docker builds %q, the manifests run %q", got, want)
	}
	if out := makeDryRun(t, "docker-push"); !strings.Contains(out, "docker push "+want+"\n") {
		t.Errorf("make docker-push does not push %q:\n%s", want, out)
	}
}

// TestDeployImageRepointsEveryManifest runs make deploy-image on copies of
// the kustomization and the compose file and checks that both, and make
// docker reading them, then name the new image.
func TestDeployImageRepointsEveryManifest(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make not installed")
	}
	dir := t.TempDir()
	kust := filepath.Join(dir, "kustomization.yaml")
	compose := filepath.Join(dir, "compose.yml")
	if err := os.WriteFile(kust, readFile(t, k8sDir, "kustomization.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(compose, readFile(t, openimDir, "docker-compose.wordfilter.yml"), 0o644); err != nil {
		t.Fatal(err)
	}
	files := []string{"KUSTOMIZATION=" + kust, "COMPOSE_FILE=" + compose}
	const image, tag = "registry.example.com/team/wordfilter", "1.2.3"
	cmd := exec.Command("make", append([]string{"-s", "-C", repoPath(), "deploy-image", "IMAGE=" + image, "TAG=" + tag}, files...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make deploy-image: %v\n%s", err, out)
	}

	var k kustomization
	loadYAML(t, &k, false, fromRepo(t, kust))
	if len(k.Images) != 1 || k.Images[0].Name != imageName || k.Images[0].NewName != image || k.Images[0].NewTag != tag {
		t.Errorf("after deploy-image the kustomization images are %+v, want %s → %s:%s", k.Images, imageName, image, tag)
	}
	var cf struct {
		Services map[string]struct {
			Image string `json:"image"`
		} `json:"services"`
	}
	loadYAML(t, &cf, false, fromRepo(t, compose))
	if got := cf.Services[serviceName].Image; got != image+":"+tag {
		t.Errorf("after deploy-image the compose image is %q, want %q", got, image+":"+tag)
	}
	if got := builtImage(t, files...); got != image+":"+tag {
		t.Errorf("after deploy-image make docker builds %q, want %q", got, image+":"+tag)
	}

	// A name that is not a plain image reference is refused, files unchanged.
	before := readFile(t, fromRepo(t, kust))
	bad := exec.Command("make", append([]string{"-s", "-C", repoPath(), "deploy-image", "IMAGE=evil|name", "TAG=1"}, files...)...)
	if out, err := bad.CombinedOutput(); err == nil {
		t.Errorf("make deploy-image IMAGE='evil|name' succeeded:\n%s", out)
	}
	if after := readFile(t, fromRepo(t, kust)); string(after) != string(before) {
		t.Errorf("a refused deploy-image changed the kustomization")
	}
}
