#!/bin/sh
# Memory and throughput of the shaded agent jar as a device runs it (see docs/benchmarks.md, "The agent jar alone"):
#   scripts/bench-agent-rss.sh [MODEL.onnx] [SECONDS] [JVM options…]
# MODEL defaults to /tmp/edgeloop-bench/mobilenet_v2.onnx (made by edge-agent/src/test/python/export_mobilenet_v2.py),
# SECONDS to 60, JVM options to the systemd unit's steady-state ones (-XX:+UseSerialGC -Xms16m -Xmx96m -Xmn8m
# -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:-ShrinkHeapInSteps -XX:TrimNativeHeapInterval=5000
# -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=64m -Xss512k, ONNX Runtime's libraries extracted once into
# the work folder) and then the unit's MALLOC_ARENA_MAX=2 unless the environment sets it (before 2026-12-08: no
# arena limit, no trimming, no -Xmn or heap free ratios; before 2026-12-07: -XX:+UseSerialGC -Xms64m -Xmx384m).
# One replay camera sends the 640x480 benchmark JPEGs (written by PipelineBenchmark's generator) as fast as the
# pipeline takes them, every frame an event into a local mosquitto. Prints the RSS every 5 s (from /proc) and the
# agent's own frames/s, with raw ONNX Runtime on a pre-made tensor (same model, one thread, same JVM options and
# environment) measured before and after as the baseline, with its own RSS.
# At the end: the median of the samples from 20 s on ("steady"), and where the memory is (RSS_DETAIL=1, default):
# /proc/PID/smaps summed by mapping (anonymous, Java heap, each library), the threads, and the JVM's own account
# when the options include -XX:NativeMemoryTracking=summary (jcmd VM.native_memory). The environment reaches the
# agent, so glibc settings are compared with e.g. MALLOC_ARENA_MAX=2 scripts/bench-agent-rss.sh M 60.
set -eu
case "${1:-}" in
    -h|--help) sed -n '2,/^set /p' "$0" | sed '$d' | cut -c3- | fmt -w 80; exit 0 ;;
esac
cd "$(dirname "$0")/.."
model=${1:-/tmp/edgeloop-bench/mobilenet_v2.onnx}
seconds=${2:-60}
[ $# -gt 2 ] && shift 2 || set --
jvm=${*:-}
[ -f "$model" ] || { echo "model $model not found: run edge-agent/src/test/python/export_mobilenet_v2.py" >&2; exit 2; }
[ -f edge-agent/target/edge-agent.jar ] || ./mvnw -B -q -pl edge-agent -am package -DskipTests
command -v mosquitto >/dev/null || { echo "mosquitto is not installed (apt-get install mosquitto)" >&2; exit 2; }

work=$(mktemp -d)
trap 'kill $agent $broker 2>/dev/null || true; rm -rf "$work"' EXIT
if [ -z "$jvm" ]; then
    jvm="-XX:+UseSerialGC -Xms16m -Xmx96m -Xmn8m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 \
-XX:-ShrinkHeapInSteps -XX:TrimNativeHeapInterval=5000 -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=64m -Xss512k \
-Dedgeloop.ortNativeDir=$work/native"
    export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
fi
cp_file="$work/cp"
./mvnw -B -q -pl edge-agent -am test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" \
    -Dmdep.includeScope=test
bench() {
    # shellcheck disable=SC2086 # jvm is a list of options: raw ORT runs with the agent's, for a like-for-like RSS
    java $jvm -Dai.djl.offline=true \
        -cp "edge-agent/target/test-classes:edge-agent/target/classes:protocol/target/classes:$(cat "$cp_file")" \
        io.edgeloop.agent.bench.BenchFrames "$@"
}
bench frames "$work/frames" 60
bench raw "$model" "$work/frames" 1 1000

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$port" > "$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" > "$work/mosquitto.log" 2>&1 &
broker=$!
labels=$(python3 -c 'print("[" + ", ".join("c%d" % i for i in range(1000)) + "]")')
cat > "$work/agent.yaml" <<YAML
deviceId: rss-bench
stateDir: $work/state
model:
  path: $model
  labels: $labels
inference:
  intraOpThreads: 1
cameras:
  - id: cam0
    source: {type: replay, path: $work/frames, fps: 0, loop: true}
mqtt:
  broker: tcp://127.0.0.1:$port
metrics:
  intervalSeconds: 10
YAML
sleep 1
# shellcheck disable=SC2086 # jvm is a list of options
java $jvm -Dai.djl.offline=true -jar edge-agent/target/edge-agent.jar run --config "$work/agent.yaml" \
    > "$work/agent.log" 2>&1 &
agent=$!
echo "JVM options: $jvm; model $model; $seconds s"
elapsed=0
samples=
while [ "$elapsed" -lt "$seconds" ]; do
    sleep 5
    elapsed=$((elapsed + 5))
    rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$agent/status")
    echo "t=${elapsed}s RSS ${rss} MB"
    [ "$elapsed" -lt 20 ] || samples="$samples $rss"
done
grep -o 'metrics: .*' "$work/agent.log" | tail -n 4
echo "$samples" | tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{v[NR] = $1} END {if (NR) printf \
    "steady rss from 20 s: median %d MB, min %d, max %d (%d samples); env MALLOC_ARENA_MAX=%s\n", \
    v[int((NR + 1) / 2)], v[1], v[NR], NR, ENVIRON["MALLOC_ARENA_MAX"]}'
if [ "${RSS_DETAIL:-1}" = 1 ]; then
    echo "threads: $(ls "/proc/$agent/task" | wc -l)"
    # mappings by name (anonymous ones by kind), Rss in MB, largest first
    awk '/^[0-9a-f]+-[0-9a-f]+ / {name = (NF >= 6) ? $6 : "[anon]"; if (name ~ /\.jsa$/) name = "CDS archive"}
         /^Rss:/ {rss[name] += $2}
         END {for (n in rss) if (rss[n] >= 1024) printf "  smaps %7.1f MB  %s\n", rss[n] / 1024, n}' \
        "/proc/$agent/smaps" | sort -k2 -n -r | head -n 12
    case $jvm in *NativeMemoryTracking*)
        jcmd "$agent" VM.native_memory summary scale=MB | grep -E 'Total|^-|committed=' | sed 's/^/  nmt /' ;;
    esac
fi
kill "$agent"
wait "$agent" 2>/dev/null || true
bench raw "$model" "$work/frames" 1 1000
