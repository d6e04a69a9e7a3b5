/**
 * The trainer's application layer: what a program embeds to fine-tune, evaluate, collect, label, sign and deploy
 * without the command line. Each service takes an immutable request validated on construction (messages name the
 * {@code trainer} option a user would have typed) and returns a typed result: {@link
 * io.edgeloop.trainer.job.FineTuneJob} (base → new head → dataset → training → report → verified model package),
 * {@link io.edgeloop.trainer.job.EvaluateJob} (ONNX Runtime, as on the device), {@link
 * io.edgeloop.trainer.job.CollectJob}, {@link io.edgeloop.trainer.job.LabelJob}, {@link
 * io.edgeloop.trainer.job.KeysJob}, {@link io.edgeloop.trainer.job.DeployJob} and {@link
 * io.edgeloop.trainer.job.FleetReportJob} (drift telemetry against the training distribution). Nothing here knows
 * picocli; {@code io.edgeloop.trainer.cli} adapts these services to commands and {@code io.edgeloop.trainer.demo}
 * composes them into the closed loop.
 */
package io.edgeloop.trainer.job;
