#!/bin/sh
# The long fuzz campaign (see docs/reliability.md, "Fuzzing"): the same seeded JUnit campaigns as the default test
# run, with more cases per parser, then their counts. Run from anywhere:
#   scripts/fuzz.sh [CASES]     (default 10000 cases per parser; a few minutes per parser on 2 cores)
# Parsers: images (JPEG/PNG/BMP decode + preprocess), deploy-payloads, agent-config, onnx-import, collector,
# loop-config. Each prints: cases, accepted, rejected by type, failures; failing inputs land in
# <module>/target/fuzz/<parser>-failure-<case>.bin. Exit status 1 when any parser had a failure.
set -eu
cd "$(dirname "$0")/.."
case "${1:-}" in
    -h|--help)
        sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' | fmt -w 80
        exit 0 ;;
esac
cases="${1:-10000}"
case "$cases" in
    ''|*[!0-9]*) echo "scripts/fuzz.sh: CASES is '$cases', allowed a positive whole number (default 10000)" >&2
                 exit 2 ;;
esac
rm -rf protocol/target/fuzz edge-agent/target/fuzz trainer/target/fuzz
status=0
mkdir -p target
./mvnw -B -q -pl protocol,edge-agent,trainer -am test -Dfuzz.cases="$cases" -Dtest.timeout='6 h' \
    -Dtest.fork.timeout=0 -Dtest='ProtocolFuzzTest,AgentConfigFuzzTest,TrainerFuzzTest' \
    -Dsurefire.failIfNoSpecifiedTests=false > target/fuzz.log 2>&1 || status=1
echo "fuzz campaign, $cases cases per parser (log: target/fuzz.log):"
for f in protocol/target/fuzz/*.txt edge-agent/target/fuzz/*.txt trainer/target/fuzz/*.txt; do
    [ -f "$f" ] && head -1 "$f"
done
grep -h '^  case' protocol/target/fuzz/*.txt edge-agent/target/fuzz/*.txt trainer/target/fuzz/*.txt 2>/dev/null \
    | head -20 || true
exit "$status"
