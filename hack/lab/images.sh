#!/usr/bin/env bash
# Build the lab's images from Debian packages and the cached binaries, as archives
# in the version-keyed cache. They are imported into containerd by `up`.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# name -> reference as kubelet asks for it
declare -A IMAGE_REFS=(
  [pause]="registry.k8s.io/pause:$PAUSE_VERSION"
  [coredns]="registry.k8s.io/coredns/coredns:$COREDNS_VERSION"
  [busybox]="docker.io/library/busybox:1.36"
  [nginx]="docker.io/library/nginx:alpine"
  [mongo]="docker.io/library/mongo:7"
)

# A rootfs holding the lab's static busybox, with a link for every applet it has.
busybox_rootfs() {
  local root=$1 applet
  mkdir -p "$root"/{bin,etc,tmp,root,proc,sys,dev}
  cp "$BUSYBOX_BIN/busybox" "$root/bin/busybox"
  for applet in $("$BUSYBOX_BIN/busybox" --list); do
    [[ -e "$root/bin/$applet" ]] || ln -s busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  chmod 1777 "$root/tmp"
}

# Copy a dynamic binary and the shared libraries it links into a rootfs.
copy_with_libs() {
  local bin=$1 root=$2
  mkdir -p "$root$(dirname "$bin")"
  cp "$bin" "$root$bin"
  ldd "$bin" | grep -o '/[^ ]*' | while read -r lib; do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
}

rootfs_pause() {
  mkdir -p "$1"
  gcc -Os -static -DVERSION="v$PAUSE_VERSION" -o "$1/pause" "$K8S_BIN/pause.c"
  strip "$1/pause"
}

rootfs_coredns() {
  mkdir -p "$1/etc"
  cp "$COREDNS_BIN/coredns" "$1/coredns"
  printf 'root:x:0:0:root:/root:/bin/sh\n' >"$1/etc/passwd"
}

rootfs_busybox() { busybox_rootfs "$1"; }
rootfs_mongo() { busybox_rootfs "$1"; }

rootfs_nginx() {
  local root=$1
  busybox_rootfs "$root"
  copy_with_libs /usr/sbin/nginx "$root"
  mkdir -p "$root"/{etc/nginx,usr/share/nginx/html,var/log/nginx,var/lib/nginx,run}
  cp /etc/nginx/mime.types "$root/etc/nginx/"
  cp /usr/share/nginx/html/index.html "$root/usr/share/nginx/html/"
  cp "$LAB_DIR/nginx.conf" "$root/etc/nginx/nginx.conf"
}

# Image config flags for mkimage.py, one argument a line.
image_args() {
  case $1 in
    pause) printf '%s\n' --entrypoint '["/pause"]' ;;
    coredns) printf '%s\n' --entrypoint '["/coredns"]' --port 53/udp --port 53/tcp ;;
    busybox) printf '%s\n' --cmd '["sh"]' ;;
    nginx) printf '%s\n' --entrypoint '["/usr/sbin/nginx"]' --cmd '["-g","daemon off;"]' --port 80/tcp ;;
    mongo) printf '%s\n' --entrypoint '["nc","-ll","-p","27017","-e","/bin/true"]' --port 27017/tcp ;;
  esac
}

build_images() {
  mkdir -p "$IMAGES_DIR"
  local name work args
  for name in "${!IMAGE_REFS[@]}"; do
    [[ -s "$IMAGES_DIR/$name.tar" ]] && continue
    step "building image ${IMAGE_REFS[$name]}"
    work=$(mktemp -d)
    "rootfs_$name" "$work/rootfs"
    mapfile -t args < <(image_args "$name")
    python3 "$LAB_DIR/mkimage.py" "$work/rootfs" "$IMAGES_DIR/$name.tar.tmp" \
      --name "${IMAGE_REFS[$name]}" "${args[@]}"
    mv "$IMAGES_DIR/$name.tar.tmp" "$IMAGES_DIR/$name.tar"
    rm -rf "$work"
  done
}

# Import every image archive that containerd does not have yet.
import_images() {
  local have name
  have=$(ctr --address "$CONTAINERD_SOCK" -n k8s.io images ls -q)
  for name in "${!IMAGE_REFS[@]}"; do
    grep -qxF "${IMAGE_REFS[$name]}" <<<"$have" && continue
    ctr --address "$CONTAINERD_SOCK" -n k8s.io images import --no-unpack=false "$IMAGES_DIR/$name.tar" >/dev/null
  done
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  build_images
fi
