/**
 * Comparing two models on the same labelled images: paired outcomes, McNemar's exact test and the verdict a
 * quality gate or a person acts on. Engine-free: it reads per-image outcomes, whoever computed them.
 */
package io.edgeloop.trainer.compare;
