#!/usr/bin/env bash
# Installs the real Ansible tools the Ansible tests use as oracles and the extension runs when
# they are present: ansible-core (ansible-playbook, ansible-doc) and ansible-lint, the Debian
# packages. Idempotent: a second run only checks and exits.
#
# Usage: bash scripts/install-ansible.sh   (as root, or with sudo available)
set -euo pipefail

APT_PACKAGES=(ansible-core ansible-lint)
APT_INSTALL_DURATION="about 1.5 minutes"

log() { printf 'install-ansible: %s\n' "$*"; }

# shellcheck source=lib/apt.sh
source "$(dirname "$0")/lib/apt.sh"
install_missing_debian_packages "${APT_PACKAGES[@]}"
if [ "${#DEBIAN_PACKAGES_INSTALLED[@]}" -gt 0 ]; then
  log "installed: $(ansible-playbook --version | head -n 1), $(ansible-lint --version 2>/dev/null | head -n 1)"
fi
