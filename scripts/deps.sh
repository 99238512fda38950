#!/usr/bin/env bash
# Install the Debian 12 packages smartregion needs to build, test and demo.
# As root: installs what is missing.  Otherwise: prints the apt-get line and stops.
set -euo pipefail
PKGS=(make gcc pkg-config postgresql-15 postgresql-server-dev-15 postgresql-15-postgis-3
      libgeos-dev libproj-dev libxml2-dev libxml2-utils postgresql-15-pgtap postgresql-15-pgaudit
      libtap-parser-sourcehandler-pgtap-perl python3-numpy python3-scipy python3-rdflib gzip nodejs npm
      chromium fonts-liberation)
missing=()
for p in "${PKGS[@]}"; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [[ "$st" == "install ok installed" ]] || missing+=("$p")
done
# nodejs/npm may come from elsewhere than Debian (e.g. a preinstalled node): accept any npm.
if command -v npm >/dev/null 2>&1; then
    tmp=(); for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || tmp+=("$p"); done
    missing=("${tmp[@]+"${tmp[@]}"}")
fi
[[ ${#missing[@]} -eq 0 ]] && exit 0
line="apt-get install -y --no-install-recommends ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
    echo "smartregion needs these Debian packages; run as root:" >&2
    echo "  apt-get update && $line" >&2
    exit 1
fi
echo "== installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
