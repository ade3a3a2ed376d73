#!/usr/bin/env bash
# Install what tests/test_browser.py looks at notes with: Chromium from Debian's
# packages (/usr/bin/chromium), with fonts for Korean and emoji (the notes' words
# and headings), and Mermaid from the npm registry, pinned in package-lock.json
# and installed with `npm ci` into hack/browser/node_modules.
# Idempotent: when everything is in place (and the lock file has not changed) it
# only checks, in well under a second.
#   hack/browser/install.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

updated=
apt_install() {
  [[ -n $updated ]] || { apt-get update -qq; updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

[[ -x /usr/bin/chromium ]] || apt_install chromium
[[ -f /usr/share/fonts/truetype/nanum/NanumGothic.ttf ]] || apt_install fonts-nanum
[[ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ]] || apt_install fonts-noto-color-emoji
command -v npm >/dev/null || apt_install npm

stamp=node_modules/.reportgen-lock   # the package-lock.json that node_modules was installed from
if [[ ! -f node_modules/mermaid/dist/mermaid.min.js ]] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
