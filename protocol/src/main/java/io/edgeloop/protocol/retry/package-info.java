/**
 * Retrying what fails (broker connections, cameras): exponential backoff with jitter, for the agent and the trainer.
 */
package io.edgeloop.protocol.retry;
