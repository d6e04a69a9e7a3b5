/**
 * The transfer-learning experiment: fine-tunes the base model on the target task with few to many labelled images
 * per class and each strategy (head, partial, full, scratch), over several seeds, measures test accuracy, wall time
 * and the epoch of the best checkpoint, and writes the raw results, a summary table and a plot.
 */
package io.edgeloop.trainer.experiment;
