#!/usr/bin/env bash
# Stages one Debian package's contents for jdeb (edge-agent/pom.xml): the agent jar of that architecture, its
# jlink runtime (runtime.sh), the bundled base model, the board profiles and README as one tarball (jdeb keeps
# its file modes), the packaged systemd unit (devices/systemd/edgeloop-agent.service running the bundled runtime
# instead of /usr/bin/java) and the control directory (src/deb/control with the architecture filled in).
# Usage: stage.sh amd64|arm64 BUILD_JAVA_HOME MODULES   (run from edge-agent/)
set -euo pipefail
debarch=$1 java_home=$2 modules=$3
case "$debarch" in
  amd64) arch=x86_64 ;;
  arm64) arch=aarch64 ;;
  *) echo "stage.sh: unknown Debian architecture '$debarch' (allowed: amd64, arm64)" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
target="$repo/edge-agent/target"
runtime="$target/runtime-linux-$arch"
out="$target/deb/$debarch"
jar="$target/edge-agent-linux-$arch.jar"
[ -f "$jar" ] || { echo "stage.sh: $jar not built (the shade execution linux-$arch runs first)" >&2; exit 1; }

"$here/runtime.sh" "$arch" "$java_home" "$runtime" "$modules"

rm -rf "$out"
mkdir -p "$out/control" "$out/opt/edgeloop/models/base"
cp -a "$runtime" "$out/opt/edgeloop/runtime"
rm -f "$out/opt/edgeloop/runtime/.edgeloop-modules"
install -m 0644 "$jar" "$out/opt/edgeloop/edge-agent.jar"
install -m 0644 "$repo/models/base/model.onnx" "$out/opt/edgeloop/models/base/model.onnx"
install -m 0644 "$repo/devices/README.md" "$out/opt/edgeloop/README.md"
install -d "$out/opt/edgeloop/profiles"
install -m 0644 "$repo"/devices/profiles/*.yaml "$out/opt/edgeloop/profiles/"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$out" -cf "$out/opt.tar" opt
rm -rf "$out/opt"

# the unit as devices/ defines it, with the bundled runtime's java
# (every java: ExecStart and the ExecStartPre that makes the class-data-sharing archive, which must come from the
# same runtime that uses it)
sed 's#/usr/bin/java #/opt/edgeloop/runtime/bin/java #g' \
  "$repo/devices/systemd/edgeloop-agent.service" > "$out/edgeloop-agent.service"
grep -q '^ExecStart=/opt/edgeloop/runtime/bin/java ' "$out/edgeloop-agent.service" \
  || { echo "stage.sh: devices/systemd/edgeloop-agent.service has no 'ExecStart=/usr/bin/java ' line" >&2; exit 1; }
if grep -q '/usr/bin/java' "$out/edgeloop-agent.service"; then
  echo "stage.sh: the unit still names /usr/bin/java after the rewrite" >&2; exit 1
fi

for f in "$here"/control/*; do
  sed "s/@ARCH@/$debarch/g" "$f" > "$out/control/$(basename "$f")"
done
chmod 0755 "$out/control/postinst" "$out/control/prerm" "$out/control/postrm"
