/**
 * One round of the closed loop, unattended ({@code trainer retrain --config loop.yaml}): the round's configuration
 * ({@link io.edgeloop.trainer.loop.LoopConfig}, read strictly from YAML), which labelled hard examples a round trains
 * on, keeps for the gate or leaves out and why ({@link io.edgeloop.trainer.loop.LabelledExamples}), the training tree
 * it builds from them ({@link io.edgeloop.trainer.loop.TrainingTree}) and the lock that keeps two rounds from
 * overlapping ({@link io.edgeloop.trainer.loop.RoundLock}). The job that runs a round is
 * {@code io.edgeloop.trainer.job.RetrainJob}.
 */
package io.edgeloop.trainer.loop;
