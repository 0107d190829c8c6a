#!/usr/bin/env bash
# Installs what `npm start` and the e2e tests need to run the extension in a real VS Code:
# code-server (VS Code in the browser) into .tools/code-server/, plus the Debian packages
# its install and the browser tests need. Idempotent: a second run only checks and exits.
#
# code-server lives in its own folder with its own package.json, not in the repository's
# dependencies: it is ~300 MB and its postinstall compiles native modules, which a plain
# `npm ci` of the extension should not pay for.
#
# Usage: bash scripts/install-code-server.sh   (also: npm run install:code-server)
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
# code-server 4.100.3 pins @vscode/ripgrep 1.15.11 (lib/vscode/npm-shrinkwrap.json), whose
# postinstall downloads ripgrep 13.0.0-10 from GitHub. Re-check both if the version changes.
RIPGREP_PACKAGE_VERSION=1.15.11
RIPGREP_RELEASE=v13.0.0-10
APT_PACKAGES=(libkrb5-dev ripgrep chromium)

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/.tools/code-server"
BIN="$DEST/node_modules/.bin/code-server"

log() { printf 'install-code-server: %s\n' "$*"; }

# --- Debian packages -------------------------------------------------------------------
# libkrb5-dev: headers for code-server's `kerberos` native module; ripgrep: stands in for
# the binary @vscode/ripgrep would download from GitHub; chromium: the browser of the e2e tests.
# shellcheck source=lib/apt.sh
source "$ROOT/scripts/lib/apt.sh"
install_missing_debian_packages "${APT_PACKAGES[@]}"

# --- code-server -----------------------------------------------------------------------
installed_version() {
  node -e 'try { process.stdout.write(require(process.argv[1]).version) } catch {}' \
    "$DEST/node_modules/code-server/package.json"
}
# The ripgrep binary is put in place by the last step of code-server's postinstall, so its
# presence tells a finished install from one that failed half-way.
RG_IN_VSCODE="$DEST/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
if [ -x "$BIN" ] && [ "$(installed_version)" = "$CODE_SERVER_VERSION" ] && [ -x "$RG_IN_VSCODE" ]; then
  log "code-server $CODE_SERVER_VERSION already installed in ${DEST#"$ROOT/"}"
  exit 0
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != 20 ]; then
  # Its postinstall refuses any other major; newer code-server releases need Node 22 or 24.
  log "code-server $CODE_SERVER_VERSION needs Node.js 20, found $(node --version)" >&2
  exit 1
fi

case "$(uname -m)" in
  x86_64) ripgrep_asset="ripgrep-$RIPGREP_RELEASE-x86_64-unknown-linux-musl.tar.gz" ;;
  aarch64 | arm64) ripgrep_asset="ripgrep-$RIPGREP_RELEASE-aarch64-unknown-linux-gnu.tar.gz" ;;
  *) log "unsupported machine $(uname -m)" >&2; exit 1 ;;
esac

log "installing code-server $CODE_SERVER_VERSION into ${DEST#"$ROOT/"} (1-2 minutes)"
mkdir -p "$DEST"
# A private temp folder: @vscode/ripgrep looks for $TMPDIR/vscode-ripgrep-cache-<version>/<asset>
# before it goes to GitHub (unreachable here), so the Debian binary is pre-seeded there.
tmp="$DEST/.tmp"
rm -rf "$tmp"
mkdir -p "$tmp/vscode-ripgrep-cache-$RIPGREP_PACKAGE_VERSION" "$tmp/rg"
cp "$(command -v rg)" "$tmp/rg/rg"
tar czf "$tmp/vscode-ripgrep-cache-$RIPGREP_PACKAGE_VERSION/$ripgrep_asset" -C "$tmp/rg" rg

cat >"$DEST/package.json" <<EOF
{
  "name": "gitops-iac-code-server",
  "description": "code-server for npm start and the e2e tests of GitOps IaC; installed by scripts/install-code-server.sh.",
  "private": true,
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" }
}
EOF

# npm_config_yes: node-pty's postinstall runs `npx node-gyp`, which npm's `yes=false` refuses.
# npm_config_unsafe_perm: as root, code-server's postinstall refuses to run without it.
(
  cd "$DEST"
  TMPDIR="$tmp" npm_config_yes=true npm_config_unsafe_perm=true \
    npm install --no-audit --no-fund --no-package-lock --loglevel=error
)
rm -rf "$tmp"

if [ ! -x "$BIN" ] || [ "$(installed_version)" != "$CODE_SERVER_VERSION" ] || [ ! -x "$RG_IN_VSCODE" ]; then
  log "code-server install looks incomplete (missing $BIN or $RG_IN_VSCODE)" >&2
  exit 1
fi
log "code-server $CODE_SERVER_VERSION installed"
