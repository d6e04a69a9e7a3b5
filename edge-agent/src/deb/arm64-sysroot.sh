#!/usr/bin/env bash
# Prepares an arm64 sysroot on this (x86_64) machine without changing the system's architecture: Debian's arm64
# packages are fetched as files with apt-get download against a separate arm64 package list, cached in
# $EDGELOOP_ARM64_CACHE (default ~/.cache/edgeloop/arm64, outside target/ so rebuilds work offline), and unpacked
# with dpkg -x into $CACHE/sysroot. The arm64 JDK's jmods feed jlink (the aarch64 runtime of the .deb); the C/C++
# libraries let qemu-aarch64-static -L $CACHE/sysroot run that runtime (the QEMU test).
# Prints the sysroot's path on stdout. Usage: arm64-sysroot.sh
set -euo pipefail

cache="${EDGELOOP_ARM64_CACHE:-$HOME/.cache/edgeloop/arm64}"
# the JDK (jmods; Debian 12 ships them in -jdk-headless) and what the JVM, ImageIO's JPEG decoder and ONNX Runtime
# link against
packages=(openjdk-17-jdk-headless libc6 libgcc-s1 libstdc++6 zlib1g libjpeg62-turbo liblcms2-2)
sysroot="$cache/sysroot"
debs="$cache/debs"
marker="$sysroot/.edgeloop-packages"

have_all() {
  for p in "${packages[@]}"; do
    compgen -G "$debs/${p}_*_arm64.deb" >/dev/null || return 1
  done
}

if [ -f "$marker" ] && [ "$(cat "$marker")" = "${packages[*]}" ]; then
  echo "$sysroot"
  exit 0
fi

mkdir -p "$debs" "$cache/lists/partial" "$cache/apt/archives/partial"
if ! have_all; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "arm64-sysroot: apt-get not found; the aarch64 runtime and .deb need Debian's arm64 packages" \
         "(${packages[*]}) in $debs. Copy them there, or build with -Dedgeloop.skipArm64=true" >&2
    exit 1
  fi
  apt_opts=(-q -oAPT::Sandbox::User=root -oAPT::Architecture=arm64 -oAPT::Architectures=arm64
            "-oDir::State::Lists=$cache/lists" "-oDir::Cache=$cache/apt" -oDir::State::Status=/dev/null)
  if [ "$(id -u)" != 0 ]; then
    apt_opts+=(-oDebug::NoLocking=1)
  fi
  echo "arm64-sysroot: fetching the arm64 package list and ${packages[*]} into $cache" >&2
  if ! apt-get "${apt_opts[@]}" update >&2 \
      || ! (cd "$debs" && apt-get "${apt_opts[@]}" download "${packages[@]}" >&2); then
    echo "arm64-sysroot: could not fetch Debian's arm64 packages (${packages[*]}) into $debs (no network to the" \
         "Debian archive?). Fetch them once with network, copy them there, or build with" \
         "-Dedgeloop.skipArm64=true to skip the aarch64 runtime and .deb" >&2
    exit 1
  fi
fi

rm -rf "$sysroot"
mkdir -p "$sysroot"
for p in "${packages[@]}"; do
  # newest cached version of each package
  deb=$(ls -1 "$debs/${p}"_*_arm64.deb | sort -V | tail -n 1)
  dpkg -x "$deb" "$sysroot"
done
# Absolute symlinks (the JRE's lib/security/*, /etc/java-17-openjdk/...) would point into this machine's root:
# make each one relative inside the sysroot.
find "$sysroot" -type l -lname '/*' -print0 | while IFS= read -r -d '' link; do
  target=$(readlink "$link")
  ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$sysroot$target")" "$link"
done
echo "${packages[*]}" > "$marker"
echo "$sysroot"
