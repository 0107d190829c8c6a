# Sourced by the install scripts: installs the Debian packages they need that are missing.
# The sourcing script defines `log MESSAGE` and runs with `set -euo pipefail`.

# install_missing_debian_packages PACKAGE...
# Installs those of the PACKAGEs that dpkg does not list as installed, through sudo when not
# root; exits 1 when some are missing and neither is possible. Sets DEBIAN_PACKAGES_INSTALLED
# to what it installed (empty when all were present). APT_INSTALL_DURATION, when set, says in
# the log how long the install takes.
install_missing_debian_packages() {
  local package
  local missing=()
  local sudo=()
  DEBIAN_PACKAGES_INSTALLED=()
  for package in "$@"; do
    if [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" != "install ok installed" ]; then
      missing+=("$package")
    fi
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    log "Debian packages present: $*"
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      log "missing Debian packages: ${missing[*]}; install them as root (apt-get install ${missing[*]}) and run this again" >&2
      exit 1
    fi
    sudo=(sudo)
  fi
  log "installing Debian packages: ${missing[*]}${APT_INSTALL_DURATION:+ ($APT_INSTALL_DURATION)}"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  DEBIAN_PACKAGES_INSTALLED=("${missing[@]}")
}
