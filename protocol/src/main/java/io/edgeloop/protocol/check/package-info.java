/**
 * Validation with one message shape for the whole project, {@code <name> is <value>, allowed <what is>}, so that a
 * bad option, config key or file reads the same in the trainer, the agent and the protocol
 * ({@link io.edgeloop.protocol.check.Checks}).
 */
package io.edgeloop.protocol.check;
