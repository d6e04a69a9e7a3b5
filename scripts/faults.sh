#!/bin/sh
# The fault campaign (see docs/reliability.md, "Faults"):
#   scripts/faults.sh [ROUNDS]
# Runs the agent's fault suites against a real mosquitto and prints, per scenario, the counts by (device, camera,
# kind): published (accepted by the agent), delivered, lost, duplicated, unexpected. ROUNDS (default 10) repeats
# each fault sequence of the in-process suite (line faults through a fault-injecting proxy, broker SIGKILL); the
# spool-cap, agent-SIGKILL, disk-full and collector-SIGKILL scenarios run once. The default test run plays every fault once.
# The disk-full scenario mounts a 384 KiB tmpfs and needs root; it is skipped otherwise.
set -eu
case "${1:-}" in
    -h|--help) sed -n '2,/^set /p' "$0" | sed '$d' | cut -c3- | fmt -w 80; exit 0 ;;
esac
cd "$(dirname "$0")/.."
rounds=${1:-10}
case $rounds in
    ''|*[!0-9]*) echo "ROUNDS is '$rounds', allowed a whole number >= 1" >&2; exit 2 ;;
esac
[ "$rounds" -ge 1 ] || { echo "ROUNDS is $rounds, allowed a whole number >= 1" >&2; exit 2; }
command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] \
    || { echo "mosquitto is not installed (apt-get install mosquitto)" >&2; exit 2; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
./mvnw -B -q -pl edge-agent -am test -Dtest='FaultCampaignTest,ProcessFaultsTest' \
    -Dsurefire.failIfNoSpecifiedTests=false -Dfaults.rounds="$rounds" -Dcheckstyle.skip \
    -DexcludedTestGroups=gpu,benchmark >"$log" 2>&1 || status=$?
# the collector killed with SIGKILL twice while hard examples stream in (trainer collect as its own JVM)
./mvnw -B -q -pl trainer -am test -Dtest='CollectorKillTest' \
    -Dsurefire.failIfNoSpecifiedTests=false -Dcheckstyle.skip >>"$log" 2>&1 || status=$?
grep -E '^fault ' "$log" || true
if [ "$status" -ne 0 ]; then
    grep -E 'Tests run:|FAIL|expected' "$log" | head -20 >&2
    echo "fault campaign failed (exit $status)" >&2
fi
exit "$status"
