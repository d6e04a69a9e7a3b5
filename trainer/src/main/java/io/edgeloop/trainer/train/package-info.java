/**
 * The fine-tuning loop: validated {@link io.edgeloop.trainer.train.FitConfig}, the strategy choice, per-group
 * optimisers (AdamW / SGD) with warmup + cosine or step schedules, label-smoothed class-weighted cross-entropy,
 * the frozen-backbone feature cache, checkpoints and resume, early stopping with best-weights restore, metrics
 * log and evaluation, and data-parallel steps over several devices ({@link io.edgeloop.trainer.train.TrainingDevices},
 * {@link io.edgeloop.trainer.train.ShardPlan}).
 */
package io.edgeloop.trainer.train;
