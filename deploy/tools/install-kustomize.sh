#!/usr/bin/env bash
# Install a pinned kustomize into Rueda's cache from the Go module proxy, if missing,
# and print its path. Needs only Go and the module proxy (no cluster, no Docker).
#
#   deploy/tools/install-kustomize.sh            -> /root/.cache/rueda/bin/kustomize
#   KUSTOMIZE_VERSION=v5.8.1 RUEDA_CACHE=/tmp/c deploy/tools/install-kustomize.sh
#
# v5.8.1 builds with Go 1.24 or newer (v5.8.2 needs Go 1.26, v5.8.3 Go 1.27).
# From a cold Go cache the build takes about 25-55 s; afterwards this script only prints.
set -euo pipefail

version="${KUSTOMIZE_VERSION:-v5.8.1}"
bin_dir="${RUEDA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rueda}/bin"
target="$bin_dir/kustomize-$version"

if [[ ! -x "$target" ]]; then
    command -v go >/dev/null || { echo "install-kustomize: Go is required" >&2; exit 1; }
    mkdir -p "$bin_dir"
    build_dir="$(mktemp -d)"
    trap 'rm -rf "$build_dir"' EXIT
    # Progress goes to stderr; stdout carries only the path.
    GOBIN="$build_dir" GOFLAGS="${GOFLAGS:-} -buildvcs=false" \
        go install "sigs.k8s.io/kustomize/kustomize/v5@$version" >&2
    mv "$build_dir/kustomize" "$target"
    ln -sfn "kustomize-$version" "$bin_dir/kustomize"
fi
echo "$target"
