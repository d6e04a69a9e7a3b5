/** Retrying what fails at the edge (broker connections, cameras): exponential backoff with jitter. */
package io.edgeloop.agent.retry;
