#!/usr/bin/env bash
# Installs everything Fjord needs on a fresh Debian machine of this kind, and does nothing that is
# already done: Debian packages, the `git` account for the local SSH Git server, npm packages, the
# TypeScript build, and the Go tools (control plane, kwok, helm, sops, kubeseal) built from the Go
# module proxy into .kube-bin/. Called by `npm test` and `npm run demo`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
say() { echo "bootstrap: $*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian packages: git and its http-backend, sshd for the SSH Git server, age for secret fixtures,
# chromium and a font for the web UI's browser tests and screenshots (driven by playwright-core).
debs=(git openssh-server openssh-client age ca-certificates chromium fonts-dejavu-core)
missing=()
for p in "${debs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The local SSH Git server serves git@127.x.y.z:org/repo.git URLs, so a `git` account must exist.
# Its password field is '*' (no password, not locked): sshd without PAM refuses locked accounts.
if ! id git >/dev/null 2>&1; then
  say "creating the local 'git' account for the SSH Git server"
  as_root useradd --system --no-create-home --home-dir /nonexistent --shell /bin/sh git
fi
if [ "$(as_root getent shadow git | cut -d: -f2)" != '*' ]; then as_root usermod -p '*' git; fi

# npm packages, when the lock file changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

# The web UI (ui/, its own npm package) that fjord run serves: installed and built when changed.
if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  say "installing the web UI's npm packages"
  npm --prefix ui ci --no-audit --no-fund --loglevel=error
fi
if [ ! -f ui/dist/index.html ] || [ -n "$(find ui/src ui/index.html ui/vite.config.ts ui/package-lock.json -newer ui/dist/index.html -print -quit)" ]; then
  say "building the web UI"
  npm --prefix ui run build --silent >/dev/null
fi

# TypeScript build for the fjord command.
if [ ! -f dist/cli/main.js ] || [ -n "$(find src -name '*.ts' -newer dist/cli/main.js -print -quit)" ]; then
  say "building TypeScript"
  npx tsc -p tsconfig.build.json
fi

# Go tools from the Go module proxy (skipped when built).
bash scripts/build-go.sh
