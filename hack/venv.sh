# Sourced by hack/test and hack/build-report: make sure the project venv (.venv)
# exists and holds reportgen (editable) with EXTRAS, then put it first on PATH.
# Never touches the system Python (PEP 668).
VENV="${REPORTGEN_VENV:-$PWD/.venv}"
ensure_venv() {
  local extras=${1:-}
  if [[ ! -x "$VENV/bin/python" ]]; then
    python3 -m venv "$VENV" 2>/dev/null || {
      # Debian's python3 without python3-venv: install it, then retry.
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
      python3 -m venv "$VENV"
    }
  fi
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".${extras:+[$extras]}"
  export PATH="$VENV/bin:$PATH"
  export VIRTUAL_ENV="$VENV"
}
