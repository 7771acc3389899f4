#!/usr/bin/env bash
# Installs what Palisade's build, tests, demo and benchmarks need (Debian 12 packages only),
# then configures and builds into build/ (binaries in build/bin/).
# Idempotent: when every package is present and nothing changed, it takes seconds.
#
#   scripts/setup.sh     install what is missing, then build
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

# One list, so demo, tests and benchmarks never depend on something installed by hand.
packages=(
  # toolchain
  g++ clang-14 libclang-rt-14-dev cmake ninja-build pkg-config
  # libraries the product links
  dpdk dpdk-dev libdpdk-dev libboost-dev libconfig++-dev prometheus-cpp-dev libedit-dev libcrypt-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev libosip2-dev python3
  # lab and protocol peers
  sip-tester tshark iproute2 iputils-ping ethtool procps nftables kamailio baresip prometheus sipvicious
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

# The product build: g++, optimized with debug info, binaries in build/bin/.
if [ ! -f build/build.ninja ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build build
