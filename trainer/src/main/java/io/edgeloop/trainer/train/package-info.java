/**
 * Fine-tuning: validated {@link io.edgeloop.trainer.train.FitConfig}, the strategy choice, per-group optimisers
 * (AdamW / SGD) with warmup + cosine or step schedules, label-smoothed class-weighted cross-entropy, the
 * frozen-backbone feature cache, evaluation, and data-parallel steps over several devices
 * ({@link io.edgeloop.trainer.train.TrainingDevices}, {@link io.edgeloop.trainer.train.ShardPlan}).
 *
 * <p>{@link io.edgeloop.trainer.train.FineTuner} sets a run up and hands it to a small training loop; what a run does
 * besides training is a {@link io.edgeloop.trainer.train.TrainingListener} (as DJL's training listeners): best-weights
 * keep and restore, early stopping, the checkpoint after every epoch and resume, the metrics log, progress. Further
 * listeners are added with {@link io.edgeloop.trainer.train.FineTuner#builder}.
 */
package io.edgeloop.trainer.train;
