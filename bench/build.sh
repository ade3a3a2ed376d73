#!/usr/bin/env bash
# Time `reportgen build scenarios/services.yaml` on the lab, and its peak memory.
#   bench/build.sh [RUNS]     (the lab must be up: hack/labcluster up)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '%-4s  %-10s  %-14s  %s\n' run "wall (s)" "max RSS (MiB)" result
for i in $(seq "$runs"); do
  /usr/bin/time -v -o "$out/time.txt" reportgen build scenarios/services.yaml -q \
    --kubeconfig "$(hack/labcluster kubeconfig)" --out "$out" >"$out/result.txt" 2>&1 || true
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$out/time.txt" | awk -F: '{print ($1*60)+$2}')
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$out/time.txt")
  printf '%-4s  %-10s  %-14s  %s\n' "$i" "$wall" "$rss" "$(head -1 "$out/result.txt" | cut -d: -f2 | cut -d"(" -f1)"
done
