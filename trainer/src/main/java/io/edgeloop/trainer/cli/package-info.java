/**
 * The {@code trainer} command line (picocli): {@code fit}, {@code evaluate}, {@code inspect} plus the {@code init}
 * and {@code datasets} commands of other packages. Exit codes: 0 success, 2 bad usage or bad input (one line on
 * stderr), 1 failure.
 */
package io.edgeloop.trainer.cli;
