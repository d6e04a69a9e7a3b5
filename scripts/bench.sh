#!/bin/sh
# One command, one table (docs/benchmarks.md, "One table"): every figure a ratio measured in the same run.
#   scripts/bench.sh [--model MODEL.onnx] [--int8 INT8.onnx] [--seconds S] [--no-trainer] [--help]
# MODEL defaults to /tmp/edgeloop-bench/mobilenet_v2.onnx (exported first when missing), S (agent run) to 60.
# Rows: the agent jar vs raw ONNX Runtime (scripts/bench-agent-rss.sh, the systemd unit's JVM options), its RSS;
# first event after start, the unit's options now vs before (FirstEventBenchmark); agent vs DJL's Predictor on
# the OnnxRuntime engine (DjlPredictorBenchmark); int8 vs fp32 package (edge-agent bench, when --int8 is
# given); trainer vs PyTorch eager, head and full (scripts/bench-trainer.sh).
# Takes 10-20 minutes on an idle 2-core machine; the raw logs stay in the folder printed at the end.
set -eu
cd "$(dirname "$0")/.."
model=/tmp/edgeloop-bench/mobilenet_v2.onnx
int8=
seconds=60
trainer=yes
while [ $# -gt 0 ]; do
    case $1 in
        --model) model=$2; shift 2 ;;
        --int8) int8=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --no-trainer) trainer=no; shift ;;
        -h|--help) sed -n '2,9p' "$0" | cut -c3- | fmt -w 80; exit 0 ;;
        *) echo "bench.sh: unknown option '$1', allowed --model, --int8, --seconds, --no-trainer, --help" >&2
           exit 2 ;;
    esac
done
case $seconds in ''|*[!0-9]*) echo "bench.sh: --seconds is '$seconds', allowed a whole number >= 20" >&2; exit 2 ;; esac
[ "$seconds" -ge 20 ] || { echo "bench.sh: --seconds is $seconds, allowed >= 20" >&2; exit 2; }
if [ -n "$int8" ] && [ ! -f "$int8" ]; then
    echo "bench.sh: --int8 is '$int8': no such file, allowed an int8 model package (trainer quantize)" >&2; exit 2
fi
[ -f "$model" ] || /usr/bin/python3 edge-agent/src/test/python/export_mobilenet_v2.py "$model" >/dev/null
logs=$(mktemp -d /tmp/edgeloop-bench-XXXXXX)
started=$(date -u '+%Y-%m-%d %H:%M UTC')
./mvnw -B -q -pl edge-agent -am package -DskipTests > "$logs/package.log" 2>&1

# the unit's steady-state options (its CDS archive changes start-up only: measured in the next row)
unit_jvm="-XX:+UseSerialGC -Xms16m -Xmx96m -Xmn8m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30"
unit_jvm="$unit_jvm -XX:-ShrinkHeapInSteps -XX:TrimNativeHeapInterval=5000 -XX:ReservedCodeCacheSize=32m"
unit_jvm="$unit_jvm -XX:MaxMetaspaceSize=64m -Xss512k"
unit_jvm="$unit_jvm -Dedgeloop.ortNativeDir=$logs/native"
echo "agent jar vs raw ORT, $seconds s ..." >&2
# shellcheck disable=SC2086 # a list of options
MALLOC_ARENA_MAX=2 scripts/bench-agent-rss.sh "$model" "$seconds" $unit_jvm > "$logs/agent.txt" 2>&1
raw=$(awk '/^raw ORT/ {s += $5; n++} END {if (n) printf "%.1f", s / n}' "$logs/agent.txt")
fps=$(grep -o 'cam0 [0-9.]* fps' "$logs/agent.txt" | tail -n 2 | awk '{s += $2; n++} END {if (n) printf "%.1f", s / n}')
rss=$(awk '/RSS/ {if ($3 > m) m = $3} END {print m}' "$logs/agent.txt")
agent_ratio=$(awk -v a="$fps" -v r="$raw" 'BEGIN {if (r > 0) printf "%.2f", a / r; else print "-"}')

echo "first event after start ..." >&2
./mvnw -B -pl edge-agent -am test -Dtest=FirstEventBenchmark -DexcludedTestGroups=none \
    -Dsurefire.failIfNoSpecifiedTests=false -Dbench.model="$model" -Dbench.runs=3 > "$logs/first.txt" 2>&1
first_now=$(sed -n 's/^first event after start, now: median \([0-9.]*\) s.*/\1/p' "$logs/first.txt")
first_before=$(sed -n 's/^first event after start, before: median \([0-9.]*\) s.*/\1/p' "$logs/first.txt")
first_ratio=$(sed -n 's/^now \/ before: //p' "$logs/first.txt")

echo "agent vs DJL Predictor ..." >&2
./mvnw -B -pl edge-agent -am test -Dtest=DjlPredictorBenchmark -DexcludedTestGroups=none \
    -Dsurefire.failIfNoSpecifiedTests=false -Dbench.model="$model" -Dbench.rounds=3 > "$logs/djl.txt" 2>&1
djl_row=$(sed -n 's/^agent \/ DJL Predictor: \([0-9.]*\) (median of the rounds. ratios; medians \([0-9.]*\) vs \([0-9.]*\) .*/\1 (\2 vs \3 frames\/s)/p' \
    "$logs/djl.txt")

if [ -n "$int8" ]; then
    echo "int8 vs fp32 ..." >&2
    java -XX:+UseSerialGC -jar edge-agent/target/edge-agent.jar bench --model "$model" --int8 "$int8" --threads 1 \
        --frames 300 > "$logs/int8.txt" 2>&1
    int8_row=$(sed -n 's/^int8 vs fp32: \([0-9.]*\)x frames.*agreement \([0-9.]*\) %.*/\1× speed, top-1 agreement \2 %/p' \
        "$logs/int8.txt")
else
    int8_row="not run: no --int8 package given (make one with trainer quantize)"
fi

if [ "$trainer" = yes ]; then
    echo "trainer vs PyTorch eager ..." >&2
    scripts/bench-trainer.sh --rounds 3 --strategies head,full > "$logs/trainer.txt" 2>&1 || true
    head_ratio=$(awk -F'|' '$2 ~ /^ head $/ {gsub(/ /, "", $5); print $5; exit}' "$logs/trainer.txt")
    full_ratio=$(awk -F'|' '$2 ~ /^ full $/ {gsub(/ /, "", $5); print $5; exit}' "$logs/trainer.txt")
else
    head_ratio="not run (--no-trainer)"
    full_ratio="not run (--no-trainer)"
fi

load=$(cut -d' ' -f1-3 /proc/loadavg)
printf '\n%s, %s cores, load average at the end %s\n\n' "$started" "$(nproc)" "$load"
printf '| what | figure | target |\n|---|---|---|\n'
printf '| agent jar / raw ORT, 1 camera, 1 thread | %s (%s frames/s vs %s runs/s) | >= 0.95 |\n' \
    "$agent_ratio" "$fps" "$raw"
printf '| agent / DJL Predictor (ImageClassificationTranslator) | %s | >= 2 |\n' "${djl_row:-failed: see $logs/djl.txt}"
printf '| int8 / fp32 (edge-agent bench, decode included) | %s | >= 1.5, <= 1 point |\n' "$int8_row"
printf '| trainer / PyTorch eager, head | %s | |\n' "${head_ratio:-failed: see $logs/trainer.txt}"
printf '| trainer / PyTorch eager, full | %s | >= 1.0 |\n' "${full_ratio:-failed: see $logs/trainer.txt}"
printf '| agent RSS (unit options) | %s MB max over %s s | <= 150 MB |\n' "$rss" "$seconds"
printf '| first event after start, unit now / before | %s (%s s vs %s s, medians of 3) | <= 0.6 s |\n' \
    "${first_ratio:--}" "${first_now:--}" "${first_before:--}"
printf '\nlogs: %s\n' "$logs"
