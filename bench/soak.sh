#!/usr/bin/env bash
# The seed build, N times in a row on a warm lab (default 20): every run must end
# "12 passed, 0 failed, 2 undecided". Needs the lab up (hack/labcluster up).
#   bench/soak.sh [N]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-20}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
kubeconfig=$(hack/labcluster kubeconfig)
good=0
for i in $(seq "$runs"); do
  line=$(.venv/bin/reportgen build scenarios/services.yaml --out "$out/$i" --kubeconfig "$kubeconfig" -q 2>&1 | head -1 || true)
  case $line in *"12 passed, 0 failed, 2 undecided"*) good=$((good + 1)); echo "run $i: ok" ;;
                *) echo "run $i: $line" ;; esac
done
echo "soak: $good/$runs runs ended 12 passed, 0 failed, 2 undecided"
[[ $good -eq $runs ]]
