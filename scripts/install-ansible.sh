#!/usr/bin/env bash
# Installs the real Ansible tools the Ansible tests use as oracles and the extension runs when
# they are present: ansible-core (ansible-playbook, ansible-doc) and ansible-lint, the Debian
# packages. Idempotent: a second run only checks and exits.
#
# Usage: bash scripts/install-ansible.sh   (as root, or with sudo available)
set -euo pipefail

APT_PACKAGES=(ansible-core ansible-lint)

log() { printf 'install-ansible: %s\n' "$*"; }

missing=()
for package in "${APT_PACKAGES[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" != "install ok installed" ]; then
    missing+=("$package")
  fi
done
if [ "${#missing[@]}" -eq 0 ]; then
  log "Debian packages present: ${APT_PACKAGES[*]}"
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  log "missing Debian packages: ${missing[*]}; install them as root (apt-get install ${missing[*]}) and run this again" >&2
  exit 1
fi
log "installing Debian packages: ${missing[*]} (about 1.5 minutes)"
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
log "installed: $(ansible-playbook --version | head -n 1), $(ansible-lint --version 2>/dev/null | head -n 1)"
