#!/bin/sh
# A clustered broker (see docs/reliability.md, "Scale"): fetches Apache ActiveMQ Artemis (the bin tar.gz from Maven
# Central, through Maven), makes two clustered nodes on this machine and runs ClusterFaultsTest: simulated devices
# on node A, a shared-subscription collector and a dashboard subscriber on node B, node A killed with SIGKILL and
# restarted; prints the counts.
#   scripts/artemis-cluster.sh [DEVICES]      (default 20; Artemis version from ARTEMIS_VERSION, default 2.40.0)
set -eu
case "${1:-}" in
    -h|--help) sed -n '2,/^set /p' "$0" | sed '$d' | cut -c3- | fmt -w 80; exit 0 ;;
esac
cd "$(dirname "$0")/.."
devices=${1:-20}
case $devices in
    ''|*[!0-9]*|0) echo "DEVICES is '$devices', allowed a whole number >= 1" >&2; exit 2 ;;
esac
version=${ARTEMIS_VERSION:-2.40.0}
cache=${ARTEMIS_CACHE:-${TMPDIR:-/tmp}/edgeloop-artemis}
home="$cache/apache-artemis-$version"
if [ ! -x "$home/bin/artemis" ]; then
    mkdir -p "$cache"
    ./mvnw -B -q -N dependency:copy -Dartifact="org.apache.activemq:apache-artemis:$version:tar.gz:bin" \
        -DoutputDirectory="$cache"
    tar xzf "$cache/apache-artemis-$version-bin.tar.gz" -C "$cache"
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
./mvnw -B -q -pl edge-agent -am test -Dtest=ClusterFaultsTest -DexcludedTestGroups=none \
    -Dsurefire.failIfNoSpecifiedTests=false -Dcheckstyle.skip -Dartemis.home="$home" -Dcluster.devices="$devices" \
    >"$log" 2>&1 || status=$?
grep -E '^(cluster|fault)' "$log" || true
if [ "$status" -ne 0 ]; then
    grep -E 'Tests run:|FAIL|expected' "$log" | head -20 >&2
    echo "cluster run failed (exit $status)" >&2
fi
exit "$status"
