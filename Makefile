# wordfilter — see README.md. Every target is .PHONY.
SHELL     := /bin/bash
.SHELLFLAGS := -o pipefail -c
GO        ?= go
BIN       ?= bin/wordfilter
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X main.version=$(VERSION)
LISTEN    ?= :10006
FUZZTIME  ?= 20s
BENCH_COUNT ?= 3
STATICCHECK_MOD     ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
# The container image: `make docker` builds $(IMAGE):$(TAG), and the manifests under deploy/ run
# the same one. Both default to the kustomization's images: entry (newName, newTag), so the image
# is named in one place; `make deploy-image IMAGE=... TAG=...` writes a new name into it and into
# the compose file. deploy/image_test.go checks that they agree.
KUSTOMIZATION ?= deploy/kubernetes/kustomization.yaml
COMPOSE_FILE  ?= deploy/openim/docker-compose.wordfilter.yml
IMAGE     ?= $(shell sed -n 's/^ *newName: *"\{0,1\}\([^"]*\)"\{0,1\} *$$/\1/p' $(KUSTOMIZATION) | head -n 1)
TAG       ?= $(shell sed -n 's/^ *newTag: *"\{0,1\}\([^"]*\)"\{0,1\} *$$/\1/p' $(KUSTOMIZATION) | head -n 1)

.PHONY: all build run test test-short vet fmt fmt-check lint bench bench-engine bench-load fuzz clean check-all docker docker-push deploy-image deploy-check generate

all: build

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/wordfilter

run: build
	./$(BIN) serve -listen $(LISTEN)

vet:
	$(GO) vet ./...

# The whole suite: vet, then every test with the race detector in random order.
test: vet
	$(GO) test -race -shuffle=on -timeout 14m ./...

test-short: vet
	$(GO) test -short ./...

fmt:
	gofmt -s -w $$(git ls-files '*.go')

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

lint:
	$(GO) run $(STATICCHECK_MOD) ./...

# Engine microbenchmarks beside the code, then the HTTP load comparison.
bench: bench-engine bench-load

# BENCH_COUNT runs of each, to read medians (benchstat takes the files as they are). The
# per-message engine comparison runs in rounds (every engine once per round) and reports
# wordfilter's ratio to each baseline within each round, which a noisy machine moves least.
bench-engine:
	mkdir -p bench/results
	$(GO) run ./bench/engineratio -rounds $(BENCH_COUNT) -out bench/results/engine.txt | tee bench/results/engine-ratios.md
	$(GO) test -run=NONE -bench='^BenchmarkCompile$$' -benchmem -count=$(BENCH_COUNT) ./filter/ | tee bench/results/compile.txt
	$(GO) test -run=NONE -bench='^Benchmark(Load|ReloadMemory)$$' -benchmem -benchtime=3x ./dict/ | tee bench/results/dict.txt
	$(GO) test -run=NONE -bench='^BenchmarkModifyCallback$$' -benchmem -count=$(BENCH_COUNT) ./server/ | tee bench/results/server.txt

bench-load:
	@if [ -d bench ] && ls bench/*.go >/dev/null 2>&1; then $(GO) run ./bench -out bench/results; else echo "load generator not built yet"; fi

# Each fuzz target for FUZZTIME.
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    echo "== $$pkg $$t"; $(GO) test -run=NONE -fuzz="^$$t$$" -fuzztime=$(FUZZTIME) $$pkg; \
	  done; done

# Regenerates filter/t2s_table.go from OpenCC's TSCharacters data and
# internal/pinyin's tables from go-pinyin's.
generate:
	$(GO) generate ./filter/ ./internal/pinyin/

check-all: fmt-check vet lint test

clean:
	rm -rf bin

# Builds $(IMAGE):$(TAG), the image the manifests run. Needs a Docker engine (none runs on the
# development machines).
docker:
	@test -n "$(IMAGE)" -a -n "$(TAG)" || { echo "no image name: set IMAGE and TAG, or newName and newTag in $(KUSTOMIZATION)"; exit 2; }
	docker build --build-arg VERSION=$(VERSION) -t $(IMAGE):$(TAG) .

# Pushes $(IMAGE):$(TAG) to its registry (docker login first).
docker-push:
	@test -n "$(IMAGE)" -a -n "$(TAG)" || { echo "no image name: set IMAGE and TAG, or newName and newTag in $(KUSTOMIZATION)"; exit 2; }
	docker push $(IMAGE):$(TAG)

# Points the manifests at another image: make deploy-image IMAGE=registry.example.com/team/wordfilter TAG=1.0.0
# rewrites newName and newTag in $(KUSTOMIZATION) and the image of $(COMPOSE_FILE); then
# `make docker docker-push` builds and pushes that image and `kubectl apply -k deploy/kubernetes` runs it.
deploy-image:
	@case "$(IMAGE)$(TAG)" in *[!A-Za-z0-9._:/-]*|"") echo "IMAGE and TAG must be a plain image name and tag, e.g. IMAGE=registry.example.com/team/wordfilter TAG=1.0.0"; exit 2;; esac
	@test -n "$(IMAGE)" -a -n "$(TAG)" || { echo "set both IMAGE and TAG"; exit 2; }
	sed -i.bak 's|^\( *newName: *\).*$$|\1$(IMAGE)|; s|^\( *newTag: *\).*$$|\1"$(TAG)"|' $(KUSTOMIZATION) && rm -f $(KUSTOMIZATION).bak
	sed -i.bak 's|^\( *image: *\).*$$|\1$(IMAGE):$(TAG)|' $(COMPOSE_FILE) && rm -f $(COMPOSE_FILE).bak
	@echo "manifests now run $(IMAGE):$(TAG)"

deploy-check:
	$(GO) test ./deploy/
	@if command -v kubectl >/dev/null; then kubectl kustomize deploy/kubernetes >/dev/null && echo "kustomize ok"; else echo "kubectl not installed: manifests checked by go test only"; fi
