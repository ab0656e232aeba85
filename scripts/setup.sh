#!/usr/bin/env bash
# Installs the Debian bookworm packages mlpviz needs; idempotent and quiet when all is there.
set -euo pipefail
pkgs=(cmake g++ make pkg-config libeigen3-dev libglfw3-dev libimgui-dev libepoxy-dev
      nlohmann-json3-dev libcli11-dev libstb-dev libgtest-dev libgmock-dev libbenchmark-dev
      xvfb xauth libgl1-mesa-dri clang-14 libclang-rt-14-dev fonts-dejavu-core xdotool twm x11-utils
      libgif-dev
      dpkg-dev fakeroot lintian desktop-file-utils appstream help2man librsvg2-bin shared-mime-info
      libglib2.0-bin groff-base)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "mlpviz setup: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
