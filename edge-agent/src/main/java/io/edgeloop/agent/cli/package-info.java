/**
 * The agent's command line (picocli): {@code run}, {@code check} and {@code help}, each answering {@code --help};
 * exit codes and error lines for every command come from {@link io.edgeloop.agent.cli.ExitCodes}.
 */
package io.edgeloop.agent.cli;
