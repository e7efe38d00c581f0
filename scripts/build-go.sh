#!/usr/bin/env bash
# Builds the real tools Fjord is tested against from the Go module proxy, once per machine:
#   tools/kube     kube-apiserver, kube-controller-manager, kube-scheduler, etcd, kubectl (k8s v1.36.3)
#   tools/kwok     kwok (fake nodes), plus its stage files
#   tools/helm     helm v4
#   tools/sops     sops v3
#   tools/kubeseal kubeseal
#   tools/flux     Flux's source-controller v1.9.6, kustomize-controller v1.9.5 and notification-controller
#                  v1.9.3 (its webhook Receiver) and their CRDs (flux-crds/),
#                  only with the argument `flux` (for `npm run bench`; never built by bootstrap or tests)
#   tools/argocd   Argo CD v3.2.5 (the `argocd` binary: application controller, repo-server, API server)
#                  and its CRDs (argocd-crds/), only with the argument `argocd`
#                  (for `npm run bench`), which also installs Debian's redis-server, Argo CD's cache
# Each module builds into .kube-bin/<module>-<hash of its sources and the Go version>/ and is skipped
# when that folder is complete. .kube-bin/bin/ holds symlinks to the current builds.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/.kube-bin"
mkdir -p "$out/bin"
export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS="-mod=readonly -trimpath"
# kubeseal's module path moved upstream; the proxy's checksum database lacks the old path's entries,
# so its hashes come from the committed go.sum alone.
export GONOSUMDB=github.com/bitnami-labs/sealed-secrets
gover=$(go env GOVERSION)

module_hash() {
  (cd "$root/tools/$1" && { echo "$gover"; find . -type f \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' \) | sort | xargs sha256sum; } | sha256sum | cut -c1-12)
}

build() { # module, then the build command run inside tools/<module> with $dest set
  local mod=$1; shift
  local dest="$out/$mod-$(module_hash "$mod")"
  if [ ! -f "$dest/.complete" ]; then
    echo "fjord: building $mod from the Go module proxy into ${dest#$root/} (first time only)" >&2
    rm -rf "$dest"; mkdir -p "$dest"
    local start=$SECONDS
    (cd "$root/tools/$mod" && "$@")
    echo "fjord: built $mod in $((SECONDS - start))s" >&2
    touch "$dest/.complete"
  fi
  for f in "$dest"/*; do ln -sfn "$f" "$out/bin/$(basename "$f")"; done
}

kube_ldflags() {
  local flags="-s -w" p
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags="$flags -X $p.gitVersion=v1.36.3 -X $p.gitMajor=1 -X $p.gitMinor=36 -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
  done
  echo "$flags"
}

if [ "${1:-}" = flux ]; then
  # The CRDs come from the controllers' modules in the module cache (config/crd/bases), not from copies.
  build flux sh -c 'go build -ldflags "-s -w" -o "$0/" github.com/fluxcd/source-controller github.com/fluxcd/kustomize-controller github.com/fluxcd/notification-controller &&
    mkdir -p "$0/flux-crds" &&
    cp "$(go list -m -f "{{.Dir}}" github.com/fluxcd/source-controller)"/config/crd/bases/*.yaml \
       "$(go list -m -f "{{.Dir}}" github.com/fluxcd/kustomize-controller)"/config/crd/bases/*.yaml \
       "$(go list -m -f "{{.Dir}}" github.com/fluxcd/notification-controller)"/config/crd/bases/*.yaml "$0/flux-crds/" &&
    chmod u+w "$0/flux-crds/"*' "$out/flux-$(module_hash flux)"
  exit 0
fi

if [ "${1:-}" = argocd ]; then
  if ! command -v redis-server >/dev/null; then
    echo "fjord: installing Debian's redis-server for Argo CD (bench only)" >&2
    as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
    # No service is started: the bench runs its own redis-server on a loopback port.
    as_root sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d'
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null
    as_root rm -f /usr/sbin/policy-rc.d
  fi
  build argocd sh -c 'go build -ldflags "-s -w -X github.com/argoproj/argo-cd/v3/common.version=3.2.5" -o "$0/argocd" github.com/argoproj/argo-cd/v3/cmd &&
    mkdir -p "$0/argocd-crds" &&
    crds="$(go list -m -f "{{.Dir}}" github.com/argoproj/argo-cd/v3)/manifests/crds" &&
    cp "$crds/application-crd.yaml" "$crds/applicationset-crd.yaml" "$crds/appproject-crd.yaml" "$0/argocd-crds/" &&
    chmod u+w "$0/argocd-crds/"*' "$out/argocd-$(module_hash argocd)"
  exit 0
fi

build kube sh -c 'go build -ldflags "$0" -o "$1/" ./cmd/...' "$(kube_ldflags)" "$out/kube-$(module_hash kube)"
build kwok sh -c 'go build -ldflags "-s -w" -o "$0/kwok" sigs.k8s.io/kwok/cmd/kwok &&
  stages=$(go list -m -f "{{.Dir}}" sigs.k8s.io/kwok)/kustomize/stage &&
  mkdir -p "$0/kwok-stages" &&
  cp "$stages/node/fast/node-initialize.yaml" "$stages/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" \
     "$stages/pod/fast/pod-ready.yaml" "$stages/pod/fast/pod-complete.yaml" "$stages/pod/fast/pod-delete.yaml" "$0/kwok-stages/"' \
  "$out/kwok-$(module_hash kwok)"
build helm sh -c 'go build -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=v4.3.1" -o "$0/helm" helm.sh/helm/v4/cmd/helm' "$out/helm-$(module_hash helm)"
build sops sh -c 'go build -ldflags "-s -w" -o "$0/sops" github.com/getsops/sops/v3/cmd/sops' "$out/sops-$(module_hash sops)"
build kubeseal sh -c 'go build -ldflags "-s -w -X main.VERSION=v0.36.1" -o "$0/kubeseal" github.com/bitnami-labs/sealed-secrets/cmd/kubeseal' "$out/kubeseal-$(module_hash kubeseal)"
