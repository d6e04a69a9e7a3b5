/**
 * The quality gate a candidate model passes before it reaches devices: the test set it is judged on
 * ({@link io.edgeloop.trainer.gate.GateSet}: a held-out ImageFolder plus the labelled hard examples neither model was
 * trained on) and the rule that refuses it ({@link io.edgeloop.trainer.gate.GateRule}: significantly worse than the
 * version the devices run, or more than a set number of points below it). The figures come from
 * {@link io.edgeloop.trainer.compare}; which version the devices run from their retained status.
 */
package io.edgeloop.trainer.gate;
