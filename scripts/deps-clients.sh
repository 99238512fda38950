#!/usr/bin/env bash
# The Debian 12 packages of `make test-clients` beyond scripts/deps.sh (which has Chromium for
# the browser tests): QGIS for Python (python3-qgis, run headless by /usr/bin/python3), GDAL's
# tools and Python bindings, Pillow (the docs pictures compared: doc-images-check.py) and
# rsvg-convert (the docs maps drawn: doc-maps.sh).  `make test` alone needs none of them.
# As root: installs what is missing.  Otherwise: prints the apt-get line and stops.
set -euo pipefail
PKGS=(python3-qgis gdal-bin python3-gdal python3-pil librsvg2-bin)
missing=()
for p in "${PKGS[@]}"; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [[ "$st" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
line="apt-get install -y --no-install-recommends ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
    echo "make test-clients needs these Debian packages; run as root:" >&2
    echo "  apt-get update && $line" >&2
    exit 1
fi
echo "== installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
