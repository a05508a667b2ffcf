#!/usr/bin/env bash
# Usage: scripts/ensure-debian-packages.sh PKG...
# Installs the given Debian packages with apt-get, but only those that are
# not installed yet; `apt-get update` runs only when something is missing.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 PKG..." >&2
    exit 2
fi

is_installed() {
    dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed$'
}

missing=""
for pkg in "$@"; do
    if ! is_installed "$pkg"; then
        missing="$missing $pkg"
    fi
done

if [ -z "$missing" ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "ensure-debian-packages: missing packages:$missing" >&2
    echo "ensure-debian-packages: not root and sudo is unavailable; install them manually" >&2
    exit 1
fi

echo "ensure-debian-packages: installing:$missing" >&2
# shellcheck disable=SC2086  # $missing is a deliberate word list
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
