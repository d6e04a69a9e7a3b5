#!/bin/sh
# Trainer training-speed benchmark vs PyTorch eager (see docs/benchmarks.md). Run from anywhere:
#   scripts/bench-trainer.sh [--threads N] [--rounds R] [--steps S] [--warmup W] [--strategies head,head-cached,full]
# Compiles the trainer's test classes (no install), then runs io.edgeloop.trainer.bench.TrainingBenchmark offline.
set -eu
cd "$(dirname "$0")/.."
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
./mvnw -B -q -pl trainer -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test
exec java -Dai.djl.offline=true ${BENCH_JAVA_OPTS:-} \
    -cp "trainer/target/test-classes:trainer/target/classes:$(cat "$cp_file")" \
    io.edgeloop.trainer.bench.TrainingBenchmark "$@"
