#!/usr/bin/env bash
# Build the lab's binaries from upstream Go modules into the version-keyed cache.
# Each artifact is skipped when its cache directory is complete.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

export GOFLAGS="-mod=mod -trimpath"
export CGO_ENABLED=0

# Write a throwaway wrapper module in DIR requiring MODULE@VERSION.
wrapper_module() {
  local dir=$1 module=$2 version=$3
  mkdir -p "$dir"
  cat >"$dir/go.mod" <<GOMOD
module reportgen.lab/build

go 1.24

require $module $version
GOMOD
}

build_kubernetes() {
  [[ -x "$K8S_BIN/kubectl" && -x "$K8S_BIN/kubelet" ]] && { log "kubernetes $K8S_VERSION: cached"; return; }
  step "building kubernetes $K8S_VERSION (apiserver, controller-manager, scheduler, kubelet, proxy, kubectl)"
  local src="$CACHE_ROOT/src/kubernetes-$K8S_VERSION"
  wrapper_module "$src" k8s.io/kubernetes "$K8S_VERSION"
  local gomod
  gomod=$(cd "$src" && go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",/\1/p')
  # Staging repos are replaced by local paths upstream; point them at their releases.
  sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p' "$gomod" | while read -r repo; do
    echo "replace $repo => $repo $K8S_STAGING_VERSION" >>"$src/go.mod"
  done
  local pkg="k8s.io/component-base/version" commit
  commit=$(printf '%s' "$K8S_VERSION" | sha1sum | cut -c1-40)
  local ldflags="-s -w -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=${K8S_VERSION#v1.}"
  ldflags="${ldflags%.*} -X $pkg.gitTreeState=clean -X $pkg.gitCommit=$commit -X $pkg.buildDate=1970-01-01T00:00:00Z"
  ldflags="$ldflags -X k8s.io/client-go/pkg/version.gitVersion=$K8S_VERSION"
  mkdir -p "$K8S_BIN.tmp"
  (cd "$src" && go build -ldflags "$ldflags" -o "$K8S_BIN.tmp/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubelet \
    k8s.io/kubernetes/cmd/kube-proxy k8s.io/kubernetes/cmd/kubectl)
  # pause.c ships in the same module; the image build compiles it.
  cp "$(go env GOMODCACHE)/k8s.io/kubernetes@$K8S_VERSION/build/pause/linux/pause.c" "$K8S_BIN.tmp/pause.c"
  rm -rf "$K8S_BIN" && mv "$K8S_BIN.tmp" "$K8S_BIN"
}

# Build PACKAGE of MODULE@VERSION as BIN/NAME, in a wrapper module next to the
# cache entry's name (BIN is CACHE_ROOT/<entry>/bin), unless it is cached. The
# function named in $GO_MOD_EDIT, when set, may add lines to the wrapper's go.mod.
go_binary() {
  local bin=$1 name=$2 module=$3 version=$4 package=$5
  [[ -x "$bin/$name" ]] && { log "$name $version: cached"; return; }
  step "building $name $version"
  local src; src="$CACHE_ROOT/src/$(basename "$(dirname "$bin")")"
  wrapper_module "$src" "$module" "$version"
  [[ -z "${GO_MOD_EDIT:-}" ]] || "$GO_MOD_EDIT" "$src"
  mkdir -p "$bin.tmp"
  (cd "$src" && go build -ldflags "-s -w" -o "$bin.tmp/$name" "$package")
  rm -rf "$bin" && mv "$bin.tmp" "$bin"
}

build_etcd() { go_binary "$ETCD_BIN" etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION" go.etcd.io/etcd/server/v3; }

build_coredns() {
  go_binary "$COREDNS_BIN" coredns github.com/coredns/coredns "$COREDNS_VERSION" github.com/coredns/coredns
}

build_crictl() {
  go_binary "$CRICTL_BIN" crictl sigs.k8s.io/cri-tools "$CRI_TOOLS_VERSION" sigs.k8s.io/cri-tools/cmd/crictl
}

# busybox from its upstream tarball (as Debian's mirror serves it, checksum pinned),
# built as the official image is: defconfig, static, every applet.
build_busybox() {
  [[ -x "$BUSYBOX_BIN/busybox" ]] && { log "busybox $BUSYBOX_VERSION: cached"; return; }
  step "building busybox $BUSYBOX_VERSION (defconfig, static)"
  local src="$CACHE_ROOT/src/busybox-$BUSYBOX_VERSION" tarball="$CACHE_ROOT/src/busybox-$BUSYBOX_VERSION.tar.bz2"
  mkdir -p "$CACHE_ROOT/src"
  if [[ ! -s "$tarball" ]]; then
    curl -fsSL --retry 3 -o "$tarball.tmp" "$BUSYBOX_URL" && mv "$tarball.tmp" "$tarball"
  fi
  echo "$BUSYBOX_SHA256  $tarball" | sha256sum -c --quiet || die "busybox tarball checksum mismatch: $tarball"
  rm -rf "$src" && mkdir -p "$src" && tar -xjf "$tarball" -C "$src" --strip-components=1
  # The official image's config (docker-library/busybox latest-1/glibc/Dockerfile.builder),
  # plus CONFIG_STATIC: the rootfs has no libc.
  (cd "$src" && make -s defconfig >/dev/null &&
    sed -i -e 's/^# CONFIG_STATIC is not set/CONFIG_STATIC=y/' \
      -e 's/^CONFIG_FEATURE_SYNC_FANCY=y/# CONFIG_FEATURE_SYNC_FANCY is not set/' \
      -e 's/^CONFIG_LAST_SUPPORTED_WCHAR=.*/CONFIG_LAST_SUPPORTED_WCHAR=0/' \
      -e '/^# CONFIG_\(AR\|FEATURE_AR_CREATE\|FEATURE_AR_LONG_FILENAMES\|INOTIFYD\) is not set/d' .config &&
    printf 'CONFIG_%s=y\n' AR FEATURE_AR_CREATE FEATURE_AR_LONG_FILENAMES INOTIFYD >>.config &&
    make -s oldconfig </dev/null >/dev/null && make -s -j"$(nproc)" busybox >/dev/null 2>"$src/build.log") ||
    die "busybox build failed: $src/build.log"
  mkdir -p "$BUSYBOX_BIN.tmp" && cp "$src/busybox" "$BUSYBOX_BIN.tmp/busybox"
  rm -rf "$BUSYBOX_BIN" && mv "$BUSYBOX_BIN.tmp" "$BUSYBOX_BIN"
}

main() {
  mkdir -p "$CACHE_ROOT"
  build_busybox
  build_etcd
  build_coredns
  build_kubernetes
  build_crictl
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
