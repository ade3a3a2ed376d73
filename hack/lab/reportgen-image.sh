#!/usr/bin/env bash
# Build the image `reportgen:VERSION` from this checkout with the lab's image builder
# (no registry, no Docker) and import it into the lab's containerd, so the nightly
# CronJob (docs/nightly/cronjob.yaml) runs for real in the lab.
#
# The rootfs: the lab's busybox, the Python interpreter of .venv (its stdlib, without
# tests), reportgen's wheel and its dependencies under /opt/reportgen, and this repo's
# scenarios under /labs/scenarios. Cached by the hash of all of that.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$LAB_DIR/images.sh"
ROOT="$(cd "$LAB_DIR/../.." && pwd)"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
[[ -x "$PYTHON" ]] || die "no $PYTHON: run 'source hack/venv.sh && ensure_venv' first"

VERSION=$("$PYTHON" -c 'import reportgen; print(reportgen.__version__)')
REF="docker.io/library/reportgen:$VERSION"
PREFIX=$("$PYTHON" -c 'import sys; print(sys.base_prefix)')
PYVER=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')

# What the image is made of, hashed: the wheel's inputs, the scenarios, the interpreter.
source_hash() {
  (cd "$ROOT" && git ls-files -z reportgen templates scenarios pyproject.toml hack/lab/reportgen-image.sh \
     hack/lab/images.sh hack/lab/mkimage.py | xargs -0 sha256sum
   sha256sum "$PREFIX/bin/python$PYVER") | sha256sum | cut -c1-16
}

# The interpreter at its own prefix (its RUNPATH names it), with the libraries it and
# its extension modules link.
copy_python() {
  local root=$1
  copy_with_libs "$PREFIX/bin/python$PYVER" "$root"
  mkdir -p "$root$PREFIX/lib"
  tar -C "$PREFIX/lib" --exclude="python$PYVER/test" --exclude="python$PYVER/site-packages" \
    --exclude="python$PYVER/idlelib" --exclude="python$PYVER/tkinter" --exclude='__pycache__' \
    -cf - "python$PYVER" | tar -C "$root$PREFIX/lib" -xf -
  libs_of "$root" "$root$PREFIX/lib/python$PYVER/lib-dynload"
}

# Copy into ROOT the shared libraries that the extension modules below DIR link.
libs_of() {
  local root=$1 so lib
  find "$2" -name '*.so*' -type f | while read -r so; do
    { ldd "$so" | grep -o '/[^ ]*' || true; } | while read -r lib; do  # some link nothing
      [[ -e "$root$lib" ]] || { mkdir -p "$root$(dirname "$lib")"; cp -L "$lib" "$root$lib"; }
    done
  done
}

rootfs_reportgen() {
  local root=$1 wheels
  busybox_rootfs "$root"
  copy_python "$root"
  wheels=$(mktemp -d)
  "$PYTHON" -m pip wheel -q --disable-pip-version-check --no-deps -w "$wheels" "$ROOT"
  "$PYTHON" -m pip install -q --disable-pip-version-check --no-compile --target "$root/opt/reportgen" \
    "$wheels"/reportgen-*.whl
  libs_of "$root" "$root/opt/reportgen"
  rm -rf "$wheels"
  mkdir -p "$root/labs" "$root/notes"
  cp -r "$ROOT/scenarios" "$root/labs/scenarios"
}

build_reportgen_image() {
  local archive work
  archive="$CACHE_ROOT/images-reportgen/reportgen-$VERSION-$(source_hash).tar"
  if [[ ! -s "$archive" ]]; then
    step "building image $REF"
    mkdir -p "$(dirname "$archive")"
    work=$(mktemp -d)
    rootfs_reportgen "$work/rootfs"
    python3 "$LAB_DIR/mkimage.py" "$work/rootfs" "$archive.tmp" --name "$REF" \
      --entrypoint "[\"$PREFIX/bin/python$PYVER\",\"-m\",\"reportgen\"]" \
      --env PYTHONPATH=/opt/reportgen --env PYTHONDONTWRITEBYTECODE=1 --workdir /labs
    mv "$archive.tmp" "$archive"
    rm -rf "$work"
  fi
  ctr --address "$CONTAINERD_SOCK" -n k8s.io images import --no-unpack=false "$archive" >/dev/null
  echo "$REF"
}

build_reportgen_image
