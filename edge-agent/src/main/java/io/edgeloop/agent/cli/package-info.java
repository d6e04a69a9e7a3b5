/** The agent's command line: {@code run} and {@code check} (picocli), with exit codes 0 ok, 1 failure, 2 usage. */
package io.edgeloop.agent.cli;
