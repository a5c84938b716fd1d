#!/usr/bin/env bash
# Builds the Kubernetes binaries the sync's tests run against (a real etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler and kwok's fake nodes) from the Go module proxy, into a
# cache OUTSIDE the checkout keyed by their versions, so a second run on the same machine only
# checks that they are there (seconds). Prints the cache's bin directory on its last line.
#
#   bash scripts/k8s-tools.sh            build what is missing
#   PROCGRAPH_TOOLS_CACHE=/elsewhere …   cache root (default ~/.cache/procgraph-tools)
#
# The wrapper modules are written here, not copied: etcd's is a main package calling
# etcdmain.Main; Kubernetes' requires k8s.io/kubernetes and replaces each of its staging modules
# (which its own go.mod points at ./staging, so a plain `go install` is refused) by the published
# k8s.io/* module of the matching v0.x version.
set -euo pipefail

ETCD_VERSION="${ETCD_VERSION:-v3.6.16}"
K8S_VERSION="${K8S_VERSION:-v1.37.2}"
KWOK_VERSION="${KWOK_VERSION:-v0.8.0}"
CACHE_ROOT="${PROCGRAPH_TOOLS_CACHE:-$HOME/.cache/procgraph-tools}"
KEY="k8s-${K8S_VERSION}-etcd-${ETCD_VERSION}-kwok-${KWOK_VERSION}"
DEST="$CACHE_ROOT/$KEY"
BIN="$DEST/bin"
BINARIES=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)

export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:--buildvcs=false}" GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
LDFLAGS="-s -w"

log() { printf '[k8s-tools %ss] %s\n' "$SECONDS" "$*" >&2; }

complete() {
  for b in "${BINARIES[@]}"; do [ -x "$BIN/$b" ] || return 1; done
  [ -f "$DEST/stages/pod-ready.yaml" ] && [ -f "$DEST/stages/node-initialize.yaml" ]
}

if complete; then
  log "cached: $BIN"
  echo "$BIN"
  exit 0
fi

command -v go >/dev/null || { echo "k8s-tools: go is not installed" >&2; exit 1; }
mkdir -p "$BIN" "$DEST/stages" "$DEST/src"
WORK="$DEST/src"

if [ ! -x "$BIN/etcd" ]; then
  log "etcd $ETCD_VERSION"
  mkdir -p "$WORK/etcd"
  cat >"$WORK/etcd/go.mod" <<EOF
module procgraph.local/etcd

go 1.24
EOF
  cat >"$WORK/etcd/main.go" <<'EOF'
// The etcd server the Kubernetes tests use: etcd's own entry point, nothing else.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
EOF
  (cd "$WORK/etcd" && go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" >&2 && go mod tidy >&2 &&
    go build -trimpath -ldflags "$LDFLAGS" -o "$BIN/etcd.tmp" . && mv "$BIN/etcd.tmp" "$BIN/etcd")
fi

K8S_CMDS=(kube-apiserver kube-controller-manager kube-scheduler)
need_k8s=0
for c in "${K8S_CMDS[@]}"; do [ -x "$BIN/$c" ] || need_k8s=1; done
if [ "$need_k8s" = 1 ]; then
  log "kubernetes $K8S_VERSION (kube-apiserver, kube-controller-manager, kube-scheduler)"
  mkdir -p "$WORK/kubernetes"
  staging_version="v0.${K8S_VERSION#v1.}"
  gomod="$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')"
  [ -f "$gomod" ] || { echo "k8s-tools: no go.mod for k8s.io/kubernetes@$K8S_VERSION" >&2; exit 1; }
  go_directive="$(sed -n 's/^go \([0-9.]*\).*/\1/p' "$gomod" | head -1)"
  {
    echo "module procgraph.local/kubernetes"
    echo
    echo "go ${go_directive:-1.24}"
    echo
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo
    # Every module k8s.io/kubernetes points at its own ./staging tree, at its published version.
    go mod edit -json "$gomod" |
      tr -d ' \t\n' | grep -o '"Old":{"Path":"[^"]*"},"New":{"Path":"\./staging[^"]*"' |
      sed 's/"Old":{"Path":"\([^"]*\)".*/replace \1 => \1 '"$staging_version"'/'
  } >"$WORK/kubernetes/go.mod"
  log "$(grep -c '^replace' "$WORK/kubernetes/go.mod") staging modules replaced at $staging_version"
  (cd "$WORK/kubernetes" &&
    for c in "${K8S_CMDS[@]}"; do go get -tool "k8s.io/kubernetes/cmd/$c@$K8S_VERSION" >&2; done &&
    go mod tidy >&2 &&
    GOBIN="$BIN" go build -trimpath -ldflags "$LDFLAGS" -o "$BIN/" \
      $(for c in "${K8S_CMDS[@]}"; do echo "k8s.io/kubernetes/cmd/$c"; done))
fi

if [ ! -x "$BIN/kwok" ]; then
  log "kwok $KWOK_VERSION"
  GOBIN="$BIN" go install -trimpath -ldflags "$LDFLAGS" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
fi

# kwok's stage definitions (how a fake node becomes Ready, how a pod goes Pending → Running →
# Succeeded/Failed) ship in its module, not in the binary's defaults we rely on.
kwok_dir="$(go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
for f in "$kwok_dir"/kustomize/stage/node/fast/*.yaml "$kwok_dir"/kustomize/stage/pod/general/*.yaml; do
  [ -f "$f" ] || continue
  case "$(basename "$f")" in kustomization.yaml) continue ;; esac
  cp "$f" "$DEST/stages/$(basename "$f")"
done
ls "$DEST/stages" >&2

complete || { echo "k8s-tools: build incomplete in $DEST" >&2; exit 1; }
log "built: $BIN"
echo "$BIN"
