/**
 * Training-speed benchmark of the trainer against PyTorch eager in Python on the same architecture, weights, batch
 * and optimiser. Not a unit test: run {@link io.edgeloop.trainer.bench.TrainingBenchmark} (see
 * {@code scripts/bench-trainer.sh} and {@code docs/benchmarks.md}).
 */
package io.edgeloop.trainer.bench;
