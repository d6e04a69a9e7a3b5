/**
 * Honest warnings about a run: what makes its result hard to trust, measured rather than guessed, each with a
 * machine-readable code, the numbers behind it and what to do. A randomly initialised base ({@link BaseWeights}),
 * a base that saw other images than the data's ({@link DomainCheck}: grey versus colour, input side versus image
 * size) and a validation set too small for its accuracy to mean much ({@link AccuracyInterval},
 * {@link ValidationCheck}). Warnings never stop a run; they go to the terminal, the report and {@code metrics.json}.
 */
package io.edgeloop.trainer.warning;
