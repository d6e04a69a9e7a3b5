package io.edgeloop.trainer.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/**
 * {@code --duration} for the commands that run until stopped ({@code collect}, {@code serve-models}): they wait for
 * the duration or for Ctrl-C / SIGTERM, and a stop lets them finish (close, print the summary) for up to 15 s
 * before the JVM exits.
 */
public final class StopOptions {

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Stop after this many seconds (default: run until interrupted).")
    Long durationSeconds;

    /** Checks {@code --duration} (before the command starts any work). */
    void validate() {
        if (durationSeconds != null && durationSeconds < 1) {
            throw new IllegalArgumentException("--duration is " + durationSeconds + ", allowed 1 or more seconds");
        }
    }

    /** Starts watching for a stop; closing the returned signal lets a stopping JVM go on. */
    Signal watch(String threadName) {
        validate();
        return new Signal(threadName, durationSeconds);
    }

    /** A registered shutdown hook: {@link #await()} returns on stop or after the duration. */
    static final class Signal implements AutoCloseable {
        private final CountDownLatch stop = new CountDownLatch(1);
        private final CountDownLatch finished = new CountDownLatch(1);
        private final Long durationSeconds;
        private final Thread hook;

        private Signal(String threadName, Long durationSeconds) {
            this.durationSeconds = durationSeconds;
            this.hook = new Thread(() -> {
                stop.countDown();
                try {
                    finished.await(15, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, threadName);
            Runtime.getRuntime().addShutdownHook(hook);
        }

        void await() throws InterruptedException {
            if (durationSeconds != null) {
                stop.await(durationSeconds, TimeUnit.SECONDS);
            } else {
                stop.await();
            }
        }

        @Override
        public void close() {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is running and waits for 'finished'
            }
        }
    }
}
