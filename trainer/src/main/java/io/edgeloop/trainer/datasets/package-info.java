/**
 * Datasets edgeloop brings along because nothing may be downloaded at run time: an IDX reader, Fashion-MNIST
 * (from Debian's {@code dataset-fashion-mnist} or any directory with the four IDX files), its split into a source
 * task (the six clothing classes, for pretraining a base model) and a target task (the four held-out classes, for
 * fine-tuning), and the export of either to an ImageFolder tree of PNG files.
 */
package io.edgeloop.trainer.datasets;
