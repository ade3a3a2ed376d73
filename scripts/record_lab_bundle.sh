#!/usr/bin/env bash
# Record a real evidence bundle from the lab as a test fixture, and its golden reports.
#   scripts/record_lab_bundle.sh   (the lab must be up: hack/labcluster up)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
reportgen build scenarios/services.yaml --kubeconfig "$(hack/labcluster kubeconfig)" --out "$tmp" -q || true
cp "$tmp/services.evidence.json" tests/fixtures/bundles/services.lab.json
REPORTGEN_UPDATE_GOLDEN=1 python3 -m pytest -q tests/test_render_lab.py
