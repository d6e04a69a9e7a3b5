#!/usr/bin/env bash
# Builds the agent's minimal Java runtime with jlink: only the modules in $MODULES (jdeps on the agent jar, plus
# the service-loaded ones jdeps cannot see), no man pages, headers or Java debug attributes.
# Usage: runtime.sh x86_64|aarch64 BUILD_JAVA_HOME OUT_DIR MODULES
# x86_64 links the build JDK's own jmods; aarch64 links Debian's arm64 jmods (arm64-sysroot.sh) with the same
# jlink: jlink can link a runtime for another platform when its feature release (17) matches.
set -euo pipefail
arch=$1 java_home=$2 out=$3 modules=$4
here=$(cd "$(dirname "$0")" && pwd)

# jlink must be a Java 17 jlink (the runtime is Java 17): the build JDK, else Debian's OpenJDK 17.
jdk=""
for candidate in "$java_home" /usr/lib/jvm/java-17-openjdk-amd64; do
  if [ -x "$candidate/bin/jlink" ] && grep -q '^JAVA_VERSION="17[."]' "$candidate/release" 2>/dev/null; then
    jdk=$candidate
    break
  fi
done
if [ -z "$jdk" ]; then
  echo "runtime.sh: no Java 17 JDK with jlink (tried $java_home and /usr/lib/jvm/java-17-openjdk-amd64);" \
       "install openjdk-17-jdk-headless" >&2
  exit 1
fi

case "$arch" in
  x86_64)
    jmods="$jdk/jmods"
    hint="install openjdk-17-jdk-headless (Debian 12) or openjdk-17-jmods (newer Debian)"
    ;;
  aarch64)
    sysroot=$("$here/arm64-sysroot.sh")
    jmods="$sysroot/usr/lib/jvm/java-17-openjdk-arm64/jmods"
    hint="the arm64 openjdk-17-jdk-headless package in ${EDGELOOP_ARM64_CACHE:-$HOME/.cache/edgeloop/arm64} has none"
    ;;
  *)
    echo "runtime.sh: unknown architecture '$arch' (allowed: x86_64, aarch64)" >&2
    exit 2
    ;;
esac
if [ ! -f "$jmods/java.base.jmod" ]; then
  echo "runtime.sh: no jmods in $jmods: $hint" >&2
  exit 1
fi

# up to date: same modules and the jmods are not newer than the image
if [ -f "$out/release" ] && [ "$(cat "$out/.edgeloop-modules" 2>/dev/null)" = "$modules" ] \
    && [ -z "$(find "$jmods/java.base.jmod" -newer "$out/release")" ]; then
  exit 0
fi
rm -rf "$out"
mkdir -p "$(dirname "$out")"
# --strip-java-debug-attributes, not --strip-debug: the latter also runs this machine's objcopy over the natives,
# which cannot read aarch64 ones; Debian's natives carry no debug sections anyway (they are in -dbg packages).
"$jdk/bin/jlink" --module-path "$jmods" --add-modules "$modules" --strip-java-debug-attributes \
  --no-man-pages --no-header-files --compress=2 --output "$out"
echo "$modules" > "$out/.edgeloop-modules"
echo "runtime.sh: $arch runtime in $out ($(du -sh "$out" | cut -f1))" >&2
