#!/usr/bin/env bash
# Installs what Palisade's build, tests, demo and benchmarks need (Debian 12 packages only),
# then configures and builds into build/ (binaries in build/bin/).
# Idempotent: when every package is present and nothing changed, it takes seconds.
#
#   scripts/setup.sh            install + Release build (with assertions kept)
#   PALISADE_SANITIZE=ON scripts/setup.sh   build with ASan + UBSan into build/
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

# One list, so demo, tests and benchmarks never depend on something installed by hand.
packages=(
  # toolchain
  g++ clang-14 libclang-rt-14-dev cmake ninja-build pkg-config
  # libraries the product links
  dpdk dpdk-dev libdpdk-dev libboost-dev libconfig++-dev prometheus-cpp-dev libedit-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev libosip2-dev
  # lab and protocol peers
  sip-tester tshark iproute2 ethtool procps
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done

if ((${#missing[@]})); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing packages (${missing[*]}); run as root to install them" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # tshark asks whether non-root users may capture; answer it before apt does.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build_dir=${PALISADE_BUILD_DIR:-build}
sanitize=${PALISADE_SANITIZE:-OFF}
if [ ! -f "$build_dir/build.ninja" ] || ! grep -q "PALISADE_SANITIZE:BOOL=$sanitize" "$build_dir/CMakeCache.txt" 2>/dev/null; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPALISADE_SANITIZE="$sanitize" >/dev/null
fi
cmake --build "$build_dir" -- -j"$(nproc)" | grep -v '^ninja: no work to do' || true
test "${PIPESTATUS[0]}" -eq 0
