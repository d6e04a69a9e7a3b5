package io.edgeloop.trainer.collect;

import java.util.concurrent.Callable;

/**
 * Marks the top-level closed-loop commands ({@code collect}, {@code label}, {@code keys}, {@code deploy},
 * {@code serve-models}), so {@link CommandLines} can name them the same way stand-alone and registered under the
 * trainer's main command.
 */
public interface ClosedLoopCommand extends Callable<Integer> {
}
