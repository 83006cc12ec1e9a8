# syntax=docker/dockerfile:1
#
# wordfilter container image.
#
#   make docker       # = docker build --build-arg VERSION=... -t IMAGE:TAG ., the image the manifests run
#   docker run --rm -p 10006:10006 wordfilter:dev                   # embedded default dictionary
#   docker run --rm -p 10006:10006 -v "$PWD/mydict:/etc/wordfilter/dict:ro" \
#       -e WORDFILTER_DICT=/etc/wordfilter/dict wordfilter:dev         # your dictionary folder
#
# Port:    10006/tcp (HTTP: OpenIM callbacks, /v1 REST API, /healthz, /readyz, /metrics).
# Signals: SIGTERM or SIGINT drains (readiness turns 503, the listener closes, in-flight
#          requests finish) and exits 0; SIGHUP forces a dictionary reload.
# User:    65532:65532 (distroless "nonroot"); the root filesystem can be mounted read-only,
#          the service writes nothing to disk.
#
# Runtime base: distroless/static, which has no shell and no curl. The HEALTHCHECK uses a single
# statically linked busybox binary copied in as /usr/local/bin/wget (about 1 MB; only invoked by
# that name, so only its wget applet is reachable). Nothing is added to the wordfilter binary for
# it. Kubernetes ignores HEALTHCHECK and uses the probes in deploy/kubernetes instead. If you move
# the service off port 10006 (WORDFILTER_LISTEN), override the check too:
#   docker run --health-cmd '/usr/local/bin/wget -q -T 2 -O /dev/null http://127.0.0.1:PORT/healthz' ...

ARG GO_VERSION=1.26
ARG BUSYBOX_IMAGE=busybox:1.37.0-musl
ARG RUNTIME_IMAGE=gcr.io/distroless/static-debian12:nonroot

# ---- build: a static, reproducible binary ---------------------------------------------------
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
ARG TARGETOS
ARG TARGETARCH
ARG VERSION=dev
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} \
    go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/wordfilter ./cmd/wordfilter

# ---- healthcheck helper: one static busybox binary, invoked as wget -------------------------
FROM ${BUSYBOX_IMAGE} AS busybox

# ---- runtime --------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE}
ARG VERSION=dev
LABEL org.opencontainers.image.title="wordfilter" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.description="Sensitive-word filtering service for OpenIM webhooks" \
      org.opencontainers.image.version="${VERSION}"
COPY --from=build /out/wordfilter /usr/local/bin/wordfilter
COPY --from=busybox /bin/wget /usr/local/bin/wget
# Attribution for the third-party word lists in the embedded default dictionary (CC-BY-4.0, MIT, WTFPL,
# Apache-2.0): it ships with every copy of the image.
COPY --from=build /src/NOTICE /usr/share/doc/wordfilter/NOTICE
# The licence of wordfilter's own code (Apache-2.0).
COPY --from=build /src/LICENSE /usr/share/doc/wordfilter/LICENSE
USER 65532:65532
EXPOSE 10006
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["/usr/local/bin/wget", "-q", "-T", "2", "-O", "/dev/null", "http://127.0.0.1:10006/healthz"]
ENTRYPOINT ["/usr/local/bin/wordfilter"]
CMD ["serve"]
